// What every Lambda shares, built once per container: the structured logger, metrics, and the run's
// dependencies (connectors with secrets read from Secrets Manager and cached, the table, the model).

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { requireVendor } from '../connectors/registry.ts';
import { loadModel } from '../pipeline/model-files.ts';
import type { RunDeps, RunOptions } from '../pipeline/run/deps.ts';
import { activeMode } from '../pipeline/run/mode.ts';
import { accountsOf, buildConnectors, cadenceOf, parseRunConfig, parseRunSettings, type RunConfig } from '../pipeline/run-config.ts';
import { DynamoStore } from '../pipeline/store/dynamo-store.ts';

export const logger = new Logger({ serviceName: 'healthscore' });
export const metrics = new Metrics({ namespace: 'Healthscore', serviceName: 'healthscore' });

const envSchema = z.object({
  TABLE_NAME: z.string().min(3),
  /** The run config (healthscore.config.yaml without secrets) as JSON, set by the stack. */
  HEALTHSCORE_CONFIG: z.string().min(2),
});

/** Secrets Manager secret names/ARNs per vendor, e.g. SECRET_HUBSPOT; cached for 5 minutes. */
async function secretFromManager(name: string): Promise<string | undefined> {
  const id = process.env[`SECRET_${name.toUpperCase()}`];
  if (!id) return undefined;
  const value = await getSecret(id, { maxAge: 300 });
  if (typeof value !== 'string' || value === '')
    throw new Error(`secret ${id} (${name}) is empty: put ${requireVendor(name).secret.holds} in it`);
  return value;
}

function readEnvironment(): { env: z.infer<typeof envSchema>; config: RunConfig } {
  const env = envSchema.parse(process.env);
  return { env, config: parseRunConfig(JSON.parse(env.HEALTHSCORE_CONFIG), 'HEALTHSCORE_CONFIG') };
}

/** The run config alone (no secret read, no client built): what the kill switch checks first. */
export function currentConfig(): RunConfig {
  return readEnvironment().config;
}

let cachedStore: DynamoStore | undefined;

/** Only the table: for steps that read the run's checkpoints and need no vendor (summarize). */
export function storeRuntime(): DynamoStore {
  if (!cachedStore) {
    const env = envSchema.parse(process.env);
    const { retentionDays } = parseRunSettings(JSON.parse(env.HEALTHSCORE_CONFIG));
    cachedStore = new DynamoStore(new DynamoDBClient({}), { tableName: env.TABLE_NAME, retentionDays });
  }
  return cachedStore;
}

let cached: Promise<{ deps: RunDeps; config: RunConfig }> | undefined;
let builtAt = 0;
/** Connectors hold the secret values: rebuild them as often as secrets are re-read, so a rotated or fixed secret takes effect. */
const REBUILD_AFTER_MS = 300_000;

export function runtime(): Promise<{ deps: RunDeps; config: RunConfig }> {
  if (cached && Date.now() - builtAt > REBUILD_AFTER_MS) cached = undefined;
  builtAt = cached ? builtAt : Date.now();
  cached ??= (async () => {
    const { config } = readEnvironment();
    const connectors = await buildConnectors(config, secretFromManager);
    const store = storeRuntime();
    const deps: RunDeps = {
      ...connectors,
      store,
      models: loadModel(config.model),
      cadence: cadenceOf(config),
      accounts: accountsOf(config),
      log: (event, detail) => logger.info(event, detail),
    };
    return { deps, config };
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

export function runOptions(config: RunConfig, asOf: string, runId?: string): RunOptions {
  return {
    asOf: new Date(asOf),
    batchSize: config.batchSize,
    maxStaleDays: config.maxStaleDays,
    mode: activeMode(config),
    ...(runId ? { runId } : {}),
  };
}
