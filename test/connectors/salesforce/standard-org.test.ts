// Salesforce on a standard org: no custom field until setup creates its own. The default mapping
// reads champion and sponsor from opportunity contact roles (and account-contact relations with
// Contacts to Multiple Accounts), activity from standard Task and Event fields (email direction from
// Enhanced Email's EmailMessage), renewal and account age from the activated contract; a mapped
// custom field the org lacks is named, never a failed read; and the fake refuses what Salesforce
// refuses (Task as a semi-join's inner select, a URI past 16,384 bytes).
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSalesforceMapping } from '../../../connectors/salesforce/config.ts';
import type { SalesforceFakeOptions } from '../../../connectors/salesforce/fake/server.ts';
import { takeSalesforceRuleViolations } from '../../../connectors/salesforce/fake/server.ts';
import type { SeedAccount } from '../../../connectors/shared/fake/crm-seed.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { collect, type Org, queryCalls, startOrg } from './support.ts';

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

const asOf = new Date('2026-03-01T12:00:00Z');
const daysBefore = (n: number) => new Date(asOf.getTime() - n * 86_400_000).toISOString();
const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

const acme: SeedAccount = {
  key: 'acme',
  name: 'Acme',
  domain: 'acme.example',
  contractStart: '2025-01-01',
  renewalDate: '2026-04-30',
  contacts: [
    { key: 'cam', name: 'Cam Champion', email: 'cam@acme.example', champion: true, inRoleSince: '2025-02-01' },
    { key: 'sue', name: 'Sue Sponsor', email: 'sue@acme.example', execSponsor: true, inRoleSince: '2025-02-01' },
    { key: 'old', name: 'Old Champion', email: 'old@acme.example', champion: true, inRoleSince: '2025-01-10', leftOn: daysBefore(40) },
  ],
  activities: [
    { kind: 'email', at: daysBefore(10), direction: 'outbound', contactKey: 'cam', threadId: 't1' },
    { kind: 'email', at: hoursAfter(daysBefore(10), 6), direction: 'inbound', contactKey: 'cam', threadId: 't1' },
    { kind: 'meeting', at: daysBefore(20), contactKeys: ['cam', 'sue'], outcome: 'completed' },
    { kind: 'call', at: daysBefore(3), contactKey: 'cam', connected: true },
  ],
};

async function standardOrg(options: SalesforceFakeOptions = {}) {
  org = await startOrg({ standard: true, ...options }, { mapping: {} });
  const id = org.fake.seedAccounts([acme]).get('acme') as string;
  return { id, connector: org.connector, fake: org.fake };
}

describe('a standard org with the default mapping', () => {
  it('given Contacts to Multiple Accounts and Enhanced Email off, when read, then roles come from opportunity contact roles, engagement from standard activity fields and renewal from the active contract', async () => {
    const { id, connector, fake } = await standardOrg();
    expect(fake.org.fields('Contact').some((f) => f.custom)).toBe(false);
    const before = await connector.source.sync?.({ asOf, state: new MemoryStateStore() });
    expect(before?.warnings).toEqual(
      ['Score', 'Reason', 'Expires'].map((f) =>
        expect.stringMatching(new RegExp(`^Account field Health_Override_${f}__c .* run healthscore setup`)),
      ),
    );
    await connector.setup();
    const sync = await connector.source.sync?.({ asOf, state: new MemoryStateStore() });
    expect(sync).toEqual({ records: 0, rejected: [] });
    const r = await connector.source.read([{ accountId: id, identities: {} }], { asOf, state: new MemoryStateStore() });
    expect(r.rejected).toEqual([]);
    // The champion who left still holds an opportunity contact role: without account-contact relations
    // nothing standard says they left, so the one in role reads as active. Emails have no direction
    // without Enhanced Email, and meetings no attendance without an outcome field.
    expect(r.signals.get(id)).toEqual({
      'commercial.daysToRenewal': 60,
      'lifecycle.accountAgeDays': 424,
      'relationship.championStatus': 'active',
      'relationship.execSponsorEngaged': true,
      'relationship.engagedContacts30d': 2,
      'engagement.daysSinceLastCsmTouch': 3,
    });
    const soql = queryCalls(fake).map((c) => new URLSearchParams(c.query).get('q') ?? '');
    expect(soql.some((q) => /FROM OpportunityContactRole WHERE OpportunityId IN \('006/.test(q))).toBe(true);
    expect(soql.some((q) => /FROM EventWhoRelation WHERE EventId IN \('00U/.test(q))).toBe(true);
    expect(soql.some((q) => /IN \(SELECT/i.test(q))).toBe(false);
  });

  it('given Contacts to Multiple Accounts and Enhanced Email on, when read, then account-contact relations say who left and EmailMessage gives each email its direction', async () => {
    const { id, connector } = await standardOrg({ features: { contactsToMultipleAccounts: true, enhancedEmail: true } });
    const r = await connector.source.read([{ accountId: id, identities: {} }], { asOf, state: new MemoryStateStore() });
    expect(r.signals.get(id)).toEqual({
      'commercial.daysToRenewal': 60,
      'lifecycle.accountAgeDays': 424,
      'relationship.championStatus': 'active',
      'relationship.execSponsorEngaged': true,
      'relationship.engagedContacts30d': 2,
      'engagement.emailResponseHours': 6,
      'engagement.daysSinceLastCsmTouch': 3,
    });
  });

  it('given the only champion left (account-contact relation ended), when read, then the champion has departed', async () => {
    org = await startOrg({ standard: true, features: { contactsToMultipleAccounts: true } }, { mapping: {} });
    const id = org.fake.seedAccounts([{ ...acme, contacts: (acme.contacts ?? []).filter((c) => c.key !== 'cam') }]).get('acme') as string;
    const r = await org.connector.source.read([{ accountId: id, identities: {} }], { asOf, state: new MemoryStateStore() });
    expect(r.signals.get(id)?.['relationship.championStatus']).toBe('departed');
  });

  it('given renewal opportunities configured instead of contracts, when read, then the nearest open renewal opportunity gives the renewal', async () => {
    org = await startOrg(
      { standard: true },
      { mapping: { renewal: { from: 'opportunity', opportunityTypes: ['Existing Customer - Upgrade'] } } },
    );
    const id = org.fake.seedAccounts([acme]).get('acme') as string;
    org.fake.insert(
      'Opportunity',
      {
        AccountId: id,
        Name: 'Renewal 2026',
        StageName: 'Negotiation/Review',
        CloseDate: '2026-05-15',
        Type: 'Existing Customer - Upgrade',
        IsClosed: false,
      },
      new Date('2026-01-15T00:00:00Z'),
    );
    const r = await org.connector.source.read([{ accountId: id, identities: {} }], { asOf, state: new MemoryStateStore() });
    expect(r.signals.get(id)?.['commercial.daysToRenewal']).toBe(75);
  });

  it('given setup on a standard org, when it runs, then it creates the nine score fields and the three override fields and grants them through the permission set', async () => {
    const { connector, fake } = await standardOrg();
    const report = await connector.setup();
    for (const f of ['Health_Score__c', 'Health_Override_Score__c', 'Health_Override_Reason__c', 'Health_Override_Expires__c'])
      expect(report.created).toContain(`Account.${f}`);
    expect(report.warnings).toBeUndefined();
    expect(fake.fieldAccess('Account.Health_Override_Reason__c')).toBe('read');
    expect(fake.fieldAccess('Account.Health_Score__c')).toBe('edit');
    const pages = await collect(connector.listAccounts());
    expect(pages[0]?.accounts[0]).toMatchObject({ name: 'Acme', domain: 'acme.example', identities: {} });
  });
});

describe('roles as of the run, at the account they were given for', () => {
  it('given a contact of one account named Decision Maker on another account’s opportunity, when read, then neither account gets that champion', async () => {
    org = await startOrg({ standard: true }, { mapping: {} });
    const ids = org.fake.seedAccounts([
      {
        key: 'home',
        name: 'Home',
        domain: 'home.example',
        contractStart: '2025-01-01',
        contacts: [{ key: 'pat', name: 'Pat Partner', email: 'pat@home.example' }],
      },
      {
        key: 'other',
        name: 'Other',
        domain: 'other.example',
        contractStart: '2025-01-01',
        contacts: [{ key: 'oli', name: 'Oli Other', email: 'oli@other.example' }],
      },
    ]);
    const home = ids.get('home') as string;
    const other = ids.get('other') as string;
    const pat = org.fake.org.records('Contact').find((c) => c.Email === 'pat@home.example')?.Id as string;
    const opp = org.fake.insert(
      'Opportunity',
      { AccountId: other, Name: 'Deal', StageName: 'Closed Won', CloseDate: '2025-06-01', Type: 'New Customer' },
      new Date('2025-05-01'),
    );
    org.fake.insert(
      'OpportunityContactRole',
      { OpportunityId: opp, ContactId: pat, Role: 'Decision Maker', IsPrimary: true },
      new Date('2025-05-01'),
    );
    const r = await org.connector.source.read(
      [home, other].map((accountId) => ({ accountId, identities: {} })),
      { asOf, state: new MemoryStateStore() },
    );
    expect(r.signals.get(home)?.['relationship.championStatus']).toBe('none');
    expect(r.signals.get(other)?.['relationship.championStatus']).toBe('none');
  });

  it('given a champion role given after the run’s day, when read as of that day, then there is no champion yet', async () => {
    org = await startOrg({ standard: true }, { mapping: {} });
    const id = org.fake
      .seedAccounts([
        {
          key: 'later',
          name: 'Later',
          domain: 'later.example',
          contractStart: '2025-01-01',
          contacts: [{ key: 'cam', name: 'Cam Champion', email: 'cam@later.example', champion: true, inRoleSince: '2026-03-10' }],
          activities: [{ kind: 'call', at: daysBefore(20), contactKey: 'cam', connected: true }],
        },
      ])
      .get('later') as string;
    const before = await org.connector.source.read([{ accountId: id, identities: {} }], { asOf, state: new MemoryStateStore() });
    expect(before.signals.get(id)?.['relationship.championStatus']).toBe('none');
    const after = await org.connector.source.read([{ accountId: id, identities: {} }], {
      asOf: new Date('2026-03-20T12:00:00Z'),
      state: new MemoryStateStore(),
    });
    expect(after.signals.get(id)?.['relationship.championStatus']).toBe('new');
  });
});

describe('a mapping naming custom fields the org lacks', () => {
  it('given custom Account, Contact and Task fields mapped on a standard org, when listed and read, then nothing fails and each missing field is named with its mapping key', async () => {
    org = await startOrg(
      { standard: true },
      {
        mapping: {
          account: { nps: 'NPS_Score__c' },
          identity: { stripeCustomerId: 'Stripe_Customer_Id__c' },
          contact: { champion: { field: 'Champion__c', value: true } },
          activity: { emailDirection: { field: 'Email_Direction__c', inbound: 'Inbound', outbound: 'Outbound' } },
        },
      },
    );
    const id = org.fake.seedAccounts([acme]).get('acme') as string;
    await org.connector.setup();
    const pages = await collect(org.connector.listAccounts());
    expect(pages.flatMap((p) => p.accounts).map((a) => a.accountId)).toEqual([id]);
    const sync = await org.connector.source.sync?.({ asOf, state: new MemoryStateStore() });
    expect(sync?.warnings).toEqual([
      expect.stringMatching(/^Account field NPS_Score__c \(mapping\.account\.nps, for outcome\.nps\) does not exist/),
      expect.stringMatching(/^Account field Stripe_Customer_Id__c \(mapping\.identity\.stripeCustomerId/),
      expect.stringMatching(/^Contact field Champion__c \(mapping\.contact\.champion/),
      expect.stringMatching(/^Task field Email_Direction__c \(mapping\.activity\.emailDirection/),
    ]);
    const r = await org.connector.source.read([{ accountId: id, identities: {} }], { asOf, state: new MemoryStateStore() });
    expect(r.signals.get(id)?.['relationship.championStatus']).toBe('active');
  });

  it('given champion roles that are not values of the org’s contact role picklist, when synced, then a warning says so and champions stay unknown rather than "none"', async () => {
    org = await startOrg({ standard: true }, { mapping: { contact: { roles: { champion: ['Champion'] } } } });
    const id = org.fake.seedAccounts([acme]).get('acme') as string;
    await org.connector.setup();
    const sync = await org.connector.source.sync?.({ asOf, state: new MemoryStateStore() });
    expect(sync?.warnings).toEqual([expect.stringMatching(/none of the contact roles in mapping\.contact\.roles\.champion \(Champion\)/)]);
    const r = await org.connector.source.read([{ accountId: id, identities: {} }], { asOf, state: new MemoryStateStore() });
    expect(r.signals.get(id)).not.toHaveProperty('relationship.championStatus');
  });
});

describe('what the fake org refuses, as Salesforce does', () => {
  const get = async (path: string, token: string, base: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, text: await res.text() };
  };

  it('given Task as the inner select of a semi-join, then MALFORMED_QUERY "Entity \'Task\' is not supported for semi join inner selects"', async () => {
    const { fake } = await standardOrg();
    const q = encodeURIComponent("SELECT Id FROM EmailMessage WHERE ActivityId IN (SELECT Id FROM Task WHERE TaskSubtype = 'Email')");
    const r = await get(`/services/data/v62.0/query?q=${q}`, fake.accessToken, fake.instanceUrl);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual([
      { message: "Entity 'Task' is not supported for semi join inner selects", errorCode: 'MALFORMED_QUERY' },
    ]);
    expect(takeSalesforceRuleViolations()).toEqual(['semi-join-no-activities: GET /services/data/v62.0/query']);
  });

  it('given a query whose URI passes 16,384 bytes, then 431 from Salesforce’s edge; the connector cuts its id lists to stay under it', async () => {
    const { fake } = await standardOrg();
    const ids = Array.from({ length: 700 }, (_, i) => `'001Hs00000${String(i).padStart(5, '0')}AAA'`).join(', ');
    const r = await get(
      `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Account WHERE Id IN (${ids})`)}`,
      fake.accessToken,
      fake.instanceUrl,
    );
    expect(r.status).toBe(431);
    expect(takeSalesforceRuleViolations()).toEqual(['uri-and-headers-16384: GET /services/data/v62.0/query']);

    // 500 accounts with two emails each: 1,000 email Task ids to look up in EmailMessage, more than one URI holds.
    await org?.fake.close();
    org = await startOrg({ standard: true, features: { enhancedEmail: true } }, { mapping: {}, idsPerQuery: 500 });
    const seeded = [...org.fake.seedAccounts(Array.from({ length: 500 }, (_, i) => ({ ...acme, key: `a${i}`, name: `A${i}` }))).values()];
    const read = await org.connector.source.read(
      seeded.map((accountId) => ({ accountId, identities: {} })),
      { asOf, state: new MemoryStateStore() },
    );
    expect(read.signals.size).toBe(500);
    expect([...read.signals.values()].every((s) => s['engagement.emailResponseHours'] === 6)).toBe(true);
    const messageQueries = queryCalls(org.fake).filter((c) =>
      decodeURIComponent(c.query.replace(/\+/g, ' ')).includes('FROM EmailMessage'),
    );
    expect(messageQueries.length).toBeGreaterThan(1);
    expect(messageQueries.every((c) => c.status === 200)).toBe(true);
    expect(defaultSalesforceMapping.contact.roles.champion).toContain('Decision Maker');
  });
});
