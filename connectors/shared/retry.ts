// Retries with a declarative policy: rate limits wait for the vendor's Retry-After (or window);
// transient failures back off with capped, jittered exponential delays; everything else fails at
// once. Total waiting is capped, so a run never hangs on a vendor that stays down.
import * as z from 'zod';
import { isRetryable, RateLimitedError } from './errors.ts';
import { type Clock, type RateBudget, systemClock } from './rate-budget.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up once this much time has been spent waiting. */
  maxTotalWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 20_000, maxTotalWaitMs: 120_000 };

/** A connector config's `retry` section: any field of the policy, the rest from the default. */
export const retryOverridesSchema = z
  .object({
    maxAttempts: z.int().min(1).optional(),
    baseDelayMs: z.int().min(0).optional(),
    maxDelayMs: z.int().min(0).optional(),
    maxTotalWaitMs: z.int().min(0).optional(),
  })
  .prefault({});

/** The default retry policy with the configured fields replaced. */
export function completeRetryPolicy(r: z.output<typeof retryOverridesSchema>): RetryPolicy {
  const d = defaultRetryPolicy;
  return {
    maxAttempts: r.maxAttempts ?? d.maxAttempts,
    baseDelayMs: r.baseDelayMs ?? d.baseDelayMs,
    maxDelayMs: r.maxDelayMs ?? d.maxDelayMs,
    maxTotalWaitMs: r.maxTotalWaitMs ?? d.maxTotalWaitMs,
  };
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  /** Paused for everyone when the vendor answers 429. */
  budget?: RateBudget;
  clock?: Clock;
  signal?: AbortSignal;
  random?: () => number;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Calls `fn` (which must throw the typed errors of errors.ts) until it succeeds or may not retry. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = { ...defaultRetryPolicy, ...options.policy };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err) || attempt >= policy.maxAttempts) throw err;
      let delay: number;
      if (err instanceof RateLimitedError && err.retryAfterMs !== undefined) {
        delay = err.retryAfterMs;
        options.budget?.pause(delay);
      } else {
        const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        delay = Math.round(exp / 2 + random() * (exp / 2));
        if (err instanceof RateLimitedError) options.budget?.pause(delay);
      }
      if (waited + delay > policy.maxTotalWaitMs) throw err;
      waited += delay;
      options.onRetry?.(err, attempt, delay);
      await clock.sleep(delay, options.signal);
    }
  }
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
