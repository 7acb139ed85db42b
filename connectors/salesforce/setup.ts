// Prepares the org for write-back, idempotently. First the health-score custom fields on Account,
// through the Metadata API: one read finds what exists; only missing fields are created and only
// fields that cannot hold our values (a missing tier value, a shorter text) are updated. Then the
// access to them (permission-set.ts): fields created this way are hidden from every profile until
// field-level security grants them. A second run changes nothing.
import { chunk } from '../../lib/chunk.ts';
import { CRM_TIERS, type ScoreProperties, type SetupReport } from '../shared/crm.ts';
import { ConfigError } from '../shared/errors.ts';
import type { SalesforceClient } from './client.ts';
import type { SalesforceMapping } from './config.ts';
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

/** The Account field each written value lands in. */
export const SCORE_FIELD: Record<keyof ScoreProperties, string> = {
  score: 'Health_Score__c',
  tier: 'Health_Tier__c',
  drivers: 'Health_Drivers__c',
  change7d: 'Health_Change_7d__c',
  change30d: 'Health_Change_30d__c',
  completeness: 'Health_Completeness__c',
  flags: 'Health_Flags__c',
  modelId: 'Health_Model__c',
  lastChange: 'Health_Last_Change__c',
  updatedAt: 'Health_Updated_At__c',
};

export const DRIVERS_LENGTH = 32768;
export const FLAGS_LENGTH = 255;
export const MODEL_LENGTH = 80;

interface FieldSpec {
  fullName: string;
  label: string;
  type: string;
  description: string;
  precision?: number;
  scale?: number;
  length?: number;
  visibleLines?: number;
  valueSet?: {
    restricted: boolean;
    valueSetDefinition: { sorted: boolean; value: { fullName: string; default: boolean; label: string }[] };
  };
}

const number = (key: keyof ScoreProperties, label: string, precision: number, scale: number, description: string): FieldSpec => ({
  fullName: `Account.${SCORE_FIELD[key]}`,
  label,
  type: 'Number',
  precision,
  scale,
  description,
});

export const FIELD_SPECS: FieldSpec[] = [
  number('score', 'Health Score', 3, 0, 'Customer health score 0-100 (empty when too little data), written by healthscore'),
  {
    fullName: `Account.${SCORE_FIELD.tier}`,
    label: 'Health Tier',
    type: 'Picklist',
    description: 'green 70-100, yellow 40-69, red 0-39, unknown when data is too incomplete, churned when the customer has left',
    valueSet: {
      restricted: true,
      valueSetDefinition: {
        sorted: false,
        // The API name is what the writer sends (green … churned); the label is what people see.
        value: CRM_TIERS.map((t) => ({ fullName: t, default: false, label: t.charAt(0).toUpperCase() + t.slice(1) })),
      },
    },
  },
  {
    fullName: `Account.${SCORE_FIELD.drivers}`,
    label: 'Health Drivers',
    type: 'LongTextArea',
    length: DRIVERS_LENGTH,
    visibleLines: 5,
    description: 'The top three reasons behind the score, one per line',
  },
  number('change7d', 'Health Change 7d', 3, 0, 'Score change over the last 7 days'),
  number('change30d', 'Health Change 30d', 3, 0, 'Score change over the last 30 days'),
  number('completeness', 'Health Completeness', 3, 2, 'Share (0-1) of the model weight backed by data'),
  {
    fullName: `Account.${SCORE_FIELD.flags}`,
    label: 'Health Flags',
    type: 'Text',
    length: FLAGS_LENGTH,
    description: 'Flags raised, e.g. renewal_risk',
  },
  {
    fullName: `Account.${SCORE_FIELD.modelId}`,
    label: 'Health Model',
    type: 'Text',
    length: MODEL_LENGTH,
    description: 'Model that computed the score',
  },
  {
    fullName: `Account.${SCORE_FIELD.lastChange}`,
    label: 'Last Health Change',
    type: 'Text',
    // The sentence is built to fit (lib/history/what-changed.ts, MAX_CHANGE_TEXT).
    length: 255,
    description: 'The last change of the score: when, by how much, and what moved',
  },
  {
    fullName: `Account.${SCORE_FIELD.updatedAt}`,
    label: 'Health Updated At',
    type: 'DateTime',
    description: 'When any health value last changed',
  },
];

/** The fields a CSM fills in to override the score (all three needed); created when the mapping names them and they are missing. */
export function overrideFieldSpecs(m: SalesforceMapping): FieldSpec[] {
  const o = m.override;
  if (!o) return [];
  return [
    {
      fullName: `Account.${o.score}`,
      label: 'Health Override Score',
      type: 'Number',
      precision: 3,
      scale: 0,
      description: 'A score (0-100) a CSM sets by hand; needs a reason and an expiry',
    },
    {
      fullName: `Account.${o.reason}`,
      label: 'Health Override Reason',
      type: 'Text',
      length: 255,
      description: 'Why the score is overridden',
    },
    {
      fullName: `Account.${o.expiresOn}`,
      label: 'Health Override Expires',
      type: 'Date',
      description: 'The last day the override applies',
    },
  ];
}

interface ExistingField {
  fullName?: string;
  type?: string | null;
  required?: boolean | null;
  precision?: number | null;
  scale?: number | null;
  length?: number | null;
  valueSet?: { valueSetDefinition?: { value?: ExistingValue[] | ExistingValue } | null } | null;
}

interface ExistingValue {
  fullName?: string;
  label?: string | null;
}

/** A picklist's values as read (one value may come back as an object rather than a list). */
const valuesOf = (f: ExistingField): ExistingValue[] => [f.valueSet?.valueSetDefinition?.value ?? []].flat();

/**
 * The picklist update that adds our missing values and keeps every value the field holds (an admin's
 * own values, or a label renamed), so saving the whole value set takes nothing away.
 */
function widened(spec: FieldSpec, existing: ExistingField): FieldSpec {
  if (!spec.valueSet) return spec;
  const ours = spec.valueSet.valueSetDefinition.value;
  const have = new Map(valuesOf(existing).flatMap((v) => (v.fullName ? [[v.fullName, v.label ?? v.fullName] as const] : [])));
  const value = [
    ...ours.map((v) => ({ ...v, label: have.get(v.fullName) ?? v.label })),
    ...[...have]
      .filter(([name]) => !ours.some((v) => v.fullName === name))
      .map(([fullName, label]) => ({ fullName, default: false, label })),
  ];
  return { ...spec, valueSet: { ...spec.valueSet, valueSetDefinition: { ...spec.valueSet.valueSetDefinition, value } } };
}

/** What an existing field lacks to hold our values, or undefined when it is fine as it is. */
function shortfall(spec: FieldSpec, existing: ExistingField): string | undefined {
  if (existing.type !== spec.type)
    throw new ConfigError(
      'salesforce',
      `${spec.fullName} exists with type ${existing.type ?? 'unknown'}, expected ${spec.type}: delete or rename that field, then run setup again`,
    );
  if (spec.valueSet) {
    const have = new Set(valuesOf(existing).map((v) => v.fullName));
    const missing = spec.valueSet.valueSetDefinition.value.filter((v) => !have.has(v.fullName));
    if (missing.length > 0) return `missing values ${missing.map((v) => v.fullName).join(', ')}`;
  }
  if (spec.length !== undefined && (existing.length ?? 0) < spec.length) return `length ${existing.length} < ${spec.length}`;
  if (spec.precision !== undefined && (existing.precision !== spec.precision || existing.scale !== spec.scale))
    return `precision ${existing.precision},${existing.scale} instead of ${spec.precision},${spec.scale}`;
  return undefined;
}

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
