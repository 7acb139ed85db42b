// The deploy config: what a valid file gives the stack, and that every mistake an admin can make is
// reported with the file and the key — all of them at once — before anything is synthesized.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planConcurrency } from '../../cdk/concurrency.ts';
import { type DeployConfig, DeployConfigError, loadDeployConfig, parseDeployConfig } from '../../cdk/deploy-config.ts';
import { modelBundle } from '../../cdk/model-bundle.ts';
import { runConfigFor, runConfigJson } from '../../cdk/run-configs.ts';
import { workerBudgets } from '../../cdk/vendor-sections.ts';
import { parseRunConfig } from '../../pipeline/run-config.ts';
import { EXAMPLE_CONFIG, exampleRaw, writeConfig } from './support/configs.ts';

function problemsOf(raw: unknown): string[] {
  try {
    parseDeployConfig(raw, 'test.yaml', '/tmp');
  } catch (err) {
    if (err instanceof DeployConfigError) return err.problems;
    throw err;
  }
  return [];
}

const concurrencyOf = (c: DeployConfig) =>
  planConcurrency({
    crm: c.crm,
    batchSize: c.batchSize,
    maxConcurrency: c.maxConcurrency,
    timeoutSeconds: 900,
    budgets: workerBudgets(c.crm, c.sources, c.run),
  });

describe('deploy config', () => {
  it('given the shipped example, when loaded, then it is valid with its sources, secrets and defaults', () => {
    const c = loadDeployConfig(EXAMPLE_CONFIG);
    expect(c.crm).toBe('hubspot');
    expect(c.sources).toEqual(['stripe', 'zendesk', 'mixpanel']);
    expect(c.secrets).toEqual({
      hubspot: 'healthscore/hubspot',
      stripe: 'healthscore/stripe',
      zendesk: 'healthscore/zendesk',
      mixpanel: 'healthscore/mixpanel',
      slack: 'healthscore/slack',
    });
    expect(c.model).toEqual({ ref: 'portfolio', kind: 'preset' });
    expect(c.retentionDays).toBeGreaterThanOrEqual(400);
  });

  it('given configured vendors without secret names, when parsed, then each gets healthscore/<vendor> and Slack stays off', () => {
    const raw = exampleRaw();
    delete raw.secrets;
    delete raw.run.slack;
    const c = parseDeployConfig(raw, 'test.yaml', '/tmp');
    expect(c.secrets).toEqual({
      hubspot: 'healthscore/hubspot',
      stripe: 'healthscore/stripe',
      zendesk: 'healthscore/zendesk',
      mixpanel: 'healthscore/mixpanel',
    });
  });

  it('given a token pasted into a vendor section, when parsed, then it is refused with the secret it belongs in', () => {
    const raw = exampleRaw();
    raw.run.hubspot = { ...raw.run.hubspot, accessToken: 'pat-na1-0000' };
    raw.run.mixpanel = { ...raw.run.mixpanel, serviceAccount: { username: 'sa', secret: 'hunter2' } };
    const problems = problemsOf(raw);
    expect(problems).toContainEqual(
      expect.stringMatching(/^run\.hubspot\.accessToken: a secret never goes into the deploy config.*healthscore\/hubspot$/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^run\.mixpanel\.serviceAccount\.secret: .*healthscore\/mixpanel$/));
    expect(problems.join('\n')).not.toContain('pat-na1-0000');
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('given a credential under another name (node-zendesk’s token, a private app token), then it is refused too', () => {
    const raw = exampleRaw();
    raw.run.zendesk = { ...raw.run.zendesk, token: 'zd-secret-token-1' };
    raw.run.hubspot = { ...raw.run.hubspot, privateAppToken: 'pat-na1-1111' };
    const problems = problemsOf(raw);
    expect(problems).toContainEqual(expect.stringMatching(/^run\.zendesk\.token: looks like a credential/));
    expect(problems).toContainEqual(expect.stringMatching(/^run\.hubspot\.privateAppToken: looks like a credential/));
    expect(problems.join('\n')).not.toMatch(/zd-secret-token-1|pat-na1-1111/);
  });

  it('given several mistakes, when parsed, then every one is reported with its key', () => {
    const raw = {
      ...exampleRaw(),
      crm: 'pipedrive',
      alarmEmail: 'not-an-address',
      batchSize: 0,
      retentionDays: 90,
      logRetentionDays: 10,
      schedule: { expression: 'every day', timezone: 'Mars/Olympus' },
      extra: true,
    };
    const problems = problemsOf(raw);
    for (const key of [
      'crm',
      'alarmEmail',
      'batchSize',
      'retentionDays',
      'logRetentionDays',
      'schedule.expression',
      'schedule.timezone',
      '(root)',
    ])
      expect(problems.some((p) => p.startsWith(`${key}: `))).toBe(true);
    expect(problems.find((p) => p.startsWith('retentionDays'))).toContain('at least 400');
    expect(problems.find((p) => p.startsWith('logRetentionDays'))).toContain('90');
  });

  it('given vendor settings the connector refuses, when parsed, then the connector’s own message is shown under run.<vendor>', () => {
    const raw = exampleRaw();
    raw.run.hubspot = {};
    raw.run.zendesk = { username: 'api@acme.example' };
    const problems = problemsOf(raw);
    expect(problems).toContainEqual(expect.stringMatching(/^run\.hubspot\.portalId: portalId is required/));
    expect(problems).toContainEqual(expect.stringMatching(/^run\.zendesk\.subdomain: give subdomain or baseUrl/));
  });

  it('given the other CRM’s section or a secret for a source that is not configured, when parsed, then both are refused', () => {
    const raw = exampleRaw();
    raw.run.salesforce = { instanceUrl: 'https://acme.my.salesforce.com' };
    delete raw.run.zendesk;
    const problems = problemsOf(raw);
    expect(problems).toContainEqual('run.salesforce: crm is hubspot; remove this section or set crm: salesforce');
    expect(problems).toContainEqual(expect.stringMatching(/^secrets\.zendesk: there is no run\.zendesk section/));
  });

  it('given crm: salesforce with the JWT flow, when parsed, then the section passes; a private key, a client secret or login.salesforce.com for client credentials is refused', () => {
    const raw = { ...exampleRaw(), crm: 'salesforce', secrets: {}, run: { salesforce: {} } } as ReturnType<typeof exampleRaw>;
    raw.run.salesforce = {
      auth: { flow: 'jwt', consumerKey: '3MVG9example', username: 'healthscore@acme.example', certificateExpiresOn: '2027-06-30' },
    };
    expect(problemsOf(raw)).toEqual([]);
    raw.run.salesforce = { auth: { flow: 'jwt', consumerKey: '3MVG9example', username: 'h@acme.example', privateKey: '-----BEGIN' } };
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(/^run\.salesforce\.auth\.privateKey: looks like a credential/));
    raw.run.salesforce = {
      auth: { flow: 'clientCredentials', clientId: '3MVG9example', myDomainUrl: 'https://login.salesforce.com', clientSecret: 'x' },
    };
    const problems = problemsOf(raw);
    expect(problems).toContainEqual(expect.stringMatching(/^run\.salesforce\.auth\.clientSecret: looks like a credential/));
    expect(problems).toContainEqual(
      expect.stringMatching(/^run\.salesforce\.auth\.myDomainUrl: the client credentials flow needs the org's My Domain URL/),
    );
  });

  it('given a run timeout as long as the schedule period, when parsed, then overlapping runs are refused', () => {
    const raw = { ...exampleRaw(), schedule: { expression: 'rate(12 hours)' }, runTimeoutHours: 12 };
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(/^runTimeoutHours: 12 h is not shorter than the schedule's period/));
  });

  it('given an hourly schedule and no timeout, when parsed, then runs are stopped after 54 minutes and it synthesizes a valid run config', () => {
    const c = parseDeployConfig({ ...exampleRaw(), schedule: { expression: 'rate(1 hour)' } }, 'test.yaml', '/tmp');
    expect(c.cadenceOfSchedule).toEqual({ runsPerDay: 24, periodMinutes: 60 });
    expect(c.runTimeoutMinutes).toBe(54);
    const run = parseRunConfig(runConfigFor('plan', c, concurrencyOf(c), 'portfolio'), 'plan');
    expect(run.cadence).toEqual({ runTimeoutMinutes: 54, confirmHours: 20, urgentEvents: [] });
  });

  it('given cron schedules, when parsed, then the timeout follows the shortest gap between runs (daily keeps 20 hours)', () => {
    const timeoutOf = (expression: string) =>
      parseDeployConfig({ ...exampleRaw(), schedule: { expression } }, 'test.yaml', '/tmp').runTimeoutMinutes;
    expect(timeoutOf('cron(0 5 * * ? *)')).toBe(1200);
    expect(timeoutOf('cron(0 */6 * * ? *)')).toBe(324);
    expect(timeoutOf('cron(0,30 8-18 ? * MON-FRI *)')).toBe(27);
    expect(timeoutOf('cron(15 6,9 * * ? *)')).toBe(162);
  });

  it('given a timeout in minutes as long as an hourly period, when parsed, then overlapping runs are refused', () => {
    const raw = { ...exampleRaw(), schedule: { expression: 'cron(0 * * * ? *)' }, runTimeoutMinutes: 60 };
    expect(problemsOf(raw)).toContainEqual(
      "runTimeoutMinutes: 60 min is not shorter than the schedule's period (60 min); two runs would overlap and share one rate budget",
    );
    expect(problemsOf({ ...raw, runTimeoutHours: 1 })).toContainEqual(expect.stringMatching(/^runTimeoutHours: give runTimeoutMinutes or/));
  });

  it('given broken YAML or no file, when loaded, then the error names the file and what to do', () => {
    const broken = writeConfig('crm: hubspot\nrun: [unclosed\n');
    expect(() => loadDeployConfig(broken)).toThrow(/healthscore\.deploy\.yaml: invalid deploy config:\n {2}- YAML: /);
    expect(() => loadDeployConfig('/nowhere/healthscore.deploy.yaml')).toThrow(/not found\); start from cdk\/deploy\.example\.yaml/);
  });
});

describe('model', () => {
  const layered = readFileSync(new URL('../../models/layered.yaml', import.meta.url), 'utf8');
  const set = 'select:\n  - when: { signal: lifecycle.accountAgeDays, lt: 60 }\n    model: onboarding\ndefault: ./mine.yaml\n';

  it('given a model set next to its own model file, when bundled, then both files are copied and the config points inside the bundle', () => {
    const path = writeConfig({ ...exampleRaw(), model: 'set.yaml' }, { 'set.yaml': set, 'mine.yaml': layered });
    const b = modelBundle(loadDeployConfig(path));
    expect(b.ref).toBe('/var/task/model/set.yaml');
    expect(b.copies).toEqual([
      { from: `${dirname(path)}/set.yaml`, to: 'model/set.yaml' },
      { from: `${dirname(path)}/mine.yaml`, to: 'model/mine.yaml' },
    ]);
  });

  it('given a preset, when bundled, then nothing extra is copied (models/ always is)', () => {
    expect(modelBundle(loadDeployConfig(EXAMPLE_CONFIG))).toEqual({ ref: 'portfolio', copies: [] });
  });

  it('given a broken model or an unknown preset, when bundled, then synth stops with the model’s problem', () => {
    const broken = writeConfig({ ...exampleRaw(), model: 'mine.yaml' }, { 'mine.yaml': layered.replace('weight: 40', 'weight: -4') });
    expect(() => modelBundle(loadDeployConfig(broken))).toThrow(/- model: \S*mine\.yaml: layers\[0\]\.weight: weights must be positive/);
    const unknown = writeConfig({ ...exampleRaw(), model: 'nosuch' });
    expect(() => modelBundle(loadDeployConfig(unknown))).toThrow(
      /- model: .*not found \(presets: categories, layered, onboarding, portfolio/,
    );
  });
});

describe('run config per function', () => {
  const c = loadDeployConfig(EXAMPLE_CONFIG);
  const plan = concurrencyOf(c);

  it('given the example, when split per function, then setup gets only the CRM, summarize no vendor, and neither Slack', () => {
    for (const [role, vendors] of [
      ['setup', ['hubspot']],
      ['summarize', []],
    ] as const) {
      const rc = runConfigFor(role, c, plan, 'portfolio');
      expect(Object.keys(rc).filter((k) => ['hubspot', 'salesforce', 'stripe', 'zendesk', 'mixpanel'].includes(k))).toEqual(vendors);
      expect(rc.slack).toEqual({ enabled: false });
    }
    expect(runConfigFor('plan', c, plan, 'portfolio').slack).toEqual({ enabled: false });
    expect(runConfigFor('scoreBatch', c, plan, 'portfolio').slack).toEqual({ enabled: true });
  });

  it('given N parallel workers, when score-batch’s config is built, then each budget it can spend is divided by N', () => {
    const rc = parseRunConfig(runConfigFor('scoreBatch', c, plan, 'portfolio'), 'test');
    expect(plan.maxConcurrency).toBe(10);
    expect((rc.hubspot as { rateLimit: { requests: number } }).rateLimit.requests).toBe(10);
    expect((rc.stripe as { rateLimit: { requests: number } }).rateLimit.requests).toBe(10);
    const full = parseRunConfig(runConfigFor('plan', c, plan, 'portfolio'), 'test');
    expect((full.hubspot as { rateLimit: { requests: number } }).rateLimit.requests).toBe(100);
  });

  it('given mode: shadow in the deploy config, then every function runs in shadow; given none, then live; given a typo, then the allowed modes are named', () => {
    const shadow = parseDeployConfig({ ...exampleRaw(), mode: 'shadow' }, 'shadow.yaml', '/tmp');
    for (const role of ['plan', 'scoreBatch', 'summarize', 'setup'] as const)
      expect(parseRunConfig(runConfigFor(role, shadow, concurrencyOf(shadow), 'portfolio'), role).mode).toBe('shadow');
    const { mode: _example, ...unset } = exampleRaw();
    const none = parseDeployConfig(unset, 'none.yaml', '/tmp');
    expect(parseRunConfig(runConfigFor('plan', none, concurrencyOf(none), 'portfolio'), 'plan').mode).toBe('live');
    expect(problemsOf({ ...exampleRaw(), mode: 'off' })).toEqual(['mode: mode must be live, shadow, paused']);
  });

  it('given run settings too large for a Lambda environment, when serialized, then the 4 KB limit is named', () => {
    const raw = exampleRaw();
    raw.run.mixpanel = { ...raw.run.mixpanel, coreFeatures: Array.from({ length: 400 }, (_, i) => `Feature number ${i}`) };
    const big = parseDeployConfig(raw, 'big.yaml', '/tmp');
    expect(() => runConfigJson('plan', big, concurrencyOf(big), 'portfolio', 200)).toThrow(/4 KB environment limit/);
  });
});
