// The run summary: what a RevOps lead reads after each run — accounts scored and unknown, tiers
// and their movement, what each source could not match, writes, alerts, overrides, vendor calls.
import { isoDay } from '../../lib/days.ts';
import type { Tier } from '../../lib/scoring/engine.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { BatchSummary, ShadowCounts } from '../store/records.ts';
import { emptyLifecycleCounts, emptySummary } from './batch-summary.ts';

export interface RunSummary {
  runId: string;
  day: string;
  accounts: number;
  batches: { total: number; done: number };
  complete: boolean;
  scored: number;
  unknown: number;
  tiers: Record<Tier, number>;
  movements: Record<string, number>;
  unmatched: Record<string, number>;
  /** Per source, accounts joined to its records by domain (no id field mapped). */
  matchedByDomain: Record<string, number>;
  /** Per source, live vendor records no CRM account claims (the list: `run --unmatched-csv`). */
  unclaimed: Record<string, number>;
  rejected: number;
  rejectedSamples: BatchSummary['rejected'];
  failedSources: Record<string, string>;
  /** Per source, configuration problems that leave signals empty without failing the run. */
  warnings: Record<string, string[]>;
  staleAccounts: number;
  writes: BatchSummary['writes'];
  writeProblems: BatchSummary['writeProblems'];
  alerts: Record<string, number>;
  overrides: { applied: number; expired: number; rate: number };
  /** Accounts whose tier moved only because the model changed: recorded, not alerted. */
  rebaselined: number;
  calls: Record<string, number>;
  rateLimited: Record<string, number>;
  dataErrors: BatchSummary['dataErrors'];
  stoppedBy?: string;
  /** Set when the run did nothing because the previous run was still in progress (until its timeout). */
  skipped?: { inProgress: string; until: string };
  mode: 'live' | 'shadow';
  /** CRM records outside the account scope, not scored, by reason. */
  outOfScope: Record<string, number>;
  /** Lifecycle changes this run: churned, returned, left the scope (not a churn), frozen churned accounts, outcomes by kind. */
  lifecycle: NonNullable<BatchSummary['lifecycle']>;
  /** In shadow mode: the CRM writes and alerts a live run would have made (none were). */
  shadow?: { writes: number; properties: number; alerts: Record<string, number>; alertSamples: ShadowCounts['alerts'] };
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

export async function summarizeRun(store: DynamoStore, runId: string): Promise<RunSummary> {
  const run = await store.getRun(runId);
  if (!run) throw new Error(`no run ${runId}`);
  const batches = await store.batchSummaries(runId);
  const total = emptySummary();
  const alerts: Record<string, number> = {};
  let done = 0;
  let shadow: ShadowCounts | undefined;
  for (const b of batches) {
    if (b.status !== 'done' || !b.summary) continue;
    done++;
    const s = b.summary;
    total.scored += s.scored;
    total.unknown += s.unknown;
    add(total.tiers, s.tiers);
    add(total.movements, s.movements);
    add(total.unmatched, s.unmatched);
    total.rejected.push(...s.rejected);
    Object.assign(total.failedSources, s.failedSources);
    total.staleAccounts += s.staleAccounts;
    add(total.writes, s.writes);
    total.writeProblems.push(...s.writeProblems);
    for (const a of s.alerts) alerts[a.playbook] = (alerts[a.playbook] ?? 0) + 1;
    total.overrides.applied += s.overrides.applied;
    total.overrides.expired += s.overrides.expired;
    total.rebaselined = (total.rebaselined ?? 0) + (s.rebaselined ?? 0);
    add(total.calls, s.calls ?? {});
    add(total.rateLimited, s.rateLimited ?? {});
    total.dataErrors.push(...s.dataErrors);
    if (s.lifecycle) {
      const l = total.lifecycle as NonNullable<BatchSummary['lifecycle']>;
      l.started += s.lifecycle.started;
      l.churned += s.lifecycle.churned;
      l.returned += s.lifecycle.returned;
      l.leftScope += s.lifecycle.leftScope;
      l.frozen += s.lifecycle.frozen;
      add(l.outcomes, s.lifecycle.outcomes);
    }
    if (s.shadow) {
      shadow ??= { writes: 0, properties: 0, alerts: [] };
      shadow.writes += s.shadow.writes;
      shadow.properties += s.shadow.properties;
      shadow.alerts.push(...s.shadow.alerts);
    }
  }
  add(total.calls, run.calls?.calls ?? {});
  add(total.rateLimited, run.calls?.rateLimited ?? {});
  const rejected = [...run.crmRejected.map((r) => ({ source: 'crm', ...r })), ...total.rejected];
  return {
    runId,
    day: run.day,
    accounts: run.accounts,
    batches: { total: run.batches, done },
    complete: done === run.batches,
    scored: total.scored,
    unknown: total.unknown,
    tiers: total.tiers,
    movements: total.movements,
    unmatched: total.unmatched,
    matchedByDomain: run.matchedByDomain ?? {},
    unclaimed: run.unclaimed ?? {},
    rejected: rejected.length,
    rejectedSamples: rejected.slice(0, 20),
    failedSources: { ...run.failedSources, ...total.failedSources },
    warnings: run.warnings ?? {},
    staleAccounts: total.staleAccounts,
    writes: total.writes,
    writeProblems: total.writeProblems.slice(0, 50),
    alerts,
    overrides: { ...total.overrides, rate: total.scored ? Math.round((total.overrides.applied / total.scored) * 1000) / 1000 : 0 },
    rebaselined: total.rebaselined ?? 0,
    calls: total.calls,
    rateLimited: total.rateLimited,
    dataErrors: total.dataErrors.slice(0, 50),
    ...(run.stoppedBy ? { stoppedBy: run.stoppedBy } : {}),
    mode: run.mode ?? 'live',
    outOfScope: run.outOfScope ?? {},
    lifecycle: total.lifecycle as NonNullable<BatchSummary['lifecycle']>,
    ...(shadow
      ? {
          shadow: {
            writes: shadow.writes,
            properties: shadow.properties,
            alerts: countBy(shadow.alerts.map((a) => a.playbook)),
            alertSamples: shadow.alerts.slice(0, 50),
          },
        }
      : {}),
  };
}

/** The summary of a run skipped because another was in progress: it planned, read and wrote nothing. */
export function skippedSummary(
  runId: string,
  asOf: Date,
  skipped: NonNullable<RunSummary['skipped']>,
  mode?: 'live' | 'shadow',
): RunSummary {
  const empty = emptySummary();
  return {
    runId,
    day: isoDay(asOf),
    accounts: 0,
    batches: { total: 0, done: 0 },
    complete: false,
    scored: 0,
    unknown: 0,
    tiers: empty.tiers,
    movements: {},
    unmatched: {},
    matchedByDomain: {},
    unclaimed: {},
    rejected: 0,
    rejectedSamples: [],
    failedSources: {},
    warnings: {},
    staleAccounts: 0,
    writes: empty.writes,
    writeProblems: [],
    alerts: {},
    overrides: { applied: 0, expired: 0, rate: 0 },
    rebaselined: 0,
    calls: {},
    rateLimited: {},
    dataErrors: [],
    skipped,
    mode: mode ?? 'live',
    outOfScope: {},
    lifecycle: emptyLifecycleCounts(),
  };
}

const countBy = (keys: string[]) => {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
};

/** Joins by domain and vendor records no account claims, when a source matched by domain. */
function identityLines(s: RunSummary): string[] {
  const sources = Object.keys(s.unclaimed);
  if (sources.length === 0) return [];
  const per = sources.map((k) => `${k} ${s.matchedByDomain[k] ?? 0} matched by domain, ${s.unclaimed[k]} records unclaimed`);
  return [`identity: ${per.join('; ')} (list: run --unmatched-csv FILE)`];
}

/** Records left out of scope, customers that churned, returned or left the scope, and the outcomes recorded. */
function lifecycleLines(s: RunSummary): string[] {
  const lines: string[] = [];
  const out = Object.entries(s.outOfScope).sort((a, b) => b[1] - a[1]);
  if (out.length > 0) {
    const n = out.reduce((t, [, v]) => t + v, 0);
    const shown = out.slice(0, 3).map(([why, v]) => `${v} ${why}`);
    lines.push(
      `scope: ${n} CRM record${n === 1 ? '' : 's'} outside the account scope, not scored (${shown.join('; ')}${out.length > 3 ? '; …' : ''})`,
    );
  }
  const l = s.lifecycle;
  const parts = [
    l.churned > 0 ? `${l.churned} churned` : '',
    l.returned > 0 ? `${l.returned} returned` : '',
    l.leftScope > 0 ? `${l.leftScope} left the scope without churn evidence (no longer scored, not a churn)` : '',
    l.frozen > 0 ? `${l.frozen} churned shown frozen` : '',
  ].filter(Boolean);
  const outcomes = Object.entries(l.outcomes).map(([k, v]) => `${k} ${v}`);
  if (parts.length > 0 || outcomes.length > 0)
    lines.push(`lifecycle: ${parts.join(', ') || 'no change'}; outcomes recorded: ${outcomes.join(', ') || 'none'}`);
  return lines;
}

/** The summary as a few readable lines for a terminal or a log. */
export function formatSummary(s: RunSummary): string {
  if (s.skipped)
    return `run ${s.runId}: SKIPPED — run ${s.skipped.inProgress} is still in progress (until ${s.skipped.until} at the latest); runs never overlap`;
  const moves =
    Object.entries(s.movements)
      .map(([k, v]) => `${k.replace('>', '→')} ${v}`)
      .join(', ') || 'none';
  const lines = [
    `run ${s.runId}: ${s.scored} of ${s.accounts} accounts scored (${s.unknown} unknown)${s.complete ? '' : ` — INCOMPLETE: ${s.batches.done}/${s.batches.total} batches`}`,
    `tiers: ${s.tiers.green} green · ${s.tiers.yellow} yellow · ${s.tiers.red} red · ${s.tiers.unknown} unknown; confirmed changes: ${moves}`,
    `CRM writes: ${s.writes.written} written, ${s.writes.unchanged} unchanged, ${s.writes.rejected} rejected, ${s.writes.failed} failed (${s.writes.calls} calls)`,
    `alerts: ${
      Object.entries(s.alerts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }; overrides: ${s.overrides.applied} applied (${(s.overrides.rate * 100).toFixed(1)}%), ${s.overrides.expired} expired`,
    `unmatched: ${
      Object.entries(s.unmatched)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }; rejected records: ${s.rejected}`,
    ...identityLines(s),
    ...lifecycleLines(s),
    `vendor calls: ${
      Object.entries(s.calls)
        .map(([k, v]) => `${k} ${v}${s.rateLimited[k] ? ` (${s.rateLimited[k]}×429)` : ''}`)
        .join(', ') || 'none'
    }`,
  ];
  for (const [source, why] of Object.entries(s.failedSources))
    lines.push(`SOURCE FAILED ${source}: ${why} (last good signals carried forward, marked stale, for ${s.staleAccounts} accounts)`);
  for (const [source, list] of Object.entries(s.warnings)) for (const w of list) lines.push(`WARNING ${source}: ${w}`);
  if (s.rebaselined > 0)
    lines.push(
      `model changed: ${s.rebaselined} account${s.rebaselined === 1 ? '' : 's'} re-baselined — tier moves caused by the switch are recorded, not alerted`,
    );
  if (s.overrides.rate > 0.1)
    lines.push(`note: ${(s.overrides.rate * 100).toFixed(0)}% of accounts are overridden by hand — above 10% the model needs work`);
  if (s.shadow) {
    const alerts = Object.entries(s.shadow.alerts).map(([k, v]) => `${k} ${v}`);
    lines.push(
      `SHADOW MODE: nothing was written to the CRM and no alert was sent; a live run would have written ${s.shadow.properties} property changes on ${s.shadow.writes} accounts and alerted ${alerts.join(', ') || 'nobody'}`,
    );
  }
  if (s.stoppedBy) lines.push(`STOPPED: ${s.stoppedBy} — the run resumes from its checkpoint next time`);
  return lines.join('\n');
}
