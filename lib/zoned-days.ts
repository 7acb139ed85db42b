// Calendar days in a named time zone (IANA, e.g. America/Los_Angeles), for vendors that count days
// in their project's zone (Mixpanel). A zoned day is held as a day index like lib/days.ts: whole
// days since 1970-01-01 of the local calendar, so `dayOfIndex` gives its local `YYYY-MM-DD`. Built
// on Intl only; nothing here reads the clock or depends on the machine's own zone.
import { DAY_MS, dayIndex } from './days.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is a zone Intl knows (IANA names, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `ms`, in ms (e.g. -7 h for Los Angeles in summer). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

// Offsets change only on quarter-hour boundaries, so a quarter hour's day is computed once.
const QUARTER = 15 * 60_000;
const cache = new Map<string, Map<number, number>>();

/** The local day index of instant `ms` in `timeZone`. */
export function zonedDayIndex(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return dayIndex(ms);
  let byQuarter = cache.get(timeZone);
  if (!byQuarter) {
    byQuarter = new Map();
    cache.set(timeZone, byQuarter);
  }
  const q = Math.floor(ms / QUARTER);
  let day = byQuarter.get(q);
  if (day === undefined) {
    day = dayIndex(q * QUARTER + zoneOffsetMs(q * QUARTER, timeZone));
    if (byQuarter.size > 200_000) byQuarter.clear();
    byQuarter.set(q, day);
  }
  return day;
}

/** The last local day in `timeZone` that has ended by `asOf` (the day `asOf` falls in is still running). */
export function lastCompleteZonedDay(asOf: Date | number, timeZone: string): number {
  return zonedDayIndex(typeof asOf === 'number' ? asOf : asOf.getTime(), timeZone) - 1;
}

/** The instant (ms) local day `day` begins in `timeZone` (its first moment, also across a DST change). */
export function zonedDayStartMs(day: number, timeZone: string): number {
  let ms = day * DAY_MS;
  for (let i = 0; i < 3; i++) ms = day * DAY_MS - zoneOffsetMs(ms, timeZone);
  // A zone that skips midnight (a DST change at 00:00) starts the day at the first instant that is on it.
  while (zonedDayIndex(ms, timeZone) < day) ms += QUARTER;
  while (zonedDayIndex(ms - QUARTER, timeZone) === day) ms -= QUARTER;
  return ms;
}
