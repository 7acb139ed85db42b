// Listing HubSpot companies through the real SDK against the fake: full reads page by page,
// incremental reads by last-modified date through search, resumable cursors, and records that fail
// their raw schema reported with id and reason while the rest of the page goes on.
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connect, fake, type HubSpotFake, plainAccounts } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

describe('listAccounts', () => {
  it('given 250 companies, when listed in full, then 3 pages of up to 100 through the after cursor and every company once', async () => {
    f = await fake();
    const ids = f.seedAccounts(plainAccounts(250));
    const { accounts, pages, rejected } = await collect(connect(f).listAccounts());
    expect(pages).toBe(3);
    expect(rejected).toEqual([]);
    expect(accounts.map((a) => a.accountId).sort()).toEqual([...ids.values()].sort());
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(250);
    const calls = f.server.calls('GET', '/crm/v3/objects/companies');
    expect(calls).toHaveLength(3);
    expect(calls[1]?.query).toContain('after=');
  });

  it('given a company with identities, owner and a complete override, when listed, then they map onto the account', async () => {
    f = await fake();
    const ids = f.seedAccounts([
      {
        key: 'acme',
        name: 'Acme',
        domain: 'ACME.example',
        segment: 'enterprise',
        ownerEmail: 'csm@vendor.example',
        identities: { stripeCustomerId: 'cus_123', zendeskOrganizationId: '9001', mixpanelGroupKey: 'acme' },
        override: { score: 35, reason: 'Exec escalation in progress', expiresOn: '2026-04-30' },
      },
    ]);
    const { accounts } = await collect(connect(f).listAccounts());
    expect(accounts).toEqual([
      {
        accountId: ids.get('acme'),
        name: 'Acme',
        domain: 'acme.example',
        segment: 'enterprise',
        ownerId: f.store.ownerId('csm@vendor.example'),
        identities: { stripeCustomerId: 'cus_123', zendeskOrganizationId: '9001', mixpanelGroupKey: 'acme' },
        override: { score: 35, reason: 'Exec escalation in progress', expiresOn: '2026-04-30' },
        scope: { in: true },
        modifiedAt: expect.any(String),
      },
    ]);
  });

  it('given an override without its expiry, when listed, then no override (only a complete one counts)', async () => {
    f = await fake();
    f.seedRecord('companies', { properties: { name: 'Half', healthscore_override_score: '20', healthscore_override_reason: 'why' } });
    const { accounts } = await collect(connect(f).listAccounts());
    expect(accounts[0]?.override).toBeUndefined();
  });

  it('given companies modified at different times, when listed since a date, then only those modified since, through search', async () => {
    f = await fake();
    const old = plainAccounts(3).map((a) => ({ ...a, modifiedAt: '2026-01-05T00:00:00Z' }));
    const recent = plainAccounts(2).map((a, i) => ({ ...a, key: `new-${i}`, modifiedAt: '2026-02-10T00:00:00Z' }));
    const ids = f.seedAccounts([...old, ...recent]);
    const { accounts } = await collect(connect(f).listAccounts({ modifiedSince: new Date('2026-02-01T00:00:00Z') }));
    expect(accounts.map((a) => a.accountId).sort()).toEqual([ids.get('new-0'), ids.get('new-1')].sort());
    expect(f.server.calls('POST', '/crm/v3/objects/companies/search')).toHaveLength(1);
    expect(f.server.calls('GET', '/crm/v3/objects/companies')).toHaveLength(0);
  });

  it('given 450 modified companies, when read incrementally, then 200 per search page and each once', async () => {
    f = await fake();
    f.seedAccounts(plainAccounts(450).map((a, i) => ({ ...a, modifiedAt: new Date(Date.UTC(2026, 1, 1) + i * 60_000).toISOString() })));
    const { accounts, pages } = await collect(connect(f).listAccounts({ modifiedSince: new Date('2026-01-01T00:00:00Z') }));
    expect(pages).toBe(3);
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(450);
  });

  it('given 10,050 modified companies, when read incrementally, then the search restarts past its 10,000-result cap and lists each', async () => {
    f = await fake();
    const start = Date.UTC(2026, 1, 1);
    f.seedAccounts(plainAccounts(10_050).map((a, i) => ({ ...a, modifiedAt: new Date(start + i * 1_000).toISOString() })));
    const { accounts } = await collect(connect(f).listAccounts({ modifiedSince: new Date(start) }));
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(10_050);
    const searches = f.server.calls('POST', '/crm/v3/objects/companies/search');
    expect(searches.every((r) => r.status === 200)).toBe(true);
    expect(searches).toHaveLength(51);
  });

  it('given a cursor from an earlier page, when listing resumes from it, then it continues after that page', async () => {
    f = await fake();
    f.seedAccounts(plainAccounts(150));
    const connector = connect(f);
    const first = await connector.listAccounts()[Symbol.asyncIterator]().next();
    const cursor = first.value?.cursor as string;
    expect(cursor).toBeTruthy();
    const rest = await collect(connector.listAccounts({ cursor }));
    expect(rest.accounts).toHaveLength(50);
    expect(new Set([...(first.value?.accounts ?? []), ...rest.accounts].map((a) => a.accountId)).size).toBe(150);
  });

  it('given a page with a record failing its raw schema, when listed, then it is reported with its id and reason and the rest is kept', async () => {
    f = await fake();
    f.seedAccounts(plainAccounts(4));
    const bad = f.seedRecord('companies', { properties: { name: 'Broken', healthscore_override_score: 'very high' } });
    const worse = f.seedRecord('companies', { properties: { name: 'No date' }, raw: { createdAt: 'yesterday-ish' } });
    const { accounts, rejected } = await collect(connect(f).listAccounts());
    expect(accounts).toHaveLength(4);
    expect(rejected).toEqual([
      { recordId: bad, reason: expect.stringMatching(/properties\.healthscore_override_score: expected a number/) },
      { recordId: worse, reason: expect.stringMatching(/createdAt/) },
    ]);
  });
});
