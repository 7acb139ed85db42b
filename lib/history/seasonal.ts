// Seasonal baseline for the usage trend (scoring-method.md: compare with the same period last year,
// not an absolute baseline): a model may ask that the 14-day usage trend be read against the same
// weeks a year earlier, so a retail customer's quiet January reads as January, not as decay.

import { addDays } from '../days.ts';
import type { SignalValue } from '../signals/catalog.ts';

/** 52 weeks back: the same weekdays as today, so weekly rhythms line up. */
export const SEASONAL_LOOKBACK_DAYS = 364;
const TREND = 'usage.trend14d';
/** Within this of last year's trend, this year's counts as "in line" (the flat band of the presets). */
const IN_LINE = 0.1;

export interface SeasonalReading {
  /** The day last year's trend was read on. */
  lastYearDay: string;
  lastYear: number;
  /** This year's trend as stored (vs the prior 14 days). */
  raw: number;
  /** This year's trend relative to last year's same weeks: what the model scores. */
  adjusted: number;
}

export function lastYearDay(day: string): string {
  return addDays(day, -SEASONAL_LOOKBACK_DAYS);
}

/**
 * The signals the model scores, with the usage trend read against last year's (when both are known
 * and last year had usage; no usage now stays no usage).
 */
export function seasonalSignals(
  signals: Record<string, SignalValue>,
  lastYear: SignalValue | undefined,
  day: string,
): { signals: Record<string, SignalValue>; seasonal?: SeasonalReading } {
  const raw = signals[TREND];
  if (typeof raw !== 'number' || typeof lastYear !== 'number' || raw === -1 || lastYear <= -1) return { signals };
  const adjusted = Math.round(((1 + raw) / (1 + lastYear) - 1) * 10_000) / 10_000;
  return { signals: { ...signals, [TREND]: adjusted }, seasonal: { lastYearDay: lastYearDay(day), lastYear, raw, adjusted } };
}

const month = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleString('en', { month: 'long', timeZone: 'UTC' });
const pct = (x: number) => `${Math.round(Math.abs(x) * 100)}%`;

/** The usage-trend driver's sentence when it was read against last year, e.g. "Usage down 20% vs prior 14 days, in line with last January". */
export function seasonalSentence(s: SeasonalReading): string {
  const now = Math.abs(s.raw) < 0.005 ? 'Usage flat vs prior 14 days' : `Usage ${s.raw > 0 ? 'up' : 'down'} ${pct(s.raw)} vs prior 14 days`;
  const last = `last ${month(s.lastYearDay)}`;
  if (Math.abs(s.adjusted) <= IN_LINE) return `${now}, in line with ${last}`;
  return `${now}, ${pct(s.adjusted)} ${s.adjusted > 0 ? 'above' : 'below'} ${last}`;
}
