// Lambda: one batch of a run. Stops before the deadline; an unfinished batch is not checkpointed,
// so the state machine's retry runs it again (every step of a batch is idempotent).
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { QuotaExhaustedError } from '../connectors/shared/errors.ts';
import { isPaused, PAUSED_MESSAGE } from '../pipeline/run/mode.ts';
import { scoreBatch } from '../pipeline/run/score-batch.ts';
import { currentConfig, logger, runOptions, runtime } from './runtime.ts';

/** The state machine retries this error by name: the batch is not checkpointed and runs again. */
export class BatchStoppedError extends Error {
  override name = 'BatchStoppedError';
}

const eventSchema = z.object({ runId: z.string().min(1), asOf: z.iso.datetime(), index: z.number().int().min(0) });

export async function handler(event: unknown, context: Context) {
  logger.addContext(context);
  const e = eventSchema.parse(event);
  logger.appendKeys({ runId: e.runId, batch: e.index });
  // Paused while this run was under way: the remaining batches stop at once (nothing read or written).
  if (isPaused(currentConfig())) {
    logger.warn(PAUSED_MESSAGE);
    return { runId: e.runId, index: e.index, skipped: true, scored: 0, paused: true };
  }
  const { deps, config } = await runtime();
  const signal = AbortSignal.timeout(Math.max(1000, context.getRemainingTimeInMillis() - 15_000));
  let outcome: Awaited<ReturnType<typeof scoreBatch>>;
  try {
    outcome = await scoreBatch(deps, runOptions(config, e.asOf, e.runId), e.index, signal);
  } catch (err) {
    if (!(err instanceof QuotaExhaustedError)) throw err;
    // The CRM's daily allocation is used up: stop cleanly. The batch is not checkpointed; the summary
    // reports the run incomplete with the reason, and tomorrow's run scores every account again.
    const run = await deps.store.getRun(e.runId);
    if (run && !run.stoppedBy) await deps.store.saveRun({ ...run, stoppedBy: err.message });
    logger.warn('batch stopped: vendor quota', { error: err.message });
    return { runId: e.runId, index: e.index, skipped: false, scored: 0, stopped: err.message };
  }
  if (signal.aborted)
    throw new BatchStoppedError(`batch ${e.index} of run ${e.runId} stopped before the Lambda deadline; it will be retried`);
  return { runId: e.runId, index: e.index, skipped: outcome.skipped, scored: outcome.summary.scored };
}
