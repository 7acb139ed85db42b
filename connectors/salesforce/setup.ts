// Prepares the org for write-back, idempotently. First the health-score custom fields on Account,
// through the Metadata API: one read finds what exists; only missing fields are created and only
// fields that cannot hold our values (a missing tier value, a shorter text) are updated. Then the
// access to them (permission-set.ts): fields created this way are hidden from every profile until
// field-level security grants them. A second run changes nothing.
import { chunk } from '../../lib/chunk.ts';
import type { SetupReport } from '../shared/crm.ts';
import { ConfigError } from '../shared/errors.ts';
import type { SalesforceClient } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import { type ExistingField, FIELD_SPECS, type FieldSpec, overrideFieldSpecs, shortfall, widened } from './field-specs.ts';
import {
  type AccessStep,
  type ConnectedUser,
  connectedUser,
  ensureAssignment,
  ensurePermissionSet,
  type FieldPermission,
  mappedCustomFields,
  PERMISSION_SET,
  uneditableAccountFields,
} from './permission-set.ts';

interface SaveResult {
  fullName: string;
  success: boolean;
  errors?: { statusCode?: string; message?: string }[] | { statusCode?: string; message?: string };
}

const errorsOf = (r: SaveResult) => (Array.isArray(r.errors) ? r.errors : r.errors ? [r.errors] : []);

/** Reports Salesforce setup; `warnings` says what setup could not do although nothing is broken. */
export interface SalesforceSetupReport extends SetupReport {
  warnings?: string[];
}

/** Custom field definitions by full name, read 10 per call (the Metadata API's limit). */
async function readCustomFields(client: SalesforceClient, names: readonly string[]): Promise<Map<string, ExistingField>> {
  const existing = new Map<string, ExistingField>();
  for (const part of chunk(names, 10)) {
    // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_readMetadata.htm
    const read = (await client.call(() => client.conn.metadata.read('CustomField', part))) as unknown as (ExistingField | null)[];
    for (const f of [read].flat()) if (f?.fullName) existing.set(f.fullName, f);
  }
  return existing;
}

async function setupFields(
  client: SalesforceClient,
  existing: Map<string, ExistingField>,
  report: SetupReport,
  overrides: readonly FieldSpec[],
): Promise<void> {
  const { metadata } = client.conn;
  const toCreate: FieldSpec[] = [];
  const toUpdate: FieldSpec[] = [];
  for (const spec of FIELD_SPECS) {
    const have = existing.get(spec.fullName);
    if (!have) toCreate.push(spec);
    else if (shortfall(spec, have)) toUpdate.push(widened(spec, have));
    else report.unchanged.push(spec.fullName);
  }
  // The override fields may be the org's own (mapped to existing fields of another shape): created when missing, never changed.
  for (const spec of overrides) {
    if (existing.has(spec.fullName)) report.unchanged.push(spec.fullName);
    else toCreate.push(spec);
  }
  const save = async (operation: 'create' | 'update', all: FieldSpec[], into: string[]) => {
    // The Metadata API takes at most 10 components per call.
    for (const specs of chunk(all, 10)) await saveSome(operation, specs, into);
  };
  const saveSome = async (operation: 'create' | 'update', specs: FieldSpec[], into: string[]) => {
    // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_createMetadata.htm
    const results = (await client.call(() =>
      operation === 'create' ? metadata.create('CustomField', specs as never[]) : metadata.update('CustomField', specs as never[]),
    )) as unknown as SaveResult[];
    const failures: string[] = [];
    for (const r of [results].flat()) {
      const errors = errorsOf(r);
      // A create retried after a lost response finds the field it made the first time.
      if (r.success || (operation === 'create' && errors.every((e) => e.statusCode === 'DUPLICATE_DEVELOPER_NAME'))) into.push(r.fullName);
      else failures.push(`${r.fullName}: ${errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`);
    }
    if (failures.length > 0)
      throw new ConfigError(
        'salesforce',
        `could not ${operation} custom fields (the integration user needs "Customize Application" and "Modify Metadata Through Metadata API Functions"): ${failures.join(' | ')}`,
      );
  };
  await save('create', toCreate, report.created);
  await save('update', toUpdate, report.updated);
}

const SCORE_FIELDS = FIELD_SPECS.map((f) => f.fullName);

/** What an admin must do when the connected user cannot edit the fields and setup could not fix it. */
function accessProblem(user: ConnectedUser, blocked: string[], set: AccessStep, assignment: AccessStep | { missing: true }): string {
  const ps = `permission set "${PERMISSION_SET.label}" (API name ${PERMISSION_SET.name})`;
  const head = `the integration user ${user.username} cannot edit ${blocked.map((f) => `Account.${f}`).join(', ')}, so every score write would be rejected.`;
  const again = 'then run setup again.';
  if ('denied' in set)
    return `${head} Setup may not create or update permission sets [${set.denied}]. Ask a Salesforce admin either to give ${user.username} "Manage Profiles and Permission Sets" and "Assign Permission Sets", or to create the ${ps} granting Read and Edit on ${SCORE_FIELDS.join(', ')} (and Read on the mapped custom fields) and assign it to ${user.username}; ${again}`;
  if ('denied' in assignment)
    return `${head} The ${ps} grants that access but setup may not assign it [${assignment.denied}]. Ask a Salesforce admin to assign ${PERMISSION_SET.name} to ${user.username} (Setup > Permission Sets > ${PERMISSION_SET.label} > Manage Assignments) or to give that user "Assign Permission Sets"; ${again}`;
  return `${head} The ${ps} is assigned, so something else removes the access: give the user's profile Read and Edit on the Account object and check that no muting permission set hides the fields; ${again}`;
}

export async function setupSalesforce(client: SalesforceClient, mapping: SalesforceMapping): Promise<SalesforceSetupReport> {
  const mapped = mappedCustomFields(mapping);
  const existing = await readCustomFields(client, [...SCORE_FIELDS, ...mapped.filter((f) => !SCORE_FIELDS.includes(f))]);
  const report: SalesforceSetupReport = { created: [], updated: [], unchanged: [] };
  const overrides = overrideFieldSpecs(mapping);
  await setupFields(client, existing, report, overrides);
  for (const spec of overrides)
    if (report.created.includes(spec.fullName)) existing.set(spec.fullName, { fullName: spec.fullName, type: spec.type });

  // Read on the mapped custom fields that exist and accept field-level security (not required, not master-detail).
  const readable = mapped.filter((f) => {
    const field = existing.get(f);
    return field && field.required !== true && field.type !== 'MasterDetail' && !SCORE_FIELDS.includes(f);
  });
  const want: FieldPermission[] = [
    ...SCORE_FIELDS.map((field) => ({ field, readable: true, editable: true })),
    ...readable.map((field) => ({ field, readable: true, editable: false })),
  ];
  const record = (step: AccessStep | { missing: true }, name: string) => {
    if ('status' in step) report[step.status].push(name);
  };
  const set = await ensurePermissionSet(client, want);
  record(set, `PermissionSet.${PERMISSION_SET.name}`);
  const user = await connectedUser(client);
  const assignment = await ensureAssignment(client, user);
  record(assignment, `PermissionSetAssignment.${PERMISSION_SET.name}.${user.username}`);

  // The proof: a describe made as the connected user. If it cannot edit the fields, setup fails with a
  // ConfigError rather than a warning: `healthscore setup` and the setup Lambda print and return only
  // created / updated / unchanged and succeed, so a warning would go unread and the next run would
  // reject every record; a ConfigError stops with the exact grant an admin must make (then setup is
  // simply run again). When setup was refused but the user can edit the fields anyway (an admin
  // granted them another way), nothing is broken and a warning says what setup could not do.
  const blocked = await uneditableAccountFields(
    client,
    SCORE_FIELDS.map((f) => f.split('.')[1] as string),
  );
  if (blocked.length > 0) throw new ConfigError('salesforce', accessProblem(user, blocked, set, assignment));
  const warnings: string[] = [];
  for (const [what, step] of [['create or update', set] as const, ['assign', assignment] as const])
    if ('denied' in step)
      warnings.push(
        `setup may not ${what} ${PERMISSION_SET.name} [${step.denied}]; the integration user can edit the health-score fields through other grants`,
      );
  if (warnings.length > 0) report.warnings = warnings;
  return report;
}
