// Reads every source for one batch and merges their signals per account. A source that fails
// contributes its last good signals for up to `maxStaleDays` (marked stale); after that its keys
// are absent. An outage never turns into zeros.

import { QuotaExhaustedError } from '../../connectors/shared/errors.ts';
import type { AccountRef, SignalSource, SourceContext } from '../../connectors/shared/source.ts';
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
    }
    for (const account of accounts) {
      const acc = out.get(account.accountId) as GatheredAccount;
      const state = states.get(account.accountId) ?? { accountId: account.accountId, sources: {} };
      states.set(account.accountId, state);
      if (read) {
        const fresh = read.signals.get(account.accountId);
        if (fresh) {
          Object.assign(acc.signals, fresh);
          for (const key of Object.keys(fresh)) acc.origins[key] = source.name;
          state.sources[source.name] = { day, signals: fresh };
        } else {
          delete state.sources[source.name];
        }
        continue;
      }
      const carried = state.sources[source.name];
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
    for (const key of Object.keys(acc.signals)) acc.origins[key] ??= 'derived';
  }
  return result;
}
