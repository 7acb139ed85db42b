// A history row as the run stores it, for tests that plant history: the signals they care about,
// and neutral values for the rest (no score, unknown tier), so the row parses like any stored day.
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { DayRecord } from '../../pipeline/store/records.ts';

/** `signals` may hold nulls (unknown, as in a snapshot): a stored row leaves those keys out, which scores the same. */
export function storedDay(accountId: string, day: string, signals: Record<string, SignalValue | null>): DayRecord {
  const known = Object.entries(signals).filter((e): e is [string, SignalValue] => e[1] !== null);
  return {
    accountId,
    day,
    runId: `${day}T00:00:00Z`,
    score: null,
    tier: 'unknown',
    completeness: 0,
    layers: {},
    drivers: [],
    rules: [],
    flags: [],
    signals: Object.fromEntries(known),
    staleSources: [],
    failedSources: [],
    model: 'planted',
    modelVersion: '1',
    modelScore: null,
    override: 'none',
    tierState: { confirmed: 'unknown', confirmedSince: day, pending: null, pendingRuns: 0 },
    change7d: null,
    change30d: null,
    urgentDrop: null,
    urgentSince: null,
    renewalRiskSince: null,
  };
}
