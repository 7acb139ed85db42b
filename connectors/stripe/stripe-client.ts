// The official `stripe` client, configured for this project: its HTTP goes through the shared
// transport (connectors/shared/transport.ts) with Stripe's error policy (errors.ts), the account's
// budget and each endpoint's own (25/s unless Stripe says otherwise), a timeout per attempt, the
// trace and the capped retries. The SDK's own retries are off, so nothing retries twice.
import Stripe from 'stripe';
import { DataError, isTypedError, TransientError } from '../shared/errors.ts';
import { registerSecret } from '../shared/http-trace.ts';
import { budgetFor } from '../shared/rate-limit.ts';
import { policyFetch } from '../shared/transport.ts';
import type { StripeConfig } from './config.ts';
import { stripeEndpoint, stripeErrorPolicy } from './errors.ts';

/** A fetch for the Stripe SDK: the shared transport with Stripe's policy and budgets. */
export function stripePolicyFetch(config: StripeConfig, signal?: AbortSignal): typeof fetch {
  const { rateLimit } = config;
  const account = budgetFor('stripe', rateLimit, rateLimit.safety);
  return policyFetch({
    policy: stripeErrorPolicy(rateLimit.perMs),
    retry: config.retry,
    timeoutMs: config.timeoutMs,
    signal,
    describe: (url, method) => stripeEndpoint(method, url.pathname),
    // The endpoint's budget first: a 429 on one endpoint pauses that endpoint only.
    budgets: (url, method) => [
      budgetFor(`stripe:${stripeEndpoint(method, url.pathname)}`, rateLimit.perEndpoint, rateLimit.safety),
      account,
    ],
  });
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

/** The typed error behind whatever the SDK threw (our transport's, carried as the SDK error's detail). */
export function toStripeError(err: unknown): Error {
  if (isTypedError(err)) return err;
  const detail = (err as { detail?: unknown } | undefined)?.detail;
  if (isTypedError(detail)) return detail;
  const abort = [err, detail].find((e) => ['AbortError', 'TimeoutError'].includes((e as Error | undefined)?.name ?? ''));
  if (abort) return abort as Error;
  if (err instanceof Stripe.errors.StripeConnectionError)
    return new TransientError('stripe', 'the connection to the Stripe API failed', { cause: err });
  // Anything else is the SDK refusing what it was handed (e.g. a body it cannot read): a record's problem, not the run's.
  const message = err instanceof Error ? err.message : String(err);
  return new DataError('stripe', undefined, `the Stripe client failed: ${message}`, { cause: err });
}
