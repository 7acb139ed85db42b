// Tier stability (scoring-method.md §4): a tier change counts only after it holds for 2 consecutive
// daily runs. The state is derived from the previous day's record and today's tier alone, so
// re-running a day gives the same answer (no double counting).
import type { Tier } from '../scoring/engine.ts';

export const CONFIRM_RUNS = 2;

export interface TierState {
  /** The tier people see as "the" tier; alerts fire when it changes. */
  confirmed: Tier;
  /** ISO day since which `confirmed` has held. */
  confirmedSince: string;
  /** A different tier seen on the last run(s) but not yet confirmed. */
  pending: Tier | null;
  pendingRuns: number;
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

/**
 * `frozen` is true when today's result leans on a failed source: an outage must never move a tier
 * by itself, so nothing advances towards a change (and nothing is forgotten either).
 */
export function confirmTier(previous: TierState | undefined, tier: Tier, day: string, frozen = false): ConfirmationResult {
  if (!previous) return { state: { confirmed: tier, confirmedSince: day, pending: null, pendingRuns: 0 }, change: null };
  // An outage resets any pending change: the two consecutive runs must both be on full data.
  if (frozen) return { state: { ...previous, pending: null, pendingRuns: 0 }, change: null };
  if (tier === 'unknown') return { state: previous, change: null };
  if (tier === previous.confirmed) return { state: { ...previous, pending: null, pendingRuns: 0 }, change: null };
  const runs = previous.pending === tier ? previous.pendingRuns + 1 : 1;
  if (runs >= CONFIRM_RUNS || previous.confirmed === 'unknown') {
    return {
      state: { confirmed: tier, confirmedSince: day, pending: null, pendingRuns: 0 },
      change: { from: previous.confirmed, to: tier },
    };
  }
  return { state: { ...previous, pending: tier, pendingRuns: runs }, change: null };
}
