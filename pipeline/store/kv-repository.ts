// The key-value state sources keep between runs (pk KV#key): cursors, aggregates, checkpoints, as
// JSON text. DynamoDB items are capped at 400 KB, so a larger value is split into parts (sk PART#n)
// written before its head (sk KV), and a reader never sees a head pointing at missing parts.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StateStore } from '../../connectors/shared/source.ts';
import { kvItem, parseItem } from './record-schemas.ts';
import type { Item, Table } from './table.ts';

const PART_CHARS = 300_000;

export class KeyValueRepository implements StateStore {
  private readonly table: Table;

  constructor(table: Table) {
    this.table = table;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const r = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: { pk: `KV#${key}`, sk: 'KV' } }));
    return r.Item ? this.valueOf<T>(key, r.Item) : undefined;
  }

  async getMany<T>(keys: string[]): Promise<Map<string, T>> {
    const heads = await this.table.batchGet([...new Set(keys)].map((key) => ({ pk: `KV#${key}`, sk: 'KV' })));
    const out = new Map<string, T>();
    for (const head of heads) {
      const key = String(head.pk).slice('KV#'.length);
      out.set(key, await this.valueOf<T>(key, head));
    }
    return out;
  }

  async put(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += PART_CHARS) chunks.push(text.slice(i, i + PART_CHARS));
    if (chunks.length === 0) chunks.push('');
    // Parts first, the head last: a reader never sees a head that points at missing parts.
    if (chunks.length > 1)
      await this.table.batchWrite(chunks.slice(1).map((value, i) => ({ pk: `KV#${key}`, sk: `PART#${i + 1}`, part: i + 1, value })));
    await this.table.doc.send(
      new PutCommand({ TableName: this.table.name, Item: { pk: `KV#${key}`, sk: 'KV', parts: chunks.length, value: chunks[0] } }),
    );
  }

  async putMany(entries: [string, unknown][]): Promise<void> {
    const small: Item[] = [];
    for (const [key, value] of new Map(entries)) {
      const text = JSON.stringify(value);
      if (text.length > PART_CHARS) await this.put(key, value);
      else small.push({ pk: `KV#${key}`, sk: 'KV', parts: 1, value: text });
    }
    await this.table.batchWrite(small);
  }

  /** The value a head holds, its parts read and joined when it was split. */
  private async valueOf<T>(key: string, item: Item): Promise<T> {
    const head = parseItem(kvItem, item, `KV#${key}`);
    let text = head.value;
    const parts = head.parts ?? 1;
    if (parts > 1) {
      const rest = await this.table.batchGet(Array.from({ length: parts - 1 }, (_, i) => ({ pk: `KV#${key}`, sk: `PART#${i + 1}` })));
      const read = rest.map((p) => parseItem(kvItem, p, `KV#${key} ${String(p.sk)}`)).sort((a, b) => (a.part ?? 0) - (b.part ?? 0));
      text += read.map((p) => p.value).join('');
    }
    // The value is whatever the source stored: its shape is the source's to check (T is its claim).
    return JSON.parse(text) as T;
  }
}
