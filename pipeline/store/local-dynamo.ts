// DynamoDB on this machine: dynalite on loopback, with the run's table created, for tests and the
// local run. Production uses the table the CDK stack creates (same key schema).

import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { chunk } from '../../lib/chunk.ts';

export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  close(): Promise<void>;
}

export const tableKeySchema = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'S' as const },
  ],
};

/** Starts dynalite (in memory, or on disk under `path`) on an ephemeral loopback port and creates the table. */
export async function startLocalDynamo(options: { path?: string; tableName?: string } = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  });
  const tableName = options.tableName ?? 'healthscore';
  try {
    await client.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...tableKeySchema }));
  } catch (err) {
    if ((err as Error).name !== 'ResourceInUseException') throw err;
  }
  // dynalite answers CreateTable before the table is usable (it turns ACTIVE on a timer, later on a busy
  // machine with an on-disk store): wait for it, as a client of DynamoDB must.
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 }, { TableName: tableName });
  return {
    client,
    endpoint,
    tableName,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Copies every item of one table into another (e.g. a fast in-memory run into an on-disk store). */
export async function copyTable(from: LocalDynamo, to: LocalDynamo): Promise<number> {
  let copied = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await from.client.send(new ScanCommand({ TableName: from.tableName, ExclusiveStartKey: start, Limit: 500 }));
    const items = page.Items ?? [];
    for (const batch of chunk(items, 25)) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`copyTable: ${requests.length} writes stayed unprocessed`);
        const r = await to.client.send(new BatchWriteItemCommand({ RequestItems: { [to.tableName]: requests } }));
        requests = (r.UnprocessedItems?.[to.tableName] ?? []) as typeof requests;
      }
    }
    copied += items.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return copied;
}
