// The run's DynamoDB history for `healthscore backtest --from-store` and `healthscore rescore --from-store`: a directory is a local run's
// store (dynalite on disk), anything else the name of a deployed table, reached with the AWS SDK's
// usual credentials and region from the environment.
import { existsSync, statSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStore } from '../pipeline/store/dynamo-store.ts';
import { startLocalDynamo } from '../pipeline/store/local-dynamo.ts';
import { UsageError } from './command.ts';

export interface OpenedStore {
  /** The run's store: read by backtests, rewritten by `rescore`. */
  store: DynamoStore;
  label: string;
  close(): Promise<void>;
}

const looksLikePath = (ref: string) => ref.includes('/') || ref.includes('\\') || ref.startsWith('.');

export async function openHistoryStore(ref: string, tableName = 'healthscore'): Promise<OpenedStore> {
  if (existsSync(ref) && statSync(ref).isDirectory()) {
    const local = await startLocalDynamo({ path: ref, tableName });
    return { store: new DynamoStore(local.client, { tableName }), label: `local store ${ref} (table ${tableName})`, close: local.close };
  }
  if (looksLikePath(ref))
    throw new UsageError(`--from-store ${ref}: no local store there (give the directory of a local run, or a DynamoDB table name)`);
  const client = new DynamoDBClient({});
  return {
    store: new DynamoStore(client, { tableName: ref }),
    label: `DynamoDB table ${ref}`,
    close: async () => client.destroy(),
  };
}
