import jsforce from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { type SalesforceFake, startSalesforceFake, takeSalesforceRuleViolations } from '../../../connectors/salesforce/fake/server.ts';
import { plainAccounts } from './support.ts';

let fake: SalesforceFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function connected(options: Parameters<typeof startSalesforceFake>[0] = {}) {
  fake = await startSalesforceFake(options);
  const conn = new jsforce.Connection({ instanceUrl: fake.instanceUrl, accessToken: fake.accessToken, version: '62.0' });
  return { fake, conn };
}

const rest = async (f: SalesforceFake, path: string, init: RequestInit = {}) =>
  fetch(`${f.instanceUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${f.accessToken}`, 'content-type': 'application/json', ...init.headers },
  });

describe('Salesforce fake org', () => {
  it('given the standard Account Type picklist, when described and written through jsforce, then it is unrestricted with the standard values, while a restricted picklist refuses an unknown value naming its label', async () => {
    const { fake, conn } = await connected();
    const [id, other] = [...fake.seedAccounts(plainAccounts(2)).values()];
    expect(fake.account(id as string)?.Type).toBe('Customer - Direct');
    const account = await conn.sobject('Account').describe();
    const type = account.fields.find((f) => f.name === 'Type');
    expect(type?.restrictedPicklist).toBe(false);
    expect(type?.picklistValues?.map((v) => v.value)).toEqual([
      'Prospect',
      'Customer - Direct',
      'Customer - Channel',
      'Channel Partner / Reseller',
      'Installation Partner',
      'Technology Partner',
      'Other',
      'Former Customer',
    ]);
    expect(account.fields.find((f) => f.name === 'Segment__c')?.restrictedPicklist).toBe(true);
    const saved = await conn.sobject('Account').update([
      { Id: id as string, Type: 'Reseller' },
      { Id: other as string, Segment__c: 'Galactic' },
    ]);
    expect(saved.map((r) => ({ success: r.success, errors: r.errors }))).toEqual([
      { success: true, errors: [] },
      {
        success: false,
        errors: [
          {
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: 'Segment: bad value for restricted picklist field: Galactic',
            fields: ['Segment__c'],
          },
        ],
      },
    ]);
    expect(fake.account(id as string)?.Type).toBe('Reseller');
  });

  it('given seeded accounts, when queried with WHERE, LIKE, IN, ORDER BY and LIMIT through jsforce, then the SOQL subset answers like the API', async () => {
    const { fake, conn } = await connected();
    const ids = fake.seedAccounts(plainAccounts(5, { nps: 8 }));
    fake.edit('Account', ids.get('a002') as string, { NPS_Score__c: 3 });
    const q = (soql: string) => conn.query<Record<string, unknown>>(soql).then((r) => r.records.map((x) => x.Name));
    expect(await q("SELECT Name FROM Account WHERE Name LIKE 'account 00%' ORDER BY Name DESC LIMIT 2")).toEqual([
      'Account 005',
      'Account 004',
    ]);
    expect(
      await q(`SELECT Name FROM Account WHERE Id IN ('${ids.get('a003')}', '${ids.get('a001')?.slice(0, 15)}') ORDER BY Name`),
    ).toEqual(['Account 001', 'Account 003']);
    expect(await q("SELECT Name FROM Account WHERE NPS_Score__c < 5 OR (Name = 'Account 005' AND NOT NPS_Score__c = null)")).toEqual([
      'Account 002',
      'Account 005',
    ]);
    const record = (await conn.query<Record<string, unknown>>('SELECT id, nps_score__c FROM Account LIMIT 1')).records[0];
    expect(Object.keys(record ?? {})).toEqual(['attributes', 'Id', 'NPS_Score__c']);
  });

  it('given a bad query, an unknown object and an unserved version, when called, then Salesforce error bodies come back', async () => {
    const { fake } = await connected();
    const malformed = await rest(fake, `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account WHERE')}`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual([{ message: 'unexpected end of query', errorCode: 'MALFORMED_QUERY' }]);
    const unknown = await rest(fake, `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Widget__c')}`);
    expect(await unknown.json()).toMatchObject([{ errorCode: 'INVALID_TYPE' }]);
    const future = await rest(fake, `/services/data/v99.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`);
    expect(future.status).toBe(404);
    expect(future.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
  });

  it('given 201 records or allOrNone with one bad record, when a collections update is sent, then the limit error or a full rollback is answered', async () => {
    const { fake } = await connected();
    const ids = [...fake.seedAccounts(plainAccounts(2)).values()];
    const tooMany = Array.from({ length: 201 }, () => ({ attributes: { type: 'Account' }, id: ids[0], Name: 'x' }));
    const limit = await rest(fake, '/services/data/v62.0/composite/sobjects', {
      method: 'PATCH',
      body: JSON.stringify({ records: tooMany }),
    });
    expect(await limit.json()).toMatchObject([{ errorCode: 'EXCEEDED_ID_LIMIT' }]);
    expect(takeSalesforceRuleViolations()).toEqual(['collection-200: PATCH /services/data/v62.0/composite/sobjects']);
    const records = [
      { attributes: { type: 'Account' }, id: ids[0], Name: 'Renamed' },
      { attributes: { type: 'Account' }, id: ids[1], Nope__c: 1 },
    ];
    const all = await rest(fake, '/services/data/v62.0/composite/sobjects', {
      method: 'PATCH',
      body: JSON.stringify({ allOrNone: true, records }),
    });
    const results = (await all.json()) as { success: boolean; errors: { statusCode: string }[] }[];
    expect(results.map((r) => r.errors[0]?.statusCode)).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'INVALID_FIELD']);
    expect(fake.account(ids[0] as string)?.Name).toBe('Account 001');
  });

  it('given jsforce metadata.upsert, when a field is upserted twice, then it is created then updated', async () => {
    const { fake, conn } = await connected();
    const field = { fullName: 'Account.Tier_Note__c', label: 'Tier Note', type: 'Text', length: 40 };
    const first = await conn.metadata.upsert('CustomField', [field] as never);
    const second = await conn.metadata.upsert('CustomField', [{ ...field, length: 80 }] as never);
    expect(first).toEqual([{ created: true, fullName: 'Account.Tier_Note__c', success: true, errors: [] }]);
    expect(second).toEqual([{ created: false, fullName: 'Account.Tier_Note__c', success: true, errors: [] }]);
    expect(fake.customFields().get('Account.Tier_Note__c')).toMatchObject({ length: '80' });
    const bad = await conn.metadata.create('CustomField', [{ fullName: 'Account.Bad__c', label: 'Bad', type: 'Number' }] as never);
    expect(bad).toMatchObject([{ success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION' }] }]);
  });

  it('given a field created through the Metadata API, when jsforce queries, describes and grants it, then it stays hidden until a permission set is assigned, as in a real org', async () => {
    const { fake, conn } = await connected();
    await conn.metadata.create('CustomField', [
      { fullName: 'Account.Tier_Note__c', label: 'Tier Note', type: 'Text', length: 40 },
    ] as never);
    await expect(conn.query('SELECT Tier_Note__c FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringMatching(/^No such column 'Tier_Note__c' on entity 'Account'/),
    });
    const visible = async () => (await conn.sobject('Account').describe()).fields.find((f) => f.name === 'Tier_Note__c');
    expect(await visible()).toBeUndefined();

    const me = (await conn.identity()) as { user_id: string; username: string; organization_id: string };
    expect(me).toMatchObject({ user_id: fake.integrationUser.id, username: 'integration@healthscore.example' });
    expect(me.organization_id).toMatch(/^00D\w{15}$/);

    const grant = (editable: boolean) =>
      conn.metadata.upsert('PermissionSet', [
        { fullName: 'Notes', label: 'Notes', fieldPermissions: [{ editable, field: 'Account.Tier_Note__c', readable: true }] },
      ] as never);
    expect(await grant(false)).toEqual([{ created: true, fullName: 'Notes', success: true, errors: [] }]);
    const sets = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM PermissionSet WHERE IsOwnedByProfile = false');
    expect(sets.records.map((r) => r.Name)).toEqual(['Notes']);
    const assignment = { AssigneeId: me.user_id, PermissionSetId: sets.records[0]?.Id };
    expect(await conn.sobject('PermissionSetAssignment').create(assignment)).toMatchObject({ success: true });
    expect(await visible()).toMatchObject({ updateable: false });
    expect(await grant(true)).toMatchObject([{ created: false, success: true }]);
    expect(await visible()).toMatchObject({ updateable: true });
    const read = (await conn.metadata.read('PermissionSet', ['Notes'])) as unknown as { fieldPermissions: unknown[] }[];
    expect(read[0]?.fieldPermissions).toEqual([{ editable: true, field: 'Account.Tier_Note__c', readable: true }]);
    await expect(conn.sobject('PermissionSetAssignment').create(assignment)).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
  });

  it('given bad permission set metadata or a user without the permission, when saved, then the per-component errors Salesforce gives come back', async () => {
    const { fake, conn } = await connected({ integrationUser: { assignPermissionSets: false } });
    const save = (fieldPermissions: unknown[]) =>
      conn.metadata.upsert('PermissionSet', [{ fullName: 'Bad_Set', label: 'Bad', fieldPermissions }] as never);
    expect(await save([{ editable: false, field: 'Account.Nope__c', readable: true }])).toMatchObject([
      {
        success: false,
        errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'In field: field - no CustomField named Account.Nope__c found' }],
      },
    ]);
    expect(await save([{ editable: true, field: 'Account.Segment__c', readable: false }])).toMatchObject([
      { success: false, errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION' }] },
    ]);
    fake.setUserPermissions({ managePermissionSets: false });
    expect(await save([])).toMatchObject([{ success: false, errors: [{ statusCode: 'INSUFFICIENT_ACCESS' }] }]);
    const profileSet = (await conn.query<{ Id: string }>('SELECT Id FROM PermissionSet')).records[0]?.Id;
    await expect(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: fake.integrationUser.id, PermissionSetId: profileSet }),
    ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
  });

  it('given the daily allocation, when it is used up, then REQUEST_LIMIT_EXCEEDED comes back with the usage header', async () => {
    const { fake } = await connected({ dailyLimit: 2 });
    const soql = `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`;
    expect((await rest(fake, soql)).headers.get('sforce-limit-info')).toBe('api-usage=1/2');
    expect((await rest(fake, soql)).headers.get('sforce-limit-info')).toBe('api-usage=2/2');
    const over = await rest(fake, soql);
    expect(over.status).toBe(403);
    expect(await over.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  });
});
