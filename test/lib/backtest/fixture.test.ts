// The planted-churn fixture: deterministic per seed, and churn depends on the planted signals only.
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../lib/signals/snapshot.ts';
import { DEFAULT_PLANTED, plantedFixture } from '../../support/backtest-fixture.ts';

const numeric = (v: unknown) =>
  typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : v === 'active' ? 1 : v === undefined ? undefined : 0;

describe('planted-churn fixture', () => {
  it('given the same seed twice, then the outcomes and snapshots are identical; another seed differs', () => {
    const a = plantedFixture({ accounts: 30, weeks: 10, seed: 4 });
    const b = plantedFixture({ accounts: 30, weeks: 10, seed: 4 });
    expect(b.outcomes).toEqual(a.outcomes);
    const fromB = [...b.snapshots()];
    expect(fromB).toEqual([...a.snapshots()]);
    // A second pass over the same fixture replays it (the backtest reads it more than once).
    expect([...a.snapshots()]).toEqual(fromB);
    expect(plantedFixture({ accounts: 30, weeks: 10, seed: 5 }).outcomes).not.toEqual(a.outcomes);
  });

  it('given a fixture, then every snapshot is a valid AccountSnapshot and churned accounts have none after their churn date', () => {
    const fx = plantedFixture({ accounts: 100, weeks: 30, seed: 2 });
    const churnDate = new Map(fx.outcomes.filter((o) => o.outcome === 'churned').map((o) => [o.accountId, o.date]));
    let count = 0;
    for (const s of fx.snapshots()) {
      expect(() => parseSnapshot(s)).not.toThrow();
      const d = churnDate.get(s.accountId);
      if (d !== undefined) expect(s.asOf <= d).toBe(true);
      count++;
    }
    expect(count).toBeGreaterThan(100 * 20);
  });

  it('given 1,500 accounts, then churners score lower on each planted signal but not on the others', () => {
    const fx = plantedFixture({ accounts: 1500, weeks: 8, seed: 9 });
    const churned = new Set(fx.outcomes.filter((o) => o.outcome === 'churned').map((o) => o.accountId));
    expect(churned.size / 1500).toBeGreaterThan(0.12);
    expect(churned.size / 1500).toBeLessThan(0.3);
    // Standardized mean difference (others − churners) / sd, over every snapshot where the signal is known.
    const gap = (key: string) => {
      const values: { v: number; churned: boolean }[] = [];
      for (const s of fx.snapshots()) {
        const v = numeric(s.signals[key]);
        if (v !== undefined) values.push({ v, churned: churned.has(s.accountId) });
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const all = values.map((x) => x.v);
      const m = mean(all);
      const sd = Math.sqrt(mean(all.map((v) => (v - m) ** 2)));
      const side = (c: boolean) => mean(values.filter((x) => x.churned === c).map((x) => x.v));
      return (side(false) - side(true)) / sd;
    };
    for (const key of DEFAULT_PLANTED) expect(gap(key), key).toBeGreaterThan(0.5);
    for (const key of ['usage.featureAdoption', 'engagement.emailResponseHours', 'relationship.execSponsorEngaged', 'outcome.nps']) {
      expect(Math.abs(gap(key)), key).toBeLessThan(0.2);
    }
  });

  it('given decisionDays, then churners show cancel_pending only in that window before churning', () => {
    const fx = plantedFixture({ accounts: 200, weeks: 52, seed: 6, decisionDays: 30 });
    const pending = [...fx.snapshots()].filter((s) => s.signals['billing.subscriptionChange'] === 'cancel_pending');
    expect(pending.length).toBeGreaterThan(0);
    for (const s of pending) expect(s.signals['commercial.daysToRenewal'] as number).toBeLessThanOrEqual(30);
  });

  it('given a key the fixture does not generate, then it says which keys it can plant', () => {
    expect(() => plantedFixture({ planted: ['usage.nonsense'] })).toThrow(/cannot plant 'usage.nonsense'/);
  });
});
