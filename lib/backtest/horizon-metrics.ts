// All metrics of one horizon from its scored rows, with a note for every number that is withheld
// because the data cannot support it (too few churners, no red account, ...), so a report never shows
// a number that means nothing.
import { roundTo } from '../scoring/rounding.ts';
import { type BootstrapOptions, bootstrapIntervals, type Interval } from './bootstrap.ts';
import { flagCounts, groupByScore, prAuc, precisionOf, recallOf, rocAuc, rocCurve, scoreBands } from './metrics.ts';

export type ScoredTier = 'green' | 'yellow' | 'red';

export interface ScoredRow {
  score: number;
  tier: ScoredTier;
  churned: boolean;
  expanded: boolean;
}

export interface TierStats {
  accounts: number;
  churned: number;
  expanded: number;
  churnRate: number | null;
  expansionRate: number | null;
  /** The tier's churn rate / the base churn rate. */
  lift: number | null;
}

export interface FlagStats {
  /** Accounts in the flagged tiers. */
  flagged: number;
  churnedFlagged: number;
  precision: number | null;
  recall: number | null;
}

export interface CalibrationBand {
  from: number;
  to: number;
  accounts: number;
  churned: number;
  churnRate: number | null;
}

export interface HorizonMetrics {
  days: number;
  /** Outcomes with a scored snapshot at this horizon (the rows every metric below uses). */
  accounts: number;
  churned: number;
  expanded: number;
  baseRate: number | null;
  leftOut: { noSnapshot: number; unscored: number };
  auc: number | null;
  aucCi90: Interval | null;
  prAuc: number | null;
  tiers: Record<ScoredTier, TierStats>;
  red: FlagStats & { precisionCi90: Interval | null; recallCi90: Interval | null };
  redYellow: FlagStats;
  calibration: CalibrationBand[];
  roc: { fpr: number; tpr: number }[];
  /** Why a number above is null, in words. */
  notes: string[];
}

export interface MetricOptions {
  bootstrap?: BootstrapOptions;
  /** Churn metrics need at least this many churned (and, for AUC, non-churned) accounts. Default 5. */
  minChurned?: number;
  /** Bootstrap intervals need at least this many churned accounts. Default 10. */
  minChurnedForIntervals?: number;
}

export const DEFAULT_MIN_CHURNED = 5;
export const DEFAULT_MIN_CHURNED_FOR_INTERVALS = 10;

const r4 = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : roundTo(x, 4));
const ratio = (a: number, b: number) => (b === 0 ? null : r4(a / b));
const r4i = (i: Interval | undefined): Interval | null => (i === undefined ? null : { low: roundTo(i.low, 4), high: roundTo(i.high, 4) });

export function horizonMetrics(
  days: number,
  rows: readonly ScoredRow[],
  leftOut: { noSnapshot: number; unscored: number },
  options: MetricOptions = {},
): HorizonMetrics {
  const minChurned = options.minChurned ?? DEFAULT_MIN_CHURNED;
  const minForIntervals = options.minChurnedForIntervals ?? DEFAULT_MIN_CHURNED_FOR_INTERVALS;
  const n = rows.length;
  const churned = rows.map((r) => r.churned);
  const red = rows.map((r) => r.tier === 'red');
  const redYellow = rows.map((r) => r.tier !== 'green');
  const churnedCount = churned.filter(Boolean).length;
  const expandedCount = rows.filter((r) => r.expanded).length;
  const others = n - churnedCount;
  const baseRate = ratio(churnedCount, n);
  const notes: string[] = [];

  const enoughChurn = churnedCount >= minChurned;
  const enoughForAuc = enoughChurn && others >= minChurned;
  if (n === 0) {
    notes.push(`no outcome has a scored snapshot from ${days} days or more before its date, so there is nothing to measure`);
  } else if (!enoughChurn) {
    notes.push(
      `only ${churnedCount} churned account${churnedCount === 1 ? '' : 's'} at ${days} days: churn metrics (AUC, precision, recall, lift) need at least ${minChurned}`,
    );
  } else if (!enoughForAuc) {
    notes.push(`only ${others} account${others === 1 ? '' : 's'} did not churn: AUC needs at least ${minChurned} of each kind`);
  }

  const groups = groupByScore(rows.map((r) => r.score));
  const tiers = {} as Record<ScoredTier, TierStats>;
  for (const tier of ['red', 'yellow', 'green'] as const) {
    const inTier = rows.filter((r) => r.tier === tier);
    const c = inTier.filter((r) => r.churned).length;
    const churnRate = ratio(c, inTier.length);
    tiers[tier] = {
      accounts: inTier.length,
      churned: c,
      expanded: inTier.filter((r) => r.expanded).length,
      churnRate,
      expansionRate: ratio(inTier.filter((r) => r.expanded).length, inTier.length),
      lift: enoughChurn && inTier.length >= minChurned && baseRate ? r4(c / inTier.length / (churnedCount / n)) : null,
    };
  }
  const smallTiers = (['red', 'yellow', 'green'] as const).filter((t) => tiers[t].accounts > 0 && tiers[t].accounts < minChurned);
  if (enoughChurn && smallTiers.length > 0) {
    notes.push(
      `no lift for tiers with fewer than ${minChurned} accounts (${smallTiers.map((t) => `${t} ${tiers[t].accounts}`).join(', ')})`,
    );
  }

  const flagStats = (flags: boolean[], name: string): FlagStats => {
    const c = flagCounts(flags, churned);
    if (enoughChurn && c.flagged < minChurned) {
      notes.push(
        c.flagged === 0
          ? `no account was ${name} at ${days} days, so ${name} precision is undefined`
          : `only ${c.flagged} account${c.flagged === 1 ? ' was' : 's were'} ${name} at ${days} days: ${name} precision needs at least ${minChurned}`,
      );
    }
    return {
      flagged: c.flagged,
      churnedFlagged: c.churnedFlagged,
      precision: enoughChurn && c.flagged >= minChurned ? r4(precisionOf(c)) : null,
      recall: enoughChurn ? r4(recallOf(c)) : null,
    };
  };
  const redStats = flagStats(red, 'red');
  const redYellowStats = flagStats(redYellow, 'red or yellow');

  let intervals: ReturnType<typeof bootstrapIntervals> | undefined;
  if (enoughForAuc && churnedCount >= minForIntervals) intervals = bootstrapIntervals(groups, churned, red, options.bootstrap);
  else if (enoughForAuc) notes.push(`90% intervals need at least ${minForIntervals} churned accounts (${churnedCount} at ${days} days)`);

  return {
    days,
    accounts: n,
    churned: churnedCount,
    expanded: expandedCount,
    baseRate,
    leftOut,
    auc: enoughForAuc ? r4(rocAuc(groups, churned)) : null,
    aucCi90: r4i(intervals?.auc),
    prAuc: enoughForAuc ? r4(prAuc(groups, churned)) : null,
    tiers,
    red: {
      ...redStats,
      precisionCi90: redStats.precision === null ? null : r4i(intervals?.redPrecision),
      recallCi90: r4i(intervals?.redRecall),
    },
    redYellow: redYellowStats,
    calibration: scoreBands(
      rows.map((r) => r.score),
      churned,
    ).map((b) => ({ ...b, churnRate: ratio(b.churned, b.accounts) })),
    roc: enoughForAuc ? rocCurve(groups, churned).map((p) => ({ fpr: r4(p.fpr) ?? 0, tpr: r4(p.tpr) ?? 0 })) : [],
    notes,
  };
}
