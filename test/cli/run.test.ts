// `healthscore setup` and `healthscore run --config` against vendors reached over HTTP (the fakes),
// secrets from the environment and DynamoDB at a configured endpoint: the production path of the CLI.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type LocalVendors, localRunConfigSections, startLocalVendors } from '../../pipeline/demo/local-vendors.ts';
import { applyDay, seedWorld } from '../../pipeline/demo/seed-vendors.ts';
import { buildWorld } from '../../pipeline/demo/world.ts';
import { type LocalDynamo, startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import { cliEnvironment, runCli } from '../support/cli.ts';

let v: LocalVendors;
let dynamo: LocalDynamo;
let configPath: string;
let env: NodeJS.ProcessEnv;
let crmIds: Map<string, string>;
const world = buildWorld({ accounts: 6, days: 1 });

beforeAll(async () => {
  [v, dynamo] = await Promise.all([startLocalVendors(), startLocalDynamo()]);
  const seeded = seedWorld(v, world);
  const state = seeded.state;
  crmIds = seeded.crmIds;
  applyDay(v, world, world.firstDay, state);
  const dir = mkdtempSync(join(tmpdir(), 'healthscore-run-'));
  configPath = join(dir, 'healthscore.config.yaml');
  writeFileSync(
    configPath,
    stringify({
      crm: 'hubspot',
      model: 'portfolio',
      table: { name: dynamo.tableName, endpoint: dynamo.endpoint, region: 'local' },
      ...localRunConfigSections(v),
    }),
  );
  env = cliEnvironment(v);
});

afterAll(async () => {
  await v?.close();
  await dynamo?.close();
});

describe('healthscore setup and run', () => {
  it('given a config and secrets in the environment, when set up and run, then every account is scored and written back', async () => {
    const setup = await runCli(['setup', '--config', configPath], undefined, env);
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);
    expect(setup.stdout).toMatch(/^created: group:healthscore, healthscore_score/m);
    const again = await runCli(['setup', '--config', configPath], undefined, env);
    expect(again.stdout).toMatch(/^created: none/m);

    const run = await runCli(['run', '--config', configPath, '--as-of', `${world.firstDay}T23:30:00Z`], undefined, env);
    expect(run.stdout).toContain(`run ${world.firstDay}: 6 of 6 accounts scored`);
    expect(run.code).toBe(0);
    for (const id of crmIds.values()) {
      const props = v.hubspot?.companyProperties(id) ?? {};
      expect(props.healthscore_model).toMatch(/^(categories|onboarding)@1$/);
      expect(['green', 'yellow', 'red', 'unknown']).toContain(props.healthscore_tier);
    }
  });

  it('given sources that cannot fill the model, then the run warns before scoring every account unknown', async () => {
    const thin = configPath.replace('.yaml', '-thin.yaml');
    const { stripe: _s, zendesk: _z, ...sections } = localRunConfigSections(v);
    writeFileSync(
      thin,
      stringify({
        crm: 'hubspot',
        model: 'categories',
        table: { name: dynamo.tableName, endpoint: dynamo.endpoint, region: 'local' },
        ...sections,
      }),
    );
    const r = await runCli(['run', '--config', thin, '--as-of', `${world.firstDay}T23:45:00Z`, '--run-id', 'thin'], undefined, env);
    expect(r.stderr).toMatch(/warning: model 'categories' can reach at most 45% completeness with hubspot, mixpanel/);
  });

  it('given a configured source without its secret, then a usage error naming the variable, exit 2, and no secret in the output', async () => {
    const { STRIPE_API_KEY: _omit, ...rest } = env;
    const r = await runCli(['run', '--config', configPath], undefined, rest);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STRIPE_API_KEY/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(String(env.HUBSPOT_ACCESS_TOKEN));
  });
});
