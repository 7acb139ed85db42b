// Stripe's error policy as data: which answers a person must fix (the key), which are rate limits
// (the account's or an endpoint's), which a record's own problem. Stripe answers errors as
// {"error":{"type","code","message","param"}}. Docs: https://docs.stripe.com/error-handling,
// https://docs.stripe.com/error-codes, https://docs.stripe.com/rate-limits
import { type ErrorPolicy, jsonOf } from '../shared/error-policy.ts';

interface StripeErrorBody {
  error?: { type?: unknown; code?: unknown; message?: unknown };
}

export const stripeErrorPolicy = (windowMs: number): ErrorPolicy => ({
  vendor: 'stripe',
  read(body) {
    const e = (jsonOf(body) as StripeErrorBody | undefined)?.error;
    if (!e || typeof e !== 'object') return {};
    const code = typeof e.code === 'string' ? e.code : typeof e.type === 'string' ? e.type : undefined;
    return { code, message: typeof e.message === 'string' ? e.message : undefined };
  },
  rateLimitWaitMs: windowMs,
  rules: [
    {
      status: 401,
      kind: 'config',
      say: 'the API key was rejected (401): set a valid secret key (sk_…) or restricted key (rk_…) of this Stripe account (STRIPE_API_KEY for the CLI, the stripe secret in Secrets Manager for the Lambdas)',
    },
    {
      status: 403,
      kind: 'config',
      say: 'the restricted key lacks a permission: give it Read on Customers, Subscriptions, Invoices, Prices and Subscription schedules (Dashboard → Developers → API keys)',
    },
    {
      status: 429,
      kind: 'rateLimited',
      say: (c) => `Stripe's rate limit was reached (${c.header('stripe-rate-limited-reason') ?? 'no reason given'}); waiting`,
    },
    { status: 404, code: 'resource_missing', kind: 'data', say: 'Stripe has no such object' },
    {
      status: 404,
      kind: 'config',
      say: (c) => `Stripe answered 404 for ${c.path}: check baseUrl in the stripe section (scheme, host and port only)`,
    },
    { status: [500, 599], kind: 'transient', say: "Stripe's API failed" },
    { status: [400, 499], kind: 'data', say: 'Stripe refused the request' },
  ],
});

/** Stripe's endpoint for a request path: each API operation is one endpoint whatever the object id. */
export function stripeEndpoint(method: string, path: string): string {
  const parts = path.split('/').filter(Boolean);
  // /v1/{collection}/{id}/{collection}/{id}…: every second segment after the version is an id (but "search").
  const named = parts.map((p, i) => (i >= 2 && i % 2 === 0 && p !== 'search' ? ':id' : p));
  return `${method} /${named.join('/')}`;
}
