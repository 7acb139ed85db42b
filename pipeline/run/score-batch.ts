// One batch of a run, in order: load it (a batch already done is skipped), gather its signals, step
// each account's lifecycle (lifecycle.ts: only customers are scored), score and store its day (batch-day.ts), send what changed (batch-delivery.ts), keep the accounts'
// state, and checkpoint it as done, so a resumed run skips it.

import { callStats, callsSince } from '../../connectors/shared/http-trace.ts';
import { isoDay } from '../../lib/days.ts';
import type { AccountState, BatchSummary, PlannedBatch } from '../store/records.ts';
import { scoreBatchDay } from './batch-day.ts';
import { deliverBatch } from './batch-delivery.ts';
import { emptyLifecycleCounts, emptySummary } from './batch-summary.ts';
import type { RunDeps, RunOptions } from './deps.ts';
import { gatherSignals } from './gather-signals.ts';
import { applyLifecycle } from './lifecycle.ts';
import { runIdFor } from './plan.ts';

export interface BatchOutcome {
  index: number;
  skipped: boolean;
  summary: BatchSummary;
}

export async function scoreBatch(deps: RunDeps, options: RunOptions, index: number, signal?: AbortSignal): Promise<BatchOutcome> {
  const runId = runIdFor(options);
  const day = isoDay(options.asOf);
  const batch = await deps.store.loadBatch(runId, index);
  if (!batch) throw new Error(`run ${runId} has no batch ${index}: plan the run first`);
  if (batch.status === 'done' && batch.summary) return { index, skipped: true, summary: batch.summary };
  const run = await deps.store.getRun(runId);
  const summary = emptySummary();
  const callsBefore = callStats();

  const states = await deps.store.getStates(batch.accounts.map((a) => a.accountId));
  const ctx = { asOf: options.asOf, state: deps.store.kv, ...(signal ? { signal } : {}), ...(deps.log ? { log: deps.log } : {}) };
  const gathered = await gatherSignals(
    [deps.crm.source, ...deps.sources],
    batch.accounts,
    states,
    ctx,
    day,
    options.maxStaleDays,
    run?.failedSources ?? {},
  );
  Object.assign(summary.failedSources, gathered.failedSources);
  summary.unmatched = gathered.unmatched;
  summary.unmatchedAccounts = gathered.unmatchedAccounts;
  summary.rejected = gathered.rejected;

  // Only customers are scored; churned accounts show `churned` with their frozen score; outcomes are kept with the history.
  const lifecycle = applyLifecycle(
    batch.accounts,
    gathered.accounts,
    states,
    { day, runId, asOf: options.asOf, crmSource: deps.crm.source.name },
    deps.accounts ?? {},
    summary.lifecycle ?? emptyLifecycleCounts(),
  );
  const customers = { ...batch, accounts: lifecycle.score };
  const scored = await scoreBatchDay(deps, { ...options, runId }, customers, states, gathered, day, summary);
  if (lifecycle.outcomes.length > 0) await deps.store.putOutcomes(lifecycle.outcomes);
  await deliverBatch(deps, options, customers, scored, states, summary, signal, lifecycle.frozen);
  await deps.store.putStates([...states.values()] as AccountState[]);
  Object.assign(summary, callsSince(callsBefore));
  // A run told to stop must not checkpoint a batch it may not have finished (a retry redoes it, idempotently).
  signal?.throwIfAborted();
  await deps.store.markBatchDone(runId, batch as PlannedBatch, summary);
  deps.log?.('batch.done', { runId, index, scored: summary.scored, writes: summary.writes.written, alerts: summary.alerts.length });
  return { index, skipped: false, summary };
}
