// The shared rate-limit shape: a limit at its safety margin, and the renamed-keys table that moves an
// old key to its new place without touching the section it was given.
import { describe, expect, it } from 'vitest';
import { budgetFor, renameKeys } from '../../../connectors/shared/rate-limit.ts';

describe('rate-limit config', () => {
  it('given a documented limit and a safety share, when budgeted, then the share is kept free of requests and concurrency, never below one', () => {
    expect(budgetFor('t:a', { requests: 100, perMs: 10_000, concurrency: 5 }, 0.1).options).toEqual({
      limit: 90,
      windowMs: 10_000,
      concurrency: 4,
    });
    expect(budgetFor('t:b', { requests: 1, perMs: 1000, safety: 0.5 }, 0.1).options).toEqual({ limit: 1, windowMs: 1000 });
  });

  it('given an old key, when renamed, then the value is copied to the new key, the companion is set, and the input is unchanged', () => {
    const input = { limits: { requests: 20 }, other: 1 };
    const out = renameKeys(input, [['limits.requests', 'rateLimit.requests', ['rateLimit.safety', 0]]]);
    // The old key stays: the vendor's schema drops keys it does not know.
    expect(out.section).toEqual({ limits: { requests: 20 }, rateLimit: { requests: 20, safety: 0 }, other: 1 });
    expect(out.warnings).toEqual([
      'config key limits.requests is deprecated and will be removed in the next release: use rateLimit.requests',
    ]);
    expect(input).toEqual({ limits: { requests: 20 }, other: 1 });
  });
});
