// Shadow mode end to end, through the real SDKs against the vendor fakes and dynalite: a week in
// shadow scores and keeps history but writes nothing to the CRM and sends nothing, while its summary
// says what a live run would have; the first live run then writes every account's values once and
// alerts nothing that was confirmed during the shadow week.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/run/summary.ts';
import { formatSummary } from '../../pipeline/run/summary.ts';
import { type Harness, startHarness } from './harness.ts';

const SHADOW_DAYS = 7;
const ACCOUNTS = 8;
let h: Harness;
const shadow: RunSummary[] = [];
let live: RunSummary;
let liveNextDay: RunSummary;
const id = (index: number) => h.ids.get(`demo-${String(index).padStart(4, '0')}`) as string;
const crmUpdates = () => Array.from({ length: ACCOUNTS }, (_, i) => h.vendors.hubspot?.updateCount(id(i)) ?? 0);

beforeAll(async () => {
  h = await startHarness({
    accounts: ACCOUNTS,
    days: SHADOW_DAYS + 2,
    // 1: the champion leaves on day 2 (yellow, confirmed on day 3); 2: usage decays from day 1; the rest steady.
    stories: ['steady', 'champion_left', 'decay', 'steady', 'steady', 'steady', 'steady', 'steady'],
    turnOffsets: [30, 2, 1, 30, 30, 30, 30, 30],
  });
  for (let i = 0; i < SHADOW_DAYS; i++) shadow.push(await h.runDay(i, { mode: 'shadow' }));
});

afterAll(async () => {
  await h?.close();
});

describe('given a deployment in shadow mode for a week', () => {
  it('then every day is scored and kept in history', async () => {
    expect(shadow.every((s) => s.complete && s.scored === ACCOUNTS && s.mode === 'shadow')).toBe(true);
    const rows = await h.store.history(id(1), h.dayOf(0), h.dayOf(SHADOW_DAYS - 1));
    expect(rows).toHaveLength(SHADOW_DAYS);
  });

  it('then nothing was written to the CRM, no task was created and no Slack message was sent', () => {
    expect(crmUpdates()).toEqual(new Array(ACCOUNTS).fill(0));
    expect(h.vendors.hubspot?.tasks()).toEqual([]);
    expect(h.vendors.slackFake.messages).toEqual([]);
    expect(shadow.every((s) => s.writes.written === 0 && s.writes.calls === 0 && Object.keys(s.alerts).length === 0)).toBe(true);
  });

  it('then the summaries say what a live run would have written and alerted', () => {
    expect(shadow[0]?.shadow).toMatchObject({ writes: ACCOUNTS, properties: ACCOUNTS * 10 });
    const wouldAlert = shadow.flatMap((s) => s.shadow?.alertSamples ?? []);
    expect(wouldAlert.map((a) => a.accountId)).toContain(id(1));
    expect(formatSummary(shadow[SHADOW_DAYS - 1] as RunSummary)).toMatch(
      /^SHADOW MODE: nothing was written to the CRM and no alert was sent; a live run would have written \d+ property changes on \d+ accounts/m,
    );
  });

  describe('when the mode is switched to live', () => {
    beforeAll(async () => {
      live = await h.runDay(SHADOW_DAYS, { mode: 'live' });
      liveNextDay = await h.runDay(SHADOW_DAYS + 1, { mode: 'live' });
    });

    it('then the first live run writes every account’s current values once', async () => {
      expect(live.writes).toMatchObject({ written: ACCOUNTS, rejected: 0, failed: 0 });
      const [today] = await h.store.history(id(1), h.dayOf(SHADOW_DAYS), h.dayOf(SHADOW_DAYS));
      const props = h.vendors.hubspot?.companyProperties(id(1)) ?? {};
      expect(props.healthscore_tier).toBe(today?.tier);
      expect(live.shadow).toBeUndefined();
      expect(liveNextDay.writes.written).toBeLessThan(ACCOUNTS);
    });

    it('then no alert is sent for the tier changes confirmed during the shadow week', async () => {
      const confirmedInShadow = shadow.flatMap((s) => s.shadow?.alertSamples ?? []).map((a) => `${a.accountId} ${a.key}`);
      expect(confirmedInShadow.length).toBeGreaterThan(0);
      const sentLive = [];
      for (let i = 0; i < ACCOUNTS; i++)
        for (const a of await h.store.alerts(id(i))) if (!a.shadow && a.playbook !== 'absorbed') sentLive.push(`${id(i)} ${a.key}`);
      for (const key of sentLive) expect(confirmedInShadow).not.toContain(key);
      expect(h.vendors.hubspot?.tasks().length).toBe(sentLive.length);
      expect(h.vendors.slackFake.messages.length).toBe(sentLive.length);
      const champion = (await h.store.history(id(1), h.dayOf(SHADOW_DAYS), h.dayOf(SHADOW_DAYS)))[0];
      expect(champion?.tierState.confirmed).not.toBe('green');
      expect(sentLive.filter((k) => k.startsWith(`${id(1)} `))).toEqual([]);
    });
  });
});
