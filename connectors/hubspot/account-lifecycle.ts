// Whether a listed company is a customer the product scores (its scope, from `company.scope`:
// HubSpot's `lifecyclestage` is `customer` by default) and whether a configured property says the
// customer has left (`company.churn`, opt-in). Read from the listing's current values: every company
// is listed, in scope or not, so the run notices a customer that leaves. A churn date that is not a
// date drops only the date, with a note naming the record and the property (never the value).
import { isoDay } from '../../lib/days.ts';
import type { AccountScope, CrmChurnEvidence } from '../shared/crm.ts';
import type { HubSpotConfig } from './config.ts';
import { parseHubSpotTime } from './values.ts';

type Properties = Record<string, string | null | undefined>;

/** The configured value `raw` matches (case-insensitive; each option of a multi-select counts), if any. */
function matching(raw: string | null | undefined, values: readonly string[]): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const parts = raw
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);
  return parts.find((p) => values.some((v) => v.toLowerCase() === p.toLowerCase()));
}

const describeValues = (values: readonly string[]) => (values.length === 1 ? values[0] : `one of ${values.join(', ')}`);

/** The company's scope; undefined when scoping is off (`company.scope: false`: every company is in). */
export function scopeOf(properties: Properties, config: HubSpotConfig): AccountScope | undefined {
  const scope = config.company.scope;
  if (scope === false) return undefined;
  const raw = properties[scope.property]?.trim();
  if (matching(raw, scope.values) !== undefined) return { in: true };
  if (raw === undefined || raw === '') return { in: false, reason: `${scope.property} is empty` };
  return { in: false, reason: `${scope.property} is "${raw}", not ${describeValues(scope.values)}` };
}

export interface ChurnReading {
  churn?: CrmChurnEvidence;
  /** Why the churn date was left out (the date property holds something that is not a date). */
  problem?: string;
}

/** The churn evidence a configured property gives, with the day from the date property when it holds a date. */
export function churnOf(id: string, properties: Properties, config: HubSpotConfig): ChurnReading {
  const c = config.company.churn;
  if (!c) return {};
  const value = matching(properties[c.property], c.values);
  if (value === undefined) return {};
  const churn: CrmChurnEvidence = { evidence: `${c.property} is "${value}"` };
  if (!c.dateProperty) return { churn };
  const raw = properties[c.dateProperty];
  if (raw === null || raw === undefined || raw.trim() === '') return { churn };
  const at = parseHubSpotTime(raw.trim());
  if (at === undefined)
    return {
      churn,
      problem: `company ${id}: properties.${c.dateProperty}: expected a date (YYYY-MM-DD or epoch milliseconds); the company is listed with its churn (${churn.evidence}) but without a churn date (company.churn.dateProperty)`,
    };
  churn.on = isoDay(at);
  return { churn };
}

/** The company properties scope and churn read (the listing asks for them). */
export function lifecyclePropertyNames(config: HubSpotConfig): string[] {
  const { scope, churn } = config.company;
  return [
    ...(scope === false ? [] : [scope.property]),
    ...(churn ? [churn.property, ...(churn.dateProperty ? [churn.dateProperty] : [])] : []),
  ];
}
