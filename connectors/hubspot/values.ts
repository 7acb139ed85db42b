// Reading HubSpot property values at a point in time: property history (`propertiesWithHistory`)
// gives each value with the instant it was set, so a run "as of" a past day sees what the CRM said
// that day, never what it says now. Plus parsing of HubSpot's string-typed values.
import type { HubSpotObjectRaw } from './raw-schemas.ts';

export interface Version {
  value: string;
  at: number;
}

/** A property's versions, oldest first. Without history, the current value counts as always set. */
export function versions(o: HubSpotObjectRaw, property: string): Version[] {
  const hist = o.propertiesWithHistory?.[property];
  if (hist && hist.length > 0) return hist.map((h) => ({ value: h.value ?? '', at: h.timestamp.getTime() })).sort((a, b) => a.at - b.at);
  const current = o.properties[property];
  return current === null || current === undefined ? [] : [{ value: current, at: Number.NEGATIVE_INFINITY }];
}

/** The value set at or before `asOf` (undefined when unset then, or set to ""). */
export function valueAsOf(o: HubSpotObjectRaw, property: string, asOf: number): string | undefined {
  let out: string | undefined;
  for (const v of versions(o, property)) if (v.at <= asOf) out = v.value;
  return out === '' ? undefined : out;
}

/** When the latest unbroken stretch of values matching `matches` began, if it still holds at `asOf`. */
export function matchingSince(vs: readonly Version[], matches: (value: string) => boolean, asOf: number): number | undefined {
  let since: number | undefined;
  for (const v of vs) {
    if (v.at > asOf) break;
    if (matches(v.value)) since ??= v.at;
    else since = undefined;
  }
  return since;
}

/** When a value matching `matches` was first set at or before `asOf`. */
export function firstMatching(vs: readonly Version[], matches: (value: string) => boolean, asOf: number): number | undefined {
  return vs.find((v) => v.at <= asOf && matches(v.value))?.at;
}

/** HubSpot dates come as YYYY-MM-DD, ISO date-times or epoch milliseconds. */
export function parseHubSpotTime(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (/^\d{10,14}$/.test(value)) return Number(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export function parseHubSpotNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function parseHubSpotBool(value: string | null | undefined): boolean | undefined {
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** HubSpot multi-select values are joined with ";". */
export function hasOption(value: string, option: string): boolean {
  return value.split(';').some((v) => v.trim().toLowerCase() === option.toLowerCase());
}
