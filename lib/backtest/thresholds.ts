// Tier thresholds from data: the red threshold that catches at least the target share of churners
// (red recall) with the best precision, then the green threshold that does the same for red+yellow
// at a wider target. Ties in precision go to the lower threshold (fewer accounts for CSMs to work).

export interface TierChoice {
  /** Scores below this are red. */
  yellow: number;
  /** Scores from this up are green. */
  green: number;
  redRecall: number;
  redPrecision: number;
  watchRecall: number;
  watchPrecision: number;
}

export const DEFAULT_TARGET_RECALL = 0.6;
export const DEFAULT_WATCH_RECALL = 0.85;

interface Cut {
  threshold: number;
  recall: number;
  precision: number;
}

/** For each threshold in [lo, hi]: recall and precision of flagging score < threshold. */
function cuts(scores: readonly number[], churned: readonly boolean[], lo: number, hi: number): Cut[] {
  const total = churned.filter(Boolean).length;
  const out: Cut[] = [];
  for (let t = lo; t <= hi; t++) {
    let flagged = 0;
    let hit = 0;
    for (let i = 0; i < scores.length; i++) {
      if ((scores[i] as number) < t) {
        flagged++;
        if (churned[i]) hit++;
      }
    }
    if (flagged > 0) out.push({ threshold: t, recall: total === 0 ? 0 : hit / total, precision: hit / flagged });
  }
  return out;
}

function best(candidates: Cut[], target: number): Cut | undefined {
  let chosen: Cut | undefined;
  for (const c of candidates) {
    if (c.recall + 1e-12 < target) continue;
    if (chosen === undefined || c.precision > chosen.precision + 1e-12) chosen = c;
  }
  return chosen;
}

/**
 * Chooses tier thresholds on (training) scores. When even flagging everyone below 99 misses the target,
 * the highest threshold is used and its recall reported as it is.
 */
export function chooseTiers(
  scores: readonly number[],
  churned: readonly boolean[],
  targetRecall = DEFAULT_TARGET_RECALL,
  watchRecall = Math.max(DEFAULT_WATCH_RECALL, targetRecall),
): TierChoice {
  const redCuts = cuts(scores, churned, 1, 99);
  const red = best(redCuts, targetRecall) ?? redCuts[redCuts.length - 1] ?? { threshold: 40, recall: 0, precision: 0 };
  const watchCuts = cuts(scores, churned, red.threshold + 1, 100);
  const watch = best(watchCuts, watchRecall) ??
    watchCuts[watchCuts.length - 1] ?? { threshold: red.threshold + 1, recall: 0, precision: 0 };
  return {
    yellow: red.threshold,
    green: watch.threshold,
    redRecall: red.recall,
    redPrecision: red.precision,
    watchRecall: watch.recall,
    watchPrecision: watch.precision,
  };
}
