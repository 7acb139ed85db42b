// One whole run in this process: plan, every batch not yet done, summary. The CLI and the local
// demo use it; in AWS the state machine calls plan / score-batch / summarize as separate Lambdas.
import { QuotaExhaustedError } from '../../connectors/shared/errors.ts';
import type { RunDeps, RunOptions } from './deps.ts';
import { planRun } from './plan.ts';
import { scoreBatch } from './score-batch.ts';
import { type RunSummary, skippedSummary, summarizeRun } from './summary.ts';

export interface RunAllHooks {
  onBatch?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export async function runAll(deps: RunDeps, options: RunOptions, hooks: RunAllHooks = {}): Promise<RunSummary> {
  const plan = await planRun(deps, options, hooks.signal);
  if (plan.skipped) return skippedSummary(plan.runId, plan.asOf, plan.skipped, options.mode);
  if (plan.resumed && plan.asOf.getTime() !== options.asOf.getTime()) {
    deps.log?.('run.resumed', { runId: plan.runId, asOf: plan.asOf.toISOString(), note: 'resumed at the instant it was planned with' });
  }
  const runOptions = { ...options, asOf: plan.asOf, runId: plan.runId };
  let done = 0;
  for (const index of plan.batches) {
    if (hooks.signal?.aborted) break;
    try {
      await scoreBatch(deps, runOptions, index, hooks.signal);
    } catch (err) {
      // Told to stop (a deadline, a signal): the unfinished batch is not checkpointed; the next run resumes it.
      if (hooks.signal?.aborted) break;
      if (!(err instanceof QuotaExhaustedError)) throw err;
      const run = await deps.store.getRun(plan.runId);
      if (run) await deps.store.saveRun({ ...run, stoppedBy: err.message });
      deps.log?.('run.stopped', { runId: plan.runId, reason: err.message });
      break;
    }
    hooks.onBatch?.(++done, plan.batches.length);
  }
  return summarizeRun(deps.store, plan.runId);
}
