// Signals read from the company record itself, each as of the run's day through property history:
// the CSM's sentiment, NPS, success plan, documented ROI, days to renewal, account age.

import { daysBetween } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { HubSpotConfig } from './config.ts';
import type { HubSpotObjectRaw, PropertyKind } from './raw-schemas.ts';
import { parseHubSpotBool, parseHubSpotNumber, parseHubSpotTime, valueAsOf } from './values.ts';

/** The company properties the signals come from, with their types (all read with history). */
export function companySignalPropertyKinds(config: HubSpotConfig): Record<string, PropertyKind> {
  const c = config.company;
  const kinds: Record<string, PropertyKind> = {};
  const add = (property: string | undefined, kind: PropertyKind) => {
    if (property) kinds[property] = kind;
  };
  add(c.renewalDate, 'date');
  add(c.contractStart, 'date');
  add(c.csmSentiment, 'string');
  add(c.nps, 'number');
  add(c.successPlanOnTrack, 'bool');
  add(c.roiDocumented, 'bool');
  return kinds;
}

function sentimentOf(value: string | undefined, config: HubSpotConfig): 'green' | 'yellow' | 'red' | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  for (const tier of ['green', 'yellow', 'red'] as const)
    if (config.company.csmSentimentValues[tier].some((option) => option.toLowerCase() === v)) return tier;
  return undefined;
}

/** A company's own signals on the day `asOf`; a property unset on that day gives no key. */
export function fromHubSpotCompanySignals(c: HubSpotObjectRaw, asOf: number, config: HubSpotConfig): Record<string, SignalValue> {
  const p = config.company;
  const at = (prop: string | undefined) => (prop ? valueAsOf(c, prop, asOf) : undefined);
  const out: Record<string, SignalValue> = {};

  const sentiment = sentimentOf(at(p.csmSentiment), config);
  if (sentiment) out['relationship.csmSentiment'] = sentiment;

  const nps = parseHubSpotNumber(at(p.nps));
  if (nps !== undefined && nps >= 0 && nps <= 10) out['outcome.nps'] = nps;

  const plan = parseHubSpotBool(at(p.successPlanOnTrack));
  if (plan !== undefined) out['outcome.successPlanOnTrack'] = plan;

  const roi = parseHubSpotBool(at(p.roiDocumented));
  if (roi !== undefined) out['outcome.roiDocumented'] = roi;

  const renewal = parseHubSpotTime(at(p.renewalDate));
  if (renewal !== undefined) out['commercial.daysToRenewal'] = daysBetween(asOf, renewal);

  const start = parseHubSpotTime(at(p.contractStart));
  if (start !== undefined && start <= asOf) out['lifecycle.accountAgeDays'] = daysBetween(start, asOf);

  return out;
}
