// The official `stripe` client, configured for this project: its HTTP goes through a fetch that
// takes the process-wide Stripe budget, counts and traces every exchange (observedFetch), retries
// 429s (waiting Retry-After or Stripe's one-second window) and 5xx/network/malformed bodies with the
// shared capped policy, and surfaces typed errors. The SDK's own retries are off so nothing retries twice.
import Stripe from 'stripe';
import { ConfigError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { observedFetch, registerSecret } from '../shared/http-trace.ts';
import { sharedBudget } from '../shared/rate-budget.ts';
import { parseRetryAfter, withRetry } from '../shared/retry.ts';
import type { StripeConfig } from './config.ts';

const isAbort = (err: unknown, signal?: AbortSignal) =>
  (err as Error | undefined)?.name === 'AbortError' || (err as Error | undefined)?.name === 'TimeoutError' || signal?.aborted === true;

const ours = (err: unknown): err is Error => err instanceof ConfigError || err instanceof RateLimitedError || err instanceof TransientError;

/** A fetch for the Stripe SDK that applies our budget, retry policy and error typing to each exchange. */
export function stripePolicyFetch(config: StripeConfig, signal?: AbortSignal): typeof fetch {
  const budget = sharedBudget('stripe', { limit: config.limits.requests, windowMs: config.limits.windowMs });
  const observed = observedFetch('stripe');
  return (input, init) =>
    withRetry(
      async () => {
        const signals = [AbortSignal.timeout(config.timeoutMs), ...(signal ? [signal] : []), ...(init?.signal ? [init.signal] : [])];
        let res: Response;
        try {
          res = await budget.run(() => observed(input, { ...init, signal: AbortSignal.any(signals) }), signal);
        } catch (err) {
          if (signal?.aborted) throw err;
          if (isAbort(err) && init?.signal?.aborted) throw err;
          throw new TransientError('stripe', `network error: ${(err as Error).message}`);
        }
        if (res.status === 429) {
          await res.body?.cancel();
          const wait = parseRetryAfter(res.headers.get('retry-after')) ?? config.limits.windowMs;
          throw new RateLimitedError(
            'stripe',
            `rate limited (429, ${res.headers.get('stripe-rate-limited-reason') ?? 'no reason given'})`,
            wait,
          );
        }
        if (res.status >= 500) {
          await res.body?.cancel();
          throw new TransientError('stripe', `server error ${res.status}`);
        }
        const text = await res.text();
        if (res.status === 404 && !text.includes('"error"'))
          throw new ConfigError('stripe', `${res.status} without a Stripe error body: check baseUrl in the Stripe source config`);
        if (!res.ok) return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
        try {
          JSON.parse(text);
        } catch {
          throw new TransientError('stripe', `malformed JSON body (status ${res.status})`);
        }
        return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
      },
      { policy: config.retry, budget, ...(signal ? { signal } : {}) },
    );
}

/** The official client pointed at `config.baseUrl`, with our fetch and no retries of its own. */
export function createStripeClient(config: StripeConfig, signal?: AbortSignal): Stripe {
  registerSecret(config.apiKey);
  const url = new URL(config.baseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const retry = config.retry;
  return new Stripe(config.apiKey, {
    host: url.hostname,
    port: url.port || (protocol === 'http' ? '80' : '443'),
    protocol,
    maxNetworkRetries: 0,
    // The SDK's timeout covers our whole retry loop; each attempt has its own `timeoutMs`.
    timeout: retry.maxTotalWaitMs + retry.maxAttempts * config.timeoutMs,
    httpClient: Stripe.createFetchHttpClient(stripePolicyFetch(config, signal)),
  });
}

/** Maps whatever the SDK threw to our typed errors, with a message that says what to fix and no secret. */
export function toStripeError(err: unknown): Error {
  if (ours(err)) return err;
  if (err instanceof Stripe.errors.StripeConnectionError) {
    const detail = (err as { detail?: unknown }).detail;
    if (ours(detail)) return detail;
    return new TransientError('stripe', 'connection to the Stripe API failed');
  }
  if (err instanceof Stripe.errors.StripeAuthenticationError)
    return new ConfigError(
      'stripe',
      'the API key was rejected (401): set a valid secret key (sk_…) or restricted key (rk_…) for this Stripe account (STRIPE_API_KEY for the CLI, the stripe secret in Secrets Manager for the Lambdas)',
    );
  if (err instanceof Stripe.errors.StripePermissionError)
    return new ConfigError(
      'stripe',
      'the API key lacks permission (403): give the restricted key read access to Subscriptions, Invoices and Prices',
    );
  if (err instanceof Stripe.errors.StripeRateLimitError) return new RateLimitedError('stripe', 'rate limited (429)', undefined);
  if (err instanceof Stripe.errors.StripeAPIError) return new TransientError('stripe', `API error: ${err.message}`);
  if (err instanceof Stripe.errors.StripeError)
    return new Error(`stripe: request failed (${err.type} ${err.statusCode ?? ''}): ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}
