// Bootstrap intervals (percentile method) for AUC and red precision/recall: resample accounts with
// replacement from a seeded PRNG, so the same inputs always give the same interval.
import { seededRandom } from '../synthetic.ts';
import { flagCounts, precisionOf, quantile, recallOf, rocAuc, type ScoreGroups } from './metrics.ts';

export interface Interval {
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  replicates?: number;
  seed?: number;
  /** Central coverage (default 0.9 → the 5th and 95th percentiles). */
  level?: number;
}

export interface BootstrapResult {
  auc: Interval | undefined;
  redPrecision: Interval | undefined;
  redRecall: Interval | undefined;
  replicates: number;
}

function interval(values: number[], replicates: number, level: number): Interval | undefined {
  // A statistic undefined in most resamples (e.g. no red account drawn) has no meaningful interval.
  if (values.length < replicates / 2) return undefined;
  const sorted = Float64Array.from(values).sort();
  return { low: quantile(sorted, (1 - level) / 2), high: quantile(sorted, 1 - (1 - level) / 2) };
}

export function bootstrapIntervals(
  groups: ScoreGroups,
  churned: ArrayLike<boolean>,
  red: ArrayLike<boolean>,
  options: BootstrapOptions = {},
): BootstrapResult {
  const replicates = options.replicates ?? 1000;
  const level = options.level ?? 0.9;
  const rnd = seededRandom(options.seed ?? 20_260_101);
  const n = churned.length;
  const counts = new Float64Array(n);
  const aucs: number[] = [];
  const precisions: number[] = [];
  const recalls: number[] = [];
  for (let b = 0; b < replicates; b++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) {
      const i = Math.floor(rnd() * n);
      counts[i] = (counts[i] as number) + 1;
    }
    const auc = rocAuc(groups, churned, counts);
    if (auc !== undefined) aucs.push(auc);
    const c = flagCounts(red, churned, counts);
    const p = precisionOf(c);
    if (p !== undefined) precisions.push(p);
    const r = recallOf(c);
    if (r !== undefined) recalls.push(r);
  }
  return {
    auc: interval(aucs, replicates, level),
    redPrecision: interval(precisions, replicates, level),
    redRecall: interval(recalls, replicates, level),
    replicates,
  };
}
