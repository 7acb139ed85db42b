// Our own history of each customer's MRR and seats, because Stripe keeps events for 30 days and
// the signals look back 90. Stored run-length encoded: a point holds the values from its day until
// the next point, and `since` is the first day we observed; a value is known for any day ≥ since.
// Pure functions over plain JSON, so the state store can keep it as it is.

export interface HistoryPoint {
  /** ISO date (UTC), YYYY-MM-DD. */
  day: string;
  mrrCents: number;
  seats: number;
}

export interface BillingHistory {
  since: string;
  points: HistoryPoint[];
}

/** Records the values observed on `day` (a re-run of the same day replaces them). */
export function recordDay(history: BillingHistory | undefined, day: string, mrrCents: number, seats: number): BillingHistory {
  const points = (history?.points ?? []).filter((p) => p.day !== day);
  points.push({ day, mrrCents, seats });
  points.sort((a, b) => a.day.localeCompare(b.day));
  const compact: HistoryPoint[] = [];
  for (const p of points) {
    const prev = compact.at(-1);
    if (!prev || prev.mrrCents !== p.mrrCents || prev.seats !== p.seats) compact.push(p);
  }
  const since = history && history.since < day ? history.since : day;
  return { since, points: compact };
}

/** The values in force on `day`, or undefined when the history does not reach back that far. */
export function valueOn(history: BillingHistory | undefined, day: string): HistoryPoint | undefined {
  if (!history || day < history.since) return undefined;
  let found: HistoryPoint | undefined;
  for (const p of history.points) {
    if (p.day > day) break;
    found = p;
  }
  return found;
}

/** Drops points no longer needed to answer `valueOn` for days ≥ `keepFrom` (the one in force then stays). */
export function pruneHistory(history: BillingHistory, keepFrom: string): BillingHistory {
  const after = history.points.findIndex((p) => p.day > keepFrom);
  const inForce = (after === -1 ? history.points.length : after) - 1;
  if (inForce <= 0) return history;
  return { since: history.since, points: history.points.slice(inForce) };
}
