// Tier stability (scoring-method.md §4): a tier change counts only after it holds for "two
// consecutive periods". Runs may come daily, hourly or at irregular times, so the period is a
// duration: a change confirms on the first run that still sees it at least `confirmHours` (default
// 20) after the first run that saw it. The state is derived from the previous run's state and this
// run's tier alone, so re-running a run gives the same answer (no double counting).
import type { Tier } from '../scoring/engine.ts';

/** Kept for states written before `pendingSince` existed: their pending change confirms on the next run. */
export const CONFIRM_RUNS = 2;
/** A change must hold this long (across runs) before it is confirmed; 20 h lets daily runs drift by 4 h. */
export const DEFAULT_CONFIRM_HOURS = 20;

export interface TierState {
  /** The tier people see as "the" tier; alerts fire when it changes. */
  confirmed: Tier;
  /** ISO day since which `confirmed` has held. */
  confirmedSince: string;
  /** A different tier seen on the last run(s) but not yet confirmed. */
  pending: Tier | null;
  pendingRuns: number;
  /** The instant (ISO) of the first run that saw `pending`. */
  pendingSince?: string;
}

export interface TierChange {
  from: Tier;
  to: Tier;
}

export interface ConfirmationResult {
  state: TierState;
  /** Set on the run that confirms a change. */
  change: TierChange | null;
}

const HOUR_MS = 3_600_000;

/** Hours from `from` to `to` (ISO days or instants; a bare day is its midnight UTC). */
export function hoursBetween(from: string, to: string): number {
  return (Date.parse(to.length === 10 ? `${to}T00:00:00Z` : to) - Date.parse(from.length === 10 ? `${from}T00:00:00Z` : from)) / HOUR_MS;
}

/**
 * `at` is the run's instant (or day). `frozen` is true when this result leans on a failed source: an
 * outage must never move a tier by itself, so nothing advances towards a change (and nothing is
 * forgotten either).
 */
export function confirmTier(
  previous: TierState | undefined,
  tier: Tier,
  at: string,
  frozen = false,
  confirmHours = DEFAULT_CONFIRM_HOURS,
): ConfirmationResult {
  const day = at.slice(0, 10);
  if (!previous) return { state: { confirmed: tier, confirmedSince: day, pending: null, pendingRuns: 0 }, change: null };
  const settled = { confirmed: previous.confirmed, confirmedSince: previous.confirmedSince, pending: null, pendingRuns: 0 };
  // An outage resets any pending change: the change must hold on full data from its first run to its confirming one.
  if (frozen) return { state: settled, change: null };
  if (tier === 'unknown') return { state: previous, change: null };
  if (tier === previous.confirmed) return { state: settled, change: null };
  const continues = previous.pending === tier;
  const runs = continues ? previous.pendingRuns + 1 : 1;
  const since = continues ? (previous.pendingSince ?? null) : at;
  const held = since === null ? runs >= CONFIRM_RUNS : hoursBetween(since, at) >= confirmHours;
  if (held || previous.confirmed === 'unknown') {
    return {
      state: { confirmed: tier, confirmedSince: day, pending: null, pendingRuns: 0 },
      change: { from: previous.confirmed, to: tier },
    };
  }
  return { state: { ...settled, pending: tier, pendingRuns: runs, ...(since === null ? {} : { pendingSince: since }) }, change: null };
}
