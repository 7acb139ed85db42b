// Outcomes the run recorded (pk ACCOUNT#id, sk OUTCOME#date#kind): churns, renewals, expansions and
// contractions, kept beside the account's history and expiring with it, by their own date. The key
// makes a retried run's write land on the same item.
import { addDays } from '../../lib/days.ts';
import { parseItem, recordedOutcome } from './record-schemas.ts';
import type { RecordedOutcome } from './records.ts';
import { type Item, keyOf, strip, type Table } from './table.ts';

const parseOutcome = (item: Item): RecordedOutcome => parseItem(recordedOutcome, strip(item), keyOf(item));

export class OutcomesRepository {
  private readonly table: Table;
  private readonly retentionDays: number;

  constructor(table: Table, retentionDays: number) {
    this.table = table;
    this.retentionDays = retentionDays;
  }

  async putOutcomes(outcomes: readonly RecordedOutcome[]): Promise<void> {
    await this.table.batchWrite(
      outcomes.map((o) => ({
        pk: `ACCOUNT#${o.accountId}`,
        sk: `OUTCOME#${o.date}#${o.kind}`,
        expiresAt: Math.floor(Date.parse(`${addDays(o.date, this.retentionDays)}T00:00:00Z`) / 1000),
        ...o,
      })),
    );
  }

  /** One account's recorded outcomes, oldest first. */
  async outcomes(accountId: string): Promise<RecordedOutcome[]> {
    const out: RecordedOutcome[] = [];
    for await (const item of this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
      ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':o': 'OUTCOME#' },
    }))
      out.push(parseOutcome(item));
    return out;
  }

  /** Every recorded outcome in the table (a scan: for backtests and reports, not for runs). */
  async *allOutcomes(): AsyncGenerator<RecordedOutcome> {
    for await (const item of this.table.scan({ FilterExpression: 'begins_with(sk, :o)', ExpressionAttributeValues: { ':o': 'OUTCOME#' } }))
      yield parseOutcome(item);
  }
}
