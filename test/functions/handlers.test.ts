// The Lambda handlers driven the way the state machine drives them — plan, score-batch per batch,
// summarize — with secrets from (a local) Secrets Manager, the table on dynalite, and the vendors'
// fakes: the deployed path, minus AWS.
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalVendors, localRunConfigSections, startLocalVendors } from '../../pipeline/demo/local-vendors.ts';
import { applyDay, seedWorld } from '../../pipeline/demo/seed-vendors.ts';
import { buildWorld } from '../../pipeline/demo/world.ts';
import { type LocalDynamo, startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import { type FakeSecretsManager, startFakeSecretsManager } from '../support/fake-secrets-manager.ts';

let v: LocalVendors;
let dynamo: LocalDynamo;
let secrets: FakeSecretsManager;
const world = buildWorld({ accounts: 12, days: 1 });
const saved = { ...process.env };

const context = (ms = 600_000) =>
  ({ getRemainingTimeInMillis: () => ms, functionName: 'test', awsRequestId: 'req-1' }) as unknown as Context;

beforeAll(async () => {
  [v, dynamo] = await Promise.all([startLocalVendors(), startLocalDynamo()]);
  const { state } = seedWorld(v, world);
  applyDay(v, world, world.firstDay, state);
  secrets = await startFakeSecretsManager({
    'healthscore/hubspot': v.hubspot?.token ?? '',
    'healthscore/stripe': v.stripe.apiKey,
    'healthscore/zendesk': v.zendesk.token,
    'healthscore/mixpanel': v.mixpanel.serviceAccount.secret,
    'healthscore/slack': v.slackFake.webhookUrl,
  });
  Object.assign(process.env, {
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    TABLE_NAME: dynamo.tableName,
    SECRET_HUBSPOT: 'healthscore/hubspot',
    SECRET_STRIPE: 'healthscore/stripe',
    SECRET_ZENDESK: 'healthscore/zendesk',
    SECRET_MIXPANEL: 'healthscore/mixpanel',
    SECRET_SLACK: 'healthscore/slack',
    POWERTOOLS_DEV: 'false',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    HEALTHSCORE_CONFIG: JSON.stringify({
      crm: 'hubspot',
      model: 'portfolio',
      batchSize: 5,
      ...localRunConfigSections(v),
    }),
  });
});

afterAll(async () => {
  process.env = saved;
  await Promise.all([v?.close(), dynamo?.close(), secrets?.close()]);
});

describe('Lambda handlers', () => {
  it('given a scheduled event, when plan, each batch and summarize run, then every account is scored and the summary is complete', async () => {
    const { handler: setup } = await import('../../functions/setup.ts');
    const { handler: plan } = await import('../../functions/plan.ts');
    const { handler: scoreBatch } = await import('../../functions/score-batch.ts');
    const { handler: summarize } = await import('../../functions/summarize.ts');

    const created = await setup({}, context());
    expect(created.created).toContain('healthscore_score');

    const planned = await plan({ time: `${world.firstDay}T23:30:00Z`, source: 'aws.scheduler' }, context());
    // The run id is the scheduled instant: an hourly schedule's runs are each their own run.
    expect(planned).toMatchObject({ runId: `${world.firstDay}T23:30:00Z`, skipped: false });
    expect(planned.batches).toHaveLength(3);
    for (const item of planned.batches) {
      const done = await scoreBatch(item, context());
      expect(done).toMatchObject({ runId: `${world.firstDay}T23:30:00Z`, index: item.index, skipped: false });
    }
    // The Map may deliver an item twice: a batch already done is skipped, not redone.
    expect(await scoreBatch(planned.batches[0], context())).toMatchObject({ skipped: true });

    const summary = await summarize({ runId: planned.runId }, context());
    expect(summary).toMatchObject({ complete: true, scored: 12, accounts: 12 });
    expect(secrets.reads.sort()).toEqual([
      'healthscore/hubspot',
      'healthscore/mixpanel',
      'healthscore/slack',
      'healthscore/stripe',
      'healthscore/zendesk',
    ]);
  });

  it('given mode: paused (the kill switch), when the schedule starts a run, then plan and any batch stop at once without reading a secret or calling a vendor', async () => {
    vi.resetModules();
    const live = process.env.HEALTHSCORE_CONFIG as string;
    process.env.HEALTHSCORE_CONFIG = JSON.stringify({ ...JSON.parse(live), mode: 'paused' });
    try {
      const { handler: plan } = await import('../../functions/plan.ts');
      const { handler: scoreBatch } = await import('../../functions/score-batch.ts');
      const requests = () =>
        (v.hubspot?.server.log.length ?? 0) + v.stripe.server.log.length + v.zendesk.server.log.length + v.mixpanel.server.log.length;
      const before = requests();
      const secretReads = secrets.reads.length;
      const day = `${world.firstDay}T23:45:00Z`;
      expect(await plan({ time: day }, context())).toEqual({ runId: day, asOf: day, paused: true, skipped: false, batches: [] });
      expect(await scoreBatch({ runId: day, asOf: day, index: 0 }, context())).toMatchObject({ paused: true, scored: 0 });
      expect(requests()).toBe(before);
      expect(secrets.reads.length).toBe(secretReads);
    } finally {
      process.env.HEALTHSCORE_CONFIG = live;
      vi.resetModules();
    }
  });

  it('given a run still in progress, when the schedule starts the next, then plan skips it, logs why and publishes RunsSkipped', async () => {
    const { handler: plan } = await import('../../functions/plan.ts');
    // Planned but no batch run yet: in progress until its timeout (20 h by default).
    const going = await plan({ time: `${world.firstDay}T23:50:00Z` }, context());
    expect(going).toMatchObject({ skipped: false, runId: `${world.firstDay}T23:50:00Z` });
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    try {
      const next = await plan({ time: `${world.firstDay}T23:55:00Z` }, context());
      expect(next).toEqual({
        runId: `${world.firstDay}T23:55:00Z`,
        asOf: `${world.firstDay}T23:55:00.000Z`,
        paused: false,
        skipped: true,
        batches: [],
      });
      const printed = [...out.mock.calls, ...err.mock.calls].map((c) => String(c[0])).join('');
      expect(printed).toMatch(/run skipped: the previous run is still in progress/);
      expect(printed).toMatch(/"RunsSkipped":1/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('given a malformed event, then the handler rejects it with the field named', async () => {
    const { handler: scoreBatch } = await import('../../functions/score-batch.ts');
    await expect(scoreBatch({ runId: 'x', index: -1 }, context())).rejects.toThrow(/index|asOf/);
  });
});
