// The Account fields setup creates and what it accepts of fields that already exist: the score
// fields (with the Health Tier picklist's values, `churned` included), the CSM override fields, and
// for an existing field what it lacks to hold our values and the update that adds it without taking
// anything away (a picklist keeps the values an admin added).
import { CRM_TIERS, type ScoreProperties } from '../shared/crm.ts';
import { ConfigError } from '../shared/errors.ts';
import type { SalesforceMapping } from './config.ts';

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

export interface FieldSpec {
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

export interface ExistingField {
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
export function widened(spec: FieldSpec, existing: ExistingField): FieldSpec {
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
export function shortfall(spec: FieldSpec, existing: ExistingField): string | undefined {
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
