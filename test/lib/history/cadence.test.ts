// Tier confirmation when runs are not daily: a change confirms once it has held across runs at
// least 20 hours apart, whatever the gaps between the runs; and the per-account run list keeps one
// entry per day plus the previous run, so a retried run never compares with itself.
import { describe, expect, it } from 'vitest';
import { confirmTier, type TierState } from '../../../lib/history/confirmation.ts';
import { alertsFor } from '../../../lib/history/playbooks.ts';
import { latestPerDay, withRun } from '../../../lib/history/run-days.ts';
import type { Tier } from '../../../lib/scoring/engine.ts';

const green: TierState = { confirmed: 'green', confirmedSince: '2026-09-01', pending: null, pendingRuns: 0 };

/** Runs at the given instants, all seeing `tier`; returns the instant of the run that confirmed the change. */
function confirmedAt(instants: string[], tier: Tier = 'yellow'): string | null {
  let state = green;
  for (const at of instants) {
    const r = confirmTier(state, tier, at);
    if (r.change) return at;
    state = r.state;
  }
  return null;
}

describe('tier confirmation across runs of any cadence', () => {
  it('given hourly runs, when a change is first seen at 05:00, then it is confirmed on the 01:00 run the next day and not before', () => {
    const hourly = Array.from({ length: 30 }, (_, i) => new Date(Date.parse('2026-10-01T05:00:00Z') + i * 3_600_000).toISOString());
    expect(confirmedAt(hourly)).toBe('2026-10-02T01:00:00.000Z');
  });

  it('given irregular gaps (3 h, 11 h, 5 h, 2 h), when the change holds, then it is confirmed on the first run at least 20 hours after the first', () => {
    expect(confirmedAt(['2026-10-01T05:00Z', '2026-10-01T08:00Z', '2026-10-01T19:00Z', '2026-10-02T00:00Z', '2026-10-02T02:00Z'])).toBe(
      '2026-10-02T02:00Z',
    );
    expect(confirmedAt(['2026-10-01T05:00Z', '2026-10-01T08:00Z', '2026-10-01T19:00Z', '2026-10-02T00:00Z'])).toBeNull();
  });

  it('given daily runs that drift earlier by 3 hours, then two runs still confirm; by 5 hours, the third does', () => {
    expect(confirmedAt(['2026-10-01T05:00Z', '2026-10-02T02:00Z'])).toBe('2026-10-02T02:00Z');
    expect(confirmedAt(['2026-10-01T05:00Z', '2026-10-02T00:00Z', '2026-10-03T00:00Z'])).toBe('2026-10-03T00:00Z');
  });

  it('given one run back on the confirmed tier within the 20 hours, then the change starts over from the next run that sees it', () => {
    let s = confirmTier(green, 'yellow', '2026-10-01T05:00Z').state;
    s = confirmTier(s, 'green', '2026-10-01T15:00Z').state;
    s = confirmTier(s, 'yellow', '2026-10-01T16:00Z').state;
    expect(confirmTier(s, 'yellow', '2026-10-02T06:00Z').change).toBeNull();
    expect(confirmTier(s, 'yellow', '2026-10-02T12:00Z').change).toEqual({ from: 'green', to: 'yellow' });
  });

  it('given a state written before instants were kept, then its pending change confirms on the next run as before', () => {
    const legacy: TierState = { ...green, pending: 'yellow', pendingRuns: 1 };
    expect(confirmTier(legacy, 'yellow', '2026-10-02T05:00Z').change).toEqual({ from: 'green', to: 'yellow' });
  });

  it('given a renewal-risk streak that started 19 hours ago, then no alert; at 20 hours, one keyed to the streak', () => {
    const input = {
      day: '2026-10-02',
      accountName: 'Acme',
      score: 50,
      change: null,
      state: { ...green, confirmed: 'yellow' as const },
      renewalRiskSince: '2026-10-01T10:00:00.000Z',
      urgentDrop: null,
      urgentSince: null,
    };
    expect(alertsFor({ ...input, at: '2026-10-02T05:00:00.000Z' })).toEqual([]);
    expect(alertsFor({ ...input, at: '2026-10-02T06:00:00.000Z' }).map((a) => a.key)).toEqual(['renewal_risk:2026-10-01T10:00:00.000Z']);
  });
});

describe('the per-account run list', () => {
  const entry = (day: string, runId: string) => ({ day, runId });

  it('given several runs a day, then earlier days keep their latest run and the previous run stays beside the new one', () => {
    let list: { day: string; runId: string }[] = [];
    for (const [day, run] of [
      ['2026-10-01', 'a'],
      ['2026-10-01', 'b'],
      ['2026-10-02', 'c'],
      ['2026-10-02', 'd'],
      ['2026-10-02', 'e'],
    ] as const)
      list = withRun(list, entry(day, run));
    expect(list.map((e) => e.runId)).toEqual(['b', 'd', 'e']);
    expect(latestPerDay(list).map((e) => e.runId)).toEqual(['b', 'e']);
  });

  it('given a run retried after it saved its entry, then the list is the same as after its first attempt', () => {
    const once = withRun([entry('2026-10-01', 'a'), entry('2026-10-02', 'b')], entry('2026-10-02', 'c'));
    expect(withRun(once, entry('2026-10-02', 'c'))).toEqual(once);
  });
});
