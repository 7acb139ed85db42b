import { afterEach, describe, expect, it } from 'vitest';
import { customizedOrgMapping } from '../../../connectors/salesforce/fake/seed.ts';
import { FIELD_SPECS } from '../../../connectors/salesforce/field-specs.ts';
import type { ScoreWrite } from '../../../connectors/shared/crm.ts';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import { connectTo, type Org, plainAccounts, scoreOf, startOrg } from './support.ts';

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

const PS = 'Healthscore_Integration';
const USER = 'integration@healthscore.example';
const SCORE_FIELDS = FIELD_SPECS.map((f) => f.fullName);
/** The customized org already has the CSM override fields: setup leaves them as they are. */
const OVERRIDE_FIELDS = ['Account.Health_Override_Score__c', 'Account.Health_Override_Reason__c', 'Account.Health_Override_Expires__c'];

const rowsFor = (ids: string[]): ScoreWrite[] => ids.map((accountId, i) => ({ accountId, values: scoreOf(50 + i), previous: undefined }));

/** The ten fields as an earlier setup (or an admin) made them: through the Metadata API, with no field-level security. */
async function fieldsWithoutAccess(o: Org): Promise<void> {
  const results = await o.connector.client.conn.metadata.create('CustomField', FIELD_SPECS as never[]);
  expect([results].flat().every((r) => r.success)).toBe(true);
}

/** The permission set's fieldPermissions as the fake stored them (SOAP text values). */
const fieldPermissions = (o: Org) =>
  ([o.fake.permissionSets().get(PS)?.fieldPermissions ?? []].flat() as Record<string, string>[]).map((p) => ({
    field: p.field,
    readable: p.readable === 'true',
    editable: p.editable === 'true',
  }));

describe('Salesforce field-level security for the integration user', () => {
  it("given the health fields exist but no permission grants them, when scores are written, then every record is rejected with Salesforce's INVALID_FIELD message, and after setup the same write lands", async () => {
    org = await startOrg();
    const ids = [...org.fake.seedAccounts(plainAccounts(3)).values()];
    await fieldsWithoutAccess(org);
    expect(org.fake.fieldAccess('Account.Health_Score__c')).toBe('none');

    const before = await org.connector.writeScores(rowsFor(ids));
    expect(before.outcomes).toEqual(
      ids.map((accountId) => ({
        accountId,
        status: 'rejected',
        reason: "INVALID_FIELD: No such column 'Health_Score__c' on sobject of type Account",
      })),
    );
    expect(ids.every((id) => org?.fake.updatesOf(id) === 0)).toBe(true);

    const report = await org.connector.setup();
    expect(report.unchanged).toEqual([...SCORE_FIELDS, ...OVERRIDE_FIELDS]);
    expect(report.created).toEqual([`PermissionSet.${PS}`, `PermissionSetAssignment.${PS}.${USER}`]);
    expect(org.fake.assignedPermissionSets()).toEqual([PS]);
    expect(org.fake.fieldAccess('Account.Health_Score__c')).toBe('edit');

    const after = await org.connector.writeScores(rowsFor(ids));
    expect(after.outcomes.map((o) => o.status)).toEqual(['written', 'written', 'written']);
    expect(org.fake.account(ids[2] as string)).toMatchObject({ Health_Score__c: 52, Health_Tier__c: 'yellow' });
  });

  it('given setup ran, when it runs again, then nothing is saved or assigned and the permission set grants Read and Edit on the ten fields plus Read on the mapped custom fields', async () => {
    org = await startOrg();
    await org.connector.setup();
    const saves = () => org?.fake.metadataOperations().filter((o) => o.operation !== 'readMetadata').length;
    const inserts = () => org?.fake.server.calls('POST', /\/sobjects\//).length;
    expect([saves(), inserts()]).toEqual([2, 1]);

    const again = await org.connector.setup();
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toEqual([...SCORE_FIELDS, ...OVERRIDE_FIELDS, `PermissionSet.${PS}`, `PermissionSetAssignment.${PS}.${USER}`]);
    expect(again.warnings).toBeUndefined();
    expect([saves(), inserts()]).toEqual([2, 1]);

    const granted = fieldPermissions(org);
    for (const field of SCORE_FIELDS) expect(granted).toContainEqual({ field, readable: true, editable: true });
    for (const field of ['Account.Segment__c', 'Account.Stripe_Customer_Id__c', 'Account.Health_Override_Score__c', 'Contact.Champion__c'])
      expect(granted).toContainEqual({ field, readable: true, editable: false });
    expect(org.fake.permissionSets().get(PS)).toMatchObject({ label: 'Healthscore integration' });
  });

  it('given a mapped field the org does not have, when setup runs, then the permission set leaves it out instead of failing on it', async () => {
    org = await startOrg();
    const connector = connectTo(org.fake, {
      mapping: { ...customizedOrgMapping, account: { ...customizedOrgMapping.account, nps: 'Net_Promoter__c' } },
    });
    await connector.setup();
    const fields = fieldPermissions(org).map((p) => p.field);
    expect(fields).toContain('Account.Renewal_Date__c');
    expect(fields).not.toContain('Account.Net_Promoter__c');
  });

  it('given an admin narrowed the permission set to read-only and granted more on it, when scores are written, then Salesforce refuses the write; setup widens the set again and keeps the admin grant', async () => {
    org = await startOrg();
    const ids = [...org.fake.seedAccounts(plainAccounts(1)).values()];
    await org.connector.setup();
    const narrowed = [
      ...SCORE_FIELDS.map((field) => ({ editable: false, field, readable: true })),
      { editable: true, field: 'Account.NPS_Score__c', readable: true },
    ];
    await org.connector.client.conn.metadata.upsert('PermissionSet', {
      fullName: PS,
      label: 'Healthscore integration',
      fieldPermissions: narrowed,
    } as never);

    const refused = await org.connector.writeScores(rowsFor(ids));
    expect(refused.outcomes[0]).toEqual({
      accountId: ids[0],
      status: 'rejected',
      reason:
        'INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Health_Score__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
    });

    const report = await org.connector.setup();
    expect(report.updated).toEqual([`PermissionSet.${PS}`]);
    expect(fieldPermissions(org)).toContainEqual({ field: 'Account.NPS_Score__c', readable: true, editable: true });
    expect((await org.connector.writeScores(rowsFor(ids))).outcomes[0]?.status).toBe('written');
  });

  it('given a user who may neither manage nor assign permission sets, when setup runs, then it fails with a ConfigError telling the admin which permission set to create and assign to whom, and succeeds once they may', async () => {
    org = await startOrg({ integrationUser: { managePermissionSets: false, assignPermissionSets: false } });
    const setup = org.connector.setup();
    await expect(setup).rejects.toThrow(ConfigError);
    const message = await setup.catch((err: Error) => err.message);
    expect(message).toContain(`the integration user ${USER} cannot edit Account.Health_Score__c`);
    expect(message).toContain('[INSUFFICIENT_ACCESS');
    expect(message).toContain(`give ${USER} "Manage Profiles and Permission Sets" and "Assign Permission Sets"`);
    expect(message).toContain(
      `create the permission set "Healthscore integration" (API name ${PS}) granting Read and Edit on Account.Health_Score__c`,
    );
    expect(message).toContain(`assign it to ${USER}`);
    expect(org.fake.customFields().size).toBe(10);
    expect(org.fake.permissionSets().size).toBe(0);

    org.fake.setUserPermissions({ managePermissionSets: true, assignPermissionSets: true });
    const report = await org.connector.setup();
    expect(report.created).toEqual([`PermissionSet.${PS}`, `PermissionSetAssignment.${PS}.${USER}`]);
  });

  it('given a user who may create the permission set but not assign it, when setup runs, then the ConfigError says to assign Healthscore_Integration to that user', async () => {
    org = await startOrg({ integrationUser: { assignPermissionSets: false } });
    const message = await org.connector.setup().then(
      () => 'no error',
      (err: Error) => err.message,
    );
    expect(message).toContain(`(API name ${PS}) grants that access but setup may not assign it [INSUFFICIENT_ACCESS_OR_READONLY`);
    expect(message).toContain(`Ask a Salesforce admin to assign ${PS} to ${USER}`);
    expect(org.fake.permissionSets().has(PS)).toBe(true);
    expect(org.fake.assignedPermissionSets()).toEqual([]);
  });

  it('given a refused user whose profile an admin granted the fields, when setup runs, then it succeeds with a warning and writes land', async () => {
    org = await startOrg({ integrationUser: { managePermissionSets: false, assignPermissionSets: false } });
    const ids = [...org.fake.seedAccounts(plainAccounts(1)).values()];
    await expect(org.connector.setup()).rejects.toThrow(ConfigError);
    for (const field of SCORE_FIELDS) org.fake.grantOnProfile(field, 'edit');

    const report = await org.connector.setup();
    expect(report.warnings).toEqual([
      expect.stringMatching(/may not create or update Healthscore_Integration \[INSUFFICIENT_ACCESS.*other grants/),
    ]);
    expect(report.unchanged).toEqual([...SCORE_FIELDS, ...OVERRIDE_FIELDS]);
    expect((await org.connector.writeScores(rowsFor(ids))).outcomes[0]?.status).toBe('written');
  });

  it('given a user without Modify Metadata, when setup runs, then the SOAP fault fails it at once with a ConfigError instead of being retried as an outage', async () => {
    org = await startOrg({ integrationUser: { modifyMetadata: false } });
    const setup = org.connector.setup();
    await expect(setup).rejects.toBeInstanceOf(ConfigError);
    await expect(setup).rejects.toThrow(/"Modify Metadata Through Metadata API Functions".*\[INSUFFICIENT_ACCESS: .*ModifyMetadata/);
    expect(org.fake.server.calls('POST', /\/services\/Soap\/m\//)).toHaveLength(1);
  });
});
