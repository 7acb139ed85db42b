// The run's stored days as backtest history: only what point-in-time selection can use is asked for.
import { describe, expect, it } from 'vitest';
import type { OutcomeRecord } from '../../../lib/backtest/outcomes.ts';
import { selectFromHistory } from '../../../lib/backtest/run.ts';
import { type DayHistoryReader, historyFromStore, type StoredDay } from '../../../lib/backtest/store-history.ts';
import { parseInstant } from '../../../lib/days.ts';
import { healthyLayered } from '../../support/models.ts';

const outcome = (accountId: string, date: string, kind: OutcomeRecord['outcome'], line: number): OutcomeRecord => ({
  accountId,
  date,
  at: parseInstant(date) as number,
  outcome: kind,
  line,
});

class MemoryDays implements DayHistoryReader {
  readonly asked: [string, string, string][] = [];
  readonly days: StoredDay[];
  constructor(days: StoredDay[]) {
    this.days = days;
  }
  async history(accountId: string, fromDay: string, toDay: string) {
    this.asked.push([accountId, fromDay, toDay]);
    return this.days.filter((d) => d.accountId === accountId && d.day >= fromDay && d.day <= toDay);
  }
}

describe('history from the run store', () => {
  it('given outcomes for two accounts, when read from the store, then each account is asked once, up to its latest outcome − the shortest horizon', async () => {
    const store = new MemoryDays([
      { accountId: 'a', day: '2026-01-01', signals: { 'outcome.nps': 9 } },
      { accountId: 'a', day: '2026-04-01', signals: { 'outcome.nps': 2 } },
      { accountId: 'b', day: '2026-02-01', signals: { 'outcome.nps': 5 } },
    ]);
    const outcomes = [
      outcome('a', '2026-03-02', 'churned', 1),
      outcome('a', '2026-06-30', 'renewed', 2),
      outcome('b', '2026-05-01', 'renewed', 3),
    ];
    const snaps = [];
    for await (const s of historyFromStore(store, outcomes, [90, 60])) snaps.push(s);
    expect(store.asked).toEqual([
      ['a', '1970-01-01', '2026-05-01'],
      ['b', '1970-01-01', '2026-03-02'],
    ]);
    expect(snaps).toEqual([
      { accountId: 'a', asOf: '2026-01-01', signals: { 'outcome.nps': 9 } },
      { accountId: 'a', asOf: '2026-04-01', signals: { 'outcome.nps': 2 } },
      { accountId: 'b', asOf: '2026-02-01', signals: { 'outcome.nps': 5 } },
    ]);
  });

  it('given an outcome too soon after the first stored day, then the account is known (its outcome lacks a snapshot) and one with no day at all is unknown', async () => {
    const store = new MemoryDays([
      { accountId: 'early', day: '2026-09-01', signals: healthyLayered },
      { accountId: 'early', day: '2026-09-02', signals: healthyLayered },
    ]);
    const outcomes = [outcome('early', '2026-09-14', 'expanded', 1), outcome('ghost', '2026-09-14', 'churned', 2)];
    const selector = await selectFromHistory(outcomes, historyFromStore(store, outcomes, [30]), [30]);
    expect(store.asked).toEqual([
      ['early', '1970-01-01', '2026-08-15'],
      ['ghost', '1970-01-01', '2026-08-15'],
      ['early', '2026-08-16', '9999-12-31'],
      ['ghost', '2026-08-16', '9999-12-31'],
    ]);
    expect(selector.isKnown('early')).toBe(true);
    expect(selector.unknownAccounts().map((o) => o.accountId)).toEqual(['ghost']);
    expect(selector.rows().map((r) => r.snapshots)).toEqual([[undefined], [undefined]]);
  });

  it('given the store as history, when selected point in time, then each horizon gets the day a file would give', async () => {
    const store = new MemoryDays([
      { accountId: 'a', day: '2026-01-01', signals: healthyLayered },
      { accountId: 'a', day: '2026-04-01', signals: healthyLayered },
      { accountId: 'a', day: '2026-05-02', signals: healthyLayered },
    ]);
    const outcomes = [outcome('a', '2026-06-30', 'churned', 1)];
    const selector = await selectFromHistory(outcomes, historyFromStore(store, outcomes, [60, 120]), [60, 120]);
    // 60 days before 2026-06-30 is 2026-05-01 (the day after is never read); 120 days before is 2026-03-02.
    expect(selector.rows()[0]?.snapshots.map((s) => s?.asOf)).toEqual(['2026-04-01', '2026-01-01']);
    expect(store.asked).toEqual([['a', '1970-01-01', '2026-05-01']]);
  });

  it('given a read that fails while an earlier account is being used, then the failure surfaces from the iteration', async () => {
    const store: DayHistoryReader = {
      history: async (accountId) => {
        if (accountId === 'b') throw new Error('throttled');
        return [{ accountId, day: '2026-01-01', signals: {} }];
      },
    };
    const outcomes = [outcome('a', '2026-06-30', 'renewed', 1), outcome('b', '2026-06-30', 'renewed', 2)];
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const s of historyFromStore(store, outcomes, [60])) seen.push(s.accountId);
      })(),
    ).rejects.toThrow('throttled');
    expect(seen).toEqual(['a']);
  });
});
