// The shared transport on its own: an answer no rule names still becomes a typed error by its status,
// and the per-attempt timeout runs from when the request leaves, not while it waits for the budget.
import { describe, expect, it } from 'vitest';
import type { ErrorPolicy } from '../../../connectors/shared/error-policy.ts';
import { DataError, RateLimitedError, TransientError } from '../../../connectors/shared/errors.ts';
import { type Clock, RateBudget } from '../../../connectors/shared/rate-budget.ts';
import { policyFetch } from '../../../connectors/shared/transport.ts';

const bare: ErrorPolicy = { vendor: 'stripe', read: () => ({}), rules: [], rateLimitWaitMs: 5 };
const answering = (status: number, body = '{}') => (async () => new Response(body, { status })) as unknown as typeof fetch;

describe('the shared transport', () => {
  it.each([
    [404, DataError],
    [409, DataError],
    [429, RateLimitedError],
    [503, TransientError],
    [408, TransientError],
  ])('given a vendor whose table has no row for %i, when it answers so, then the default typed error is %o', async (status, kind) => {
    const f = policyFetch({ policy: bare, retry: { maxAttempts: 1 }, timeoutMs: 1000, budgets: () => [], baseFetch: answering(status) });
    await expect(f('http://127.0.0.1:1/v1/x')).rejects.toBeInstanceOf(kind);
  });

  it('given a budget that makes the second request wait longer than the timeout, when both run, then both are sent once and answered', async () => {
    let sent = 0;
    const baseFetch = (async (_input: unknown, init?: RequestInit) => {
      init?.signal?.throwIfAborted();
      sent++;
      return new Response('{"ok":true}', { status: 200 });
    }) as unknown as typeof fetch;
    // The budget's wait outlasts the 20 ms timeout (a timer 3× as long), whatever the machine's speed.
    let now = 0;
    const clock: Clock = {
      now: () => now,
      sleep: (ms) =>
        new Promise((resolve) =>
          setTimeout(() => {
            now += ms;
            resolve();
          }, 60),
        ),
    };
    const budget = new RateBudget('test:timeout-after-budget', { limit: 1, windowMs: 1000 }, clock);
    const f = policyFetch({ policy: bare, retry: { maxAttempts: 1 }, timeoutMs: 20, budgets: () => [budget], baseFetch });
    const answers = await Promise.all([f('http://127.0.0.1:1/a'), f('http://127.0.0.1:1/b')]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(sent).toBe(2);
  });
});
