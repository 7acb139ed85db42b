// Alert claims (pk ACCOUNT#id, sk ALERT#key): a conditional put claims an alert once, so it is sent
// once whatever retries; a claim is given back when delivery failed, so the next run tries again.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { alertItem, parseItem } from './record-schemas.ts';
import { type Item, keyOf, strip, type Table } from './table.ts';

export class AlertsRepository {
  private readonly table: Table;
  private readonly retentionDays: number;

  constructor(table: Table, retentionDays: number) {
    this.table = table;
    this.retentionDays = retentionDays;
  }

  /** Claims an alert key; false when it was claimed before (the alert was already sent). */
  async claimAlert(accountId: string, key: string, detail: Item): Promise<boolean> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { pk: `ACCOUNT#${accountId}`, sk: `ALERT#${key}`, expiresAt: this.table.expiry(this.retentionDays), ...detail },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Gives a claim back when the alert could not be delivered, so the next run tries again. */
  async releaseAlert(accountId: string, key: string): Promise<void> {
    await this.table.doc.send(new DeleteCommand({ TableName: this.table.name, Key: { pk: `ACCOUNT#${accountId}`, sk: `ALERT#${key}` } }));
  }

  /** The alerts claimed for an account, each with its `key`. */
  async alerts(accountId: string): Promise<Item[]> {
    const out: Item[] = [];
    for await (const item of this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':a': 'ALERT#' },
    }))
      out.push({ ...parseItem(alertItem, strip(item), keyOf(item)), key: String(item.sk).slice('ALERT#'.length) });
    return out;
  }
}
