// The run's history store as backtest input: for each account with an outcome, its stored days up
// to the last day any of its outcomes can use (date − shortest horizon), one account at a time, as
// AccountSnapshots. The store is passed in (anything with `history(accountId, fromDay, toDay)`, as
// pipeline/store's DynamoStore has), so this stays free of I/O of its own.
import type { SignalValue } from '../signals/catalog.ts';
import type { AccountSnapshot } from '../signals/snapshot.ts';
import { DAY_MS, isoDay } from './dates.ts';
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

export async function* historyFromStore(
  store: DayHistoryReader,
  outcomes: readonly OutcomeRecord[],
  horizons: readonly number[],
  fromDay = '1970-01-01',
): AsyncGenerator<AccountSnapshot> {
  const shortest = Math.min(...horizons);
  const lastUseful = new Map<string, number>();
  for (const o of outcomes) {
    const cutoff = o.at - shortest * DAY_MS;
    lastUseful.set(o.accountId, Math.max(lastUseful.get(o.accountId) ?? Number.NEGATIVE_INFINITY, cutoff));
  }
  for (const [accountId, cutoff] of lastUseful) {
    for (const d of await store.history(accountId, fromDay, isoDay(cutoff))) {
      yield { accountId: d.accountId, asOf: d.day, signals: d.signals };
    }
  }
}
