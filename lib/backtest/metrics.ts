// Classification metrics of a health score against churn, where a LOWER score means riskier:
// ROC AUC (ties count half), the ROC curve, PR AUC (average precision over tie groups), precision and
// recall of a flagged set, per-tier rates and lift, and churn by score band. Optional per-row weights
// let the bootstrap resample without copying rows.

/** Row indices sorted by score (lowest = riskiest first), cut into groups of equal score. */
export interface ScoreGroups {
  order: Int32Array;
  /** Start of each group in `order`, plus a final entry = row count. */
  starts: Int32Array;
  /** Each group's score. */
  scores: Float64Array;
}

export function groupByScore(scores: ArrayLike<number>): ScoreGroups {
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const starts: number[] = [];
  const groupScores: number[] = [];
  for (let k = 0; k < n; k++) {
    const s = scores[order[k] as number] as number;
    if (k === 0 || s !== groupScores[groupScores.length - 1]) {
      starts.push(k);
      groupScores.push(s);
    }
  }
  starts.push(n);
  return { order, starts: Int32Array.from(starts), scores: Float64Array.from(groupScores) };
}

type Weights = ArrayLike<number> | undefined;
const w = (weights: Weights, i: number) => (weights === undefined ? 1 : (weights[i] as number));

/** Weighted churned (positive) and other (negative) counts per score group. */
function groupCounts(g: ScoreGroups, churned: ArrayLike<boolean>, weights: Weights): { pos: Float64Array; neg: Float64Array } {
  const count = g.scores.length;
  const pos = new Float64Array(count);
  const neg = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    for (let k = g.starts[j] as number; k < (g.starts[j + 1] as number); k++) {
      const i = g.order[k] as number;
      if (churned[i]) pos[j] = (pos[j] as number) + w(weights, i);
      else neg[j] = (neg[j] as number) + w(weights, i);
    }
  }
  return { pos, neg };
}

/**
 * ROC AUC: the probability that a churned account scored lower than one that did not churn, a tie
 * counting half. Undefined without at least one of each.
 */
export function rocAuc(g: ScoreGroups, churned: ArrayLike<boolean>, weights?: ArrayLike<number>): number | undefined {
  const { pos, neg } = groupCounts(g, churned, weights);
  let totalPos = 0;
  let totalNeg = 0;
  for (let j = 0; j < pos.length; j++) {
    totalPos += pos[j] as number;
    totalNeg += neg[j] as number;
  }
  if (totalPos === 0 || totalNeg === 0) return undefined;
  let negBefore = 0;
  let sum = 0;
  for (let j = 0; j < pos.length; j++) {
    const p = pos[j] as number;
    const q = neg[j] as number;
    sum += p * (totalNeg - negBefore - q) + 0.5 * p * q;
    negBefore += q;
  }
  return sum / (totalPos * totalNeg);
}

export interface RocPoint {
  /** Share of non-churned accounts at or below the threshold. */
  fpr: number;
  /** Share of churned accounts at or below the threshold. */
  tpr: number;
  /** Flag accounts scoring at or below this. */
  threshold: number;
}

/** The ROC curve from (0,0) to (1,1), one point per distinct score (flagging score ≤ threshold). */
export function rocCurve(g: ScoreGroups, churned: ArrayLike<boolean>): RocPoint[] {
  const { pos, neg } = groupCounts(g, churned, undefined);
  const P = pos.reduce((a, b) => a + b, 0);
  const N = neg.reduce((a, b) => a + b, 0);
  if (P === 0 || N === 0) return [];
  const out: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Number.NEGATIVE_INFINITY }];
  let tp = 0;
  let fp = 0;
  for (let j = 0; j < pos.length; j++) {
    tp += pos[j] as number;
    fp += neg[j] as number;
    out.push({ fpr: fp / N, tpr: tp / P, threshold: g.scores[j] as number });
  }
  return out;
}

/**
 * PR AUC as average precision: Σ (recall gained) × precision, stepping down the score one tie group
 * at a time (tied accounts enter together, so their order cannot flatter the result).
 */
export function prAuc(g: ScoreGroups, churned: ArrayLike<boolean>, weights?: ArrayLike<number>): number | undefined {
  const { pos, neg } = groupCounts(g, churned, weights);
  const P = pos.reduce((a, b) => a + b, 0);
  if (P === 0) return undefined;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (let j = 0; j < pos.length; j++) {
    const p = pos[j] as number;
    tp += p;
    fp += neg[j] as number;
    if (p > 0) ap += (p / P) * (tp / (tp + fp));
  }
  return ap;
}

export interface FlagCounts {
  flagged: number;
  churnedFlagged: number;
  churned: number;
}

/** Weighted counts of a flagged set (e.g. tier red) against churn. */
export function flagCounts(flagged: ArrayLike<boolean>, churned: ArrayLike<boolean>, weights?: ArrayLike<number>): FlagCounts {
  let f = 0;
  let cf = 0;
  let c = 0;
  for (let i = 0; i < churned.length; i++) {
    const wi = w(weights, i);
    if (churned[i]) c += wi;
    if (flagged[i]) {
      f += wi;
      if (churned[i]) cf += wi;
    }
  }
  return { flagged: f, churnedFlagged: cf, churned: c };
}

export const precisionOf = (c: FlagCounts): number | undefined => (c.flagged === 0 ? undefined : c.churnedFlagged / c.flagged);
export const recallOf = (c: FlagCounts): number | undefined => (c.churned === 0 ? undefined : c.churnedFlagged / c.churned);

/** The q-quantile (0..1) of sorted values, linear between order statistics. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export interface BandCount {
  from: number;
  to: number;
  accounts: number;
  churned: number;
}

/** Accounts and churners per 10-point score band: 0–9, 10–19, … 90–100. */
export function scoreBands(scores: ArrayLike<number>, churned: ArrayLike<boolean>): BandCount[] {
  const bands: BandCount[] = Array.from({ length: 10 }, (_, b) => ({
    from: b * 10,
    to: b === 9 ? 100 : b * 10 + 9,
    accounts: 0,
    churned: 0,
  }));
  for (let i = 0; i < scores.length; i++) {
    const b = Math.min(9, Math.max(0, Math.floor((scores[i] as number) / 10)));
    const band = bands[b] as BandCount;
    band.accounts++;
    if (churned[i]) band.churned++;
  }
  return bands;
}
