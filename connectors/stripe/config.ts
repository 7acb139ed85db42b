// The Stripe source's configuration: credentials, where the API is, the rate-limit budget and retry
// policy, and which billing facts this deployment trusts (does billing own the renewal date, which
// products are seats). Parsed with zod; a bad config is a ConfigError that names the field.

import * as z from 'zod';
import { formatIssues } from '../../lib/zod-issues.ts';
import { ConfigError } from '../shared/errors.ts';
import { limitSchema, type RenamedKey, safetyField, withRenamedKeys } from '../shared/rate-limit.ts';
import { completeRetryPolicy, type RetryPolicy, retryOverridesSchema } from '../shared/retry.ts';

/** Keys of earlier releases, still read (with a warning) for one release. */
export const stripeRenamedKeys: readonly RenamedKey[] = [
  // The old figure already had the margin taken off.
  ['limits.requests', 'rateLimit.requests', ['rateLimit.safety', 0]],
  ['limits.windowMs', 'rateLimit.perMs'],
];

const stripeConfigObject = z.object({
  /** A secret (`sk_…`) or restricted (`rk_…`) key with read access to subscriptions and invoices. */
  apiKey: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{6,}$/, 'expected a Stripe secret key (sk_test_…/sk_live_…) or restricted key (rk_…)'),
  /** Where the API is; Stripe's own host unless given (the fake: `http://127.0.0.1:<port>`). */
  baseUrl: z
    .url()
    .refine((u) => ['', '/'].includes(new URL(u).pathname), 'expected scheme, host and port only (the client adds /v1/…)')
    .default('https://api.stripe.com'),
  // Docs: https://docs.stripe.com/rate-limits (100 operations/s live, 25/s in a sandbox; 25/s per endpoint unless stated)
  rateLimit: z
    .object({
      /** Requests per window for the account; 25 (test keys) or 100 (live keys) unless given. */
      requests: z.int().positive().optional(),
      perMs: z.int().positive().default(1000),
      safety: safetyField(0.1),
      /** Each API operation's own limit (GET /v1/invoices/:id is one endpoint, whatever the id). */
      perEndpoint: limitSchema({ requests: 25, perMs: 1000 }, 0.1),
    })
    .prefault({}),
  retry: retryOverridesSchema,
  /** Per-attempt timeout of one HTTP exchange, in milliseconds. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Billing owns the renewal date: `commercial.daysToRenewal` comes from the subscription's current period end. */
  renewalFromBilling: z.boolean().default(false),
  /** Products whose quantity counts as paid seats; every licensed item when empty. */
  seatProducts: z.array(z.string()).default([]),
  /** Accounts without a stripeCustomerId are joined to the customer whose e-mail domain is the company's domain (unambiguous, never free mail). */
  matchByDomain: z.boolean().default(true),
});

export const stripeConfigSchema = withRenamedKeys(stripeRenamedKeys, stripeConfigObject);

export type StripeConfigInput = z.input<typeof stripeConfigObject>;
type Parsed = z.output<typeof stripeConfigObject>;
export type StripeConfig = Omit<Parsed, 'rateLimit' | 'retry'> & {
  rateLimit: Parsed['rateLimit'] & { requests: number };
  retry: RetryPolicy;
};

/** Parses and completes the config; throws a ConfigError naming each bad field (never echoing the key). */
export function parseStripeConfig(input: unknown): StripeConfig {
  const r = stripeConfigSchema.safeParse(input);
  if (!r.success) {
    throw new ConfigError('stripe', `invalid source config: ${formatIssues(r.error)}`);
  }
  const live = r.data.apiKey.includes('_live_');
  return {
    ...r.data,
    rateLimit: { ...r.data.rateLimit, requests: r.data.rateLimit.requests ?? (live ? 100 : 25) },
    retry: completeRetryPolicy(r.data.retry),
  };
}
