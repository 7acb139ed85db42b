// Point-in-time selection: only the latest snapshot dated on or before (outcome date − H) counts,
// and nothing dated later can change a result.
import { describe, expect, it } from 'vitest';
import type { OutcomeRecord } from '../../../lib/backtest/outcomes.ts';
import { PointInTimeSelector } from '../../../lib/backtest/point-in-time.ts';
import { runBacktest } from '../../../lib/backtest/run.ts';
import { DAY_MS, isoDay, parseInstant } from '../../../lib/days.ts';
import type { AccountSnapshot } from '../../../lib/signals/snapshot.ts';
import { plantedFixture } from '../../support/backtest-fixture.ts';
import { preset } from '../../support/models.ts';

const outcome = (accountId: string, date: string, kind: OutcomeRecord['outcome'] = 'churned', line = 1): OutcomeRecord => ({
  accountId,
  date,
  at: parseInstant(date) as number,
  outcome: kind,
  line,
});
const snap = (accountId: string, asOf: string, nps = 5): AccountSnapshot => ({ accountId, asOf, signals: { 'outcome.nps': nps } });

describe('point-in-time selection', () => {
  it('given snapshots on both sides of date − H, when selecting, then the latest on or before date − H wins (the boundary day included)', () => {
    const sel = new PointInTimeSelector([outcome('a', '2026-06-30')], [60, 90]);
    // date − 90 = 2026-04-01, date − 60 = 2026-05-01
    for (const d of ['2026-03-01', '2026-04-01', '2026-04-02', '2026-05-01', '2026-05-02', '2026-06-29']) sel.offer(snap('a', d));
    const [row] = sel.rows();
    expect(row?.snapshots.map((s) => s?.asOf)).toEqual(['2026-05-01', '2026-04-01']);
  });

  it('given history in any order, then the choice is the same', () => {
    const sel = new PointInTimeSelector([outcome('a', '2026-06-30')], [60]);
    for (const d of ['2026-05-02', '2026-04-20', '2026-05-01', '2026-01-01']) sel.offer(snap('a', d));
    expect(sel.rows()[0]?.snapshots[0]?.asOf).toBe('2026-05-01');
  });

  it('given a date-time later on the day of date − H, then it is after the cut-off and not used', () => {
    const sel = new PointInTimeSelector([outcome('a', '2026-06-30')], [60]);
    sel.offer(snap('a', '2026-04-30T23:00:00Z'));
    sel.offer(snap('a', '2026-05-01T09:00:00Z'));
    expect(sel.rows()[0]?.snapshots[0]?.asOf).toBe('2026-04-30T23:00:00Z');
  });

  it('given two snapshots with the same asOf, then the later one in the stream wins (a re-run replaces the day)', () => {
    const sel = new PointInTimeSelector([outcome('a', '2026-06-30')], [60]);
    sel.offer(snap('a', '2026-04-01', 3));
    sel.offer(snap('a', '2026-04-01', 8));
    expect(sel.rows()[0]?.snapshots[0]?.signals['outcome.nps']).toBe(8);
  });

  it('given an account whose history starts too late, then it has no snapshot at that horizon', () => {
    const sel = new PointInTimeSelector([outcome('a', '2026-06-30')], [60, 90]);
    sel.offer(snap('a', '2026-04-15'));
    expect(sel.rows()[0]?.snapshots.map((s) => s?.asOf)).toEqual(['2026-04-15', undefined]);
  });

  it('given an outcome whose account never appears in the history, then it is listed as unknown', () => {
    const sel = new PointInTimeSelector([outcome('a', '2026-06-30'), outcome('ghost', '2026-06-30', 'renewed', 2)], [60]);
    sel.offer(snap('a', '2026-01-01'));
    expect(sel.unknownAccounts().map((o) => [o.accountId, o.line])).toEqual([['ghost', 2]]);
  });

  it('given a snapshot whose asOf is not a real date, then it is ignored with a reason', () => {
    const sel = new PointInTimeSelector([outcome('a', '2026-06-30')], [60]);
    expect(sel.offer(snap('a', '2026-02-30'))).toMatch(/not a real date/);
    expect(sel.rows()[0]?.snapshots[0]).toBeUndefined();
  });

  it('given a year of weekly snapshots for 50 accounts, then at most outcomes × horizons snapshots are held', () => {
    const fx = plantedFixture({ accounts: 50, weeks: 52, seed: 2 });
    const outcomes = fx.outcomes.map((o, i) => outcome(o.accountId, o.date, o.outcome, i + 1));
    const sel = new PointInTimeSelector(outcomes, [60, 90]);
    let offered = 0;
    for (const s of fx.snapshots()) {
      sel.offer(s);
      offered++;
      expect(sel.retained()).toBeLessThanOrEqual(100);
    }
    expect(offered).toBeGreaterThan(2000);
  });
});

describe('a perfectly predictive snapshot from after date − H', () => {
  const fx = plantedFixture({ accounts: 400, weeks: 52, seed: 11 });
  const outcomes = fx.outcomes.map((o, i) => outcome(o.accountId, o.date, o.outcome, i + 1));
  const model = preset('layered');
  // All the layered signals at their worst for churners and at their best for the others: AUC 1 if it were used.
  const perfect = (o: OutcomeRecord, daysBefore: number): AccountSnapshot => {
    const bad = o.outcome === 'churned';
    return {
      accountId: o.accountId,
      asOf: isoDay(o.at - daysBefore * DAY_MS),
      signals: {
        'usage.trend14d': bad ? -1 : 0.5,
        'usage.licenseUtilization': bad ? 0 : 1,
        'usage.featureAdoption': bad ? 0 : 1,
        'engagement.emailResponseHours': bad ? 400 : 1,
        'engagement.meetingAttendance': bad ? 0 : 1,
        'relationship.championStatus': bad ? 'departed' : 'active',
        'relationship.execSponsorEngaged': !bad,
        'relationship.engagedContacts30d': bad ? 0 : 9,
        'outcome.nps': bad ? 0 : 10,
        'outcome.successPlanOnTrack': !bad,
      },
    };
  };
  function* withPlanted(daysBefore: number[]): Generator<AccountSnapshot> {
    yield* fx.snapshots();
    for (const d of daysBefore) for (const o of outcomes) yield perfect(o, d);
  }

  it('given planted snapshots 59, 30 and 0 days before every outcome, when backtested and calibrated at 60 and 90 days, then no metric moves', async () => {
    const options = { horizons: [60, 90], calibrate: true };
    const clean = await runBacktest(model, outcomes, fx.snapshots(), options);
    const leaked = await runBacktest(model, outcomes, withPlanted([59, 30, 0]), options);
    expect(clean.horizons[0]?.auc).toBeGreaterThan(0.6);
    expect(clean.horizons[0]?.auc).toBeLessThan(0.95);
    expect(leaked.horizons).toEqual(clean.horizons);
    expect(clean.calibrated?.status).toBe('fitted');
    expect(leaked.calibrated).toEqual(clean.calibrated);
  });

  it('given the same snapshot dated exactly 60 days before, then the 60-day AUC becomes 1 (so the test above could fail)', async () => {
    const leaked = await runBacktest(model, outcomes, withPlanted([60]), { horizons: [60, 90] });
    const clean = await runBacktest(model, outcomes, fx.snapshots(), { horizons: [60, 90] });
    expect(leaked.horizons[0]?.auc).toBe(1);
    expect(leaked.horizons[1]).toEqual(clean.horizons[1]);
  });
});
