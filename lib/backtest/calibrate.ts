// Calibration (--calibrate): fits an L2 logistic regression for churn at the longest horizon on the
// model's signal points, turns it into whole-number weights in the model format, picks tier thresholds
// for a target red recall on the training data, and measures before/after on held-out outcomes only:
// out-of-time (fit on earlier outcomes, test on later ones), or stratified k-fold when the later
// outcomes hold too few churners.

import { isoDay } from '../days.ts';
import { type CompiledModel, compileModel } from '../model/compile.ts';
import type { ModelConfig } from '../model/schema.ts';
import { seededRandom } from '../synthetic.ts';
import { DEFAULT_EXCLUSIONS, describeExclusion, type Exclusion, signalPoints, standardizer } from './features.ts';
import { type HorizonMetrics, horizonMetrics, type MetricOptions, type ScoredRow } from './horizon-metrics.ts';
import { fitLogistic } from './logistic.ts';
import type { PointInTimeRow } from './point-in-time.ts';
import { scoreForBacktest } from './scored-rows.ts';
import { chooseTiers, DEFAULT_TARGET_RECALL, type TierChoice } from './thresholds.ts';
import { calibratedModelConfig, modelYaml, perPointCoefficients, type SignalWeight, weightsFromCoefficients } from './weights.ts';

export interface CalibrationOptions {
  targetRecall?: number;
  exclusions?: readonly Exclusion[];
  l2?: number;
  folds?: number;
  /** Share of the fit-horizon outcomes (the latest ones) held out in the out-of-time split. Default 0.3. */
  heldOutShare?: number;
  seed?: number;
  metrics?: MetricOptions;
  /** Churned (and non-churned) training outcomes a fit needs. Default 20. */
  minFitChurned?: number;
  /** Churned (and non-churned) held-out outcomes an out-of-time test needs; fewer → k-fold. Default 10. */
  minHeldOutChurned?: number;
}

export interface CalibratedHorizon extends HorizonMetrics {
  /** The original model on the same held-out outcomes. */
  baseline: HorizonMetrics;
}

export interface FittedCalibration {
  status: 'fitted';
  fitHorizon: number;
  method: 'out-of-time' | 'k-fold';
  split: string;
  training: { outcomes: number; churned: number };
  excluded: { rules: string[]; maskedInTraining: number; note: string };
  dropped: { key: string; reason: string }[];
  signals: SignalWeight[];
  tiers: TierChoice & { targetRecall: number };
  model: ModelConfig;
  yaml: string;
  horizons: CalibratedHorizon[];
  notes: string[];
}

export type CalibrationReport =
  | FittedCalibration
  | { status: 'insufficient'; fitHorizon: number; message: string; excluded: { rules: string[]; note: string } };

interface Fit {
  compiled: CompiledModel;
  config: ModelConfig;
  signals: SignalWeight[];
  dropped: { key: string; reason: string }[];
  tiers: TierChoice;
  masked: number;
  churned: number;
  outcomes: number;
}

const isChurn = (r: PointInTimeRow) => r.outcome.outcome === 'churned';

function fitOnce(model: CompiledModel, training: PointInTimeRow[], h: number, o: Required<CalibrationOptions>, why: string): Fit | string {
  const raw: Float64Array[] = [];
  const y: boolean[] = [];
  let masked = 0;
  for (const row of training) {
    const p = signalPoints(model, row.snapshots[h] as NonNullable<PointInTimeRow['snapshots'][number]>, o.exclusions);
    masked += p.masked;
    raw.push(p.points);
    y.push(isChurn(row));
  }
  const std = standardizer(model, raw, o.exclusions);
  if (std.fitted.length === 0) return 'no signal of the model is known often enough in the training snapshots to fit';
  const fit = fitLogistic(
    raw.map((r) => std.transform(r)),
    y,
    { l2: o.l2 },
  );
  const weights = weightsFromCoefficients(model, perPointCoefficients(model, std, fit));
  if (weights === undefined) return "no signal's points fall as churn rises in the training data, so there are no weights to give";
  const provisional = compileModel(calibratedModelConfig(model, weights, model.tiers, why));
  const scores: number[] = [];
  const churned: boolean[] = [];
  training.forEach((row, i) => {
    const s = scoreForBacktest(provisional, row.snapshots[h] as NonNullable<PointInTimeRow['snapshots'][number]>);
    if (typeof s === 'string') return;
    scores.push(s.score);
    churned.push(y[i] as boolean);
  });
  const tiers = chooseTiers(scores, churned, o.targetRecall);
  const config = calibratedModelConfig(model, weights, { green: tiers.green, yellow: tiers.yellow }, why);
  return {
    compiled: compileModel(config),
    config,
    signals: weights.signals,
    dropped: std.dropped,
    tiers,
    masked,
    churned: y.filter(Boolean).length,
    outcomes: training.length,
  };
}

/** Stratified fold per row (churned and not dealt out separately after a seeded shuffle). */
function assignFolds(rows: readonly PointInTimeRow[], folds: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  const fold = new Array<number>(rows.length).fill(0);
  for (const churn of [true, false]) {
    const idx = rows.flatMap((r, i) => (isChurn(r) === churn ? [i] : []));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
    }
    idx.forEach((rowIndex, k) => {
      fold[rowIndex] = k % folds;
    });
  }
  return fold;
}

export function calibrate(
  model: CompiledModel,
  rows: readonly PointInTimeRow[],
  horizons: readonly number[],
  options: CalibrationOptions = {},
): CalibrationReport {
  const o: Required<CalibrationOptions> = {
    targetRecall: options.targetRecall ?? DEFAULT_TARGET_RECALL,
    exclusions: options.exclusions ?? DEFAULT_EXCLUSIONS,
    l2: options.l2 ?? 1,
    folds: options.folds ?? 5,
    heldOutShare: options.heldOutShare ?? 0.3,
    seed: options.seed ?? 20_260_101,
    metrics: options.metrics ?? {},
    minFitChurned: options.minFitChurned ?? 20,
    minHeldOutChurned: options.minHeldOutChurned ?? 10,
  };
  const h = horizons.indexOf(Math.max(...horizons));
  const fitHorizon = horizons[h] as number;
  const rules = o.exclusions.map(describeExclusion);
  const exclusionNote =
    rules.length === 0
      ? 'no signal was excluded from fitting'
      : `excluded from fitting as post-decision signals (treated as unknown): ${rules.join('; ')}`;
  const candidates = rows.filter((r) => r.snapshots[h] !== undefined).sort((a, b) => a.outcome.at - b.outcome.at);
  const churned = candidates.filter(isChurn).length;
  const stayed = candidates.length - churned;
  const kFoldNeeds = Math.ceil((o.minFitChurned * o.folds) / (o.folds - 1));
  if (Math.min(churned, stayed) < kFoldNeeds) {
    const [count, kind] = churned <= stayed ? [churned, 'churned'] : [stayed, 'non-churned'];
    return {
      status: 'insufficient',
      fitHorizon,
      message: `too few outcomes to calibrate: ${count} ${kind} outcome${count === 1 ? '' : 's'} with a snapshot ${fitHorizon} days or more before; fitting needs at least ${kFoldNeeds} churned and ${kFoldNeeds} non-churned (${o.minFitChurned} to fit in each of ${o.folds} folds)`,
      excluded: { rules, note: exclusionNote },
    };
  }

  // Out-of-time: the latest heldOutShare of outcomes (never splitting one date) are held out.
  let cut = Math.floor(candidates.length * (1 - o.heldOutShare));
  while (cut < candidates.length && candidates[cut]?.outcome.at === candidates[cut - 1]?.outcome.at) cut++;
  const cutAt = candidates[cut - 1]?.outcome.at ?? Number.POSITIVE_INFINITY;
  const training = candidates.slice(0, cut);
  const later = rows.filter((r) => r.outcome.at > cutAt);
  const laterAtFit = later.filter((r) => r.snapshots[h] !== undefined);
  const trainingChurned = training.filter(isChurn).length;
  const heldChurned = laterAtFit.filter(isChurn).length;
  const outOfTime =
    Math.min(trainingChurned, training.length - trainingChurned) >= o.minFitChurned &&
    Math.min(heldChurned, laterAtFit.length - heldChurned) >= o.minHeldOutChurned;

  const why = `Calibrated from a backtest of ${model.id} ${model.version}: L2 logistic regression for churn at ${fitHorizon} days`;
  const splits: { training: PointInTimeRow[]; heldOut: PointInTimeRow[] }[] = [];
  let split: string;
  if (outOfTime) {
    splits.push({ training, heldOut: later });
    split = `out-of-time: fitted on ${training.length} outcomes up to ${isoDay(cutAt)}, tested on ${later.length} later outcomes`;
  } else {
    const fold = assignFolds(rows, o.folds, o.seed);
    const index = new Map(rows.map((r, i) => [r, i]));
    for (let f = 0; f < o.folds; f++) {
      splits.push({
        training: candidates.filter((r) => fold[index.get(r) as number] !== f),
        heldOut: rows.filter((_, i) => fold[i] === f),
      });
    }
    split = `${o.folds}-fold cross-validation (the later outcomes hold too few churners for an out-of-time test: ${heldChurned} churned after ${isoDay(cutAt)}, ${o.minHeldOutChurned} needed)`;
  }

  const before: ScoredRow[][] = horizons.map(() => []);
  const after: ScoredRow[][] = horizons.map(() => []);
  const leftOut = horizons.map(() => ({ noSnapshot: 0, unscored: 0 }));
  const heldOutDecided = horizons.map(() => 0);
  let evaluated: Fit | undefined;
  for (const s of splits) {
    const fit = fitOnce(model, s.training, h, o, why);
    if (typeof fit === 'string') return { status: 'insufficient', fitHorizon, message: fit, excluded: { rules, note: exclusionNote } };
    evaluated ??= fit;
    for (const row of s.heldOut) {
      horizons.forEach((_, k) => {
        const snap = row.snapshots[k];
        const lo = leftOut[k] as { noSnapshot: number; unscored: number };
        if (snap === undefined) {
          lo.noSnapshot++;
          return;
        }
        const b = scoreForBacktest(model, snap);
        const a = scoreForBacktest(fit.compiled, snap);
        if (typeof a === 'string' || typeof b === 'string') {
          lo.unscored++;
          return;
        }
        if (signalPoints(model, snap, o.exclusions).masked > 0) heldOutDecided[k] = (heldOutDecided[k] as number) + 1;
        const outcome = { churned: isChurn(row), expanded: row.outcome.outcome === 'expanded' };
        before[k]?.push({ ...b, ...outcome });
        after[k]?.push({ ...a, ...outcome });
      });
    }
  }
  // Out-of-time writes the very model that was tested; k-fold writes a refit on every outcome.
  const final = outOfTime ? (evaluated as Fit) : fitOnce(model, candidates, h, o, why);
  if (typeof final === 'string') return { status: 'insufficient', fitHorizon, message: final, excluded: { rules, note: exclusionNote } };

  const calibratedHorizons = horizons.map(
    (days, k): CalibratedHorizon => ({
      ...horizonMetrics(days, after[k] ?? [], leftOut[k] ?? { noSnapshot: 0, unscored: 0 }, o.metrics),
      baseline: horizonMetrics(days, before[k] ?? [], leftOut[k] ?? { noSnapshot: 0, unscored: 0 }, o.metrics),
    }),
  );
  const fitH = calibratedHorizons[h];
  const aucLine =
    fitH?.auc != null && fitH.baseline.auc != null
      ? `held-out AUC at ${fitHorizon} days: ${fitH.baseline.auc} before, ${fitH.auc} after`
      : undefined;
  const yaml = modelYaml(final.config, [
    `Calibrated by 'healthscore backtest --calibrate' from model ${model.id} (version ${model.version}).`,
    `Fit: ${split}.`,
    ...(aucLine ? [`Result: ${aucLine}.`] : []),
    `Tiers chosen on the training data for red recall >= ${o.targetRecall}.`,
    `${exclusionNote.charAt(0).toUpperCase()}${exclusionNote.slice(1)}.`,
  ]);
  const notes: string[] = [];
  horizons.forEach((days, k) => {
    const n = heldOutDecided[k] as number;
    if (n > 0) {
      notes.push(
        `${n} held-out snapshot(s) at ${days} days already carry a post-decision value (${rules.join('; ')}): both models score them as they are, so these figures may be flattered by decisions already made`,
      );
    }
  });
  if (!outOfTime) notes.push('held-out figures pool the five folds: each outcome was scored by a model fitted without it');
  if (final.masked > 0) notes.push(`${final.masked} post-decision value(s) were masked in the training snapshots`);
  return {
    status: 'fitted',
    fitHorizon,
    method: outOfTime ? 'out-of-time' : 'k-fold',
    split,
    training: { outcomes: final.outcomes, churned: final.churned },
    excluded: { rules, maskedInTraining: final.masked, note: exclusionNote },
    dropped: final.dropped,
    signals: final.signals,
    tiers: { ...final.tiers, targetRecall: o.targetRecall },
    model: final.config,
    yaml,
    horizons: calibratedHorizons,
    notes,
  };
}
