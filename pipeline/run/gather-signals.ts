// Reads every source for one batch and merges their signals per account. A source that fails
// contributes its last good signals for up to `maxStaleDays` (marked stale); after that its keys
// are absent. An outage never turns into zeros. A source whose read succeeded but for one part
// (SourceReadResult.partialFailures) gives fresh keys for the rest and carries that part's keys the
// same way, as if a source named `<source>:<part>` had failed.

import { QuotaExhaustedError } from '../../connectors/shared/errors.ts';
import type { AccountRef, LifecycleEvidence, SignalSource, SourceContext } from '../../connectors/shared/source.ts';
import { daysBetween } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { deriveSignals } from '../../lib/signals/derive.ts';
import type { AccountState } from '../store/records.ts';

export interface GatheredAccount {
  signals: Record<string, SignalValue>;
  /** Which source each signal came from ("zendesk", "stripe (stale, 2026-09-01)", "derived"): `run --dry-run` shows it. */
  origins: Record<string, string>;
  staleSources: string[];
  failedSources: string[];
  /** A billing source's lifecycle evidence read this run (never carried: an outage gives none). */
  lifecycle?: LifecycleEvidence;
}

export interface GatherResult {
  accounts: Map<string, GatheredAccount>;
  unmatched: Record<string, number>;
  /** Each account a source could not match, with the source's reason. */
  unmatchedAccounts: { source: string; accountId: string; reason: string }[];
  rejected: { source: string; recordId: string; reason: string }[];
  failedSources: Record<string, string>;
}

export async function gatherSignals(
  sources: readonly SignalSource[],
  accounts: readonly AccountRef[],
  states: Map<string, AccountState>,
  ctx: SourceContext,
  day: string,
  maxStaleDays: number,
  failedInSync: Record<string, string>,
): Promise<GatherResult> {
  const out = new Map<string, GatheredAccount>(
    accounts.map((a) => [a.accountId, { signals: {}, origins: {}, staleSources: [], failedSources: [] }]),
  );
  const result: GatherResult = { accounts: out, unmatched: {}, unmatchedAccounts: [], rejected: [], failedSources: { ...failedInSync } };

  for (const source of sources) {
    let read: Awaited<ReturnType<SignalSource['read']>> | undefined;
    if (!(source.name in failedInSync)) {
      try {
        read = await source.read(accounts, ctx);
      } catch (err) {
        // Stopping is not an outage; nor is the CRM's quota (sources[0] is the CRM's: the run stops). Any other failure is this source's.
        if (ctx.signal?.aborted || (err instanceof QuotaExhaustedError && source === sources[0])) throw err;
        result.failedSources[source.name] = (err as Error).message;
        ctx.log?.('source.read_failed', { source: source.name, error: (err as Error).message });
      }
    }
    if (read) {
      result.unmatched[source.name] = read.unmatched.length;
      for (const u of read.unmatched) result.unmatchedAccounts.push({ source: source.name, ...u });
      for (const r of read.rejected) result.rejected.push({ source: source.name, ...r });
      for (const p of read.partialFailures ?? []) result.failedSources[`${source.name}:${p.part}`] = p.reason;
    }
    for (const account of accounts) {
      const acc = out.get(account.accountId) as GatheredAccount;
      const state = states.get(account.accountId) ?? { accountId: account.accountId, sources: {} };
      states.set(account.accountId, state);
      if (read) {
        const evidence = read.lifecycle?.get(account.accountId);
        if (evidence && !acc.lifecycle) acc.lifecycle = evidence;
        const fresh = read.signals.get(account.accountId);
        const before = state.sources[source.name];
        if (fresh) {
          Object.assign(acc.signals, fresh);
          for (const key of Object.keys(fresh)) acc.origins[key] = source.name;
          state.sources[source.name] = { day, signals: fresh };
        } else {
          delete state.sources[source.name];
        }
        if (fresh)
          for (const p of read.partialFailures ?? []) carryPart(source.name, p.part, p.keys, before, state, acc, day, maxStaleDays);
        if (!fresh || !read.partialFailures?.length)
          for (const key of Object.keys(state.sources)) if (key.startsWith(`${source.name}:`)) delete state.sources[key];
        continue;
      }
      const carried = state.sources[source.name];
      // A part that had already failed keeps its own older values (and day) through the outage.
      for (const [name, part] of Object.entries(state.sources))
        if (name.startsWith(`${source.name}:`) && daysBetween(part.day, day) <= maxStaleDays)
          for (const [key, value] of Object.entries(part.signals)) {
            acc.signals[key] = value;
            acc.origins[key] = `${source.name} (stale, ${part.day})`;
          }
      if (carried && daysBetween(carried.day, day) <= maxStaleDays) {
        Object.assign(acc.signals, carried.signals);
        for (const key of Object.keys(carried.signals)) acc.origins[key] = `${source.name} (stale, ${carried.day})`;
        acc.staleSources.push(source.name);
      } else {
        acc.failedSources.push(source.name);
      }
    }
  }
  for (const acc of out.values()) {
    deriveSignals(acc.signals);
    acc.staleSources = [...new Set(acc.staleSources)];
    for (const key of Object.keys(acc.signals)) acc.origins[key] ??= 'derived';
  }
  return result;
}

/**
 * One failed part's keys for one account: its last good values (kept under `<source>:<part>` with the
 * day they were read, first taken from the source's own last signals) while within `maxStaleDays`.
 */
function carryPart(
  source: string,
  part: string,
  keys: readonly string[],
  before: AccountState['sources'][string] | undefined,
  state: AccountState,
  acc: GatheredAccount,
  day: string,
  maxStaleDays: number,
): void {
  const name = `${source}:${part}`;
  const own = before && keys.some((k) => k in before.signals) ? { day: before.day, signals: pick(before.signals, keys) } : undefined;
  const carried = state.sources[name] ?? own;
  if (carried && daysBetween(carried.day, day) <= maxStaleDays) {
    state.sources[name] = carried;
    for (const [key, value] of Object.entries(carried.signals)) {
      if (!keys.includes(key)) continue;
      acc.signals[key] = value;
      acc.origins[key] = `${source} (stale, ${carried.day})`;
    }
    acc.staleSources.push(name);
  } else {
    delete state.sources[name];
    acc.failedSources.push(name);
  }
}

const pick = (signals: Record<string, SignalValue>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(signals).filter(([k]) => keys.includes(k)));
