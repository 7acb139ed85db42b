// The store's repositories on dynalite through the AWS SDK: what is written reads back the same,
// parsed; an item of the wrong shape fails with its key and the field at fault instead of being
// passed on as a record it is not; large key-value state is split into parts and joined again.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../pipeline/store/dynamo-store.ts';
import { type LocalDynamo, startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import { StoredItemError } from '../../pipeline/store/record-schemas.ts';
import { storedDay } from '../support/stored-day.ts';

let local: LocalDynamo;
let store: DynamoStore;
beforeEach(async () => {
  local = await startLocalDynamo();
  store = new DynamoStore(local.client, { tableName: local.tableName });
});
afterEach(async () => {
  await local.close();
});

const put = (item: Record<string, unknown>) => store.doc.send(new PutCommand({ TableName: store.table, Item: item }));

describe('the store’s repositories', () => {
  it('given days written for two accounts, when read by pairs, by range and all, then each reads back as written', async () => {
    const rows = [
      storedDay('a', '2026-03-01', { 'usage.trend14d': -0.2 }),
      storedDay('a', '2026-03-02', {}),
      storedDay('b', '2026-03-01', {}),
    ];
    await store.putDays(rows);
    expect(await store.history('a', '2026-03-01', '2026-03-31')).toEqual(rows.slice(0, 2));
    expect((await store.getDays([{ accountId: 'b', day: '2026-03-01' }])).get('b#2026-03-01')).toEqual(rows[2]);
    const all = [];
    for await (const d of store.allDays()) all.push(d);
    expect(all).toHaveLength(3);
  });

  it('given a history row missing its tier state, when read, then a StoredItemError names the row and the field', async () => {
    const { tierState: _missing, ...broken } = storedDay('a', '2026-03-01', {});
    await put({ pk: 'ACCOUNT#a', sk: 'SCORE#2026-03-01', ...broken });
    const err = await store.history('a', '2026-03-01', '2026-03-01').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoredItemError);
    expect((err as Error).message).toMatch(/ACCOUNT#a SCORE#2026-03-01.*tierState/);
  });

  it('given a run record whose batch count is text, when read, then it fails naming the run and the field', async () => {
    await put({ pk: 'RUN#r1', sk: 'RUN', runId: 'r1', day: '2026-03-01', asOf: 'x', startedAt: 'x', batches: '3', accounts: 1 });
    await expect(store.getRun('r1')).rejects.toThrow(/RUN#r1 RUN.*batches/);
  });

  it('given a planned batch marked done, when loaded, then its accounts, status and summary read back', async () => {
    const batch = { index: 0, accounts: [{ accountId: 'a', identities: { stripeCustomerId: 'cus_1' } }] };
    await store.savePlan('r1', [batch]);
    expect(await store.loadBatch('r1', 0)).toEqual({ ...batch, status: 'pending' });
    expect(await store.batchSummaries('r1')).toEqual([{ index: 0, status: 'pending' }]);
  });

  it('given key-value state over one item’s size, when written and read, then it comes back whole', async () => {
    const big = { rows: Array.from({ length: 40_000 }, (_, i) => `row-${i}`) };
    await store.kv.put('big', big);
    await store.kv.putMany([['small', { n: 1 }]]);
    expect(await store.kv.get('big')).toEqual(big);
    expect(await store.kv.getMany(['big', 'small', 'absent'])).toEqual(
      new Map<string, unknown>([
        ['big', big],
        ['small', { n: 1 }],
      ]),
    );
  });
});
