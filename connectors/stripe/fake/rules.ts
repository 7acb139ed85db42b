// Stripe's documented request rules the billing source relies on, as data: each with its doc link,
// how sure we are, and Stripe's answer to a request that breaks it. The fake checks every request
// against them after auth and the rate limit (fake/server.ts), records each broken rule for the
// suite's audit (test/support/vendor-rules.ts), and `auditStripeTrace` checks an HTTP trace against
// them. The README's rules table lists these rows with the rate limits and object shapes.
import { auditTrace, type VendorRule } from '../../shared/fake/rules.ts';
import type { FakeResponse } from '../../shared/fake/server.ts';

export interface StripeRuleRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export type StripeRule = VendorRule<StripeRuleRequest>;

/** Stripe's error body: https://docs.stripe.com/api/errors */
export const stripeError = (status: number, message: string, code?: string, param?: string): FakeResponse => ({
  status,
  body: { error: { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...(param ? { param } : {}) } },
});

const LIST = /^\/v1\/(subscriptions|invoices|customers|subscription_items|invoice_payments|invoices\/[^/]+\/lines)$/;
const expands = (q: URLSearchParams) => [...q.entries()].filter(([k]) => k === 'expand' || /^expand\[\d*\]$/.test(k)).map(([, v]) => v);

export const stripeRules: StripeRule[] = [
  {
    id: 'list-limit-100',
    rule: 'A list page (`limit`) holds 1 to 100 objects (10 when not given)',
    doc: 'https://docs.stripe.com/api/pagination',
    evidence: 'confirmed',
    check: (req) => {
      if (req.method !== 'GET' || !LIST.test(req.path) || !req.query.has('limit')) return undefined;
      const n = Number(req.query.get('limit'));
      return Number.isInteger(n) && n >= 1 && n <= 100
        ? undefined
        : stripeError(400, 'This value must be between 1 and 100.', 'parameter_invalid_integer', 'limit');
    },
  },
  {
    id: 'expand-depth-4',
    rule: 'An `expand[]` path goes at most four levels deep (`data.` of a list counts as one)',
    doc: 'https://docs.stripe.com/expand',
    evidence: 'confirmed',
    check: (req) => {
      const deep = expands(req.query).find((p) => p.split('.').length > 4);
      return deep ? stripeError(400, `You cannot expand more than 4 levels of a property. Property: ${deep}`) : undefined;
    },
  },
  {
    id: 'subscription-items-need-subscription',
    rule: 'Listing subscription items names the subscription (`subscription` is required)',
    doc: 'https://docs.stripe.com/api/subscription_items/list',
    evidence: 'confirmed',
    check: (req) =>
      req.method === 'GET' && req.path === '/v1/subscription_items' && !req.query.get('subscription')
        ? stripeError(400, 'Missing required param: subscription.', 'parameter_missing', 'subscription')
        : undefined,
  },
];

/** Each Stripe request in an HTTP trace (JSONL) that breaks a rule: `<rule id>: <method> <path>`. */
export function auditStripeTrace(jsonl: string): string[] {
  return auditTrace(jsonl, 'stripe', stripeRules, (t) => ({ method: t.method, path: t.url.pathname, query: t.url.searchParams }));
}
