// History maths (scoring-method.md §4): trend windows, the urgent drop, tier confirmation after two
// consecutive runs, playbook alerts exactly once, and manual overrides until their expiry.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/days.ts';
import { confirmTier, type TierState } from '../../../lib/history/confirmation.ts';
import { applyOverride } from '../../../lib/history/override.ts';
import { alertsFor, type PlaybookInput, streakStart } from '../../../lib/history/playbooks.ts';
import { trendOf } from '../../../lib/history/trend.ts';
import { scoreSnapshot } from '../../../lib/scoring/engine.ts';
import { healthyLayered, preset, snapshot } from '../../support/models.ts';

const days = (start: string, scores: (number | null)[]) => scores.map((score, i) => ({ day: addDays(start, i), score }));

describe('trend', () => {
  it('given daily scores, then the 7- and 30-day changes compare with the score on those days', () => {
    const history = days(
      '2026-10-01',
      Array.from({ length: 30 }, (_, i) => 50 + i),
    );
    const t = trendOf({ day: '2026-10-31', score: 90 }, history);
    expect(t.change7d).toBe(90 - 73); // 2026-10-24 held 50 + 23
    expect(t.change30d).toBe(90 - 50);
  });

  it('given no score near the window start, then the change is unknown rather than guessed', () => {
    expect(trendOf({ day: '2026-10-31', score: 80 }, days('2026-10-28', [80, 80, 80])).change7d).toBeNull();
  });

  it('given a fall of 20 points within 14 days, then it is an urgent drop whatever the tier', () => {
    // 96 on 2026-09-30 is 15 days back: outside the window; 95 on 2026-10-01 is 14 days back: inside.
    expect(trendOf({ day: '2026-10-15', score: 76 }, days('2026-09-30', [96, 95])).urgentDrop).toBeNull();
    expect(trendOf({ day: '2026-10-15', score: 75 }, days('2026-09-30', [96, 95])).urgentDrop).toBe(20);
    expect(trendOf({ day: '2026-10-15', score: 75 }, days('2026-10-02', [95, 96, 95])).urgentDrop).toBe(21);
    expect(trendOf({ day: '2026-10-15', score: 76 }, days('2026-10-05', [95])).urgentDrop).toBeNull();
  });
});

describe('tier confirmation', () => {
  const green: TierState = { confirmed: 'green', confirmedSince: '2026-09-01', pending: null, pendingRuns: 0 };

  it('given green confirmed, when one run is yellow, then nothing is confirmed yet', () => {
    const r = confirmTier(green, 'yellow', '2026-10-01');
    expect(r.change).toBeNull();
    expect(r.state).toMatchObject({ confirmed: 'green', pending: 'yellow', pendingRuns: 1 });
  });

  it('given a pending yellow, when the second consecutive run is yellow, then the change is confirmed on that day', () => {
    const day1 = confirmTier(green, 'yellow', '2026-10-01');
    const day2 = confirmTier(day1.state, 'yellow', '2026-10-02');
    expect(day2.change).toEqual({ from: 'green', to: 'yellow' });
    expect(day2.state).toEqual({ confirmed: 'yellow', confirmedSince: '2026-10-02', pending: null, pendingRuns: 0 });
  });

  it('given a one-day dip, when the next run is back to green, then nothing changes and nothing is pending', () => {
    const dip = confirmTier(green, 'yellow', '2026-10-01');
    const back = confirmTier(dip.state, 'green', '2026-10-02');
    expect(back.change).toBeNull();
    expect(back.state).toEqual(green);
  });

  it('given the same day re-run, then the result is the first run’s (derived from the previous day only, not from the first run)', () => {
    const once = { state: { ...green, pending: 'yellow', pendingRuns: 1, pendingSince: '2026-10-01' }, change: null };
    expect(confirmTier(green, 'yellow', '2026-10-01')).toEqual(once);
    // The re-run reads the previous day's state again, so it lands where the first run did: one run pending, not two.
    const rerun = confirmTier(green, 'yellow', '2026-10-01');
    expect(rerun).toEqual(once);
    expect(rerun.state.pendingRuns).toBe(1);
  });

  it('given an outage, then no progress is made towards a change and a pending change starts over', () => {
    const dip = confirmTier(green, 'red', '2026-10-01');
    const during = confirmTier(dip.state, 'red', '2026-10-02', true);
    expect(during).toEqual({ state: green, change: null });
    expect(confirmTier(during.state, 'red', '2026-10-03').change).toBeNull();
  });

  it('given an unknown tier, then the confirmed tier stays', () => {
    expect(confirmTier(green, 'unknown', '2026-10-01')).toEqual({ state: green, change: null });
  });
});

describe('playbooks', () => {
  const base: PlaybookInput = {
    day: '2026-10-02',
    accountName: 'Acme',
    score: 55,
    change: null,
    state: { confirmed: 'yellow', confirmedSince: '2026-10-02', pending: null, pendingRuns: 0 },
    renewalRiskSince: null,
    urgentDrop: null,
    urgentSince: null,
  };

  it('given green → yellow confirmed, then a CSM task due in 7 days', () => {
    expect(alertsFor({ ...base, change: { from: 'green', to: 'yellow' } })).toEqual([
      expect.objectContaining({ playbook: 'tier_down_yellow', audience: ['csm'], due: '2026-10-09', key: 'tier:green>yellow@2026-10-02' }),
    ]);
  });

  it('given yellow → red confirmed, then CSM and AE, due in 48 hours', () => {
    const [a] = alertsFor({ ...base, change: { from: 'yellow', to: 'red' }, state: { ...base.state, confirmed: 'red' } });
    expect(a).toMatchObject({ playbook: 'tier_down_red', audience: ['csm', 'ae'], due: '2026-10-04', priority: 'high' });
  });

  it('given red → green, then recovery monitoring for 30 days', () => {
    expect(alertsFor({ ...base, change: { from: 'red', to: 'green' } })[0]).toMatchObject({ playbook: 'recovery', due: '2026-11-01' });
  });

  it('given green for 90 days, then one expansion alert keyed to the green streak', () => {
    const state: TierState = { confirmed: 'green', confirmedSince: '2026-07-04', pending: null, pendingRuns: 0 };
    const [a] = alertsFor({ ...base, state });
    expect(a).toMatchObject({ playbook: 'expansion', key: 'expansion:2026-07-04' });
    expect(alertsFor({ ...base, state, day: '2026-10-03' })[0]?.key).toBe(a?.key);
  });

  it('given red for 30 days, then an executive escalation', () => {
    expect(alertsFor({ ...base, state: { ...base.state, confirmed: 'red', confirmedSince: '2026-09-02' } })[0]).toMatchObject({
      playbook: 'exec_escalation',
    });
  });

  it('given renewal_risk on one run only, then no alert; held for a second run, then CS management is alerted, keyed to the streak', () => {
    expect(alertsFor({ ...base, renewalRiskSince: base.day })).toEqual([]);
    const [a] = alertsFor({ ...base, renewalRiskSince: '2026-10-01' });
    expect(a).toMatchObject({ playbook: 'renewal_risk', audience: ['cs_management', 'csm'], key: 'renewal_risk:2026-10-01' });
    expect(alertsFor({ ...base, day: '2026-10-05', renewalRiskSince: '2026-10-01' })[0]?.key).toBe(a?.key);
  });

  it('given an urgent drop, then it alerts once it holds for a second run, with one key per streak', () => {
    expect(alertsFor({ ...base, urgentDrop: 25, urgentSince: base.day })).toEqual([]);
    expect(alertsFor({ ...base, urgentDrop: 26, urgentSince: '2026-10-01' })[0]).toMatchObject({
      playbook: 'urgent_drop',
      key: 'urgent_drop:2026-10-01',
    });
  });

  it('given a streak, then its start day is carried while the condition holds and cleared when it stops', () => {
    expect(streakStart(true, undefined, '2026-10-02')).toBe('2026-10-02');
    expect(streakStart(true, '2026-10-01', '2026-10-02')).toBe('2026-10-01');
    expect(streakStart(false, '2026-10-01', '2026-10-02')).toBeNull();
  });
});

describe('manual override', () => {
  const layered = preset('layered');
  const result = scoreSnapshot(layered, snapshot({ ...healthyLayered, 'usage.trend14d': -0.5 }));

  it('given an override valid through today, then its score and tier apply and lead the drivers', () => {
    const o = applyOverride(
      result,
      { score: 35, reason: 'Exec sponsor left last week', expiresOn: '2026-11-01' },
      '2026-11-01',
      layered.tiers,
    );
    expect(o.status).toBe('applied');
    expect(o.result).toMatchObject({ score: 35, tier: 'red', rules: ['manual_override'] });
    expect(o.result.drivers[0]?.text).toBe('Set by CSM to 35 until 2026-11-01: Exec sponsor left last week');
    expect(o.modelScore).toBe(result.score);
  });

  it('given an expired override, then the model score stands and the expiry is reported', () => {
    const o = applyOverride(result, { score: 35, reason: 'x', expiresOn: '2026-10-31' }, '2026-11-01', layered.tiers);
    expect(o).toMatchObject({ status: 'expired', result });
  });
});
