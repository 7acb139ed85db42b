// An hourly schedule over two simulated days, end to end through the real SDKs against the vendor
// fakes and dynalite: 48 runs, each its own run; the CRM always shows the latest score and is
// written only when a value changes; a tier change is confirmed only once it has held 20 hours; each
// alert goes out once; history keeps one row per account per day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/run/summary.ts';
import { type Harness, startHarness } from './harness.ts';

const HOURS = 48;
let h: Harness;
const runs: { at: string; summary: RunSummary; crmScores: Map<string, string | null | undefined> }[] = [];
const id = (index: number) => h.ids.get(`demo-${String(index).padStart(4, '0')}`) as string;
const instant = (hour: number) => `${h.dayOf(Math.floor(hour / 24))}T${String(hour % 24).padStart(2, '0')}:00:00Z`;

beforeAll(async () => {
  // 0 and 2 steady; 1 loses its champion on day 1 (the second simulated day), seen from its first run at 00:00.
  h = await startHarness({ accounts: 3, days: 2, stories: ['steady', 'champion_left', 'steady'], turnOffsets: [20, 1, 20] });
  for (let hour = 0; hour < HOURS; hour++) {
    const at = instant(hour);
    const summary = await h.runDay(Math.floor(hour / 24), { asOf: new Date(at) });
    const crmScores = new Map([0, 1, 2].map((a) => [id(a), h.vendors.hubspot?.companyProperties(id(a)).healthscore_score]));
    runs.push({ at, summary, crmScores });
  }
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe('given an hourly schedule over two simulated days', () => {
  it('then there are 48 runs, each its own run named by its instant, each scoring every account', () => {
    expect(runs.map((r) => r.summary.runId)).toEqual(runs.map((r) => r.at));
    expect(runs.every((r) => r.summary.complete && r.summary.scored === 3)).toBe(true);
  });

  it('then history keeps one row per account per day: the day’s latest run', async () => {
    for (let a = 0; a < 3; a++) {
      const rows = await h.store.history(id(a), h.dayOf(0), h.dayOf(1));
      expect(rows.map((r) => [r.day, r.runId])).toEqual([
        [h.dayOf(0), instant(23)],
        [h.dayOf(1), instant(47)],
      ]);
    }
  });

  it('then after every run the CRM shows that run’s score, and it was written only when a value changed', async () => {
    const [last] = await h.store.history(id(1), h.dayOf(1), h.dayOf(1));
    expect(runs.at(-1)?.crmScores.get(id(1))).toBe(String(last?.score));
    // The champion's departure changes account 1's score once: one write for it, none on the runs around it.
    const scores = runs.map((r) => r.crmScores.get(id(1)));
    const changes = scores.filter((s, i) => i > 0 && s !== scores[i - 1]).length;
    expect(changes).toBe(1);
    const writes = runs.map((r) => r.summary.writes.written);
    expect(writes[0]).toBe(3);
    expect(writes.reduce((a, b) => a + b, 0)).toBeLessThan(3 * 4);
    expect(h.vendors.hubspot?.updateCount(id(0))).toBeLessThan(4);
  });

  it('when the champion leaves, then the tier change is pending for 20 hours and confirmed on the run 20 hours after it was first seen', () => {
    const moved = runs.filter((r) => (r.summary.movements['green>yellow'] ?? 0) > 0).map((r) => r.at);
    expect(moved).toEqual([instant(44)]);
    // The summaries count confirmed tiers: account 1 is the only one that can be yellow.
    const yellowAt = (hour: number) => runs[hour]?.summary.tiers.yellow;
    expect([yellowAt(23), yellowAt(24), yellowAt(43), yellowAt(44), yellowAt(47)]).toEqual([0, 0, 0, 1, 1]);
  });

  it('then the day’s row shows the score yellow from the first run of the day and the change confirmed that day', async () => {
    const [row] = await h.store.history(id(1), h.dayOf(1), h.dayOf(1));
    expect(row).toMatchObject({
      tier: 'yellow',
      rules: ['champion_departed'],
      tierState: { confirmed: 'yellow', confirmedSince: h.dayOf(1) },
    });
  });

  it('then each alert went out once: one task and one Slack message for the fall to yellow, nothing for the steady accounts', async () => {
    const alerts = (await h.store.alerts(id(1))).filter((a) => a.playbook !== 'absorbed');
    expect(alerts.map((a) => a.playbook)).toEqual(['tier_down_yellow']);
    expect(runs.flatMap((r) => Object.keys(r.summary.alerts))).toEqual(['tier_down_yellow']);
    expect((h.vendors.hubspot?.tasks() ?? []).filter((t) => t.companyIds.includes(id(1)))).toHaveLength(1);
    const name = h.world.accounts[1]?.name as string;
    expect(h.vendors.slackFake.messages.filter((m) => JSON.stringify(m).includes(name))).toHaveLength(1);
    expect([...(await h.store.alerts(id(0))), ...(await h.store.alerts(id(2)))]).toEqual([]);
  });
});
