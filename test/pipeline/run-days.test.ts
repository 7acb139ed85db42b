// The whole pipeline end to end, through the real SDKs against the vendor fakes and dynalite, over
// several simulated days: history, write-back, confirmed tier changes alerted once, a one-day dip
// not alerted, an expired override no longer applied, and a re-run of a day changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/run/summary.ts';
import { type Harness, startHarness } from './harness.ts';

const DAYS = 7;
let h: Harness;
const summaries: RunSummary[] = [];
const id = (index: number) => h.ids.get(`demo-${String(index).padStart(4, '0')}`) as string;

beforeAll(async () => {
  h = await startHarness({
    accounts: 8,
    days: DAYS,
    // 0: steady, with a CSM override that expires after day 2; 1: the champion leaves on day 3;
    // 2: an escalation opened on day 4 and solved the next morning (a one-day dip); the rest steady.
    stories: ['steady', 'champion_left', 'one_day_dip', 'steady', 'steady', 'steady', 'steady', 'steady'],
    turnOffsets: [20, 3, 4, 20, 20, 20, 20, 20],
    overrideDays: 2,
  });
  for (let i = 0; i < DAYS; i++) summaries.push(await h.runDay(i));
});

afterAll(async () => {
  await h?.close();
});

describe('given 8 accounts over 7 simulated days', () => {
  it('then every account has exactly one history row per day', async () => {
    for (let a = 0; a < 8; a++) {
      const rows = await h.store.history(id(a), h.dayOf(0), h.dayOf(DAYS - 1));
      expect(rows.map((r) => r.day)).toEqual(Array.from({ length: DAYS }, (_, i) => h.dayOf(i)));
    }
    expect(summaries.every((s) => s.complete && s.scored === 8)).toBe(true);
  });

  it('then the CRM holds the last day’s score, confirmed tier, model, and as drivers the top three sentences a CSM must see', async () => {
    const [last] = await h.store.history(id(3), h.dayOf(DAYS - 1), h.dayOf(DAYS - 1));
    const props = h.vendors.hubspot?.companyProperties(id(3)) ?? {};
    expect(Number(props.healthscore_score)).toBe(last?.score);
    expect(props.healthscore_tier).toBe(last?.tier);
    expect(props.healthscore_model).toBe('categories@1');
    // Rules, data warnings and the signals that cost points, in the stored order; never a signal that adds points.
    const mustSee = (last?.drivers ?? []).filter((d) => d.kind !== 'signal' || d.impact < 0).map((d) => d.text);
    expect(mustSee.length).toBeGreaterThan(3);
    expect(props.healthscore_drivers?.split('\n')).toEqual(mustSee.slice(0, 3));
  });

  it('when the champion leaves, then the cap holds two runs, the change is confirmed on the second and alerted once by task and Slack', async () => {
    const rows = await h.store.history(id(1), h.dayOf(2), h.dayOf(5));
    expect(rows[0]?.tierState.confirmed).toBe('green');
    expect(rows[1]).toMatchObject({
      tier: 'yellow',
      score: 40,
      rules: ['champion_departed'],
      tierState: { confirmed: 'green', pending: 'yellow' },
    });
    expect(rows[2]?.tierState.confirmed).toBe('yellow');
    const alerts = (await h.store.alerts(id(1))).filter((a) => a.playbook !== 'absorbed');
    expect(alerts.map((a) => [a.playbook, a.day])).toEqual([['tier_down_yellow', h.dayOf(4)]]);
    // The steep fall is part of the same alert, not a second one.
    expect(alerts[0]?.title).toMatch(/slipped to yellow: reach out within 7 days \(down \d+ points in 14 days\)/);
    const tasks = (h.vendors.hubspot?.tasks() ?? []).filter((t) => t.companyIds.includes(id(1)));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.properties.hs_task_subject).toMatch(/slipped to yellow/);
    const name = h.world.accounts[1]?.name as string;
    expect(h.vendors.slackFake.messages.filter((m) => JSON.stringify(m).includes(name))).toHaveLength(1);
  });

  it('when an escalation opens and closes within a day, then the score dips for one run and nobody is alerted', async () => {
    const rows = await h.store.history(id(2), h.dayOf(3), h.dayOf(6));
    expect(rows[1]).toMatchObject({ tier: 'yellow', rules: ['active_escalation'], tierState: { confirmed: 'green', pending: 'yellow' } });
    expect(rows[2]?.tier).toBe('green');
    expect(rows.every((r) => r.tierState.confirmed === 'green')).toBe(true);
    expect(await h.store.alerts(id(2))).toEqual([]);
    expect((h.vendors.hubspot?.tasks() ?? []).filter((t) => t.companyIds.includes(id(2)))).toEqual([]);
  });

  it('when a manual override expires, then it is no longer applied and the model score stands', async () => {
    const rows = await h.store.history(id(0), h.dayOf(0), h.dayOf(4));
    expect(rows.slice(0, 3).map((r) => [r.override, r.score])).toEqual([
      ['applied', 35],
      ['applied', 35],
      ['applied', 35],
    ]);
    expect(rows[3]?.override).toBe('expired');
    expect(rows[3]?.score).toBe(rows[3]?.modelScore);
    expect(rows[3]?.score).toBeGreaterThanOrEqual(70);
    expect(summaries[0]?.overrides).toMatchObject({ applied: 1, rate: 0.125 });
  });

  it('when the last day is run again, then no history row, CRM write or alert is added', async () => {
    const before = {
      rows: (await h.store.history(id(1), h.dayOf(0), h.dayOf(DAYS))).length,
      tasks: h.vendors.hubspot?.tasks().length,
      slack: h.vendors.slackFake.messages.length,
      updates: h.vendors.hubspot?.updateCount(id(3)),
    };
    // The same run id: every batch is checkpointed as done, so nothing runs and the summary is the day's.
    expect(await h.runDay(DAYS - 1)).toEqual(summaries.at(-1));
    const forced = await h.runDay(DAYS - 1, { runId: 'rerun-of-the-last-day' });
    expect(forced).toMatchObject({ scored: 8, writes: { written: 0, calls: 0 }, alerts: {} });
    expect({
      rows: (await h.store.history(id(1), h.dayOf(0), h.dayOf(DAYS))).length,
      tasks: h.vendors.hubspot?.tasks().length,
      slack: h.vendors.slackFake.messages.length,
      updates: h.vendors.hubspot?.updateCount(id(3)),
    }).toEqual(before);
  });
});
