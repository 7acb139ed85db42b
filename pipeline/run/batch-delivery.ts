// What a scored batch sends out: in a live run, the CRM write-back of what changed and the alerts
// (each once); in shadow mode, only the count of what would have been written and alerted.
import type { ScoreWrite } from '../../connectors/shared/crm.ts';
import type { AccountState, BatchSummary, PlannedBatch } from '../store/records.ts';
import type { BatchDay } from './batch-day.ts';
import { deliverAlerts, writeBack } from './deliver.ts';
import type { RunDeps, RunOptions } from './deps.ts';
import { claimShadowAlerts, countShadowWrites, emptyShadowCounts } from './shadow.ts';

export async function deliverBatch(
  deps: RunDeps,
  options: RunOptions,
  batch: PlannedBatch,
  { records, histories }: BatchDay,
  states: Map<string, AccountState>,
  summary: BatchSummary,
  signal?: AbortSignal,
  /** Churned accounts' frozen values (`churned`, the last score): written like any change, never alerted. */
  frozen: readonly ScoreWrite[] = [],
): Promise<void> {
  const byId = new Map(batch.accounts.map((a) => [a.accountId, a]));
  if (options.mode === 'shadow') {
    summary.shadow = emptyShadowCounts();
    countShadowWrites(records, states, options.asOf, summary.shadow, frozen);
    await claimShadowAlerts(deps, records, histories, byId, summary.shadow);
    return;
  }
  await writeBack(deps, records, states, options.asOf, summary, signal, frozen);
  await deliverAlerts(deps, records, histories, byId, states, summary);
}
