// What changed, end to end: each day's row says what moved against the previous day and 7 days
// ago; the CRM's "Last health change" names the last change of the score (only changing when the
// score does) in a sentence whose points add up to it; every alert and the HTML report carry the
// 7-day view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../pipeline/report/html-report.ts';
import { buildPortfolio } from '../../pipeline/report/portfolio.ts';
import type { DayRecord } from '../../pipeline/store/records.ts';
import { type Harness, startHarness } from './harness.ts';

const DAYS = 14;
let h: Harness;
const id = (index: number) => h.ids.get(`demo-${String(index).padStart(4, '0')}`) as string;
const lastChangeSeen: Map<string, string | null | undefined>[] = [];

beforeAll(async () => {
  // 0: steady (with a CSM override for the first days); 1: the champion leaves on day 3; 2: usage decays from day 0.
  h = await startHarness({ accounts: 3, days: DAYS, stories: ['steady', 'champion_left', 'decay'], turnOffsets: [20, 3, 0] });
  for (let i = 0; i < DAYS; i++) {
    await h.runDay(i);
    lastChangeSeen.push(new Map([0, 1, 2].map((a) => [id(a), h.vendors.hubspot?.companyProperties(id(a)).healthscore_last_change])));
  }
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const rows = (a: number) => h.store.history(id(a), h.dayOf(0), h.dayOf(DAYS - 1));
const pointsIn = (text: string) =>
  [...text.matchAll(/\(([+−])(\d+) pts\)/g)].reduce((sum, m) => sum + (m[1] === '−' ? -1 : 1) * Number(m[2]), 0);

describe('given a usage-decay account and a champion-departure account over 14 days', () => {
  it('when the champion leaves, then "Last health change" says when, by how much, and what moved, word for word', async () => {
    const text = h.vendors.hubspot?.companyProperties(id(1)).healthscore_last_change;
    // The portfolio model's enterprise categories do not weigh the champion: the cap is the whole change.
    expect(text).toBe('2026-09-04: −45 — Champion departed: score capped at 40 (−45 pts)');
    expect(pointsIn(text ?? '')).toBe(-45);
  });

  it('when usage decays, then "Last health change" names the usage trend old → new and its points, word for word', async () => {
    const text = h.vendors.hubspot?.companyProperties(id(2)).healthscore_last_change;
    expect(text).toBe('2026-09-11: −7 — usage trend −8% → −11% (−4 pts), CSAT 60% → 40% (−3 pts)');
    const [row] = await h.store.history(id(2), '2026-09-11', '2026-09-11');
    expect(row?.lastChange?.delta).toBe(-7);
    expect(row?.lastChange?.since).toBe('2026-09-10');
  });

  it('then every stored change sentence names points that add up to the score change it describes', async () => {
    for (const a of [0, 1, 2]) {
      for (const r of await rows(a)) {
        for (const c of [r.lastChange, r.changes?.previousDay, r.changes?.week]) {
          if (!c || c.delta === null) continue;
          expect(pointsIn(c.text)).toBe(c.delta);
        }
      }
    }
  });

  it('then "Last health change" changes only on the runs where the score changes', async () => {
    for (const a of [0, 1, 2]) {
      const scores = (await rows(a)).map((r: DayRecord) => r.score);
      const texts = lastChangeSeen.map((m) => m.get(id(a)));
      for (let i = 1; i < DAYS; i++) expect(texts[i] !== texts[i - 1]).toBe(scores[i] !== scores[i - 1]);
    }
  });

  it('then each day keeps what changed against the previous day and 7 days ago', async () => {
    const all = await rows(1);
    const left = all[3] as DayRecord;
    expect(left.changes?.previousDay?.since).toBe(h.dayOf(2));
    expect(left.changes?.previousDay?.rules.map((r) => [r.id, r.change, r.points])).toEqual([['champion_departed', 'started', -45]]);
    expect(left.changes?.previousDay?.signals.find((m) => m.key === 'relationship.championStatus')).toMatchObject({
      from: 'active',
      to: 'departed',
    });
    const last = all.at(-1) as DayRecord;
    expect(last.changes?.previousDay?.since).toBe(h.dayOf(DAYS - 2));
    expect(last.changes?.week?.since).toBe(h.dayOf(DAYS - 8));
    expect(last.changes?.week?.rules.map((r) => [r.id, r.change])).toEqual([['champion_departed', 'held']]);
  });

  it('then every alert carries the 7-day view, in the task and in Slack', async () => {
    const tasks = (h.vendors.hubspot?.tasks() ?? []).filter((t) => t.companyIds.includes(id(1)));
    expect(tasks.length).toBeGreaterThan(0);
    const byDay = new Map((await rows(1)).map((r) => [r.day, r]));
    const alertDays = (await h.store.alerts(id(1))).filter((a) => a.playbook !== 'absorbed').map((a) => a.day as string);
    expect(tasks.map((t) => t.properties.hs_task_body?.split('\n').find((l) => l.startsWith('Last 7 days: ')))).toEqual(
      alertDays.map((d) => `Last 7 days: ${byDay.get(d)?.changes?.week?.text ?? 'no score 7 days ago to compare with'}`),
    );
    const name = h.world.accounts[1]?.name as string;
    const slack = h.vendors.slackFake.messages.filter((m) => JSON.stringify(m).includes(name));
    expect(slack.length).toBe(tasks.length);
    for (const m of slack) expect(JSON.stringify(m)).toContain('*Last 7 days*');
  });

  it('then the HTML report shows each account’s 7-day view', async () => {
    const all: DayRecord[] = [];
    for await (const r of h.store.allDays()) all.push(r);
    const html = renderReport(buildPortfolio(all, new Map()), [], 'test');
    const last = (await rows(1)).at(-1) as DayRecord;
    expect(html).toContain('<th>Last 7 days</th>');
    expect(html).toContain(`<td>${(last.changes?.week?.text ?? '').replaceAll('&', '&amp;').replaceAll('>', '&gt;')}</td>`);
  });
});
