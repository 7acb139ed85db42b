// Identity at plan time: after the syncs, each source that can joins the accounts carrying none of
// its ids to its records by domain (connectors/shared/domain-match.ts), with the whole portfolio in
// view so a domain two accounts share never matches. What stays unmatched is listed, not only
// counted: accounts with their source's reason (in each batch's summary) and the vendor's live
// records no account claims (in the run's key-value chunks) — `run --json` and `--unmatched-csv`.

import type { RejectedRecord, SignalSource, SourceContext, StateStore } from '../../connectors/shared/source.ts';
import { chunk } from '../../lib/chunk.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { PlannedBatch } from '../store/records.ts';
import type { RunDeps } from './deps.ts';

/** Records per stored chunk of a source's unclaimed list (well under DynamoDB's 400 KB item). */
const CHUNK = 500;
const unclaimedKey = (runId: string, source: string, n: number) => `run:${runId}:unclaimed:${source}:${n}`;

export interface IdentityOutcome {
  /** Per source, accounts joined by domain. */
  matchedByDomain: Record<string, number>;
  /** Per source, live records no account claims. */
  unclaimed: Record<string, number>;
}

type Account = PlannedBatch['accounts'][number];

/** The plan's step: reads the planned batches back, joins their accounts by domain and saves them again (only when a source can). */
export async function matchPlannedIdentities(
  deps: Pick<RunDeps, 'sources' | 'store'>,
  runId: string,
  ctx: SourceContext,
  failedSources: Record<string, string>,
): Promise<IdentityOutcome> {
  if (!deps.sources.some((s) => s.matchIdentities && !(s.name in failedSources))) return { matchedByDomain: {}, unclaimed: {} };
  const batches = await deps.store.planBatches(runId);
  const planned = batches.map(({ index, accounts }) => ({ index, accounts }));
  const outcome = await matchIdentities(
    deps.sources,
    planned.flatMap((b) => b.accounts),
    ctx,
    runId,
    failedSources,
  );
  await deps.store.savePlan(runId, planned);
  return outcome;
}

/** Joins accounts by domain in place (identities, matchedByDomain, identityNotes) and stores each source's unclaimed records. */
export async function matchIdentities(
  sources: readonly SignalSource[],
  accounts: readonly Account[],
  ctx: SourceContext,
  runId: string,
  failedSources: Record<string, string>,
): Promise<IdentityOutcome> {
  const out: IdentityOutcome = { matchedByDomain: {}, unclaimed: {} };
  // A plan attempted again starts from the CRM's own ids: what an earlier attempt found by domain goes.
  for (const a of accounts) {
    for (const key of a.matchedByDomain ?? []) delete a.identities[key];
    delete a.matchedByDomain;
    delete a.identityNotes;
  }
  for (const source of sources) {
    if (!source.matchIdentities || source.name in failedSources) continue;
    let match: Awaited<ReturnType<NonNullable<SignalSource['matchIdentities']>>>;
    try {
      match = await source.matchIdentities(accounts, ctx);
    } catch (err) {
      // The accounts then keep only the ids the CRM holds; the source itself is fine.
      ctx.signal?.throwIfAborted();
      ctx.log?.('identity.match_failed', { source: source.name, error: (err as Error).message });
      continue;
    }
    if (!match) continue;
    for (const a of accounts) {
      const id = match.matched.get(a.accountId);
      if (id !== undefined) {
        a.identities[match.key] = id;
        a.matchedByDomain = [...(a.matchedByDomain ?? []), match.key];
      }
      const note = match.notes.get(a.accountId);
      if (note !== undefined) a.identityNotes = { ...a.identityNotes, [match.key]: note };
    }
    out.matchedByDomain[source.name] = match.matched.size;
    out.unclaimed[source.name] = match.unclaimed.length;
    await storeUnclaimed(ctx.state, runId, source.name, match.unclaimed);
    ctx.log?.('identity.matched', {
      source: source.name,
      byDomain: match.matched.size,
      accountsUnmatched: match.notes.size,
      recordsUnclaimed: match.unclaimed.length,
    });
  }
  return out;
}

async function storeUnclaimed(state: StateStore, runId: string, source: string, records: readonly RejectedRecord[]): Promise<void> {
  const parts = chunk(records, CHUNK);
  if (parts.length > 0) await state.putMany(parts.map((part, n): [string, unknown] => [unclaimedKey(runId, source, n), part]));
}

export interface UnmatchedRow {
  /** `account`: a CRM account a source could not join; `record`: a vendor record no account claims. */
  side: 'account' | 'record';
  source: string;
  id: string;
  reason: string;
}

/** Every unmatched account (batches done so far) and unclaimed record of a run, for `run --json` and the CSV. */
export async function unmatchedRows(store: DynamoStore, runId: string): Promise<UnmatchedRow[]> {
  const run = await store.getRun(runId);
  if (!run) return [];
  const rows: UnmatchedRow[] = [];
  for (const b of await store.batchSummaries(runId)) {
    for (const u of b.summary?.unmatchedAccounts ?? []) rows.push({ side: 'account', source: u.source, id: u.accountId, reason: u.reason });
  }
  for (const [source, count] of Object.entries(run.unclaimed ?? {})) {
    const keys = Array.from({ length: Math.ceil(count / CHUNK) }, (_, n) => unclaimedKey(runId, source, n));
    const found = await store.kv.getMany<RejectedRecord[]>(keys);
    for (const key of keys) for (const r of found.get(key) ?? []) rows.push({ side: 'record', source, id: r.recordId, reason: r.reason });
  }
  return rows;
}

/** Quoted where needed; a leading = + - @ (a formula to a spreadsheet) is defused with an apostrophe. */
const csvCell = (raw: string) => {
  const v = /^[=+\-@]/.test(raw) ? `'${raw}` : raw;
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
};

/** The rows as CSV with a header, one line each, for a RevOps lead to fix the joins from. */
export function unmatchedCsv(rows: readonly UnmatchedRow[]): string {
  const lines = ['side,source,id,reason', ...rows.map((r) => [r.side, r.source, r.id, r.reason].map(csvCell).join(','))];
  return `${lines.join('\n')}\n`;
}
