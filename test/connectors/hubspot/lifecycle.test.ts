// The account lifecycle on HubSpot, through the real SDK against the fake: every company is listed
// with its scope (lifecyclestage is customer by default, or the configured rule, or none when scoping
// is off) on both listing paths; a configured churn property gives the churn and its day, a churn
// date that is not a date drops only the day with a note; setup adds the `churned` tier option to
// an existing tier property (keeping its options) once; and the fake refuses an option a property
// lacks with HubSpot's error body, lifecyclestage included.
import { afterEach, describe, expect, it } from 'vitest';
import { allowedOptionsText } from '../../../connectors/hubspot/fake/routes-objects.ts';
import type { HubSpotSeedAccount } from '../../../connectors/hubspot/fake/server.ts';
import { collect, connect, fake, type HubSpotFake, scoreValues } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

const company = (key: string, extra: Partial<HubSpotSeedAccount> = {}): HubSpotSeedAccount => ({
  key,
  name: key,
  domain: `${key}.example`,
  modifiedAt: '2026-02-10T00:00:00Z',
  ...extra,
});

/** A customer (the seed's default), a prospect, an evangelist and a company without a stage. */
function seedStages(): Map<string, string> {
  return f.seedAccounts([
    company('customer'),
    company('prospect', { lifecyclestage: 'lead' }),
    company('advocate', { lifecyclestage: 'evangelist' }),
    company('blank', { lifecyclestage: '' }),
  ]);
}

const scopes = async (accounts: { accountId: string; scope?: unknown }[], ids: Map<string, string>) => {
  const byId = new Map(accounts.map((a) => [a.accountId, a]));
  return Object.fromEntries([...ids].map(([key, id]) => [key, byId.has(id) ? (byId.get(id)?.scope ?? 'absent') : 'not listed']));
};

describe('scope', () => {
  it.each([
    ['the full listing (GET companies)', {}],
    ['the incremental listing (search)', { modifiedSince: new Date('2026-02-01T00:00:00Z') }],
  ])(
    'given a customer, a lead, an evangelist and a company without a stage, when listed through %s, then all are listed, each with its scope and reason',
    async (_path, options) => {
      f = await fake();
      const ids = seedStages();
      const { accounts, rejected } = await collect(connect(f).listAccounts(options));
      expect(rejected).toEqual([]);
      expect(await scopes(accounts, ids)).toEqual({
        customer: { in: true },
        prospect: { in: false, reason: 'lifecyclestage is "lead", not customer' },
        advocate: { in: false, reason: 'lifecyclestage is "evangelist", not customer' },
        blank: { in: false, reason: 'lifecyclestage is empty' },
      });
    },
  );

  it('given a scope of customer or evangelist, when listed, then evangelists are in too and the reason names both values', async () => {
    f = await fake();
    const ids = seedStages();
    const connector = connect(f, { company: { scope: { values: ['customer', 'evangelist'] } } });
    const { accounts } = await collect(connector.listAccounts());
    expect(await scopes(accounts, ids)).toEqual({
      customer: { in: true },
      prospect: { in: false, reason: 'lifecyclestage is "lead", not one of customer, evangelist' },
      advocate: { in: true },
      blank: { in: false, reason: 'lifecyclestage is empty' },
    });
  });

  it('given scoping turned off (company.scope: false), when listed, then no account carries a scope (every company is in)', async () => {
    f = await fake();
    const ids = seedStages();
    const { accounts } = await collect(connect(f, { company: { scope: false } }).listAccounts());
    expect(await scopes(accounts, ids)).toEqual({ customer: 'absent', prospect: 'absent', advocate: 'absent', blank: 'absent' });
  });

  it('given a scope on a custom property, when listed, then the property is read and compared without regard to case', async () => {
    f = await fake();
    f.store.defineProperty('companies', { name: 'account_type', type: 'string', fieldType: 'text' });
    const ids = f.seedAccounts([company('paying'), company('trial')]);
    f.setProperties('companies', ids.get('paying') as string, { account_type: 'Paying' });
    f.setProperties('companies', ids.get('trial') as string, { account_type: 'Trial' });
    const connector = connect(f, { company: { scope: { property: 'account_type', values: ['paying'] } } });
    const { accounts } = await collect(connector.listAccounts());
    expect(await scopes(accounts, ids)).toEqual({
      paying: { in: true },
      trial: { in: false, reason: 'account_type is "Trial", not paying' },
    });
    expect(f.server.calls('GET', '/crm/v3/objects/companies')[0]?.query).toContain('account_type');
  });
});

describe('churn evidence from a CRM property (opt-in)', () => {
  const churnConfig = { company: { churn: { property: 'customer_status', values: ['churned'], dateProperty: 'churned_on' } } };

  function defineChurnProperties(dateType: 'date' | 'string'): void {
    f.store.defineProperty('companies', {
      name: 'customer_status',
      type: 'enumeration',
      fieldType: 'select',
      options: ['active', 'churned'].map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
    });
    f.store.defineProperty('companies', { name: 'churned_on', type: dateType, fieldType: dateType === 'date' ? 'date' : 'text' });
  }

  it('given companies churned with a date, churned without one, and active, when listed, then the churn evidence and its day (scope untouched)', async () => {
    f = await fake();
    defineChurnProperties('date');
    const ids = f.seedAccounts([company('dated'), company('undated'), company('active')]);
    f.setProperties('companies', ids.get('dated') as string, { customer_status: 'churned', churned_on: '2026-02-14' });
    f.setProperties('companies', ids.get('undated') as string, { customer_status: 'churned' });
    f.setProperties('companies', ids.get('active') as string, { customer_status: 'active' });
    const { accounts, rejected } = await collect(connect(f, churnConfig).listAccounts());
    expect(rejected).toEqual([]);
    const byId = new Map(accounts.map((a) => [a.accountId, a]));
    expect(byId.get(ids.get('dated') as string)).toMatchObject({
      scope: { in: true },
      churn: { evidence: 'customer_status is "churned"', on: '2026-02-14' },
    });
    expect(byId.get(ids.get('undated') as string)?.churn).toEqual({ evidence: 'customer_status is "churned"' });
    expect(byId.get(ids.get('active') as string)?.churn).toBeUndefined();
  });

  it('given a churn date kept in a text property that holds something else, when listed, then the account is listed with its churn but no day, and a note names the record and property', async () => {
    f = await fake();
    defineChurnProperties('string');
    const ids = f.seedAccounts([company('vague'), company('fine')]);
    const vague = ids.get('vague') as string;
    f.setProperties('companies', vague, { customer_status: 'churned', churned_on: 'end of last quarter' });
    const { accounts, rejected } = await collect(connect(f, churnConfig).listAccounts());
    expect(accounts.map((a) => a.accountId).sort()).toEqual([...ids.values()].sort());
    expect(accounts.find((a) => a.accountId === vague)?.churn).toEqual({ evidence: 'customer_status is "churned"' });
    expect(rejected).toEqual([
      {
        recordId: vague,
        reason: `company ${vague}: properties.churned_on: expected a date (YYYY-MM-DD or epoch milliseconds); the company is listed with its churn (customer_status is "churned") but without a churn date (company.churn.dateProperty)`,
      },
    ]);
  });
});

describe('the churned tier', () => {
  const tierOptions = () => f.properties().find((p) => p.name === 'healthscore_tier')?.options ?? [];

  /** A portal set up by a release before `churned`: the tier property has four options, one relabelled by an admin. */
  async function olderSetup(): Promise<void> {
    await connect(f).setup();
    const tier = f.properties().find((p) => p.name === 'healthscore_tier');
    if (!tier) throw new Error('no tier property');
    tier.options = tier.options.filter((o) => o.value !== 'churned').map((o) => (o.value === 'green' ? { ...o, label: 'Healthy' } : o));
  }

  it('given a tier property without churned, when churned is written, then HubSpot’s 400 INVALID_OPTION body, and the row is rejected saying to run setup', async () => {
    f = await fake();
    const [id] = f.seedAccounts([company('gone')]).values();
    await olderSetup();
    const res = await fetch(`${f.url}/crm/v3/objects/companies/batch/update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ id, properties: { healthscore_tier: 'churned' } }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    const problem = {
      isValid: false,
      message: `churned was not one of the allowed options: ${allowedOptionsText(tierOptions())}`,
      error: 'INVALID_OPTION',
      name: 'healthscore_tier',
    };
    expect(body).toEqual({
      status: 'error',
      message: `Property values were not valid: ${JSON.stringify([problem])}`,
      correlationId: expect.any(String),
      category: 'VALIDATION_ERROR',
    });
    expect(String(problem.message)).toContain('[label: "Healthy"\nvalue: "green"\ndisplay_order: 0\ndouble_data: 0.0\nhidden: false\n');

    const report = await connect(f).writeScores([
      { accountId: id as string, values: scoreValues(30, { tier: 'churned' }), previous: undefined },
    ]);
    expect(report.outcomes).toEqual([
      {
        accountId: id,
        status: 'rejected',
        reason: `${body.message} — run setup to add the missing option to healthscore_tier`,
      },
    ]);
    expect(f.updateCount(id as string)).toBe(0);
  });

  it('given that older tier property, when setup runs twice, then churned is added once after the existing options (kept as they are), and churned is then written like any tier', async () => {
    f = await fake();
    const [id] = f.seedAccounts([company('gone')]).values();
    await olderSetup();
    const connector = connect(f);
    const first = await connector.setup();
    expect(first.created).toEqual([]);
    expect(first.updated).toEqual(['healthscore_tier']);
    expect(tierOptions().map((o) => [o.value, o.label, o.displayOrder])).toEqual([
      ['green', 'Healthy', 0],
      ['yellow', 'Yellow', 1],
      ['red', 'Red', 2],
      ['unknown', 'Unknown', 3],
      ['churned', 'Churned', 4],
    ]);
    expect(f.server.calls('PATCH', '/crm/v3/properties/companies/healthscore_tier')).toHaveLength(1);

    const writesBefore = f.server.log.filter((r) => r.method !== 'GET').length;
    const second = await connector.setup();
    expect(second.updated).toEqual([]);
    expect(second.created).toEqual([]);
    expect(second.unchanged).toContain('healthscore_tier');
    expect(f.server.log.filter((r) => r.method !== 'GET').length).toBe(writesBefore);

    const report = await connector.writeScores([
      { accountId: id as string, values: scoreValues(30, { tier: 'churned' }), previous: undefined },
    ]);
    expect(report.outcomes.map((o) => o.status)).toEqual(['written']);
    expect(f.companyProperties(id as string).healthscore_tier).toBe('churned');
  });
});

describe('the fake’s lifecyclestage', () => {
  it('given a write of a lifecycle stage the portal lacks, then a 400 INVALID_OPTION naming lifecyclestage and its standard options', async () => {
    f = await fake();
    const [id] = f.seedAccounts([company('acme')]).values();
    const stage = f.properties().find((p) => p.name === 'lifecyclestage');
    expect(stage).toMatchObject({ type: 'enumeration', hubspotDefined: true });
    expect(stage?.options.map((o) => o.value)).toEqual([
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]);
    const update = (value: string) =>
      fetch(`${f.url}/crm/v3/objects/companies/batch/update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ id, properties: { lifecyclestage: value } }] }),
      });
    const refused = await update('prospect');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { message: string; category: string };
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(JSON.parse(body.message.replace('Property values were not valid: ', ''))).toEqual([
      {
        isValid: false,
        message: `prospect was not one of the allowed options: ${allowedOptionsText(stage?.options ?? [])}`,
        error: 'INVALID_OPTION',
        name: 'lifecyclestage',
      },
    ]);
    expect((await update('other')).status).toBe(200);
    expect(f.companyProperties(id as string).lifecyclestage).toBe('other');
  });

  it('given a company created through the API without a stage, then it has none (only seeding defaults to customer), and a seed naming no such stage is refused', async () => {
    f = await fake();
    const res = await fetch(`${f.url}/crm/v3/objects/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { name: 'New Co' } }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(f.companyProperties(id).lifecyclestage).toBeUndefined();
    const created = await fetch(`${f.url}/crm/v3/objects/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { name: 'Bad Co', lifecyclestage: 'prospect' } }),
    });
    expect(created.status).toBe(400);
    expect(() => f.seedAccounts([company('typo', { lifecyclestage: 'prospect' })])).toThrow(
      'fake hubspot: seed typo: lifecyclestage "prospect" is not an option (subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other)',
    );
  });
});
