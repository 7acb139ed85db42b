// Runs and days: a schedule may run many times a day, but history keeps one row per account per day
// (the day's latest run). The short per-account list that trend and confirmation read keeps each
// day's latest run plus the run before the current one, so confirmation always compares with the
// previous run (possibly earlier the same day) and a retried run never compares with itself.

export interface RunEntry {
  /** ISO day. */
  day: string;
  /** The run that wrote the entry (absent in entries written before runs were not days). */
  runId?: string;
}

/** The day's latest entry for each day, oldest first. */
export function latestPerDay<T extends RunEntry>(entries: readonly T[]): T[] {
  const byDay = new Map<string, T>();
  for (const e of entries) byDay.set(e.day, e);
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** The entries before run `runId` (its own entry, if a retry finds one, excluded). */
export function before<T extends RunEntry>(entries: readonly T[], runId: string): T[] {
  return entries.filter((e) => e.runId !== runId);
}

/** Adds `entry`: earlier days collapse to their latest run; the previous run stays beside it. */
export function withRun<T extends RunEntry>(entries: readonly T[], entry: T & { runId: string }): T[] {
  return [...latestPerDay(before(entries, entry.runId)), entry];
}
