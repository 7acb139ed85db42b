// The fake speaks Mixpanel's HTTP API: the shapes, error bodies and limits the source relies on.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type MixpanelFake,
  type MixpanelFakeOptions,
  startMixpanelFake,
  takeMixpanelRuleViolations,
} from '../../../connectors/mixpanel/fake/server.ts';
import { WaitOnlyClock } from '../../../connectors/shared/fake/server.ts';
import { daysAgo } from './helpers.ts';

let fake: MixpanelFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: MixpanelFakeOptions = {}) {
  fake = await startMixpanelFake(options);
  return fake;
}

const auth = (f: MixpanelFake) => ({
  authorization: `Basic ${Buffer.from(`${f.serviceAccount.username}:${f.serviceAccount.secret}`).toString('base64')}`,
});

async function get(f: MixpanelFake, url: string, params: Record<string, string>, headers: Record<string, string> = auth(f)) {
  const res = await fetch(`${url}?${new URLSearchParams({ project_id: f.projectId, ...params })}`, { headers });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
}

const segmentation = (f: MixpanelFake, params: Record<string, string>, headers?: Record<string, string>) =>
  get(f, `${f.queryBaseUrl}/segmentation`, params, headers);

describe('fake mixpanel', () => {
  it('given wrong credentials or no project_id, when querying, then it answers 401 or 400 with the Query API error body', async () => {
    const f = await start();
    const params = { event: 'Session Start', from_date: daysAgo(3), to_date: daysAgo(1) };
    const denied = await segmentation(f, params, { authorization: `Basic ${Buffer.from('someone:wrong').toString('base64')}` });
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.text)).toMatchObject({
      request: expect.stringContaining('/api/query/segmentation?'),
      error: expect.stringMatching(/Unauthorized/),
    });
    const noProject = await fetch(`${f.queryBaseUrl}/segmentation?event=x&from_date=${daysAgo(2)}&to_date=${daysAgo(1)}`, {
      headers: auth(f),
    });
    expect(noProject.status).toBe(400);
  });

  it('given users of two groups, when segmented by the group key with type=unique and unit=day, then every day of the range is in series and each group counts distinct users', async () => {
    const f = await start();
    f.seedDailyUsers([
      { group: 'acme', day: daysAgo(2), users: 3, eventsPerUser: 4 },
      { group: 'beta', day: daysAgo(1), users: 1 },
    ]);
    const res = await segmentation(f, {
      event: 'Session Start',
      from_date: daysAgo(3),
      to_date: daysAgo(1),
      type: 'unique',
      unit: 'day',
      on: 'properties["company_id"]',
    });
    expect(JSON.parse(res.text)).toEqual({
      data: {
        series: [daysAgo(3), daysAgo(2), daysAgo(1)],
        values: {
          acme: { [daysAgo(3)]: 0, [daysAgo(2)]: 3, [daysAgo(1)]: 0 },
          beta: { [daysAgo(3)]: 0, [daysAgo(2)]: 0, [daysAgo(1)]: 1 },
        },
      },
      legend_size: 2,
    });
    const general = JSON.parse(
      (await segmentation(f, { event: 'Session Start', from_date: daysAgo(2), to_date: daysAgo(2), on: 'properties["company_id"]' })).text,
    );
    expect(general.data.values.acme[daysAgo(2)]).toBe(12);
  });

  it('given interval=30 with type=unique, when queried, then one bucket counts users once across the 30 days', async () => {
    const f = await start();
    for (let n = 1; n <= 30; n++) f.seedDailyUsers([{ group: 'acme', day: daysAgo(n), users: 2 }]);
    const res = await segmentation(f, {
      event: 'Session Start',
      from_date: daysAgo(30),
      to_date: daysAgo(1),
      type: 'unique',
      interval: '30',
      on: 'properties["company_id"]',
    });
    expect(JSON.parse(res.text).data).toEqual({ series: [daysAgo(30)], values: { acme: { [daysAgo(30)]: 2 } } });
  });

  it('given more segment values than limit (default 60), when queried, then only the top values by total are returned', async () => {
    const f = await start();
    for (let i = 1; i <= 70; i++) f.seedDailyUsers([{ group: `g${i}`, day: daysAgo(1), users: i }]);
    const base = { event: 'Session Start', from_date: daysAgo(1), to_date: daysAgo(1), type: 'unique', on: 'properties["company_id"]' };
    expect(JSON.parse((await segmentation(f, base)).text).legend_size).toBe(60);
    const top = JSON.parse((await segmentation(f, { ...base, limit: '3' })).text);
    expect(Object.keys(top.data.values)).toEqual(['g70', 'g69', 'g68']);
    expect((await segmentation(f, { ...base, limit: '10001' })).status).toBe(400);
    expect(takeMixpanelRuleViolations()).toEqual(['segmentation-limit-10000: GET /api/query/segmentation']);
  });

  it('given a where expression, when queried, then it filters events, and a malformed one is a 400', async () => {
    const f = await start();
    f.seedEvents([
      { event: 'Session Start', time: `${daysAgo(1)}T09:00:00Z`, distinct_id: 'u1', properties: { company_id: 'acme', plan: 'pro' } },
      { event: 'Session Start', time: `${daysAgo(1)}T10:00:00Z`, distinct_id: 'u2', properties: { plan: 'free' } },
    ]);
    const base = { event: 'Session Start', from_date: daysAgo(1), to_date: daysAgo(1), on: 'properties["plan"]' };
    const filtered = JSON.parse(
      (await segmentation(f, { ...base, where: 'defined(properties["company_id"]) and properties["plan"] == "pro"' })).text,
    );
    expect(Object.keys(filtered.data.values)).toEqual(['pro']);
    const bad = await segmentation(f, { ...base, where: 'properties["plan" ==' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error).toMatch(/invalid 'where' expression/);
  });

  it('given events, when exported, then the data-export base URL streams one JSON event per line filtered by the event list', async () => {
    const f = await start();
    f.seedEvents([
      { event: 'Session Start', time: `${daysAgo(2)}T08:00:00Z`, distinct_id: 'u1', properties: { company_id: 'acme' } },
      { event: 'Report Built', time: `${daysAgo(1)}T08:00:00Z`, distinct_id: 'u1', properties: { company_id: 'acme' } },
      { event: 'Page Viewed', time: `${daysAgo(1)}T09:00:00Z`, distinct_id: 'u2', properties: { company_id: 'acme' } },
    ]);
    expect(f.exportBaseUrl).not.toBe(f.queryBaseUrl);
    const res = await get(f, `${f.exportBaseUrl}/export`, {
      from_date: daysAgo(2),
      to_date: daysAgo(1),
      event: JSON.stringify(['Session Start', 'Report Built']),
    });
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual(['Session Start', 'Report Built']);
    expect(lines[0].properties).toMatchObject({
      distinct_id: 'u1',
      company_id: 'acme',
      time: Date.parse(`${daysAgo(2)}T08:00:00Z`) / 1000,
    });
    expect((await get(f, `${f.queryBaseUrl}/export`, { from_date: daysAgo(1), to_date: daysAgo(1) })).status).toBe(404);
  });

  it('given the hourly query limit is used up, when one more query comes, then 429 with Mixpanel body and no Retry-After (Mixpanel sends none), accepted again once the hour passes', async () => {
    // Vendor time stands still: the three queries fall in one hour whatever the machine's speed.
    const f = await start({ queriesPerHour: 2, clock: new WaitOnlyClock() });
    const params = { event: 'Session Start', from_date: daysAgo(1), to_date: daysAgo(1) };
    expect((await segmentation(f, params)).status).toBe(200);
    expect((await segmentation(f, params)).status).toBe(200);
    const limited = await segmentation(f, params);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text).error).toMatch(
      /^Query rate limit exceeded for project_id: \d+\. 0\/5 queries running concurrently and 3\/2 queries/,
    );
    expect(limited.retryAfter).toBeNull();
    f.startNewHour();
    expect((await segmentation(f, params)).status).toBe(200);
  });

  it('given more concurrent queries than allowed, when they overlap, then the extra one gets 429', async () => {
    const f = await start({ concurrent: 2, queryLatencyMs: 100 });
    const params = { event: 'Session Start', from_date: daysAgo(1), to_date: daysAgo(1) };
    const statuses = (await Promise.all([1, 2, 3].map(() => segmentation(f, params)))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('given the export per-second limit, when two exports come in the same second, then the second gets 429 with the export error body', async () => {
    const f = await start({ exportPerSecond: 1 });
    const params = { from_date: daysAgo(1), to_date: daysAgo(1) };
    expect((await get(f, `${f.exportBaseUrl}/export`, params)).status).toBe(200);
    const limited = await get(f, `${f.exportBaseUrl}/export`, params);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text)).toMatchObject({ status: 'error', error: expect.stringMatching(/rate limit/i) });
    expect(f.exports().map((e) => e.status)).toEqual([200, 429]);
  });
});
