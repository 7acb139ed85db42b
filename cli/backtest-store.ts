// The run's DynamoDB history for `healthscore backtest --from-store` and `healthscore rescore --from-store`: a directory is a local run's
// store (dynalite on disk), anything else the name of a deployed table, reached with the AWS SDK's
// usual credentials and region from the environment. Also the outcomes the runs recorded there.
import { existsSync, statSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromRecordedOutcomes, type RecordedOutcomes, type StoredOutcome } from '../lib/backtest/recorded-outcomes.ts';
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

/** Why reading the store failed, in words (a missing table is the usual one). */
export const storeFailure = (err: unknown): string =>
  (err as Error).name === 'ResourceNotFoundException' ? 'no such table (check the name and AWS_REGION)' : (err as Error).message;

/**
 * Every outcome the runs recorded in the store, as backtest outcomes. A store that cannot be read, or
 * that holds none yet, is a usage error saying how to give the outcomes as a file instead.
 */
export async function readRecordedOutcomes(opened: OpenedStore): Promise<RecordedOutcomes> {
  const recorded: StoredOutcome[] = [];
  try {
    for await (const o of opened.store.allOutcomes()) recorded.push(o);
  } catch (err) {
    throw new UsageError(`cannot read the recorded outcomes from ${opened.label}: ${storeFailure(err)}`);
  }
  if (recorded.length === 0) {
    throw new UsageError(
      `${opened.label} holds no recorded outcomes: its runs have recorded no churn, renewal, expansion or contraction yet. Give the outcomes as a file with --outcomes FILE (JSONL or CSV with accountId, date and outcome)`,
    );
  }
  return fromRecordedOutcomes(recorded);
}
