// A CSM's manual override (scoring-method.md §4): respected up to and including its expiry day,
// reported as the first driver, and never applied after it expires.
import type { Driver, ScoreResult } from '../scoring/engine.ts';
import { tierOf } from '../scoring/engine.ts';

export interface Override {
  score: number;
  reason: string;
  /** ISO day, inclusive. */
  expiresOn: string;
}

export type OverrideStatus = 'none' | 'applied' | 'expired';

export interface OverrideOutcome {
  result: ScoreResult;
  status: OverrideStatus;
  /** The model's own score, kept for audit and backtests when an override replaced it. */
  modelScore: number | null;
}

export function applyOverride(
  result: ScoreResult,
  override: Override | undefined,
  day: string,
  tiers: { green: number; yellow: number },
): OverrideOutcome {
  if (!override) return { result, status: 'none', modelScore: result.score };
  if (day > override.expiresOn) return { result, status: 'expired', modelScore: result.score };
  const score = Math.max(0, Math.min(100, Math.round(override.score)));
  const driver: Driver = {
    kind: 'rule',
    id: 'manual_override',
    impact: result.score === null ? null : score - result.score,
    text: `Set by CSM to ${score} until ${override.expiresOn}: ${override.reason}`,
  };
  return {
    result: {
      ...result,
      score,
      tier: tierOf(score, tiers),
      drivers: [driver, ...result.drivers],
      rules: ['manual_override', ...result.rules],
    },
    status: 'applied',
    modelScore: result.score,
  };
}
