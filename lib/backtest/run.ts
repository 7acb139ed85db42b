// The backtest itself: streams the history through point-in-time selection, scores the chosen
// snapshots, computes the metrics per horizon and, on request, calibrates. Pure and clock-free: the
// history is any AsyncIterable<AccountSnapshot> (a JSONL file today, the run's store later).
import type { CompiledModel, CompiledModelSet } from '../model/compile.ts';
import type { AccountSnapshot } from '../signals/snapshot.ts';
import { type CalibrationOptions, type CalibrationReport, calibrate } from './calibrate.ts';
import { type HorizonMetrics, horizonMetrics, type MetricOptions } from './horizon-metrics.ts';
import type { InputProblem, OutcomeRecord } from './outcomes.ts';
import { PointInTimeSelector } from './point-in-time.ts';
import type { OutcomesFrom } from './recorded-outcomes.ts';
import { scoreHorizon } from './scored-rows.ts';

export const DEFAULT_HORIZONS: readonly number[] = [60, 90];

export interface BacktestOptions {
  horizons?: readonly number[];
  metrics?: MetricOptions;
  /** Calibrate (a single model only); the options, or true for the defaults. */
  calibrate?: boolean | CalibrationOptions;
  /** Called (synchronously, right after the snapshot was yielded) for a snapshot the selection cannot use. */
  onHistoryProblem?: (snap: AccountSnapshot, error: string) => void;
}

export interface BacktestReport {
  model: { id: string; version: string; label: string };
  inputs: {
    /** Valid outcome records handed in. */
    outcomes: number;
    /** Of those, outcomes whose account is in the history (the rest are problems). */
    outcomesUsed: number;
    unknownAccounts: number;
    snapshots: number;
    /** Snapshots held by the selection at the end (never more than outcomes × horizons at any time). */
    retainedSnapshots: number;
    /** Filled in by a reader of files (see withInputLines). */
    outcomeLines?: number;
    historyLines?: number;
    badOutcomeLines?: number;
    badHistoryLines?: number;
  };
  horizons: HorizonMetrics[];
  calibrated: CalibrationReport | null;
  problems: InputProblem[];
  /** Where the outcomes came from (a file, or the runs' store): filled in by the reader (see withInputLines). */
  outcomesFrom?: OutcomesFrom;
}

export function modelIdentity(models: CompiledModel | CompiledModelSet): BacktestReport['model'] {
  if ('fallback' in models) {
    return { id: models.fallback.id, version: models.fallback.version, label: `model set (default ${models.fallback.id})` };
  }
  return { id: models.id, version: models.version, label: models.id };
}

/** Streams the history once through point-in-time selection for the given outcomes. */
export async function selectFromHistory(
  outcomes: readonly OutcomeRecord[],
  history: AsyncIterable<AccountSnapshot> | Iterable<AccountSnapshot>,
  horizons: readonly number[],
  onProblem?: (snap: AccountSnapshot, error: string) => void,
): Promise<PointInTimeSelector> {
  const selector = new PointInTimeSelector(outcomes, horizons);
  for await (const snap of history) {
    const problem = selector.offer(snap);
    if (problem !== undefined) onProblem?.(snap, problem);
  }
  return selector;
}

/** Metrics (and calibration) from a finished selection. */
export function backtestReport(
  models: CompiledModel | CompiledModelSet,
  selector: PointInTimeSelector,
  options: BacktestOptions = {},
): BacktestReport {
  const horizons = selector.horizons;
  const unknown = selector.unknownAccounts();
  const rows = selector.rows().filter((r) => selector.isKnown(r.outcome.accountId));
  const metrics = horizons.map((days, h) => {
    const scored = scoreHorizon(models, rows, h);
    const m = horizonMetrics(days, scored.rows, { noSnapshot: scored.noSnapshot, unscored: scored.unscored }, options.metrics);
    if (scored.noSnapshot > 0) {
      m.notes.unshift(`${scored.noSnapshot} outcome(s) have no snapshot from ${days} days or more before their date and are left out`);
    }
    if (scored.unscored > 0) {
      m.notes.unshift(`${scored.unscored} snapshot(s) could not be scored and are left out (first: ${scored.firstError})`);
    }
    return m;
  });
  let calibrated: CalibrationReport | null = null;
  if (options.calibrate) {
    if ('fallback' in models) throw new Error('calibration needs a single model, not a model set');
    calibrated = calibrate(models, rows, horizons, {
      ...(options.calibrate === true ? {} : options.calibrate),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
  }
  return {
    model: modelIdentity(models),
    inputs: {
      outcomes: selector.rows().length,
      outcomesUsed: rows.length,
      unknownAccounts: unknown.length,
      snapshots: selector.snapshotsOffered,
      retainedSnapshots: selector.retained(),
    },
    horizons: metrics,
    calibrated,
    problems: unknown.map((o) => ({
      source: 'outcomes',
      ...(o.line !== undefined ? { line: o.line } : {}),
      error: `account ${o.accountId} has no snapshot in the history at all (unknown account)${o.runId !== undefined ? `: its ${o.outcome} outcome on ${o.date} was recorded by run ${o.runId}` : ''}`,
    })),
  };
}

export async function runBacktest(
  models: CompiledModel | CompiledModelSet,
  outcomes: readonly OutcomeRecord[],
  history: AsyncIterable<AccountSnapshot> | Iterable<AccountSnapshot>,
  options: BacktestOptions = {},
): Promise<BacktestReport> {
  const selector = await selectFromHistory(outcomes, history, options.horizons ?? DEFAULT_HORIZONS, options.onHistoryProblem);
  return backtestReport(models, selector, options);
}

/** Most problems listed in a report; all are counted. */
export const MAX_LISTED_PROBLEMS = 1000;

/** Adds the reader's line counts, parse problems (outcomes and history) and the outcomes' source to a report. */
export function withInputLines(
  report: BacktestReport,
  lines: { outcomeLines: number; historyLines: number; problems: readonly InputProblem[]; outcomesFrom?: OutcomesFrom },
): BacktestReport {
  const all = [...lines.problems, ...report.problems];
  const bad = (source: InputProblem['source']) => all.filter((p) => p.source === source).length;
  return {
    ...report,
    inputs: {
      ...report.inputs,
      outcomeLines: lines.outcomeLines,
      historyLines: lines.historyLines,
      badOutcomeLines: bad('outcomes'),
      badHistoryLines: bad('history'),
    },
    problems: all
      .sort((a, b) => (a.source === b.source ? (a.line ?? 0) - (b.line ?? 0) : a.source === 'outcomes' ? -1 : 1))
      .slice(0, MAX_LISTED_PROBLEMS),
    ...(lines.outcomesFrom ? { outcomesFrom: lines.outcomesFrom } : {}),
  };
}
