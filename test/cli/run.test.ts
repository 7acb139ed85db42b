// `healthscore setup` and `healthscore run --config` against vendors reached over HTTP (the fakes),
// secrets from the environment and DynamoDB at a configured endpoint: the production path of the CLI.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRunConfigSections } from '../../pipeline/demo/local-vendors.ts';
import { addPayingCustomer } from '../../pipeline/demo/seed-vendors.ts';
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

  it('given a CRM without the Stripe and Zendesk ids and a free-mail customer, when run with --json and --unmatched-csv, then the joins are by domain and the customer is listed with its reason in both', async () => {
    addPayingCustomer(w.v, { id: 'cus_cli_freemail', name: 'Sam Gmail', email: 'sam@gmail.com', seats: 1 });
    const hubspot = localRunConfigSections(w.v).hubspot as { company: Record<string, unknown> };
    const byDomain = w.writeConfig('healthscore.config-domain.yaml', {
      model: 'portfolio',
      hubspot: { ...hubspot, company: { ...hubspot.company, identities: { mixpanelGroupKey: 'mixpanel_group_key' } } },
    });
    const csv = join(mkdtempSync(join(tmpdir(), 'healthscore-unmatched-')), 'unmatched.csv');
    const r = await runCli(
      ['run', '--config', byDomain, '--as-of', `${w.world.firstDay}T23:40:00Z`, '--json', '--unmatched-csv', csv],
      undefined,
      w.env,
    );
    const summary = JSON.parse(r.stdout);
    expect(summary.matchedByDomain).toEqual({ stripe: 6, zendesk: 6 });
    const freemail = {
      side: 'record',
      source: 'stripe',
      id: 'cus_cli_freemail',
      reason:
        'Stripe customer cus_cli_freemail (Sam Gmail, sam@gmail.com) uses the free-mail domain gmail.com, which never matches; map stripeCustomerId on its CRM account to join it',
    };
    expect(summary.unmatchedRows).toContainEqual(freemail);
    expect(readFileSync(csv, 'utf8').split('\n')).toContain(`record,stripe,cus_cli_freemail,"${freemail.reason}"`);
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
