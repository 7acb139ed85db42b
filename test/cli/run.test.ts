// `healthscore setup` and `healthscore run --config` against vendors reached over HTTP (the fakes),
// secrets from the environment and DynamoDB at a configured endpoint: the production path of the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { type CliWorld, startCliWorld } from '../support/cli-world.ts';

let w: CliWorld;
let configPath: string;

beforeAll(async () => {
  w = await startCliWorld({ accounts: 6 });
  configPath = w.writeConfig('healthscore.config.yaml', { model: 'portfolio' });
});

afterAll(async () => {
  await w?.close();
});

describe('healthscore setup and run', () => {
  it('given a config and secrets in the environment, when set up and run, then every account is scored and written back', async () => {
    const setup = await runCli(['setup', '--config', configPath], undefined, w.env);
    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);
    expect(setup.stdout).toMatch(/^created: group:healthscore, healthscore_score/m);
    const again = await runCli(['setup', '--config', configPath], undefined, w.env);
    expect(again.stdout).toMatch(/^created: none/m);

    const run = await runCli(['run', '--config', configPath, '--as-of', `${w.world.firstDay}T23:30:00Z`], undefined, w.env);
    expect(run.stdout).toContain(`run ${w.world.firstDay}T23:30:00Z: 6 of 6 accounts scored`);
    expect(run.code).toBe(0);
    for (const id of w.crmIds.values()) {
      const props = w.v.hubspot?.companyProperties(id) ?? {};
      expect(props.healthscore_model).toMatch(/^(categories|onboarding)@1$/);
      expect(['green', 'yellow', 'red', 'unknown']).toContain(props.healthscore_tier);
    }
  });

  it('given sources that cannot fill the model, then the run warns before scoring every account unknown', async () => {
    const thin = w.writeConfig('healthscore.config-thin.yaml', { model: 'categories', stripe: undefined, zendesk: undefined });
    const r = await runCli(['run', '--config', thin, '--as-of', `${w.world.firstDay}T23:45:00Z`, '--run-id', 'thin'], undefined, w.env);
    expect(r.stderr).toMatch(/warning: model 'categories' can reach at most 45% completeness with hubspot, mixpanel/);
  });

  it('given a configured source without its secret, then a usage error naming the variable, exit 2, and no secret in the output', async () => {
    const { STRIPE_API_KEY: _omit, ...rest } = w.env;
    const r = await runCli(['run', '--config', configPath], undefined, rest);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STRIPE_API_KEY/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(String(w.env.HUBSPOT_ACCESS_TOKEN));
  });
});
