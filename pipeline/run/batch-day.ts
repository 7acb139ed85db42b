// The day of one batch: score each account with its model from the gathered signals and its recent
// history (trend, confirmation, the seasonal baseline when a model asks for it), attach what changed
// against earlier rows, store the rows, and note each account's day in its state.
import { withRun } from '../../lib/history/run-days.ts';
import type { CompiledModel } from '../../lib/model/compile.ts';
import type { AccountState, BatchSummary, DayRecord, PlannedBatch } from '../store/records.ts';
import { attachChanges, comparisonRows, lastYearTrends } from './change-log.ts';
import type { RunDeps, RunOptions } from './deps.ts';
import type { GatherResult } from './gather-signals.ts';
import { recentDayOf, recentHistories, scoreAccounts } from './score-accounts.ts';

export interface BatchDay {
  records: DayRecord[];
  /** Each account's recent days before this run (what trends and confirmation read). */
  histories: ReturnType<typeof recentHistories>;
}

/** The models a run may score with. */
function modelsOf(models: RunDeps['models']): CompiledModel[] {
  return 'fallback' in models ? [models.fallback, ...models.select.map((s) => s.model)] : [models];
}

/** Scores and stores the batch's day; `states` get the day in their recent history. */
export async function scoreBatchDay(
  deps: RunDeps,
  options: RunOptions & { runId: string },
  batch: PlannedBatch,
  states: Map<string, AccountState>,
  gathered: GatherResult,
  day: string,
  summary: BatchSummary,
): Promise<BatchDay> {
  const ids = batch.accounts.map((a) => a.accountId);
  const histories = recentHistories(states, ids, day, options.runId);
  const seasonal = modelsOf(deps.models).some((m) => m.config.seasonalBaseline);
  const at = {
    asOf: options.asOf,
    runId: options.runId,
    confirmHours: deps.cadence?.confirmHours,
    urgentEvents: deps.cadence?.urgentEvents,
    lastYearTrend: seasonal ? await lastYearTrends(deps.store, ids, day) : undefined,
  };
  const records = scoreAccounts(deps.models, batch.accounts, gathered.accounts, histories, at, summary);
  const compared = await comparisonRows(deps.store, states, ids, day, options.runId);
  attachChanges(records, compared.rows, compared.previousRunDay);
  await deps.store.putDays(records);
  for (const r of records) {
    const state = states.get(r.accountId);
    if (!state) continue;
    state.recent = withRun(histories.get(r.accountId) ?? [], recentDayOf(r));
  }
  return { records, histories };
}
