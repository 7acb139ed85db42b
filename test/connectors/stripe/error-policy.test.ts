// Stripe's error table, driven through the real `stripe` SDK at the fake: each answer Stripe can give
// becomes the typed error its row names, with a sentence that says what to fix and never the key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, RateLimitedError, TransientError } from '../../../connectors/shared/errors.ts';
import { parseStripeConfig } from '../../../connectors/stripe/config.ts';
import { type StripeFake, startStripeFake } from '../../../connectors/stripe/fake/server.ts';
import { createStripeClient, toStripeError } from '../../../connectors/stripe/stripe-client.ts';

let fake: StripeFake;
beforeAll(async () => {
  fake = await startStripeFake();
});
afterAll(() => fake.close());

const stripeError = (type: string, message: string, code?: string) => ({ error: { type, message, ...(code ? { code } : {}) } });

const rows = [
  {
    status: 401,
    body: stripeError('invalid_request_error', 'Invalid API Key provided: sk_test_****0001'),
    error: ConfigError,
    says: /API key was rejected \(401\).*STRIPE_API_KEY/,
  },
  {
    status: 403,
    body: stripeError('invalid_request_error', 'The provided key does not have the required permissions'),
    error: ConfigError,
    says: /restricted key lacks a permission: give it Read on/,
  },
  {
    status: 404,
    body: stripeError('invalid_request_error', "No such customer: 'cus_x'", 'resource_missing'),
    error: DataError,
    says: /no such object/,
  },
  { status: 404, body: 'Not Found', error: ConfigError, says: /check baseUrl in the stripe section/ },
  {
    status: 400,
    body: stripeError('invalid_request_error', 'Received unknown parameter: foo', 'parameter_unknown'),
    error: DataError,
    says: /refused the request.*parameter_unknown/,
  },
  {
    status: 402,
    body: stripeError('card_error', 'Your card was declined.', 'card_declined'),
    error: DataError,
    says: /refused the request/,
  },
  {
    status: 429,
    body: stripeError('invalid_request_error', 'Request rate limit exceeded.', 'rate_limit'),
    headers: { 'stripe-rate-limited-reason': 'endpoint-rate' },
    error: RateLimitedError,
    says: /rate limit was reached \(endpoint-rate\)/,
  },
  { status: 500, body: stripeError('api_error', 'Something went wrong on our end.'), error: TransientError, says: /Stripe's API failed/ },
];

describe("Stripe's error table", () => {
  it.each(rows)('given Stripe answers $status, when listing subscriptions, then $error.name says what to fix', async (row) => {
    const client = createStripeClient(parseStripeConfig({ apiKey: fake.apiKey, baseUrl: fake.url, retry: { maxAttempts: 1 } }));
    fake.server.inject({
      times: 1,
      fault: { kind: 'status', status: row.status, body: row.body, ...(row.headers ? { headers: row.headers } : {}) },
    });
    const err = await client.subscriptions.list({ limit: 1 }).then(
      () => undefined,
      (e: unknown) => toStripeError(e),
    );
    expect(err).toBeInstanceOf(row.error);
    expect((err as Error).message).toMatch(row.says);
    expect((err as Error).message).not.toContain(fake.apiKey);
    if (err instanceof RateLimitedError) expect(err.retryAfterMs).toBe(1000);
  });
});

describe("Stripe's per-endpoint limit (25 requests/s: https://docs.stripe.com/rate-limits)", () => {
  // One vendor second is 100 ms; the account-wide limit is raised out of the way, so only the per-endpoint one can bind.
  const ids = Array.from({ length: 60 }, (_, i) => `cus_e${String(i).padStart(3, '0')}`);
  const readAll = async (perEndpoint: { requests?: number; perMs: number }) => {
    const f = await startStripeFake({ requestsPerSecond: 10_000, clockScale: 10 });
    try {
      const client = createStripeClient(
        parseStripeConfig({
          apiKey: f.apiKey,
          baseUrl: f.url,
          rateLimit: { requests: 10_000, perMs: 100, perEndpoint },
          retry: { maxAttempts: 1 },
        }),
      );
      const results = await Promise.allSettled(ids.map((id) => client.subscriptions.list({ customer: id, limit: 1 })));
      return { results, log: [...f.server.log] };
    } finally {
      await f.close();
    }
  };

  it('given 60 reads of one endpoint at once and a client allowing more than 25 a second there, then Stripe answers 429 endpoint-rate with its rate_limit body', async () => {
    const { results, log } = await readAll({ requests: 10_000, perMs: 100 });
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [toStripeError(r.reason)] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e instanceof RateLimitedError && /rate_limit.*endpoint-rate|endpoint-rate/.test(e.message))).toBe(true);
    expect(log.filter((c) => c.status === 429).length).toBe(refused.length);
  });

  it('given 60 reads of one endpoint at once and the default per-endpoint budget, then the connector stays inside Stripe’s limit: no 429, every read answered', async () => {
    const { results, log } = await readAll({ perMs: 100 });
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(log).toHaveLength(60);
    expect(log.every((c) => c.status === 200)).toBe(true);
  });
});
