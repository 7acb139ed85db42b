// The run's history store as backtest input: for each account with an outcome, its stored days up
// to the last day any of its outcomes can use (date − shortest horizon), one account at a time, as
// AccountSnapshots. The store is passed in (anything with `history(accountId, fromDay, toDay)`, as
// pipeline/store's DynamoStore has), so this stays free of I/O of its own.

import { DAY_MS, isoDay } from '../days.ts';
import type { SignalValue } from '../signals/catalog.ts';
import type { AccountSnapshot } from '../signals/snapshot.ts';
import type { OutcomeRecord } from './outcomes.ts';

/** The part of a stored day a backtest needs: the signals the day's score was computed from. */
export interface StoredDay {
  accountId: string;
  day: string;
  signals: Record<string, SignalValue | null>;
}

export interface DayHistoryReader {
  /** Days in [fromDay, toDay] for one account, oldest first. */
  history(accountId: string, fromDay: string, toDay: string): Promise<readonly StoredDay[]>;
}

export interface StoreHistoryOptions {
  /** The first day to read (default: all). */
  fromDay?: string;
  /** Accounts read ahead at once (default 8): memory stays bounded by that many accounts' days. */
  concurrency?: number;
}

export async function* historyFromStore(
  store: DayHistoryReader,
  outcomes: readonly OutcomeRecord[],
  horizons: readonly number[],
  options: StoreHistoryOptions = {},
): AsyncGenerator<AccountSnapshot> {
  const fromDay = options.fromDay ?? '1970-01-01';
  const shortest = Math.min(...horizons);
  const lastUseful = new Map<string, number>();
  for (const o of outcomes) {
    const cutoff = o.at - shortest * DAY_MS;
    lastUseful.set(o.accountId, Math.max(lastUseful.get(o.accountId) ?? Number.NEGATIVE_INFINITY, cutoff));
  }
  const accounts = [...lastUseful];
  const window = Math.max(1, options.concurrency ?? 8);
  const pending: { accountId: string; cutoff: number; read: Promise<readonly StoredDay[]> }[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < window && next < accounts.length) {
      const [accountId, cutoff] = accounts[next++] as [string, number];
      const read = store.history(accountId, fromDay, isoDay(cutoff));
      // Handled here so a failure while an earlier account is awaited is not an unhandled rejection; awaited below.
      read.catch(() => undefined);
      pending.push({ accountId, cutoff, read });
    }
  };
  fill();
  while (pending.length > 0) {
    const head = pending.shift() as (typeof pending)[number];
    const days = await head.read;
    fill();
    for (const d of days) yield { accountId: d.accountId, asOf: d.day, signals: d.signals };
    if (days.length === 0) {
      // Nothing stored early enough: its outcomes are left out for want of a snapshot at the horizon. One later day
      // says the account is known (its outcome came too soon after the first run), not an account the history lacks.
      const later = await store.history(head.accountId, isoDay(head.cutoff + DAY_MS), '9999-12-31');
      const first = later[0];
      if (first) yield { accountId: first.accountId, asOf: first.day, signals: first.signals };
    }
  }
}
