// `healthscore check`'s look at the mapped properties' definitions (types and options), from the
// portal's property list: a mapped property whose HubSpot type the connector cannot read as it needs
// (a date kept in a text property, a number in a dropdown of words) fails; a scope or churn value that
// is not an option of its enumeration can never match and warns, naming the options that exist.
// Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (property types and options)
import type { HubSpotConfig } from './config.ts';
import { mappedProperties } from './portal-check.ts';
import type { PropertyKind } from './raw-schemas.ts';

/** What the Properties API says of a property (the fields the check reads). */
export interface PortalProperty {
  name: string;
  type: string;
  options?: { label: string; value: string }[];
}

const optionValues = (p: PortalProperty) => (p.options ?? []).map((o) => o.value);
const allNumeric = (p: PortalProperty) => optionValues(p).length > 0 && optionValues(p).every((v) => Number.isFinite(Number(v)));
const trueFalse = (p: PortalProperty) => optionValues(p).length > 0 && optionValues(p).every((v) => v === 'true' || v === 'false');

/** Per kind the connector reads, the HubSpot property types that hold it, and the words for the message. */
const accepted: Record<PropertyKind, { ok: (p: PortalProperty) => boolean; expected: string }> = {
  // Read as text: any type whose value is a plain string (an id kept in a number property is fine).
  string: { ok: (p) => ['string', 'enumeration', 'phone_number', 'number'].includes(p.type), expected: 'string or enumeration' },
  number: {
    ok: (p) => p.type === 'number' || (p.type === 'enumeration' && allNumeric(p)),
    expected: 'number (or an enumeration whose options are numbers)',
  },
  date: { ok: (p) => p.type === 'date' || p.type === 'datetime', expected: 'date or datetime' },
  datetime: { ok: (p) => p.type === 'datetime' || p.type === 'date', expected: 'datetime or date' },
  bool: {
    ok: (p) => p.type === 'bool' || (p.type === 'enumeration' && trueFalse(p)),
    expected: 'bool (a single checkbox: an enumeration with the options true and false)',
  },
};

interface Expected {
  object: 'companies' | 'contacts';
  property: string;
  key: string;
  kind: PropertyKind;
}

/**
 * The kind the connector reads each config key's property as (the same kinds the listing and the
 * company signals type their raw records with: accounts.ts, company-signals.ts), by key, so a
 * property mapped twice is judged for each use.
 */
function kindOfKey(key: string): PropertyKind | undefined {
  if (key.startsWith('company.identities.')) return 'string';
  const kinds: Record<string, PropertyKind> = {
    'company.segment': 'string',
    'company.renewalDate': 'date',
    'company.contractStart': 'date',
    'company.csmSentiment': 'string',
    'company.nps': 'number',
    'company.successPlanOnTrack': 'bool',
    'company.roiDocumented': 'bool',
    'company.scope.property': 'string',
    'company.churn.property': 'string',
    'company.churn.dateProperty': 'date',
    'contact.roleSinceProperty': 'date',
  };
  return kinds[key];
}

/** Every property the config names whose kind the connector relies on, with that kind. */
export function expectedKinds(config: HubSpotConfig): Expected[] {
  const out: Expected[] = [];
  for (const m of mappedProperties(config)) {
    const kind = kindOfKey(m.key);
    if (kind) out.push({ object: m.object, property: m.property, key: m.key, kind });
  }
  const o = config.company.override;
  out.push(
    { object: 'companies', property: o.score, key: 'company.override.score', kind: 'number' },
    { object: 'companies', property: o.reason, key: 'company.override.reason', kind: 'string' },
    { object: 'companies', property: o.expiresOn, key: 'company.override.expiresOn', kind: 'date' },
  );
  return out;
}

/** One sentence per mapped property whose HubSpot type does not hold what the connector reads from it. */
export function typeMismatches(config: HubSpotConfig, portal: Record<'companies' | 'contacts', Map<string, PortalProperty>>): string[] {
  return expectedKinds(config).flatMap((e) => {
    const p = portal[e.object].get(e.property);
    if (!p || accepted[e.kind].ok(p)) return [];
    const noun = e.object === 'companies' ? 'company' : 'contact';
    return [
      `${noun} property "${e.property}" (${e.key}) is of type ${p.type}, but the connector reads it as ${e.kind} and needs HubSpot type ${accepted[e.kind].expected}: point ${e.key} at a property of that type, or change this property's field type in HubSpot › Settings › Properties`,
    ];
  });
}

const optionList = (p: PortalProperty) =>
  (p.options ?? []).map((o) => (o.label && o.label !== o.value ? `${o.value} ("${o.label}")` : o.value)).join(', ') || 'none';

/** For an enumeration: a sentence naming the configured values that are not among its options; undefined when all are. */
export function missingOptions(key: string, p: PortalProperty, values: readonly string[]): string | undefined {
  if (p.type !== 'enumeration') return undefined;
  const have = optionValues(p).map((v) => v.toLowerCase());
  const missing = values.filter((v) => !have.includes(v.toLowerCase()));
  if (missing.length === 0) return undefined;
  return `${key} names ${missing.map((v) => `"${v}"`).join(', ')}, not an option of ${p.name}, so no company can match it; its options (internal values) are: ${optionList(p)}`;
}
