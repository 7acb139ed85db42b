import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import { type Org, startOrg } from './support.ts';

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

const FIELDS = [
  'Health_Score__c',
  'Health_Tier__c',
  'Health_Drivers__c',
  'Health_Change_7d__c',
  'Health_Change_30d__c',
  'Health_Completeness__c',
  'Health_Flags__c',
  'Health_Model__c',
  'Health_Last_Change__c',
  'Health_Updated_At__c',
].map((f) => `Account.${f}`);
/** The customized org already has the CSM override fields: setup leaves them as they are. */
const OVERRIDES = ['Health_Override_Score__c', 'Health_Override_Reason__c', 'Health_Override_Expires__c'].map((f) => `Account.${f}`);
const ACCESS = ['PermissionSet.Healthscore_Integration', 'PermissionSetAssignment.Healthscore_Integration.integration@healthscore.example'];

describe('Salesforce setup of the health-score fields', () => {
  it('given a fresh org, when setup runs twice, then the first creates the ten Account fields in one call (and their permission set) and the second only reads', async () => {
    org = await startOrg();
    const first = await org.connector.setup();
    expect(first.created.sort()).toEqual([...FIELDS, ...ACCESS].sort());
    expect(first.updated).toEqual([]);
    const tier = org.fake.customFields().get('Account.Health_Tier__c') as { type: string; valueSet: unknown };
    expect(tier.type).toBe('Picklist');
    expect(JSON.stringify(tier.valueSet)).toMatch(/green.*yellow.*red.*unknown/);
    expect(org.fake.customFields().get('Account.Health_Score__c')).toMatchObject({ type: 'Number', precision: '3', scale: '0' });
    expect(org.fake.customFields().get('Account.Health_Updated_At__c')).toMatchObject({ type: 'DateTime' });

    const second = await org.connector.setup();
    expect(second).toEqual({ created: [], updated: [], unchanged: [...FIELDS, ...OVERRIDES, ...ACCESS] });
    const reads = (n: number) => Array.from({ length: n }, () => 'readMetadata');
    expect(org.fake.metadataOperations().map((o) => o.operation)).toEqual([
      ...reads(3), // the ten fields and the mapped ones, 10 per call
      'createMetadata',
      'readMetadata', // the permission set
      'upsertMetadata',
      ...reads(4),
    ]);
  });

  it('given a tier picklist an admin made without "unknown", when setup runs, then only that field is updated', async () => {
    org = await startOrg();
    await org.connector.setup();
    const conn = org.connector.client.conn;
    await conn.metadata.update('CustomField', {
      fullName: 'Account.Health_Tier__c',
      label: 'Health Tier',
      type: 'Picklist',
      valueSet: { restricted: true, valueSetDefinition: { sorted: false, value: [{ fullName: 'green', default: false, label: 'Green' }] } },
    } as never);
    const report = await org.connector.setup();
    expect(report.updated).toEqual(['Account.Health_Tier__c']);
    expect(report.unchanged).toHaveLength(9 + OVERRIDES.length + ACCESS.length);
  });

  it('given a Health_Score__c field of another type, when setup runs, then it fails with a ConfigError naming the field', async () => {
    org = await startOrg();
    await org.connector.client.conn.metadata.create('CustomField', {
      fullName: 'Account.Health_Score__c',
      label: 'Health Score',
      type: 'Text',
      length: 10,
    } as never);
    await expect(org.connector.setup()).rejects.toThrow(ConfigError);
    await expect(org.connector.setup()).rejects.toThrow(/Health_Score__c exists with type Text, expected Number/);
  });
});
