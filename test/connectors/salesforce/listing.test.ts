import { afterEach, describe, expect, it } from 'vitest';
import { collect, type Org, plainAccounts, queryCalls, startOrg } from './support.ts';

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

describe('Salesforce accounts listing', () => {
  it('given 5 accounts and a page size of 2, when listed, then 3 pages follow nextRecordsUrl and every account arrives once with its join keys', async () => {
    org = await startOrg({ pageSize: 2 });
    const ids = org.fake.seedAccounts(
      plainAccounts(5, {
        segment: 'mid_market',
        ownerEmail: 'csm@vendor.example',
        identities: { stripeCustomerId: 'cus_123', zendeskOrganizationId: '9001', mixpanelGroupKey: 'grp-1' },
        override: { score: 35, reason: 'Exec escalation in progress', expiresOn: '2026-04-30' },
      }),
    );
    const pages = await collect(org.connector.listAccounts());
    expect(pages.map((p) => p.accounts.length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.cursor === undefined)).toEqual([false, false, true]);
    expect(queryCalls(org.fake)).toHaveLength(3);
    const accounts = pages.flatMap((p) => p.accounts);
    expect(accounts.map((a) => a.accountId).sort()).toEqual([...ids.values()].sort());
    const first = accounts.find((a) => a.accountId === ids.get('a001'));
    expect(first).toMatchObject({
      name: 'Account 001',
      domain: 'account001.example',
      segment: 'mid_market',
      identities: { stripeCustomerId: 'cus_123', zendeskOrganizationId: '9001', mixpanelGroupKey: 'grp-1' },
      override: { score: 35, reason: 'Exec escalation in progress', expiresOn: '2026-04-30' },
    });
    expect(first?.ownerId).toMatch(/^005/);
    expect(first?.accountId).toHaveLength(18);
  });

  it('given a cursor from the first page, when listing resumes from it, then only the remaining accounts come back', async () => {
    org = await startOrg({ pageSize: 2 });
    org.fake.seedAccounts(plainAccounts(5));
    const iterator = org.connector.listAccounts()[Symbol.asyncIterator]();
    const first = await iterator.next();
    const cursor = first.done ? undefined : first.value.cursor;
    if (cursor === undefined) throw new Error('expected a cursor after the first page');
    const rest = await collect(org.connector.listAccounts({ cursor }));
    expect(rest.flatMap((p) => p.accounts.map((a) => a.name))).toEqual(['Account 003', 'Account 004', 'Account 005']);
  });

  it('given accounts last modified long ago and one edited now, when listed incrementally, then only the edited account is returned', async () => {
    org = await startOrg();
    const ids = org.fake.seedAccounts(plainAccounts(4, { modifiedAt: '2024-01-15T09:00:00Z' }));
    const full = await collect(org.connector.listAccounts());
    expect(full.flatMap((p) => p.accounts)).toHaveLength(4);
    const since = new Date(Date.now() - 60_000);
    org.fake.edit('Account', ids.get('a003') as string, { Name: 'Account 003 (renamed)' });
    const delta = await collect(org.connector.listAccounts({ modifiedSince: since }));
    expect(delta.flatMap((p) => p.accounts.map((a) => a.name))).toEqual(['Account 003 (renamed)']);
    expect(full.flatMap((p) => p.accounts).find((a) => a.accountId === ids.get('a001'))?.modifiedAt).toBe('2024-01-15T09:00:00.000Z');
  });

  it('given an account whose override expiry holds free text, when listed, then it is rejected with its id and reason and the rest of the page is kept', async () => {
    org = await startOrg();
    const ids = org.fake.seedAccounts(plainAccounts(3));
    const bad = ids.get('a002') as string;
    org.fake.edit('Account', bad, { Health_Override_Expires__c: 'end of Q3' });
    const [page] = await collect(org.connector.listAccounts());
    expect(page?.accounts.map((a) => a.accountId)).toEqual([ids.get('a001'), ids.get('a003')]);
    expect(page?.rejected).toEqual([{ recordId: bad, reason: expect.stringMatching(/Health_Override_Expires__c: not a date/) }]);
  });

  it('given an override missing its expiry, when listed, then the account carries no override', async () => {
    org = await startOrg();
    const ids = org.fake.seedAccounts(plainAccounts(1, { override: { score: 20, reason: 'Churn call', expiresOn: '2026-05-01' } }));
    org.fake.edit('Account', ids.get('a001') as string, { Health_Override_Expires__c: null });
    const [page] = await collect(org.connector.listAccounts());
    expect(page?.accounts[0]?.override).toBeUndefined();
  });
});
