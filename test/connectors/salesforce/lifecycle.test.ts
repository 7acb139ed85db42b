// The account lifecycle on Salesforce (#17), through jsforce against the fake org: which Accounts are
// customers (the Type picklist's customer values by default, or none when scoping is off), churn
// evidence from a configured field and its date, and the `churned` tier value setup adds to the
// Health Tier picklist, without which Salesforce refuses the write.
import { describe, expect, it } from 'vitest';
import { salesforceMappingSchema } from '../../../connectors/salesforce/config.ts';
import { customizedOrgMappingInput } from '../../../connectors/salesforce/fake/seed.ts';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import { collect, connectTo, orgsClosedAfterEach, scoreOf } from './support.ts';

const start = orgsClosedAfterEach();

const accountsOf = async (org: Awaited<ReturnType<typeof start>>) =>
  (await collect(org.connector.listAccounts())).flatMap((p) => p.accounts);

describe('Salesforce account scope', () => {
  it('given accounts of each Type, when listed with the default scope, then customers are in and the others out with the reason', async () => {
    const org = await start();
    const ids = org.fake.seedAccounts([
      { key: 'direct', name: 'Direct', domain: 'direct.example' },
      { key: 'channel', name: 'Channel', domain: 'channel.example', accountType: 'Customer - Channel' },
      { key: 'prospect', name: 'Prospect', domain: 'prospect.example', accountType: 'Prospect' },
      { key: 'blank', name: 'Blank', domain: 'blank.example', accountType: null },
    ]);
    const accounts = await accountsOf(org);
    const scopeOf = (key: string) => accounts.find((a) => a.accountId === ids.get(key))?.scope;
    expect(scopeOf('direct')).toEqual({ in: true });
    expect(scopeOf('channel')).toEqual({ in: true });
    expect(scopeOf('prospect')).toEqual({ in: false, reason: 'Type is "Prospect", not one of Customer - Direct, Customer - Channel' });
    expect(scopeOf('blank')).toEqual({ in: false, reason: 'Type is empty' });
    expect(accounts).toHaveLength(4);
  });

  it('given mapping.scope null, when listed, then no account carries a scope (every one is scored)', async () => {
    const org = await start({}, { mapping: { ...customizedOrgMappingInput, scope: null } });
    org.fake.seedAccounts([
      { key: 'prospect', name: 'Prospect', domain: 'prospect.example', accountType: 'Prospect' },
      { key: 'direct', name: 'Direct', domain: 'direct.example' },
    ]);
    const accounts = await accountsOf(org);
    expect(accounts.map((a) => a.scope)).toEqual([undefined, undefined]);
    expect(accounts.map((a) => 'scope' in a)).toEqual([false, false]);
  });

  it('given a scope field the org does not have, when listed, then the listing stops with a ConfigError naming the field and the way out', async () => {
    const org = await start({}, { mapping: { ...customizedOrgMappingInput, scope: { field: 'Customer_Status__c', values: ['Active'] } } });
    org.fake.seedAccounts([{ key: 'a', name: 'A', domain: 'a.example' }]);
    const listing = collect(org.connector.listAccounts());
    await expect(listing).rejects.toThrow(ConfigError);
    await expect(collect(org.connector.listAccounts())).rejects.toThrow(
      'salesforce: Account field Customer_Status__c (mapping.scope.field, which says which accounts are customers) does not exist or is hidden from the integration user: grant Read on it, name another field in mapping.scope, or set mapping.scope to null to score every account',
    );
  });
});

describe('Salesforce churn evidence from a field', () => {
  // The customized org's rule: Type "Former Customer" (a value its admin added), dated by Churn_Date__c.
  it('given former customers with a churn date, without one, and with a date field holding free text, when listed, then each carries the evidence and only a valid day', async () => {
    const org = await start();
    const ids = org.fake.seedAccounts([
      { key: 'left', name: 'Left', domain: 'left.example', accountType: 'Former Customer', churnedOn: '2026-02-14' },
      { key: 'undated', name: 'Undated', domain: 'undated.example', accountType: 'Former Customer' },
      { key: 'garbled', name: 'Garbled', domain: 'garbled.example', accountType: 'Former Customer' },
      { key: 'live', name: 'Live', domain: 'live.example' },
    ]);
    org.fake.edit('Account', ids.get('garbled') as string, { Churn_Date__c: 'last spring' });
    const pages = await collect(org.connector.listAccounts());
    expect(pages.flatMap((p) => p.rejected)).toEqual([]);
    const accounts = pages.flatMap((p) => p.accounts);
    const of = (key: string) => accounts.find((a) => a.accountId === ids.get(key));
    expect(of('left')?.churn).toEqual({ evidence: 'Type is "Former Customer"', on: '2026-02-14' });
    expect(of('undated')?.churn).toEqual({ evidence: 'Type is "Former Customer"' });
    expect(of('garbled')?.churn).toEqual({ evidence: 'Type is "Former Customer"' });
    expect(of('live')?.churn).toBeUndefined();
    expect(of('left')?.scope).toEqual({
      in: false,
      reason: 'Type is "Former Customer", not one of Customer - Direct, Customer - Channel',
    });
    expect(of('live')?.scope).toEqual({ in: true });
  });

  it('given a churn rule without a date field, when listed, then the evidence comes without a day', async () => {
    const input = { ...customizedOrgMappingInput, churn: { field: 'Type', values: ['Former Customer'] } };
    const org = await start({ mapping: salesforceMappingSchema.parse(input) }, { mapping: input });
    const ids = org.fake.seedAccounts([{ key: 'left', name: 'Left', domain: 'left.example', accountType: 'former customer' }]);
    const accounts = await accountsOf(org);
    expect(accounts.find((a) => a.accountId === ids.get('left'))?.churn).toEqual({ evidence: 'Type is "former customer"' });
  });
});

describe('Salesforce churned tier', () => {
  const tierValues = (org: Awaited<ReturnType<typeof start>>) => {
    const md = org.fake.customFields().get('Account.Health_Tier__c') as {
      valueSet: { valueSetDefinition: { value: { fullName: string; label: string }[] | { fullName: string; label: string } } };
    };
    return [md.valueSet.valueSetDefinition.value].flat().map((v) => `${v.fullName}/${v.label}`);
  };

  it('given a fresh org, when setup runs, then the tier picklist is created with churned among its values', async () => {
    const org = await start();
    const report = await org.connector.setup();
    expect(report.created).toContain('Account.Health_Tier__c');
    expect(tierValues(org)).toEqual(['green/Green', 'yellow/Yellow', 'red/Red', 'unknown/Unknown', 'churned/Churned']);
  });

  it('given a tier picklist from before churned, when churned is written, then Salesforce refuses it; setup adds the value once (keeping an admin value) and the write then lands', async () => {
    const org = await start();
    await org.connector.setup();
    // As an earlier release (and an admin who added a value of their own) left the picklist.
    await org.connector.client.conn.metadata.update('CustomField', {
      fullName: 'Account.Health_Tier__c',
      label: 'Health Tier',
      type: 'Picklist',
      valueSet: {
        restricted: true,
        valueSetDefinition: {
          sorted: false,
          value: ['green', 'yellow', 'red', 'unknown', 'watch'].map((v) => ({ fullName: v, default: false, label: v.toUpperCase() })),
        },
      },
    } as never);
    const ids = [...org.fake.seedAccounts([{ key: 'gone', name: 'Gone', domain: 'gone.example' }]).values()];
    const id = ids[0] as string;
    const row = { accountId: id, values: scoreOf(31, { tier: 'churned' }), previous: undefined };

    const refused = await org.connector.writeScores([row]);
    expect(refused.outcomes).toEqual([
      {
        accountId: id,
        status: 'rejected',
        reason: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Health Tier: bad value for restricted picklist field: churned',
      },
    ]);

    const first = await org.connector.setup();
    expect(first.updated).toEqual(['Account.Health_Tier__c']);
    expect(tierValues(org)).toEqual(['green/GREEN', 'yellow/YELLOW', 'red/RED', 'unknown/UNKNOWN', 'churned/Churned', 'watch/WATCH']);
    const second = await org.connector.setup();
    expect(second.updated).toEqual([]);
    expect(second.created).toEqual([]);
    expect(second.unchanged).toContain('Account.Health_Tier__c');

    const written = await org.connector.writeScores([row]);
    expect(written.outcomes.map((o) => o.status)).toEqual(['written']);
    expect(org.fake.account(id)?.Health_Tier__c).toBe('churned');
  });

  it('given churned written after setup, when the customer returns red, then the dry-run preview reads churned from the org and shows churned → red', async () => {
    const org = await start();
    await org.connector.setup();
    const id = [...org.fake.seedAccounts([{ key: 'gone', name: 'Gone', domain: 'gone.example' }]).values()][0] as string;
    const other = connectTo(org.fake);
    const report = await other.writeScores([{ accountId: id, values: scoreOf(12, { tier: 'churned' }), previous: undefined }]);
    expect(report.outcomes[0]?.status).toBe('written');
    const [preview] = await other.previewWrites([
      { accountId: id, values: scoreOf(12, { tier: 'red' }), previous: scoreOf(12, { tier: 'churned' }) },
    ]);
    expect(preview?.changes.find((c) => c.key === 'tier')).toEqual({ key: 'tier', property: 'Health_Tier__c', from: 'churned', to: 'red' });
  });
});
