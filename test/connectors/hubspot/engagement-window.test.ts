// Engagements are read for the signals' window only (search on the associated company and
// hs_timestamp), so a batch costs the same whether the portal holds 30 days of email or five years;
// a portal refusing IN on associations falls back to EQ filter groups with the same signals; a
// window holding more than search's 10,000 results is read whole.
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotCaller } from '../../../connectors/hubspot/client.ts';
import { parseHubSpotConfig } from '../../../connectors/hubspot/config.ts';
import { searchEngagements } from '../../../connectors/hubspot/engagement-search.ts';
import type { SeedAccount, SeedActivity } from '../../../connectors/shared/fake/crm-seed.ts';
import { connect, connectConfig, ctx, fake, type HubSpotFake } from './support.ts';

let fakes: HubSpotFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

const AS_OF = '2026-03-01T12:00:00.000Z';
const DAY = 86_400_000;
const daysBefore = (n: number) => new Date(Date.parse(AS_OF) - n * DAY).toISOString();
const SEARCH = /^\/crm\/v3\/objects\/(emails|meetings|calls)\/search$/;

/** One account: a champion, an email exchange every `everyDays` over `days`, and a meeting and a call in the last month. */
function account(i: number, days: number, everyDays: number): SeedAccount {
  const activities: SeedActivity[] = [];
  for (let d = 1; d <= days; d += everyDays) {
    activities.push({ kind: 'email', at: daysBefore(d), direction: 'outbound', contactKey: 'x', threadId: `t${i}-${d}` });
    activities.push({
      kind: 'email',
      at: new Date(Date.parse(daysBefore(d)) + 5 * 3_600_000).toISOString(),
      direction: 'inbound',
      contactKey: 'x',
      threadId: `t${i}-${d}`,
    });
  }
  activities.push({ kind: 'meeting', at: daysBefore(12), contactKeys: ['x'], outcome: 'completed' });
  activities.push({ kind: 'call', at: daysBefore(20), contactKey: 'x', connected: true });
  return {
    key: `a${i}`,
    name: `A${i}`,
    domain: `a${i}.example`,
    contractStart: '2020-01-01',
    contacts: [{ key: 'x', name: 'X Champ', email: `x${i}@a${i}.example`, champion: true, inRoleSince: '2021-01-01' }],
    activities,
  };
}

async function readPortfolio(days: number, options: { refuseAssociationIn?: boolean } = {}, everyDays = 7) {
  const f = await fake(options);
  fakes.push(f);
  const ids = f.seedAccounts(Array.from({ length: 100 }, (_, i) => account(i, days, everyDays)));
  const logs: string[] = [];
  const r = await connect(f).source.read(
    [...ids.values()].map((accountId) => ({ accountId, identities: {} })),
    { ...ctx(AS_OF), log: (event) => logs.push(event) },
  );
  const byKey = new Map([...ids].map(([key, id]) => [key, r.signals.get(id)]));
  // Calls HubSpot answered (a 429 from the compressed clock is a retry, not a call the design makes).
  const answered = f.server.log.filter((c) => c.status !== 429);
  const window = Date.parse(AS_OF) - 90 * DAY;
  const emailsInWindow = [...f.store.all('emails').values()].filter(
    (e) => Date.parse(f.store.value(e, 'hs_timestamp') ?? '') >= window,
  ).length;
  return {
    f,
    r,
    byKey,
    logs,
    emailsInWindow,
    calls: answered.length,
    searches: answered.filter((c) => c.method === 'POST' && SEARCH.test(c.path)).length,
  };
}

describe('engagements bounded by the signals window', () => {
  it('given 100 accounts with 90 days of weekly email and 100 with five years of it, when read, then the calls are the same and so are the signals', async () => {
    const window = await readPortfolio(90);
    const years = await readPortfolio(5 * 365);
    expect(years.f.store.all('emails').size).toBeGreaterThan(100 * 500);
    expect(years.emailsInWindow).toBe(window.emailsInWindow);
    expect(years.calls).toBe(window.calls);
    expect(years.searches).toBe(Math.ceil(years.emailsInWindow / 200) + 2);
    for (const [key, signals] of window.byKey) {
      expect(signals?.['engagement.emailResponseHours']).toBe(5);
      expect(signals?.['engagement.daysSinceLastCsmTouch']).toBeLessThanOrEqual(7);
      expect(years.byKey.get(key)).toEqual(signals);
    }
  });

  it('given 100 accounts with 30 days of weekly email and 100 with five years of it, when read, then the difference in calls is exactly the pages of email the 90-day window holds in addition, never the years before', async () => {
    const recent = await readPortfolio(30);
    const years = await readPortfolio(5 * 365);
    const pages = (emails: number) => Math.ceil(emails / 200) + Math.ceil(emails / 1000); // search pages + their company links
    expect(years.calls - recent.calls).toBe(pages(years.emailsInWindow) - pages(recent.emailsInWindow));
    for (const [key, signals] of recent.byKey)
      expect(years.byKey.get(key)?.['engagement.emailResponseHours']).toBe(signals?.['engagement.emailResponseHours']);
  });

  it('given a portal that refuses IN on associations.company, when read, then EQ filter groups of 5 companies give the same signals and the fallback is logged once per process', async () => {
    const normal = await readPortfolio(30);
    const refusing = await readPortfolio(30, { refuseAssociationIn: true });
    expect(refusing.logs.filter((e) => e === 'hubspot.search_in_refused')).toHaveLength(1);
    // 3 refused IN searches, then 20 EQ searches (100 companies, 5 a request) per object type.
    expect(refusing.searches).toBe(3 + 3 * 20);
    for (const [key, signals] of normal.byKey) expect(refusing.byKey.get(key)).toEqual(signals);
  });
});

describe('a 400 that is not about IN', () => {
  it('given a search refused for another reason, when read, then the read fails with HubSpot’s message and the next read still uses IN', async () => {
    const f = await fake();
    fakes.push(f);
    const ids = [...f.seedAccounts(Array.from({ length: 10 }, (_, i) => account(i, 30, 7))).values()];
    f.server.inject({
      times: 1,
      match: (req) => req.path === '/crm/v3/objects/emails/search',
      fault: {
        kind: 'status',
        status: 400,
        body: { status: 'error', category: 'VALIDATION_ERROR', message: 'There was a problem with the request.' },
      },
    });
    const connector = connect(f);
    const refs = ids.map((accountId) => ({ accountId, identities: {} }));
    await expect(connector.source.read(refs, ctx(AS_OF))).rejects.toThrow(/problem with the request/);
    const r = await connector.source.read(refs, ctx(AS_OF));
    expect(r.signals.size).toBe(10);
    // Both reads searched each type once with IN (EQ groups would be 2 per type for 10 companies).
    const searches = f.server.calls('POST', SEARCH).filter((c) => c.status !== 429);
    expect(searches).toHaveLength(6);
  });
});

describe('search past 10,000 results', () => {
  it('given 100 companies with 12,000 emails in the window, when searched, then every email in the window is found once, by restarting at the last timestamp seen', async () => {
    const f = await fake();
    fakes.push(f);
    // An exchange (2 emails) every 1.5 days over 90 days: 60 exchanges × 2 × 100 accounts = 12,000 emails.
    const ids = [...f.seedAccounts(Array.from({ length: 100 }, (_, i) => account(i, 90, 1.5))).values()];
    const caller = createHubSpotCaller(parseHubSpotConfig(connectConfig(f)));
    const window = { from: Date.parse(AS_OF) - 90 * DAY, to: Date.parse(AS_OF) };
    const found = (await searchEngagements(caller, 'emails', ids, window, ['hs_timestamp'])) as { id: string }[];
    const inWindow = [...f.store.all('emails').values()].filter((e) => {
      const at = Date.parse(f.store.value(e, 'hs_timestamp') ?? '');
      return at >= window.from && at <= window.to;
    });
    expect(inWindow.length).toBeGreaterThan(10_000);
    expect(found.map((e) => e.id).sort()).toEqual(inWindow.map((e) => e.id).sort());
    expect(f.server.calls('POST', '/crm/v3/objects/emails/search').length).toBeGreaterThan(inWindow.length / 200);
  });
});
