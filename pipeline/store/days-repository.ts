// History rows (pk ACCOUNT#id, sk SCORE#day): one per account and day, expiring by their own day
// after the retention; read by (account, day) pairs, by one account's day range, or all of them.
import { addDays } from '../../lib/days.ts';
import { dayRecord, parseItem } from './record-schemas.ts';
import type { DayRecord } from './records.ts';
import { type Item, keyOf, strip, type Table } from './table.ts';

const parseDay = (item: Item): DayRecord => parseItem(dayRecord, strip(item), keyOf(item));

export class DaysRepository {
  private readonly table: Table;
  private readonly retentionDays: number;

  constructor(table: Table, retentionDays: number) {
    this.table = table;
    this.retentionDays = retentionDays;
  }

  async putDays(records: readonly DayRecord[]): Promise<void> {
    await this.table.batchWrite(
      records.map((r) => ({
        pk: `ACCOUNT#${r.accountId}`,
        sk: `SCORE#${r.day}`,
        expiresAt: Math.floor(Date.parse(`${addDays(r.day, this.retentionDays)}T00:00:00Z`) / 1000),
        ...r,
      })),
    );
  }

  /** The stored rows for these (account, day) pairs, keyed `accountId#day` (missing rows are absent). */
  async getDays(keys: readonly { accountId: string; day: string }[]): Promise<Map<string, DayRecord>> {
    const unique = [...new Map(keys.map((k) => [`${k.accountId}#${k.day}`, k])).values()];
    const items = await this.table.batchGet(unique.map((k) => ({ pk: `ACCOUNT#${k.accountId}`, sk: `SCORE#${k.day}` })));
    return new Map(items.map(parseDay).map((d) => [`${d.accountId}#${d.day}`, d]));
  }

  /** Days in [fromDay, toDay] for one account, oldest first. */
  async history(accountId: string, fromDay: string, toDay: string): Promise<DayRecord[]> {
    const out: DayRecord[] = [];
    for await (const item of this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':from': `SCORE#${fromDay}`, ':to': `SCORE#${toDay}` },
    }))
      out.push(parseDay(item));
    return out;
  }

  async historyMany(accountIds: readonly string[], fromDay: string, toDay: string, concurrency = 8): Promise<Map<string, DayRecord[]>> {
    const out = new Map<string, DayRecord[]>();
    let next = 0;
    const worker = async () => {
      while (next < accountIds.length) {
        const id = accountIds[next++] as string;
        out.set(id, await this.history(id, fromDay, toDay));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, accountIds.length) }, worker));
    return out;
  }

  /** Every history row (for reports and backtests); streamed page by page. */
  async *allDays(): AsyncGenerator<DayRecord> {
    for await (const item of this.table.scan({ FilterExpression: 'begins_with(sk, :s)', ExpressionAttributeValues: { ':s': 'SCORE#' } }))
      yield parseDay(item);
  }
}
