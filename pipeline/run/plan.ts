// Plan a run: list the CRM's accounts, cut them into batches, run each source's portfolio-wide
// sync once, and save it all as the run's checkpoint. Planning an already planned run returns it.

import { QuotaExhaustedError } from '../../connectors/shared/errors.ts';
import type { RejectedRecord } from '../../connectors/shared/source.ts';
import { isoDay } from '../../lib/history/day-math.ts';
import type { PlannedBatch, RunRecord } from '../store/records.ts';
import type { RunDeps, RunOptions } from './deps.ts';

export interface PlanResult {
  runId: string;
  batches: number[];
  resumed: boolean;
}

export function runIdFor(options: Pick<RunOptions, 'asOf' | 'runId'>): string {
  return options.runId ?? isoDay(options.asOf);
}

export async function planRun(deps: RunDeps, options: RunOptions, signal?: AbortSignal): Promise<PlanResult> {
  const runId = runIdFor(options);
  const existing = await deps.store.getRun(runId);
  if (existing) return { runId, batches: range(existing.batches), resumed: true };

  const batches: PlannedBatch[] = [];
  const crmRejected: RejectedRecord[] = [];
  let current: PlannedBatch['accounts'] = [];
  let accounts = 0;
  for await (const page of deps.crm.listAccounts(signal ? { signal } : {})) {
    crmRejected.push(...page.rejected);
    for (const a of page.accounts) {
      current.push(a);
      accounts++;
      if (current.length >= options.batchSize) {
        batches.push({ index: batches.length, accounts: current });
        current = [];
      }
    }
  }
  if (current.length) batches.push({ index: batches.length, accounts: current });

  const ctx = { asOf: options.asOf, state: deps.store.kv, ...(signal ? { signal } : {}), ...(deps.log ? { log: deps.log } : {}) };
  const failedSources: Record<string, string> = {};
  const syncs: RunRecord['syncs'] = {};
  for (const source of [deps.crm.source, ...deps.sources]) {
    if (!source.sync) continue;
    try {
      const report = await source.sync(ctx);
      syncs[source.name] = { records: report.records, rejected: report.rejected.length };
      for (const r of report.rejected) deps.log?.('source.record_rejected', { source: source.name, ...r });
    } catch (err) {
      if (err instanceof QuotaExhaustedError) throw err;
      failedSources[source.name] = (err as Error).message;
      deps.log?.('source.sync_failed', { source: source.name, error: (err as Error).message });
    }
  }

  await deps.store.savePlan(runId, batches);
  const run: RunRecord = {
    runId,
    day: isoDay(options.asOf),
    asOf: options.asOf.toISOString(),
    startedAt: new Date().toISOString(),
    batches: batches.length,
    accounts,
    failedSources,
    syncs,
    crmRejected,
  };
  // The run record goes last: a plan interrupted before it is simply planned again.
  await deps.store.saveRun(run);
  deps.log?.('run.planned', { runId, accounts, batches: batches.length, failedSources });
  return { runId, batches: range(batches.length), resumed: false };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
