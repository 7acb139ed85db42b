// UTC day arithmetic shared by the Mixpanel fake and source. Mixpanel's `from_date`/`to_date` are
// calendar days in the project's timezone (UTC here); we count days as integers since the epoch.

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) of an instant. */
export function dayIndex(at: Date | number): number {
  return Math.floor((typeof at === 'number' ? at : at.getTime()) / DAY_MS);
}

const isoDays = new Map<number, string>();

/** `yyyy-mm-dd` of a day index (memoized: the fake asks for the same few hundred days millions of times). */
export function isoDay(day: number): string {
  let s = isoDays.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoDays.size < 100_000) isoDays.set(day, s);
  }
  return s;
}

/** The day index of a `yyyy-mm-dd` string, or undefined when it is not one. */
export function parseIsoDay(text: string | null | undefined): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms / DAY_MS;
}

/**
 * The last whole day before `asOf`: a run only reads complete days, so nothing after `asOf` leaks
 * into a signal (the day `asOf` falls in is still running; at exactly midnight it has just begun).
 */
export function lastCompleteDay(asOf: Date): number {
  return dayIndex(asOf) - 1;
}
