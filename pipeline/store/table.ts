// The one DynamoDB table every repository shares (pk/sk strings, TTL attribute `expiresAt`), through
// the AWS SDK document client: batch reads and writes that retry what DynamoDB leaves unprocessed,
// paged queries, and the TTL of run bookkeeping.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { chunk } from '../../lib/chunk.ts';
import { DAY_S } from '../../lib/days.ts';

export type Item = Record<string, unknown>;

export class Table {
  readonly doc: DynamoDBDocumentClient;
  readonly name: string;

  constructor(client: DynamoDBClient, name: string) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });
    this.name = name;
  }

  /** TTL (epoch seconds) `days` from now, for run bookkeeping and alert claims; history rows expire by their own day. */
  expiry(days: number): number {
    return Math.floor(Date.now() / 1000) + days * DAY_S;
  }

  async batchWrite(items: readonly Item[]): Promise<void> {
    for (const batch of chunk(items, 25)) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB kept ${requests.length} writes unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt));
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.name]: requests } }));
        requests = (r.UnprocessedItems?.[this.name] ?? []) as typeof requests;
      }
    }
  }

  async batchGet(keys: readonly Item[]): Promise<Item[]> {
    const out: Item[] = [];
    for (const batch of chunk(keys, 100)) {
      let pending: Item[] = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB kept ${pending.length} reads unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt));
        const r = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending } } }));
        out.push(...(r.Responses?.[this.name] ?? []));
        pending = (r.UnprocessedKeys?.[this.name]?.Keys ?? []) as Item[];
      }
    }
    return out;
  }

  /** Every item a query returns, page by page. */
  async *query(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<Item> {
    let start: Item | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: start }));
      yield* page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** Every item a scan returns, page by page. */
  async *scan(input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<Item> {
    let start: Item | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({ ...input, TableName: this.name, ExclusiveStartKey: start }));
      yield* page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The item without its table bookkeeping (keys and TTL). */
export function strip(item: Item): Item {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...rest } = item;
  return rest;
}

/** `pk/sk` of an item, for error messages. */
export const keyOf = (item: Item): string => `${String(item.pk)} ${String(item.sk)}`;
