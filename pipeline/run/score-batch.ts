// One batch of a run: gather signals, score each account with its model, apply overrides, derive
// trend and the confirmed tier from history, store the day, write back what changed, alert once
// (in shadow mode: only count what would have been written and alerted).
// The batch is checkpointed when done, so a resumed run skips it.

import { callStats, callsSince } from '../../connectors/shared/http-trace.ts';
import { isoDay } from '../../lib/days.ts';
import { withRun } from '../../lib/history/run-days.ts';
import type { AccountState, BatchSummary, PlannedBatch } from '../store/records.ts';
import { attachChanges, comparisonRows, lastYearTrends } from './change-log.ts';
import { deliverAlerts, writeBack } from './deliver.ts';
import type { RunDeps, RunOptions } from './deps.ts';
import { gatherSignals } from './gather-signals.ts';
import { runIdFor } from './plan.ts';
import { recentDayOf, recentHistories, scoreAccounts } from './score-accounts.ts';
import { claimShadowAlerts, countShadowWrites, emptyShadowCounts } from './shadow.ts';

export function emptySummary(): BatchSummary {
  return {
    scored: 0,
    unknown: 0,
    tiers: { green: 0, yellow: 0, red: 0, unknown: 0 },
    movements: {},
    unmatched: {},
    rejected: [],
    failedSources: {},
    staleAccounts: 0,
    writes: { written: 0, unchanged: 0, rejected: 0, failed: 0, calls: 0 },
    writeProblems: [],
    alerts: [],
    overrides: { applied: 0, expired: 0 },
    dataErrors: [],
    calls: {},
    rateLimited: {},
  };
}

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
  const ids = batch.accounts.map((a) => a.accountId);
  const summary = emptySummary();
  const callsBefore = callStats();

  const states = await deps.store.getStates(ids);
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

  const histories = recentHistories(states, ids, day, runId);
  const seasonal = ('fallback' in deps.models ? [deps.models.fallback, ...deps.models.select.map((s) => s.model)] : [deps.models]).some(
    (m) => m.config.seasonalBaseline,
  );
  const at = {
    asOf: options.asOf,
    runId,
    confirmHours: deps.cadence?.confirmHours,
    urgentEvents: deps.cadence?.urgentEvents,
    lastYearTrend: seasonal ? await lastYearTrends(deps.store, ids, day) : undefined,
  };
  const records = scoreAccounts(deps.models, batch.accounts, gathered.accounts, histories, at, summary);
  const compared = await comparisonRows(deps.store, states, ids, day, runId);
  attachChanges(records, compared.rows, compared.previousRunDay);
  await deps.store.putDays(records);
  for (const r of records) {
    const state = states.get(r.accountId);
    if (!state) continue;
    const past = histories.get(r.accountId) ?? [];
    state.recent = withRun(past, recentDayOf(r));
  }

  const byId = new Map(batch.accounts.map((a) => [a.accountId, a]));
  if (options.mode === 'shadow') {
    summary.shadow = emptyShadowCounts();
    countShadowWrites(records, states, options.asOf, summary.shadow);
    await claimShadowAlerts(deps, records, histories, byId, summary.shadow);
  } else {
    await writeBack(deps, records, states, options.asOf, summary, signal);
    await deliverAlerts(deps, records, histories, byId, states, summary);
  }
  await deps.store.putStates([...states.values()] as AccountState[]);
  Object.assign(summary, callsSince(callsBefore));
  // A run told to stop must not checkpoint a batch it may not have finished (a retry redoes it, idempotently).
  signal?.throwIfAborted();
  await deps.store.markBatchDone(runId, batch as PlannedBatch, summary);
  deps.log?.('batch.done', { runId, index, scored: summary.scored, writes: summary.writes.written, alerts: summary.alerts.length });
  return { index, skipped: false, summary };
}
