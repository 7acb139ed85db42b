// `healthscore run --dry-run`: the run's reads and scoring on the configured vendors, with nothing
// written anywhere — no CRM writes or tasks, no Slack, no table rows, no saved cursors. Source state
// is read from the table when one is reachable (a deployed run's cursors) and kept in memory
// otherwise. The result says, per account, each signal and its source, the score, tier and drivers,
// the alerts a run would raise, and the exact CRM property changes, beside the CRM's current values.

import type { CrmAccount, CrmConnector, PropertyChange } from '../../connectors/shared/crm.ts';
import { callStats, callsSince } from '../../connectors/shared/http-trace.ts';
import type { SignalSource, SourceContext } from '../../connectors/shared/source.ts';
import { chunk } from '../../lib/chunk.ts';
import { isoDay } from '../../lib/days.ts';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import type { Driver, Tier } from '../../lib/scoring/engine.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { emptyLifecycleCounts, emptySummary } from '../run/batch-summary.ts';
import { alertsDue, toScoreProperties } from '../run/deliver.ts';
import type { AccountsPolicy, Cadence, RunLog } from '../run/deps.ts';
import { gatherSignals } from '../run/gather-signals.ts';
import { matchIdentities } from '../run/identity.ts';
import { applyLifecycle } from '../run/lifecycle.ts';
import { lastPlannedRun } from '../run/plan.ts';
import { recentHistories, scoreAccounts } from '../run/score-accounts.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { AccountState } from '../store/records.ts';
import { OverlayStateStore } from './overlay-state.ts';
import { describeSyncCost, type LastSync } from './sync-cost.ts';

export interface DryRunDeps {
  crm: CrmConnector;
  sources: SignalSource[];
  models: CompiledModel | CompiledModelSet;
  /** The run's table, read (never written) for source cursors, account state and alerts already sent. */
  store?: DynamoStore | undefined;
  accounts?: AccountsPolicy;
  log?: RunLog;
  cadence?: Cadence;
}

export interface DryRunOptions {
  asOf: Date;
  batchSize: number;
  maxStaleDays: number;
  /** Preview only the first N accounts the CRM lists. */
  limit?: number;
  /** Preview only these CRM record ids. */
  accountIds?: string[];
}

export interface DryRunHooks {
  /** Before a portfolio-wide sync starts: what it will cost. */
  onSync?: (source: string, cost: string) => void;
  onBatch?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface DryRunAccount {
  accountId: string;
  name: string | undefined;
  score: number | null;
  tier: Tier;
  confirmedTier: Tier;
  completeness: number;
  model: string;
  flags: string[];
  drivers: Driver[];
  signals: { key: string; value: SignalValue; source: string }[];
  /** Sources that failed with nothing recent to stand in for them. */
  failedSources: string[];
  /** What a real run would write to the CRM (empty: nothing changed). */
  changes: PropertyChange[];
  /** Alerts a real run would raise (a CRM task, and a Slack message when configured). */
  alerts: { playbook: string; title: string }[];
}

export interface DryRunResult {
  asOf: string;
  day: string;
  /** Whether source state came from the table (else every sync started from nothing). */
  storedState: boolean;
  accounts: DryRunAccount[];
  /** Ids asked for with --accounts that the CRM does not list. */
  notFound: string[];
  failedSources: Record<string, string>;
  unmatched: Record<string, number>;
  rejected: { source: string; recordId: string; reason: string }[];
  dataErrors: { accountId: string; error: string }[];
  /** Vendor HTTP calls made, per vendor (all reads). */
  calls: Record<string, number>;
}

async function pickAccounts(crm: CrmConnector, options: DryRunOptions, signal?: AbortSignal) {
  const wanted = options.accountIds ? new Set(options.accountIds) : undefined;
  const picked: CrmAccount[] = [];
  const rejected: { source: string; recordId: string; reason: string }[] = [];
  for await (const page of crm.listAccounts(signal ? { signal } : {})) {
    for (const r of page.rejected) rejected.push({ source: crm.kind, ...r });
    // Records outside the account scope are not customers: previewed only when asked for by id.
    for (const a of page.accounts) if (wanted ? wanted.has(a.accountId) : a.scope?.in !== false) picked.push(a);
    // Stop listing as soon as the preview has its accounts: every page is a call.
    if (options.limit !== undefined && picked.length >= options.limit) break;
    if (wanted && picked.length >= wanted.size) break;
  }
  const accounts = options.limit !== undefined ? picked.slice(0, options.limit) : picked;
  const found = new Set(accounts.map((a) => a.accountId));
  return { accounts, rejected, notFound: [...(wanted ?? [])].filter((id) => !found.has(id)) };
}

interface TableProbe {
  reachable: boolean;
  /** Whether a run has kept source state in it; without one, every sync starts from nothing. */
  used: boolean;
  /** Per source, what the last planned run's sync cost (from its run record). */
  lastSyncs: Map<string, LastSync>;
}

async function probeTable(store: DynamoStore | undefined, log: RunLog | undefined): Promise<TableProbe> {
  const lastSyncs = new Map<string, LastSync>();
  if (!store) return { reachable: false, used: false, lastSyncs };
  try {
    const last = await lastPlannedRun(store.kv);
    const run = last ? await store.getRun(last.runId) : undefined;
    for (const [source, sync] of Object.entries(run?.syncs ?? {}))
      lastSyncs.set(source, { day: run?.day ?? '', records: sync.records, requests: run?.calls?.calls[source] ?? 0 });
    return { reachable: true, used: last !== undefined || (await store.kv.get<string>('run:last-day')) !== undefined, lastSyncs };
  } catch (err) {
    log?.('dry_run.no_table', { table: store.table, error: (err as Error).message });
    return { reachable: false, used: false, lastSyncs };
  }
}

export async function dryRun(deps: DryRunDeps, options: DryRunOptions, hooks: DryRunHooks = {}): Promise<DryRunResult> {
  const day = isoDay(options.asOf);
  const callsBefore = callStats();
  const table = await probeTable(deps.store, deps.log);
  const stored = table.used;
  const store = table.reachable ? deps.store : undefined;
  const state = new OverlayStateStore(store?.kv);
  const ctx: SourceContext = {
    asOf: options.asOf,
    state,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  };
  const picked = await pickAccounts(deps.crm, options, hooks.signal);

  const failedInSync: Record<string, string> = {};
  const syncing = [deps.crm.source, ...deps.sources].filter((s) => s.sync);
  for (const s of syncing) hooks.onSync?.(s.name, describeSyncCost(s.name, stored, table.lastSyncs.get(s.name)));
  await Promise.all(
    syncing.map(async (s) => {
      try {
        await s.sync?.(ctx);
      } catch (err) {
        if (hooks.signal?.aborted) throw err;
        failedInSync[s.name] = (err as Error).message;
      }
    }),
  );

  // Joins by domain as a run's plan would, among the previewed accounts (a run sees the whole portfolio).
  await matchIdentities(deps.sources, picked.accounts, ctx, `dry-run-${options.asOf.toISOString()}`, failedInSync);

  const result: DryRunResult = {
    asOf: options.asOf.toISOString(),
    day,
    storedState: stored,
    accounts: [],
    notFound: picked.notFound,
    failedSources: { ...failedInSync },
    unmatched: {},
    rejected: [...picked.rejected],
    dataErrors: [],
    calls: {},
  };
  const batches = chunk(picked.accounts, options.batchSize);
  for (const [i, batch] of batches.entries()) {
    await previewBatch(deps, store, batch, ctx, options, failedInSync, result);
    hooks.onBatch?.(i + 1, batches.length);
  }
  result.calls = callsSince(callsBefore).calls;
  return result;
}

async function previewBatch(
  deps: DryRunDeps,
  store: DynamoStore | undefined,
  batch: CrmAccount[],
  ctx: SourceContext,
  options: DryRunOptions,
  failedInSync: Record<string, string>,
  result: DryRunResult,
): Promise<void> {
  const day = isoDay(options.asOf);
  const ids = batch.map((a) => a.accountId);
  const states: Map<string, AccountState> = store ? await store.getStates(ids) : new Map();
  const gathered = await gatherSignals([deps.crm.source, ...deps.sources], batch, states, ctx, day, options.maxStaleDays, failedInSync);
  Object.assign(result.failedSources, gathered.failedSources);
  for (const [k, v] of Object.entries(gathered.unmatched)) result.unmatched[k] = (result.unmatched[k] ?? 0) + v;
  result.rejected.push(...gathered.rejected);
  const runId = `dry-run-${options.asOf.toISOString()}`;
  const histories = recentHistories(states, ids, day, runId);
  const summary = emptySummary();
  // As the run would: only customers are scored (a churned account shows `churned`, frozen; nothing is stored here).
  const customers = applyLifecycle(
    batch,
    gathered.accounts,
    states,
    { day, runId, asOf: options.asOf, crmSource: deps.crm.source.name },
    deps.accounts ?? {},
    emptyLifecycleCounts(),
  ).score;
  const records = scoreAccounts(
    deps.models,
    customers,
    gathered.accounts,
    histories,
    { asOf: options.asOf, runId, confirmHours: deps.cadence?.confirmHours, urgentEvents: deps.cadence?.urgentEvents },
    summary,
  );
  result.dataErrors.push(...summary.dataErrors);
  const previews = await deps.crm.previewWrites(
    records.map((r) => ({ accountId: r.accountId, values: toScoreProperties(r, options.asOf), previous: states.get(r.accountId)?.crm })),
    ctx.signal,
  );
  const changesOf = new Map(previews.map((p) => [p.accountId, p.changes]));
  const byId = new Map(batch.map((a) => [a.accountId, a]));
  for (const r of records) {
    const account = byId.get(r.accountId);
    const g = gathered.accounts.get(r.accountId);
    const claimed = store ? new Set((await store.alerts(r.accountId)).map((a) => String(a.key ?? ''))) : new Set<string>();
    const alerts = alertsDue(r, histories.get(r.accountId)?.at(-1), account?.name ?? r.accountId, deps.cadence?.confirmHours).filter(
      (a) => !claimed.has(a.key),
    );
    result.accounts.push({
      accountId: r.accountId,
      name: account?.name,
      score: r.score,
      tier: r.tier,
      confirmedTier: r.tierState.confirmed,
      completeness: r.completeness,
      model: `${r.model}@${r.modelVersion}`,
      flags: r.flags,
      drivers: r.drivers,
      signals: Object.entries(r.signals)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => ({ key, value, source: g?.origins[key] ?? 'unknown' })),
      failedSources: r.failedSources,
      changes: changesOf.get(r.accountId) ?? [],
      alerts: alerts.map((a) => ({ playbook: a.playbook, title: a.title })),
    });
  }
}
