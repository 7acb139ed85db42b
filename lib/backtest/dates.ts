// Dates for point-in-time selection: ISO dates and date-times as UTC instants (a date-time without
// a zone is read as UTC, so the result never depends on the machine's time zone), and day arithmetic.

export const DAY_MS = 86_400_000;

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

/** The ISO date (YYYY-MM-DD, UTC) of an instant. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(ms: number, days: number): number {
  return ms + days * DAY_MS;
}
