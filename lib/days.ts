// Calendar days in UTC, the one place the project does day arithmetic. A day is held four ways, each
// where it fits: a Date or epoch milliseconds (instants), an ISO date string `YYYY-MM-DD` (stored
// history, config, output) and a day index (whole days since 1970-01-01, for tight counting loops).
// Nothing here reads the clock; ISO date-times without a zone are read as UTC, so no result depends
// on the machine's time zone.

export const DAY_MS = 86_400_000;
/** A day in seconds, for vendors whose times are epoch seconds (Stripe, Zendesk). */
export const DAY_S = 86_400;

/** An instant as a Date, epoch milliseconds, or an ISO date / date-time string. */
export type DayInput = Date | number | string;

const msOf = (at: DayInput): number =>
  typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at.length === 10 ? `${at}T00:00:00Z` : at) : at.getTime();

/** The ISO date (YYYY-MM-DD, UTC) of an instant. */
export function isoDay(at: DayInput): string {
  return new Date(msOf(at)).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 (UTC) of an instant. */
export function dayIndex(at: DayInput): number {
  return Math.floor(msOf(at) / DAY_MS);
}

const isoDays = new Map<number, string>();

/** `YYYY-MM-DD` of a day index (memoized: a fake asks for the same few hundred days millions of times). */
export function dayOfIndex(day: number): string {
  let s = isoDays.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoDays.size < 100_000) isoDays.set(day, s);
  }
  return s;
}

/** The ISO date `n` calendar days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later); a time of day is ignored. */
export function daysBetween(from: DayInput, to: DayInput): number {
  return dayIndex(typeof to === 'string' ? to.slice(0, 10) : to) - dayIndex(typeof from === 'string' ? from.slice(0, 10) : from);
}

/** The day index of a `YYYY-MM-DD` string, or undefined when it is not a real day. */
export function parseIsoDay(text: string | null | undefined): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms / DAY_MS;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch for an ISO date or date-time, or undefined when it is not a real one (2026-02-30). */
export function parseInstant(text: string): number | undefined {
  const m = isoDate.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const ms = Date.parse(h !== undefined && zone === undefined ? `${text}Z` : text);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March 2; a calendar round trip catches it.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return undefined;
  return ms;
}

/**
 * The day index of the last whole day before `asOf`: a run reads only complete days, so nothing
 * after `asOf` leaks into a signal (the day `asOf` falls in is still running).
 */
export function lastCompleteDay(asOf: DayInput): number {
  return dayIndex(asOf) - 1;
}
