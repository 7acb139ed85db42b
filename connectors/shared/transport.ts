// The one HTTP transport every fetch-speaking vendor client hands its SDK (Stripe, Zendesk) or calls
// itself (Mixpanel): each exchange takes the vendor's rate budgets, has its own timeout, is counted
// and traced (observedFetch), and any answer that is not a readable success becomes the typed error
// the vendor's error policy names (error-policy.ts). It owns the retries (the SDKs' own are off):
// rate limits wait for Retry-After or the vendor's window, transient failures back off, capped.
import { answerOf, type ErrorPolicy, errorOf, judge } from './error-policy.ts';
import { TransientError } from './errors.ts';
import { observedFetch, redact } from './http-trace.ts';
import type { Clock, RateBudget } from './rate-budget.ts';
import { type RetryPolicy, withRetry } from './retry.ts';

export interface TransportOptions {
  policy: ErrorPolicy;
  retry: Partial<RetryPolicy>;
  /** Per attempt: no answer (and, for a buffered body, no whole body) within this long is a TransientError. */
  timeoutMs: number;
  /** The budgets one request takes, in order; the first is the one a 429 pauses for everyone. */
  budgets(url: URL, method: string): RateBudget[];
  /** `json` (default): a 2xx body must parse as JSON, else it is retried; `text`: any body; `stream`: the body is handed on unread. */
  body?: 'json' | 'text' | 'stream';
  /** What the request is for, in the words of an error message. */
  describe?(url: URL, method: string): string;
  /** The run's signal: when it aborts, the abort is rethrown as is (never retried). */
  signal?: AbortSignal | undefined;
  clock?: Clock;
  baseFetch?: typeof fetch;
}

const urlOf = (input: Parameters<typeof fetch>[0]) =>
  new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/** A `fetch` that applies the vendor's budget, timeout, trace, error policy and retries to each request. */
export function policyFetch(options: TransportOptions): typeof fetch {
  const { policy, signal } = options;
  const observed = observedFetch(policy.vendor, options.baseFetch);
  return (input, init) => {
    const url = urlOf(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const what = options.describe?.(url, method) ?? `${method} ${url.pathname}`;
    const budgets = options.budgets(url, method);
    // The run's signal, else the caller's for this request (waits for the budget end with it too).
    const stop = signal ?? init?.signal ?? undefined;
    const attempt = async (): Promise<Response> => {
      stop?.throwIfAborted();
      const timer = new AbortController();
      let timeout: NodeJS.Timeout | undefined;
      const held: RateBudget[] = [];
      try {
        for (const b of budgets) {
          await b.acquire(stop);
          held.push(b);
        }
        // The clock starts when the request leaves, not while it waits for the budget.
        timeout = setTimeout(() => timer.abort(), options.timeoutMs);
        const signals = [timer.signal, ...(signal ? [signal] : []), ...(init?.signal ? [init.signal] : [])];
        let res: Response;
        try {
          res = await observed(input, { ...init, signal: AbortSignal.any(signals) });
        } catch (err) {
          throw networkError(err);
        }
        if (res.ok && options.body === 'stream') return res;
        let text: string;
        try {
          text = await res.text();
        } catch (err) {
          throw networkError(err);
        }
        if (!res.ok) throw errorOf(policy.vendor, judge(policy, answerOf(res, text), what, url.pathname));
        if (text !== '' && options.body !== 'text') {
          try {
            JSON.parse(text);
          } catch {
            throw new TransientError(policy.vendor, `${what}: a ${res.status} answer whose body is not JSON`);
          }
        }
        const empty = res.status === 204 || res.status === 304;
        return new Response(empty ? null : text, { status: res.status, statusText: res.statusText, headers: res.headers });
      } finally {
        clearTimeout(timeout);
        for (const b of held) b.release();
      }

      function networkError(err: unknown): unknown {
        if (signal?.aborted || init?.signal?.aborted) return err;
        if (timer.signal.aborted)
          return new TransientError(policy.vendor, `${what}: no answer within ${options.timeoutMs} ms`, { cause: err });
        return new TransientError(policy.vendor, `${what}: network error (${redact((err as Error)?.message ?? String(err))})`, {
          cause: err,
        });
      }
    };
    return withRetry(attempt, {
      policy: options.retry,
      ...(budgets[0] ? { budget: budgets[0] } : {}),
      ...(stop ? { signal: stop } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  };
}
