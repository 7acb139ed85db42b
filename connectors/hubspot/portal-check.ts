// What the configured mapping expects of the portal, checked against what the portal really has.
// HubSpot ignores a property name it does not know (the value is simply absent) and reads an
// association label it does not know as "no label", so a typo would quietly empty a signal for every
// account. Two checks, made by `setup` and once per run before any batch:
// - every association label the mapping names must exist from companies to contacts (else a
//   ConfigError naming it and the labels that do exist): a missing champion label would read "no
//   champion" everywhere, which moves scores;
// - every mapped property should exist (else a warning naming it, its config key and its signal):
//   a missing optional property only leaves its signal unknown.
import { CRM_TIERS } from '../shared/crm.ts';
import { ConfigError } from '../shared/errors.ts';
import type { HubSpotCaller } from './client.ts';
import { type HubSpotConfig, scorePropertyNames } from './config.ts';

export interface MappedProperty {
  object: 'companies' | 'contacts';
  property: string;
  /** The config key that names it, e.g. `company.renewalDate`. */
  key: string;
  /** What it feeds, for the message. */
  feeds: string;
  /** What a run does without it, when more than "that signal stays empty". */
  ifMissing?: string;
}

/** Every portal property the mapping reads, with the config key naming it. */
export function mappedProperties(config: HubSpotConfig): MappedProperty[] {
  const c = config.company;
  const out: MappedProperty[] = [];
  const company = (key: string, property: string | undefined, feeds: string, ifMissing?: string) => {
    if (property) out.push({ object: 'companies', property, key: `company.${key}`, feeds, ...(ifMissing ? { ifMissing } : {}) });
  };
  company('segment', c.segment, 'the account segment (model choice)');
  company('renewalDate', c.renewalDate, 'commercial.daysToRenewal');
  company('contractStart', c.contractStart, 'lifecycle.accountAgeDays');
  company('csmSentiment', c.csmSentiment, 'relationship.csmSentiment');
  company('nps', c.nps, 'outcome.nps');
  company('successPlanOnTrack', c.successPlanOnTrack, 'outcome.successPlanOnTrack');
  company('roiDocumented', c.roiDocumented, 'outcome.roiDocumented');
  if (c.scope !== false)
    company('scope.property', c.scope.property, 'the account scope', 'every company reads as out of scope and none is scored');
  company('churn.property', c.churn?.property, 'churn evidence from the CRM', 'no company reads as churned by the CRM');
  company('churn.dateProperty', c.churn?.dateProperty, 'the churn date', 'a churn the CRM shows takes the run’s day');
  for (const [identity, property] of Object.entries(c.identities))
    company(`identities.${identity}`, property, `matching accounts to ${identity}`);
  const markers = [
    ['champion', config.contact.champion, 'relationship.championStatus'],
    ['execSponsor', config.contact.execSponsor, 'relationship.execSponsorEngaged'],
    ['left', config.contact.left, 'relationship.championStatus (departures)'],
  ] as const;
  for (const [key, marker, feeds] of markers)
    if (marker?.kind === 'property') out.push({ object: 'contacts', property: marker.property, key: `contact.${key}`, feeds });
  if (config.contact.roleSinceProperty)
    out.push({ object: 'contacts', property: config.contact.roleSinceProperty, key: 'contact.roleSinceProperty', feeds: 'time in role' });
  return out;
}

/** The association labels the mapping relies on, by config key. */
export function mappedLabels(config: HubSpotConfig): { key: string; label: string }[] {
  const c = config.contact;
  return (
    [
      ['contact.champion', c.champion],
      ['contact.execSponsor', c.execSponsor],
      ['contact.left', c.left],
    ] as const
  ).flatMap(([key, m]) => (m?.kind === 'associationLabel' ? [{ key, label: m.label }] : []));
}

const quoteList = (xs: readonly string[]) => (xs.length > 0 ? xs.map((x) => `"${x}"`).join(', ') : 'none');

async function labelsBetween(caller: HubSpotCaller, from: string, to: string, signal?: AbortSignal): Promise<string[]> {
  const res = await caller.call(
    `read ${from}→${to} association labels`,
    // Docs: https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4 (retrieve association labels)
    (sdk) => sdk.crm.associations.v4.schema.definitionsApi.getAll(from, to),
    { signal },
  );
  return res.results.flatMap((r) => (r.label ? [r.label] : []));
}

/** Throws a ConfigError naming each mapped association label the portal does not define from companies to contacts. */
export async function checkAssociationLabels(caller: HubSpotCaller, signal?: AbortSignal): Promise<void> {
  const wanted = mappedLabels(caller.config);
  if (wanted.length === 0) return;
  const [forward, inverse] = await Promise.all([
    labelsBetween(caller, 'companies', 'contacts', signal),
    labelsBetween(caller, 'contacts', 'companies', signal),
  ]);
  const has = (labels: string[], label: string) => labels.some((l) => l.toLowerCase() === label.toLowerCase());
  const problems = wanted
    .filter((w) => !has(forward, w.label))
    .map((w) =>
      has(inverse, w.label)
        ? `${w.key}: "${w.label}" is the contact→company side of a label pair; name its company→contact side`
        : `${w.key}: no company→contact association label "${w.label}"`,
    );
  if (problems.length > 0)
    throw new ConfigError(
      'hubspot',
      `${problems.join('; ')}. The company→contact labels in this portal are: ${quoteList(forward)}. Fix the label in the config (or create it in HubSpot: Settings › Objects › Companies › Associations), then run again`,
    );
}

/** One sentence per mapped property the portal does not have. */
export async function missingMappedProperties(caller: HubSpotCaller, signal?: AbortSignal): Promise<string[]> {
  const mapped = mappedProperties(caller.config);
  const objects = [...new Set(mapped.map((m) => m.object))];
  const existing = new Map<string, Set<string>>();
  await Promise.all(
    objects.map(async (object) => {
      const res = await caller.call(
        `read ${object} properties`,
        // Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (retrieve properties)
        (sdk) => sdk.crm.properties.coreApi.getAll(object, false),
        { signal },
      );
      existing.set(object, new Set(res.results.map((p) => p.name)));
    }),
  );
  return mapped
    .filter((m) => !existing.get(m.object)?.has(m.property))
    .map(
      (m) =>
        `${m.object === 'companies' ? 'company' : 'contact'} property "${m.property}" (${m.key}, for ${m.feeds}) does not exist in this portal: ${m.ifMissing ?? 'that signal stays empty'} until the property exists or ${m.key} names another one`,
    );
}

/**
 * Throws a ConfigError when the portal lacks a property every score write needs, or the tier
 * property lacks one of its values: each write would be refused, so the run stops first.
 */
export async function checkScoreProperties(caller: HubSpotCaller, signal?: AbortSignal): Promise<void> {
  const res = await caller.call(
    'read companies properties',
    // Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (retrieve properties)
    (sdk) => sdk.crm.properties.coreApi.getAll('companies', false),
    { signal },
  );
  const byName = new Map(res.results.map((p) => [p.name, p]));
  const missing = Object.values(scorePropertyNames).filter((name) => !byName.has(name));
  if (missing.length > 0)
    throw new ConfigError(
      'hubspot',
      `the company properties ${missing.join(', ')} that every run writes do not exist in this portal: run \`healthscore setup\` (it creates them), then run again`,
    );
  const options = new Set((byName.get(scorePropertyNames.tier)?.options ?? []).map((o) => o.value));
  const lacking = CRM_TIERS.filter((t) => !options.has(t));
  if (lacking.length > 0)
    throw new ConfigError(
      'hubspot',
      `the company property ${scorePropertyNames.tier} has no option ${lacking.map((t) => `"${t}"`).join(', ')}, which the run writes: run \`healthscore setup\` (it adds the missing options and keeps the others), then run again`,
    );
}
