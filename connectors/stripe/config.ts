// The Stripe source's configuration: credentials, where the API is, the rate-limit budget and retry
// policy, and which billing facts this deployment trusts (does billing own the renewal date, which
// products are seats). Parsed with zod; a bad config is a ConfigError that names the field.

import * as z from 'zod';
import { formatIssues } from '../../lib/zod-issues.ts';
import { ConfigError } from '../shared/errors.ts';
import { completeRetryPolicy, type RetryPolicy, retryOverridesSchema } from '../shared/retry.ts';

export const stripeConfigSchema = z.object({
  /** A secret (`sk_…`) or restricted (`rk_…`) key with read access to subscriptions and invoices. */
  apiKey: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{6,}$/, 'expected a Stripe secret key (sk_test_…/sk_live_…) or restricted key (rk_…)'),
  /** Where the API is; Stripe's own host unless given (the fake: `http://127.0.0.1:<port>`). */
  baseUrl: z
    .url()
    .refine((u) => ['', '/'].includes(new URL(u).pathname), 'expected scheme, host and port only (the client adds /v1/…)')
    .default('https://api.stripe.com'),
  limits: z
    .object({
      /** Requests per window for this process; defaults to 20 (test keys, limit 25/s) or 90 (live keys, 100/s). */
      requests: z.number().int().positive().optional(),
      windowMs: z.number().int().positive().default(1000),
    })
    .default({ windowMs: 1000 }),
  retry: retryOverridesSchema,
  /** Per-attempt timeout of one HTTP exchange. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Billing owns the renewal date: `commercial.daysToRenewal` comes from the subscription's current period end. */
  renewalFromBilling: z.boolean().default(false),
  /** Products whose quantity counts as paid seats; every licensed item when empty. */
  seatProducts: z.array(z.string()).default([]),
  /** Accounts without a stripeCustomerId are joined to the customer whose e-mail domain is the company's domain (unambiguous, never free mail). */
  matchByDomain: z.boolean().default(true),
});

export type StripeConfigInput = z.input<typeof stripeConfigSchema>;
export type StripeConfig = Omit<z.output<typeof stripeConfigSchema>, 'limits' | 'retry'> & {
  limits: { requests: number; windowMs: number };
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
    limits: { windowMs: r.data.limits.windowMs, requests: r.data.limits.requests ?? (live ? 90 : 20) },
    retry: completeRetryPolicy(r.data.retry),
  };
}
