// The plan's listing of the CRM's accounts, checkpointed after every page: each page's accounts in
// the account scope (and the customers that just left it) are cut into batches, the full batches
// are saved with the run's plan, and the CRM's cursor with the unfinished batch goes into the
// key-value state. Records out of scope are counted by reason and left out. A plan stopped mid-listing (the Lambda deadline,
// a signal) resumes from the page after the last one saved, so a retried plan never lists again
// what it already has. A cursor the CRM no longer accepts (a Salesforce query locator expires)
// starts the listing over.

import { QuotaExhaustedError, RateLimitedError } from '../../connectors/shared/errors.ts';
import type { RejectedRecord } from '../../connectors/shared/source.ts';
import type { PlannedBatch } from '../store/records.ts';
import type { RunDeps } from './deps.ts';

/** Where a listing stands after its last saved page. */
export interface ListingCheckpoint {
  runId: string;
  /** The CRM's resume point after the last saved page; undefined once the last page is in. */
  cursor: string | undefined;
  done: boolean;
  /** Pages saved so far. */
  pages: number;
  /** Full batches saved with the plan so far (their indexes are 0..batches-1). */
  batches: number;
  accounts: number;
  /** The batch being filled (fewer than batchSize accounts). */
  current: PlannedBatch['accounts'];
  rejected: RejectedRecord[];
  /** Records outside the account scope left out of the plan, by reason. */
  outOfScope?: Record<string, number>;
}

export interface Listing {
  batches: number;
  accounts: number;
  rejected: RejectedRecord[];
  outOfScope: Record<string, number>;
}

export const LISTING_KEY = 'plan:listing';

function fresh(runId: string): ListingCheckpoint {
  return { runId, cursor: undefined, done: false, pages: 0, batches: 0, accounts: 0, current: [], rejected: [] };
}

/** Lists the CRM's accounts for `runId` into saved batches of `batchSize`, resuming a listing cut short. */
export async function listIntoBatches(deps: RunDeps, runId: string, batchSize: number, signal?: AbortSignal): Promise<Listing> {
  const saved = await deps.store.kv.get<ListingCheckpoint>(LISTING_KEY);
  let at = saved?.runId === runId ? saved : fresh(runId);
  if (at.pages > 0 && !at.done) deps.log?.('plan.listing_resumed', { runId, pages: at.pages, accounts: at.accounts });
  while (!at.done) {
    try {
      at = await listFrom(deps, at, batchSize, signal);
    } catch (err) {
      // Only a resumed listing whose first page failed starts over: its cursor may have expired.
      const retryable = !(err instanceof QuotaExhaustedError || err instanceof RateLimitedError);
      if (signal?.aborted || at.cursor === undefined || !retryable || (err as { resumed?: boolean }).resumed) throw err;
      deps.log?.('plan.listing_restarted', { runId, pages: at.pages, error: (err as Error).message });
      at = fresh(runId);
    }
  }
  return { batches: at.batches, accounts: at.accounts, rejected: at.rejected, outOfScope: at.outOfScope ?? {} };
}

/**
 * The page's accounts the run plans: every one in scope, and those out of scope that the run still
 * tracks as customers (their batch sees them leave, with or without churn evidence). The rest are
 * counted by the scope's reason and left out: prospects, partners, customers long gone.
 */
async function inPlan(
  deps: RunDeps,
  accounts: PlannedBatch['accounts'],
  outOfScope: Record<string, number>,
): Promise<PlannedBatch['accounts']> {
  const out = accounts.filter((a) => a.scope?.in === false);
  if (out.length === 0) return accounts;
  const states = await deps.store.getStates(out.map((a) => a.accountId));
  const tracked = (id: string) => {
    const s = states.get(id);
    // A state written before lifecycles were kept, with scores, is a customer's.
    return s?.lifecycle ? s.lifecycle.status === 'customer' : (s?.recent?.length ?? 0) > 0;
  };
  return accounts.filter((a) => {
    if (a.scope?.in !== false || tracked(a.accountId)) return true;
    const reason = a.scope.reason ?? 'outside the account scope';
    outOfScope[reason] = (outOfScope[reason] ?? 0) + 1;
    return false;
  });
}

/** Reads pages from `start` until the last one, saving each; returns the finished checkpoint. */
async function listFrom(deps: RunDeps, start: ListingCheckpoint, batchSize: number, signal?: AbortSignal): Promise<ListingCheckpoint> {
  let at = start;
  let first = true;
  const pages = deps.crm.listAccounts({ ...(at.cursor !== undefined ? { cursor: at.cursor } : {}), ...(signal ? { signal } : {}) });
  try {
    for await (const page of pages) {
      first = false;
      at = await savePage(deps, at, page.accounts, page.rejected, page.cursor, batchSize);
      deps.log?.('plan.listing_page', { runId: at.runId, page: at.pages, accounts: at.accounts });
      // Stop between pages when told to: everything read so far is saved.
      signal?.throwIfAborted();
    }
  } catch (err) {
    // A failure after the first page of this read is not about the cursor it started from.
    if (!first && err && typeof err === 'object') Object.assign(err, { resumed: true });
    throw err;
  }
  if (!at.done) at = await savePage(deps, at, [], [], undefined, batchSize);
  return at;
}

async function savePage(
  deps: RunDeps,
  before: ListingCheckpoint,
  accounts: PlannedBatch['accounts'],
  rejected: readonly RejectedRecord[],
  cursor: string | undefined,
  batchSize: number,
): Promise<ListingCheckpoint> {
  const full: PlannedBatch[] = [];
  let current = [...before.current];
  const outOfScope = { ...before.outOfScope };
  const planned = await inPlan(deps, accounts, outOfScope);
  for (const a of planned) {
    current.push(a);
    if (current.length >= batchSize) {
      full.push({ index: before.batches + full.length, accounts: current });
      current = [];
    }
  }
  const done = cursor === undefined;
  if (done && current.length > 0) {
    full.push({ index: before.batches + full.length, accounts: current });
    current = [];
  }
  // Batches first, the checkpoint last: a plan stopped between them lists this page again and rewrites the same batches.
  if (full.length > 0) await deps.store.savePlan(before.runId, full);
  const at: ListingCheckpoint = {
    runId: before.runId,
    cursor,
    done,
    pages: before.pages + 1,
    batches: before.batches + full.length,
    accounts: before.accounts + planned.length,
    current,
    rejected: [...before.rejected, ...rejected],
    outOfScope,
  };
  await deps.store.kv.put(LISTING_KEY, at);
  return at;
}
