// Lambda: the schedule starts a run. Lists the CRM's accounts into batches, syncs the sources once,
// and returns the batch list the state machine's Distributed Map fans out — or `skipped` when the
// previous run is still in progress (a log line and the RunsSkipped metric; the execution ends).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { isPaused, PAUSED_MESSAGE } from '../pipeline/run/mode.ts';
import { planRun, runIdFor } from '../pipeline/run/plan.ts';
import { configuredSources } from '../pipeline/run-config.ts';
import { coverageProblems, describeCoverageProblem } from '../pipeline/source-coverage.ts';
import { currentConfig, logger, metrics, runOptions, runtime } from './runtime.ts';

const eventSchema = z.looseObject({
  /** An explicit instant to score at; otherwise the scheduled event's time, otherwise now. */
  asOf: z.iso.datetime().optional(),
  time: z.iso.datetime().optional(),
  runId: z.string().min(1).optional(),
});

export async function handler(event: unknown, context: Context) {
  logger.addContext(context);
  const e = eventSchema.parse(event ?? {});
  const asOf = e.asOf ?? e.time ?? new Date().toISOString();
  // The kill switch, checked before any secret is read: the state machine ends the execution when plan says paused.
  const early = currentConfig();
  if (isPaused(early)) {
    const runId = runIdFor(runOptions(early, asOf, e.runId));
    logger.warn(PAUSED_MESSAGE, { runId });
    return { runId, asOf, paused: true, skipped: false, batches: [] };
  }
  const { deps, config } = await runtime();
  const options = runOptions(config, asOf, e.runId);
  const sources = configuredSources(config);
  for (const p of coverageProblems(deps.models, sources))
    logger.warn('model cannot be filled by the configured sources', { problem: describeCoverageProblem(p, sources) });
  const plan = await planRun(deps, options, AbortSignal.timeout(Math.max(1000, context.getRemainingTimeInMillis() - 10_000)));
  if (plan.skipped) {
    // Runs never overlap: the previous one is still going, so this one ends here (the dashboard counts these).
    logger.warn('run skipped: the previous run is still in progress', { runId: plan.runId, ...plan.skipped });
    metrics.addMetric('RunsSkipped', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return { runId: plan.runId, asOf: plan.asOf.toISOString(), paused: false, skipped: true, batches: [] };
  }
  logger.info('plan', { runId: plan.runId, batches: plan.batches.length, resumed: plan.resumed });
  // A resumed run keeps the instant it was planned with, whatever time it is now.
  const runAsOf = plan.asOf.toISOString();
  return {
    runId: plan.runId,
    asOf: runAsOf,
    paused: false,
    skipped: false,
    batches: plan.batches.map((index) => ({ runId: plan.runId, asOf: runAsOf, index })),
  };
}
