// `healthscore sandbox`: the demo's seeded vendor fakes and a local DynamoDB, left running for the
// other commands to use unchanged. Writes a run config (no secrets) and an env file holding only
// the fakes' dummy credentials, both pointing at loopback, plus the demo's outcomes for backtest.
// The fakes keep the vendors' real rate limits (vendor time is not compressed): what a command
// costs here is what it would cost against real accounts of this size.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { addDays, isoDay } from '../../lib/days.ts';
import { type LocalDynamo, startLocalDynamo } from '../store/local-dynamo.ts';
import { type CrmKind, type LocalVendors, localRunConfigSections, localVendorSecrets, startLocalVendors } from './local-vendors.ts';
import { demoOutcomes, seedWorld } from './seed-vendors.ts';
import { buildWorld } from './world.ts';

export interface SandboxOptions {
  crm: CrmKind;
  accounts: number;
  /** Where the run config, env file and outcomes go. */
  outDir: string;
  /** Today: the demo history runs up to it, so `run` without --as-of scores a full picture. */
  now: Date;
}

export interface Sandbox {
  crm: CrmKind;
  accounts: number;
  configPath: string;
  envPath: string;
  outcomesPath: string;
  tableName: string;
  dynamoEndpoint: string;
  vendors: LocalVendors;
  close(): Promise<void>;
}

/** The variables the CLI reads its secrets and AWS settings from, set to the fakes' dummy values. */
function sandboxEnvironment(v: LocalVendors, dynamo: LocalDynamo): Record<string, string> {
  return {
    ...localVendorSecrets(v),
    // dynalite accepts any credentials; the endpoint variable points every AWS SDK DynamoDB client
    // (run, backtest --from-store) at it without a flag.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  };
}

export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const outDir = resolve(o.outDir);
  mkdirSync(outDir, { recursive: true });
  // The seeded history ends today: its first simulated day is tomorrow.
  const world = buildWorld({ accounts: o.accounts, days: 1, firstDay: addDays(isoDay(o.now), 1) });
  const [vendors, dynamo] = await Promise.all([startLocalVendors({ crm: o.crm, scale: 1 }), startLocalDynamo()]);
  try {
    const { crmIds } = seedWorld(vendors, world);
    const configPath = join(outDir, 'healthscore.config.yaml');
    const envPath = join(outDir, 'sandbox.env');
    const outcomesPath = join(outDir, 'outcomes.jsonl');
    writeFileSync(
      configPath,
      `# healthscore sandbox run config: every vendor is a local fake (healthscore sandbox), no real account.\n${stringify({
        crm: o.crm,
        model: 'portfolio',
        table: { name: dynamo.tableName, endpoint: dynamo.endpoint, region: 'local' },
        ...localRunConfigSections(vendors),
      })}`,
    );
    const env = sandboxEnvironment(vendors, dynamo);
    writeFileSync(
      envPath,
      [
        "# healthscore sandbox: the local fakes' dummy credentials (no real account). Load with: set -a; . <this file>; set +a",
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    writeFileSync(
      outcomesPath,
      `${demoOutcomes(world, crmIds)
        .map((x) => JSON.stringify(x))
        .join('\n')}\n`,
    );
    return {
      crm: o.crm,
      accounts: o.accounts,
      configPath,
      envPath,
      outcomesPath,
      tableName: dynamo.tableName,
      dynamoEndpoint: dynamo.endpoint,
      vendors,
      close: async () => {
        await vendors.close();
        await dynamo.close();
      },
    };
  } catch (err) {
    await vendors.close();
    await dynamo.close();
    throw err;
  }
}
