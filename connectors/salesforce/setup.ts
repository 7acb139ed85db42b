// Creates the health-score custom fields on Account through the Metadata API, idempotently: one
// readMetadata call finds what exists; only missing fields are created and only fields that cannot
// hold our values (a missing tier value, a shorter text) are updated, so a second run changes nothing.
import type { ScoreProperties, SetupReport } from '../shared/crm.ts';
import { ConfigError } from '../shared/errors.ts';
import type { SalesforceClient } from './client.ts';

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
  updatedAt: 'Health_Updated_At__c',
};

export const TIERS = ['green', 'yellow', 'red', 'unknown'] as const;
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
    description: 'green 70-100, yellow 40-69, red 0-39, unknown when data is too incomplete',
    valueSet: {
      restricted: true,
      valueSetDefinition: {
        sorted: false,
        value: TIERS.map((t) => ({ fullName: t, default: false, label: t.charAt(0).toUpperCase() + t.slice(1) })),
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
    fullName: `Account.${SCORE_FIELD.updatedAt}`,
    label: 'Health Updated At',
    type: 'DateTime',
    description: 'When any health value last changed',
  },
];

interface ExistingField {
  fullName?: string;
  type?: string | null;
  precision?: number | null;
  scale?: number | null;
  length?: number | null;
  valueSet?: { valueSetDefinition?: { value?: { fullName?: string }[] } | null } | null;
}

/** What an existing field lacks to hold our values, or undefined when it is fine as it is. */
function shortfall(spec: FieldSpec, existing: ExistingField): string | undefined {
  if (existing.type !== spec.type)
    throw new ConfigError(
      'salesforce',
      `${spec.fullName} exists with type ${existing.type ?? 'unknown'}, expected ${spec.type}: delete or rename that field, then run setup again`,
    );
  if (spec.valueSet) {
    const have = new Set((existing.valueSet?.valueSetDefinition?.value ?? []).map((v) => v.fullName));
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

export async function setupSalesforceFields(client: SalesforceClient): Promise<SetupReport> {
  const { metadata } = client.conn;
  const names = FIELD_SPECS.map((f) => f.fullName);
  // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_readMetadata.htm
  const read = (await client.call(() => metadata.read('CustomField', names))) as unknown as ExistingField[];
  const existing = new Map(read.filter((f) => f.fullName).map((f) => [f.fullName as string, f]));
  const report: SetupReport = { created: [], updated: [], unchanged: [] };
  const toCreate: FieldSpec[] = [];
  const toUpdate: FieldSpec[] = [];
  for (const spec of FIELD_SPECS) {
    const have = existing.get(spec.fullName);
    if (!have) toCreate.push(spec);
    else if (shortfall(spec, have)) toUpdate.push(spec);
    else report.unchanged.push(spec.fullName);
  }
  const save = async (operation: 'create' | 'update', specs: FieldSpec[], into: string[]) => {
    if (specs.length === 0) return;
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
        `could not ${operation} custom fields (the integration user needs "Customize Application" and "Modify Metadata"): ${failures.join(' | ')}`,
      );
  };
  await save('create', toCreate, report.created);
  await save('update', toUpdate, report.updated);
  return report;
}
