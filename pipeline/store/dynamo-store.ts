// The run's storage on one DynamoDB table (pk/sk strings, TTL attribute `expiresAt`), through the
// AWS SDK document client: history rows, account state, alert claims, run plans and checkpoints,
// and the key-value state sources keep between runs. Batch writes retry UnprocessedItems.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StateStore } from '../../connectors/shared/source.ts';
import { chunk } from '../../lib/chunk.ts';
import { addDays, DAY_S } from '../../lib/days.ts';
import type { AccountState, BatchSummary, DayRecord, PlannedBatch, RunRecord } from './records.ts';

/** Run plans and checkpoints are kept this long: long enough to resume and to audit a run. */
const RUN_RETENTION_DAYS = 35;
/** DynamoDB items are capped at 400 KB: larger source state is split into parts. */
const PART_CHARS = 300_000;

export interface StoreOptions {
  tableName: string;
  /** Days of history kept before TTL removes it (the method asks for at least 400). */
  retentionDays?: number;
}

type Item = Record<string, unknown>;

export class DynamoStore {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly retentionDays: number;
  /** Key-value state for sources (cursors, aggregates), under pk KV#<key>. */
  readonly kv: StateStore;

  constructor(client: DynamoDBClient, options: StoreOptions) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });
    this.table = options.tableName;
    this.retentionDays = options.retentionDays ?? 400;
    this.kv = {
      get: (key) => this.kvGet(key),
      put: (key, value) => this.kvPut(key, value),
      getMany: (keys) => this.kvGetMany(keys),
      putMany: (entries) => this.kvPutMany(entries),
    };
  }

  // History ------------------------------------------------------------------------------------

  async putDays(records: readonly DayRecord[]): Promise<void> {
    await this.batchWrite(
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
    const items = await this.batchGet(unique.map((k) => ({ pk: `ACCOUNT#${k.accountId}`, sk: `SCORE#${k.day}` })));
    return new Map(items.map((i) => [`${i.accountId as string}#${i.day as string}`, strip(i) as unknown as DayRecord]));
  }

  /** Days in [fromDay, toDay] for one account, oldest first. */
  async history(accountId: string, fromDay: string, toDay: string): Promise<DayRecord[]> {
    const out: DayRecord[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':from': `SCORE#${fromDay}`, ':to': `SCORE#${toDay}` },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(strip(item) as unknown as DayRecord);
      start = page.LastEvaluatedKey;
    } while (start);
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
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'begins_with(sk, :s)',
          ExpressionAttributeValues: { ':s': 'SCORE#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) yield strip(item) as unknown as DayRecord;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  // Account state --------------------------------------------------------------------------------

  async getStates(accountIds: readonly string[]): Promise<Map<string, AccountState>> {
    const items = await this.batchGet(accountIds.map((id) => ({ pk: `ACCOUNT#${id}`, sk: 'STATE' })));
    return new Map(items.map((i) => [i.accountId as string, strip(i) as unknown as AccountState]));
  }

  async putStates(states: readonly AccountState[]): Promise<void> {
    await this.batchWrite(states.map((s) => ({ pk: `ACCOUNT#${s.accountId}`, sk: 'STATE', ...s })));
  }

  /** Claims an alert key; false when it was claimed before (the alert was already sent). */
  async claimAlert(accountId: string, key: string, detail: Item): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `ACCOUNT#${accountId}`, sk: `ALERT#${key}`, expiresAt: this.expiry(this.retentionDays), ...detail },
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
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: `ACCOUNT#${accountId}`, sk: `ALERT#${key}` } }));
  }

  /** The alerts claimed for an account, each with its `key`. */
  async alerts(accountId: string): Promise<Item[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':a': 'ALERT#' },
      }),
    );
    return (page.Items ?? []).map((item) => ({ ...strip(item), key: (item.sk as string).slice('ALERT#'.length) }));
  }

  // Runs -----------------------------------------------------------------------------------------

  async saveRun(run: RunRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `RUN#${run.runId}`, sk: 'RUN', expiresAt: this.expiry(RUN_RETENTION_DAYS), ...run },
      }),
    );
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: `RUN#${runId}`, sk: 'RUN' } }));
    return r.Item ? (strip(r.Item) as unknown as RunRecord) : undefined;
  }

  async savePlan(runId: string, batches: readonly PlannedBatch[]): Promise<void> {
    const expiresAt = this.expiry(RUN_RETENTION_DAYS);
    await this.batchWrite(batches.map((b) => ({ pk: `RUN#${runId}`, sk: batchKey(b.index), status: 'pending', expiresAt, ...b })));
  }

  async loadBatch(runId: string, index: number): Promise<(PlannedBatch & { status: string; summary?: BatchSummary }) | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: `RUN#${runId}`, sk: batchKey(index) } }));
    return r.Item ? (strip(r.Item) as unknown as PlannedBatch & { status: string; summary?: BatchSummary }) : undefined;
  }

  /** Checkpoint: the batch is done; a resumed run skips it. */
  async markBatchDone(runId: string, batch: PlannedBatch, summary: BatchSummary): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `RUN#${runId}`,
          sk: batchKey(batch.index),
          expiresAt: this.expiry(RUN_RETENTION_DAYS),
          ...batch,
          status: 'done',
          summary,
        },
      }),
    );
  }

  async batchSummaries(runId: string): Promise<{ index: number; status: string; summary?: BatchSummary }[]> {
    const out: { index: number; status: string; summary?: BatchSummary }[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
          ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':b': 'BATCH#' },
          ProjectionExpression: '#i, #s, summary',
          ExpressionAttributeNames: { '#i': 'index', '#s': 'status' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(item as { index: number; status: string; summary?: BatchSummary });
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  // Source key-value state -------------------------------------------------------------------------

  private async kvGet<T>(key: string): Promise<T | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: `KV#${key}`, sk: 'KV' } }));
    if (!r.Item) return undefined;
    const parts = r.Item.parts as number;
    let text = r.Item.value as string;
    if (parts > 1) {
      const rest = await this.batchGet(Array.from({ length: parts - 1 }, (_, i) => ({ pk: `KV#${key}`, sk: `PART#${i + 1}` })));
      rest.sort((a, b) => (a.part as number) - (b.part as number));
      text += rest.map((p) => p.value as string).join('');
    }
    return JSON.parse(text) as T;
  }

  private async kvGetMany<T>(keys: string[]): Promise<Map<string, T>> {
    const heads = await this.batchGet([...new Set(keys)].map((key) => ({ pk: `KV#${key}`, sk: 'KV' })));
    const out = new Map<string, T>();
    for (const head of heads) {
      const key = (head.pk as string).slice('KV#'.length);
      const value = (head.parts as number) > 1 ? await this.kvGet<T>(key) : (JSON.parse(head.value as string) as T);
      if (value !== undefined) out.set(key, value);
    }
    return out;
  }

  private async kvPutMany(entries: [string, unknown][]): Promise<void> {
    const small: Item[] = [];
    for (const [key, value] of new Map(entries)) {
      const text = JSON.stringify(value);
      if (text.length > PART_CHARS) await this.kvPut(key, value);
      else small.push({ pk: `KV#${key}`, sk: 'KV', parts: 1, value: text });
    }
    await this.batchWrite(small);
  }

  private async kvPut(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += PART_CHARS) chunks.push(text.slice(i, i + PART_CHARS));
    if (chunks.length === 0) chunks.push('');
    // Parts first, the head last: a reader never sees a head that points at missing parts.
    if (chunks.length > 1)
      await this.batchWrite(chunks.slice(1).map((value, i) => ({ pk: `KV#${key}`, sk: `PART#${i + 1}`, part: i + 1, value })));
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: `KV#${key}`, sk: 'KV', parts: chunks.length, value: chunks[0] } }),
    );
  }

  /** TTL (epoch seconds) `days` from now, for run bookkeeping and alert claims; history rows expire by their own day. */
  private expiry(days: number): number {
    return Math.floor(Date.now() / 1000) + days * DAY_S;
  }

  // Batching helpers ---------------------------------------------------------------------------------

  private async batchWrite(items: readonly Item[]): Promise<void> {
    for (const batch of chunk(items, 25)) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB kept ${requests.length} writes unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt));
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (r.UnprocessedItems?.[this.table] ?? []) as typeof requests;
      }
    }
  }

  private async batchGet(keys: readonly Item[]): Promise<Item[]> {
    const out: Item[] = [];
    for (const batch of chunk(keys, 100)) {
      let pending: Item[] = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB kept ${pending.length} reads unprocessed after ${attempt} attempts`);
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt));
        const r = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending } } }));
        out.push(...(r.Responses?.[this.table] ?? []));
        pending = (r.UnprocessedKeys?.[this.table]?.Keys ?? []) as Item[];
      }
    }
    return out;
  }
}

const batchKey = (index: number) => `BATCH#${String(index).padStart(6, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function strip(item: Item): Item {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...rest } = item;
  return rest;
}
