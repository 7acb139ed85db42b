// Plan a run: list the CRM's accounts into batches (checkpointed per page, plan-listing.ts), run each source's portfolio-wide
// sync once, and save it all as the run's checkpoint. Planning an already planned run returns it;
// planning a new run while the last one is still in progress skips it (runs never overlap).

import { ConfigError, QuotaExhaustedError } from '../../connectors/shared/errors.ts';
import { callStats, callsSince } from '../../connectors/shared/http-trace.ts';
import { isoDay } from '../../lib/days.ts';
import type { RunRecord } from '../store/records.ts';
import type { RunDeps, RunOptions } from './deps.ts';
import { matchPlannedIdentities } from './identity.ts';
import { listIntoBatches } from './plan-listing.ts';

export interface PlanResult {
  runId: string;
  /** The instant the run scores at: a resumed run keeps the one it was planned with. */
  asOf: Date;
  batches: number[];
  resumed: boolean;
  /** Set when the run was not planned because another was still in progress: nothing was read or written. */
  skipped?: { inProgress: string; until: string };
}

/** Runs move forward in time: scoring a day before the last one planned would rewrite the present with the past. */
export class RunOrderError extends Error {
  override name = 'RunOrderError';
}

const LAST_DAY_KEY = 'run:last-day';
const LAST_RUN_KEY = 'run:last';
/** Without a configured timeout, an unfinished run blocks the next for this long (the deploy default for a daily schedule). */
export const DEFAULT_RUN_TIMEOUT_MINUTES = 20 * 60;

/** A run's id is its instant to the second: each scheduled run is its own run, and a retried start of the same instant resumes it. */
export function runIdAt(asOf: Date): string {
  return asOf.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function runIdFor(options: Pick<RunOptions, 'asOf' | 'runId'>): string {
  return options.runId ?? runIdAt(options.asOf);
}

/** The id and instant of the last run planned in this table, if any. */
export function lastPlannedRun(kv: RunDeps['store']['kv']): Promise<{ runId: string; asOf: string } | undefined> {
  return kv.get<{ runId: string; asOf: string }>(LAST_RUN_KEY);
}

/** The last planned run when it is still in progress at `asOf` (unfinished, not stopped, within its timeout). */
async function runInProgress(deps: RunDeps, asOf: Date, timeoutMinutes: number): Promise<{ runId: string; until: string } | undefined> {
  const last = await lastPlannedRun(deps.store.kv);
  if (!last) return undefined;
  const until = new Date(Date.parse(last.asOf) + timeoutMinutes * 60_000);
  if (asOf >= until) return undefined;
  const run = await deps.store.getRun(last.runId);
  if (!run || run.stoppedBy) return undefined;
  const batches = await deps.store.batchSummaries(last.runId);
  const done = batches.filter((b) => b.status === 'done').length;
  return done < run.batches ? { runId: last.runId, until: until.toISOString() } : undefined;
}

export async function planRun(deps: RunDeps, options: RunOptions, signal?: AbortSignal): Promise<PlanResult> {
  const runId = runIdFor(options);
  const existing = await deps.store.getRun(runId);
  if (existing) return { runId, asOf: new Date(existing.asOf), batches: range(existing.batches), resumed: true };
  const day = isoDay(options.asOf);
  const lastDay = await deps.store.kv.get<string>(LAST_DAY_KEY);
  if (lastDay !== undefined && day < lastDay) {
    throw new RunOrderError(
      `cannot run ${day}: the store already holds runs up to ${lastDay}, and a run must not score the past over the present`,
    );
  }
  const busy = await runInProgress(deps, options.asOf, deps.cadence?.runTimeoutMinutes ?? DEFAULT_RUN_TIMEOUT_MINUTES);
  if (busy) {
    deps.log?.('run.skipped', {
      runId,
      inProgress: busy.runId,
      until: busy.until,
      note: 'the previous run is still in progress; this one is skipped so that runs never overlap',
    });
    return { runId, asOf: options.asOf, batches: [], resumed: false, skipped: { inProgress: busy.runId, until: busy.until } };
  }
  const callsBefore = callStats();
  // A live run checks first that the CRM can take its writes (score properties, tier values): a missing
  // one stops the run with the sentence to act on, rather than every write being refused.
  if ((options.mode ?? 'live') === 'live') await deps.crm.preflight?.(signal);

  // The listing saves its batches and cursor page by page; a plan stopped mid-listing resumes it.
  const listing = await listIntoBatches(deps, runId, options.batchSize, signal);

  const ctx = { asOf: options.asOf, state: deps.store.kv, ...(signal ? { signal } : {}), ...(deps.log ? { log: deps.log } : {}) };
  for (const message of deps.crm.configWarnings?.(options.asOf) ?? []) deps.log?.('crm.config_warning', { crm: deps.crm.kind, message });
  const failedSources: Record<string, string> = {};
  const syncs: RunRecord['syncs'] = {};
  const warnings: Record<string, string[]> = structuredClone(deps.configWarnings ?? {});
  // The syncs run side by side: each vendor has its own rate budget, so the plan takes as long as
  // the slowest source rather than the sum of them.
  const outcomes = await Promise.allSettled(
    [deps.crm.source, ...deps.sources].map(async (source) => {
      if (!source.sync) return;
      try {
        const report = await source.sync(ctx);
        syncs[source.name] = { records: report.records, rejected: report.rejected.length };
        if (report.warnings?.length) warnings[source.name] = [...(warnings[source.name] ?? []), ...report.warnings];
        for (const r of report.rejected) deps.log?.('source.record_rejected', { source: source.name, ...r });
      } catch (err) {
        // Only the CRM stops the run (its quota, or a mapping that would misread every account): another source failing is a failed source like any other.
        if ((err instanceof QuotaExhaustedError || err instanceof ConfigError) && source === deps.crm.source) throw err;
        if (signal?.aborted) throw err;
        failedSources[source.name] = (err as Error).message;
        deps.log?.('source.sync_failed', { source: source.name, error: (err as Error).message });
      }
    }),
  );
  for (const o of outcomes) if (o.status === 'rejected') throw o.reason;

  // A sync cut short by the deadline saved its own cursor but is not complete: plan again (it resumes), never on partial data.
  signal?.throwIfAborted();
  const identity = await matchPlannedIdentities(deps, runId, ctx, failedSources);
  const run: RunRecord = {
    runId,
    day: isoDay(options.asOf),
    asOf: options.asOf.toISOString(),
    startedAt: new Date().toISOString(),
    batches: listing.batches,
    accounts: listing.accounts,
    failedSources,
    syncs,
    crmRejected: listing.rejected,
    ...(Object.keys(warnings).length > 0 ? { warnings } : {}),
    calls: callsSince(callsBefore),
    mode: options.mode ?? 'live',
    ...(Object.keys(identity.unclaimed).length > 0 ? { unclaimed: identity.unclaimed, matchedByDomain: identity.matchedByDomain } : {}),
    ...(Object.keys(listing.outOfScope).length > 0 ? { outOfScope: listing.outOfScope } : {}),
  };
  // The run record goes last: a plan interrupted before it is simply planned again.
  await deps.store.saveRun(run);
  await deps.store.kv.putMany([
    [LAST_DAY_KEY, day],
    [LAST_RUN_KEY, { runId, asOf: run.asOf }],
  ]);
  deps.log?.('run.planned', { runId, accounts: listing.accounts, batches: listing.batches, outOfScope: listing.outOfScope, failedSources });
  return { runId, asOf: options.asOf, batches: range(listing.batches), resumed: false };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
