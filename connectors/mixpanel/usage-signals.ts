// Pure mapping from a group's usage aggregates to the canonical usage signals (scoring-method §2)
// plus `mixpanel.activeUsers30d`, from which the run derives usage.licenseUtilization with seats.
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { GroupUsage } from './usage-aggregate.ts';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * - usage.trend14d: mean DAU of the last 14 days / mean DAU of the 14 before, minus 1; exactly -1
 *   when the last 14 days are empty; absent when only the prior 14 days are empty (growth from
 *   nothing has no ratio).
 * - usage.daysSinceLastActive: days from the last active day to the last complete day (active on
 *   the last complete day = 0), so "no events in the last 14 days" is exactly "≥ 14".
 * - usage.featureAdoption: share of the configured core features used in the last 30 days.
 * - usage.stickiness: mean DAU over 30 days / distinct users over 30 days (DAU/MAU); 0 when nobody
 *   was active in 30 days.
 */
export function toUsageSignals(u: GroupUsage, coreFeatures: readonly string[]): Record<string, SignalValue> {
  const s: Record<string, SignalValue> = {};
  if (u.dauLast14 === 0) s['usage.trend14d'] = -1;
  else if (u.dauPrior14 > 0) s['usage.trend14d'] = round4(u.dauLast14 / u.dauPrior14 - 1);
  if (u.lastActiveDay !== undefined) s['usage.daysSinceLastActive'] = Math.max(0, u.day - u.lastActiveDay);
  if (coreFeatures.length > 0) {
    const used = new Set(u.featuresUsed);
    s['usage.featureAdoption'] = round4(coreFeatures.filter((f) => used.has(f)).length / coreFeatures.length);
  }
  s['usage.stickiness'] = u.activeUsers30d === 0 ? 0 : round4(Math.min(1, u.dauLast30 / 30 / u.activeUsers30d));
  s['mixpanel.activeUsers30d'] = u.activeUsers30d;
  return s;
}

/** A group seen by an earlier run but silent through this run's whole lookback window. */
export function silentUsage(previous: GroupUsage, endDay: number): GroupUsage {
  return {
    day: endDay,
    ...(previous.lastActiveDay === undefined ? {} : { lastActiveDay: previous.lastActiveDay }),
    dauLast14: 0,
    dauPrior14: 0,
    dauLast30: 0,
    activeUsers30d: 0,
    featuresUsed: [],
  };
}
