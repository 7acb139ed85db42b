// `healthscore check`'s Salesforce part (createSalesforceCheck) against the fake org: a mapped field
// of a type the connector cannot read fails with the field, both types and the fix; the scope field
// and its values are checked against the Account describe, and the first accounts are counted in scope.
import { describe, expect, it } from 'vitest';
import { createSalesforceCheck } from '../../../connectors/salesforce/check.ts';
import { customizedOrgMappingInput } from '../../../connectors/salesforce/fake/seed.ts';
import type { SalesforceFake } from '../../../connectors/salesforce/fake/server.ts';
import { fastRetry, orgsClosedAfterEach } from './support.ts';

const start = orgsClosedAfterEach();
const ctx = { secretName: 'the environment variable SALESFORCE_ACCESS_TOKEN', asOf: new Date('2026-03-01T00:00:00Z') };

async function inspect(fake: SalesforceFake, mapping: Record<string, unknown>) {
  const check = createSalesforceCheck({ instanceUrl: fake.instanceUrl, accessToken: fake.accessToken, retry: fastRetry, mapping });
  const { findings } = await check.inspect(ctx);
  return findings.filter((f) => f.area === 'mapping').map((f) => `${f.status} ${f.message}`);
}

describe('Salesforce check of the mapping', () => {
  it('given a date read from a date-time field and a number from a picklist, then each fails naming the field, its type, the type read and the fix', async () => {
    const { fake } = await start();
    fake.seedAccounts([{ key: 'a', name: 'A', domain: 'a.example' }]);
    const account = { ...customizedOrgMappingInput.account, contractStart: 'LastModifiedDate', nps: 'CSM_Sentiment__c' };
    const lines = await inspect(fake, { ...customizedOrgMappingInput, account });
    expect(lines).toContain(
      'fail Account.LastModifiedDate is of type datetime, but mapping.account.contractStart (for lifecycle.accountAgeDays) is read as a Date: map a field of that type in mapping.account.contractStart, or set it to null',
    );
    expect(lines).toContain(
      'fail Account.CSM_Sentiment__c is of type picklist, but mapping.account.nps (for outcome.nps) is read as a number (Number, Percent or Currency): map a field of that type in mapping.account.nps, or set it to null',
    );
    expect(lines.filter((l) => l.startsWith('fail'))).toHaveLength(2);
  });

  it('given prospects among the accounts, then a note counts the first accounts in scope and gives the commonest reasons for the rest', async () => {
    const { fake } = await start();
    fake.seedAccounts([
      { key: 'a', name: 'A', domain: 'a.example' },
      { key: 'b', name: 'B', domain: 'b.example', accountType: 'Customer - Channel' },
      { key: 'c', name: 'C', domain: 'c.example', accountType: 'Prospect' },
      { key: 'd', name: 'D', domain: 'd.example', accountType: 'Prospect' },
      { key: 'e', name: 'E', domain: 'e.example', accountType: null },
    ]);
    const lines = await inspect(fake, customizedOrgMappingInput);
    expect(lines).toContain(
      'note 2 of the first 5 accounts are in scope (Type is Customer - Direct or Customer - Channel); the others are not scored (2: Type is "Prospect", not one of Customer - Direct, Customer - Channel; 1: Type is empty)',
    );
    expect(lines.filter((l) => !l.startsWith('ok') && !l.startsWith('note'))).toEqual([
      // The customized org before setup: the score fields do not exist yet.
      expect.stringMatching(/^warn 10 score fields are missing/),
    ]);
  });

  it('given scope values the Type picklist does not offer, then a warning names them and the active values', async () => {
    const { fake } = await start();
    fake.seedAccounts([{ key: 'a', name: 'A', domain: 'a.example' }]);
    const lines = await inspect(fake, {
      ...customizedOrgMappingInput,
      scope: { field: 'Type', values: ['Customer', 'Customer - Direct'] },
    });
    expect(lines).toContain(
      'warn "Customer" is not an active value of the Account.Type picklist (mapping.scope.values; its active values: Prospect, Customer - Direct, Customer - Channel, Channel Partner / Reseller, Installation Partner, Technology Partner, Other, Former Customer); correct mapping.scope.values or add the value to the picklist',
    );
  });

  it('given a scope field the org lacks, then it fails and no scope note is given; given scoping off, a note says every account is scored', async () => {
    const { fake } = await start();
    const missing = await inspect(fake, { ...customizedOrgMappingInput, scope: { field: 'Customer_Status__c', values: ['Active'] } });
    expect(missing).toContain(
      'fail Account field Customer_Status__c (mapping.scope.field, which says which accounts are customers) does not exist or is hidden from the integration user: grant Read on it, name another field in mapping.scope, or set mapping.scope to null to score every account',
    );
    expect(missing.some((l) => / in scope /.test(l))).toBe(false);
    const off = await inspect(fake, { ...customizedOrgMappingInput, scope: null });
    expect(off).toContain('note mapping.scope is null: every Account is scored as a customer');
  });
});
