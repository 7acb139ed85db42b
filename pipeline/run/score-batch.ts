// One batch of a run: gather signals, score each account with its model, apply overrides, derive
// trend and the confirmed tier from history, store the day, write back what changed, alert once.
// The batch is checkpointed when done, so a resumed run skips it.

import { callStats, callsSince } from '../../connectors/shared/http-trace.ts';
import { confirmTier } from '../../lib/history/confirmation.ts';
import { addDays, isoDay } from '../../lib/history/day-math.ts';
import { applyOverride } from '../../lib/history/override.ts';
import { streakStart } from '../../lib/history/playbooks.ts';
import { trendOf } from '../../lib/history/trend.ts';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import { scoreSnapshot, selectModel } from '../../lib/scoring/engine.ts';
import type { AccountSnapshot } from '../../lib/signals/snapshot.ts';
import type { AccountState, BatchSummary, DayRecord, PlannedBatch, RecentDay } from '../store/records.ts';
import { deliverAlerts, writeBack } from './deliver.ts';
import type { RunDeps, RunOptions } from './deps.ts';
import { gatherSignals } from './gather-signals.ts';
import { runIdFor } from './plan.ts';

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

function pickModel(models: CompiledModel | CompiledModelSet, snap: AccountSnapshot): CompiledModel {
  return 'fallback' in models ? selectModel(models, snap) : models;
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
  summary.rejected = gathered.rejected;

  // 36 days: the 30-day change may look up to 5 days further back for a missing day.
  const windowStart = addDays(day, -36);
  const histories = new Map<string, RecentDay[]>(
    ids.map((id) => [id, (states.get(id)?.recent ?? []).filter((r) => r.day < day && r.day >= windowStart)]),
  );
  const records: DayRecord[] = [];
  for (const account of batch.accounts) {
    const g = gathered.accounts.get(account.accountId);
    if (!g) continue;
    const snap: AccountSnapshot = {
      accountId: account.accountId,
      asOf: options.asOf.toISOString(),
      signals: g.signals,
      ...(account.segment ? { segment: account.segment } : {}),
    };
    const model = pickModel(deps.models, snap);
    let scored: ReturnType<typeof scoreSnapshot>;
    try {
      scored = scoreSnapshot(model, snap);
    } catch (err) {
      summary.dataErrors.push({ accountId: account.accountId, error: (err as Error).message });
      continue;
    }
    const overridden = applyOverride(scored, account.override, day, model.tiers);
    if (overridden.status === 'applied') summary.overrides.applied++;
    if (overridden.status === 'expired') summary.overrides.expired++;
    const result = overridden.result;
    const past = histories.get(account.accountId) ?? [];
    const previous = past.at(-1);
    // Trends follow the model, not a CSM's override: setting or ending one is not a "drop".
    const trend = trendOf(
      { day, score: overridden.modelScore },
      past.map((p) => ({ day: p.day, score: p.modelScore === undefined ? p.score : p.modelScore })),
    );
    const outage = g.staleSources.length > 0 || g.failedSources.length > 0;
    const confirmation = confirmTier(previous?.tierState, result.tier, day, outage);
    if (confirmation.change) {
      const key = `${confirmation.change.from}>${confirmation.change.to}`;
      summary.movements[key] = (summary.movements[key] ?? 0) + 1;
    }
    if (g.staleSources.length) summary.staleAccounts++;
    summary.scored++;
    if (result.score === null) summary.unknown++;
    summary.tiers[confirmation.state.confirmed]++;
    records.push({
      accountId: account.accountId,
      day,
      runId,
      score: result.score,
      tier: result.tier,
      completeness: result.completeness,
      layers: result.layers,
      drivers: result.drivers,
      rules: result.rules,
      flags: result.flags,
      signals: g.signals,
      staleSources: g.staleSources,
      failedSources: g.failedSources,
      model: result.model,
      modelVersion: result.modelVersion,
      modelScore: overridden.modelScore,
      override: overridden.status,
      tierState: confirmation.state,
      change7d: trend.change7d,
      change30d: trend.change30d,
      urgentDrop: trend.urgentDrop,
      urgentSince: streakStart(trend.urgentDrop !== null, previous?.urgentSince, day),
      renewalRiskSince: streakStart(result.flags.includes('renewal_risk'), previous?.renewalRiskSince, day),
    });
  }
  await deps.store.putDays(records);
  for (const r of records) {
    const state = states.get(r.accountId);
    if (!state) continue;
    const past = histories.get(r.accountId) ?? [];
    state.recent = [
      ...past,
      {
        day: r.day,
        score: r.score,
        modelScore: r.modelScore,
        flags: r.flags,
        urgentDrop: r.urgentDrop,
        urgentSince: r.urgentSince,
        renewalRiskSince: r.renewalRiskSince,
        tierState: r.tierState,
      },
    ];
  }

  const byId = new Map(batch.accounts.map((a) => [a.accountId, a]));
  await writeBack(deps, records, states, options.asOf, summary, signal);
  await deliverAlerts(deps, records, histories, byId, states, summary);
  await deps.store.putStates([...states.values()] as AccountState[]);
  Object.assign(summary, callsSince(callsBefore));
  // A run told to stop must not checkpoint a batch it may not have finished (a retry redoes it, idempotently).
  signal?.throwIfAborted();
  await deps.store.markBatchDone(runId, batch as PlannedBatch, summary);
  deps.log?.('batch.done', { runId, index, scored: summary.scored, writes: summary.writes.written, alerts: summary.alerts.length });
  return { index, skipped: false, summary };
}
