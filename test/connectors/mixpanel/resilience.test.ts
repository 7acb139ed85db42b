// How the Mixpanel source behaves when the vendor pushes back: rate limits waited out without losing
// or duplicating data, capped retries on 5xx and dropped connections, bad records reported and
// skipped, a clear ConfigError for bad credentials, and no secret in any trace line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MixpanelFake } from '../../../connectors/mixpanel/fake/server.ts';
import { createMixpanelSource } from '../../../connectors/mixpanel/index.ts';
import { ConfigError, QuotaExhaustedError, TransientError } from '../../../connectors/shared/errors.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { ASOF, account, daysAgo, seedDays, seedPortfolio, setup, sourceConfig } from './helpers.ts';

const fakes: MixpanelFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  delete process.env.HEALTHSCORE_HTTP_TRACE;
});

const refs = Array.from({ length: 60 }, (_, i) => account(`crm-${i + 1}`, `g${i + 1}`));

/** Signals for the 60-account portfolio from an undisturbed run: what every disturbed run must equal. */
async function baseline(config: Parameters<typeof setup>[0] = {}) {
  const s = await setup(config);
  fakes.push(s.fake);
  seedPortfolio(s.fake, 60);
  await s.source.sync(s.ctx);
  return (await s.source.read(refs, s.ctx)).signals;
}

const isExport = (req: { path: string }) => req.path.endsWith('/export');

describe('mixpanel under pressure', () => {
  it('given a project whose hourly query allowance runs out mid-run, when the run syncs, then a 429 without Retry-After stops the source at once, and the next run resumes and equals an undisturbed run', async () => {
    const expected = await baseline();
    // The vendor allows 3 queries an hour; the client believes 60 (someone else used the rest).
    const s = await setup({ fake: { queriesPerHour: 3, clockScale: 1 } });
    fakes.push(s.fake);
    seedPortfolio(s.fake, 60);
    const err = await s.source.sync(s.ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExhaustedError);
    expect((err as Error).message).toMatch(/query allowance for the project is used up.*next run resumes/);
    // No retries: each of the run's 5 queries was asked once (the ones already sent beside the refused one still land).
    await vi.waitFor(() => expect(s.fake.queries()).toHaveLength(5));
    expect(s.fake.queries().map((q) => q.status)).toEqual([200, 200, 200, 429, 429]);
    // The next hour, the project's other users leave the allowance alone.
    s.fake.startNewHour(60);
    await s.source.sync(s.ctx);
    expect((await s.source.read(refs, s.ctx)).signals).toEqual(expected);
  });

  it('given an export answered 429 with Retry-After, when the run syncs, then it retries once and counts every event exactly once', async () => {
    const expected = await baseline({ config: { exportThreshold: 1 } });
    const s = await setup({ config: { exportThreshold: 1 } });
    fakes.push(s.fake);
    seedPortfolio(s.fake, 60);
    s.fake.server.inject({
      match: isExport,
      times: 1,
      fault: {
        kind: 'status',
        status: 429,
        body: { error: 'too many export requests in progress for this project', status: 'error' },
        headers: { 'retry-after': '0.02' },
      },
    });
    await s.source.sync(s.ctx);
    expect(s.fake.exports().map((e) => e.status)).toEqual([429, 200]);
    expect((await s.source.read(refs, s.ctx)).signals).toEqual(expected);
  });

  it('given 5xx answers and a dropped connection, when the run syncs, then capped retries recover the same signals', async () => {
    const expected = await baseline();
    const s = await setup();
    fakes.push(s.fake);
    seedPortfolio(s.fake, 60);
    s.fake.server.inject({ times: 2, fault: { kind: 'status', status: 503, body: { error: 'service unavailable' } } });
    s.fake.server.inject({ times: 1, fault: { kind: 'drop' } });
    await s.source.sync(s.ctx);
    expect(s.fake.queries().length).toBe(5 + 3);
    expect((await s.source.read(refs, s.ctx)).signals).toEqual(expected);
  });

  it('given Mixpanel keeps failing with 500, when the run syncs, then it gives up after the capped attempts with a TransientError', async () => {
    const s = await setup({ config: { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } } });
    fakes.push(s.fake);
    s.fake.server.inject({ fault: { kind: 'status', status: 500, body: { error: 'internal error' } } });
    await expect(s.source.sync(s.ctx)).rejects.toBeInstanceOf(TransientError);
    expect(s.fake.queries().length).toBe(3);
  });

  it('given Mixpanel allows 5 queries at once, when many feature reports run in parallel, then the client keeps below 5 and never meets a 429', async () => {
    const features = Array.from({ length: 8 }, (_, i) => `Feature ${i + 1}`);
    const s = await setup({ fake: { queryLatencyMs: 40 }, config: { coreFeatures: features } });
    fakes.push(s.fake);
    seedPortfolio(s.fake, 30);
    const report = await s.source.sync(s.ctx);
    expect(report.checkpoint.queries).toBe(2 + features.length);
    expect(s.fake.queries().map((q) => q.status)).toEqual(Array(10).fill(200));
  });

  it('given the project already used its hour of queries, when Mixpanel answers 429 without Retry-After, then the run stops with QuotaExhaustedError after one try', async () => {
    // Its own budget size: the process-wide budget is not the other tests' one.
    const s = await setup({ fake: { queriesPerHour: 1, clockScale: 1 }, config: { rateLimit: { requests: 30, perMs: 1000 } } });
    fakes.push(s.fake);
    seedPortfolio(s.fake, 5);
    const err = await s.source.sync(s.ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExhaustedError);
    await vi.waitFor(() => expect(s.fake.queries()).toHaveLength(5));
    expect(s.fake.queries().map((q) => q.status)).toEqual([200, 429, 429, 429, 429]);
  });

  it('given an export line that is not JSON and an event without the group key, when synced, then both are reported and the rest is counted', async () => {
    const s = await setup({ config: { exportThreshold: 1 } });
    fakes.push(s.fake);
    seedDays(s.fake, 'acme', 1, 28, 4);
    s.fake.seedEvents([{ event: 'Session Start', time: `${daysAgo(2)}T10:00:00Z`, distinct_id: 'anon-1', properties: { plan: 'free' } }]);
    s.fake.seedRawExportLines(['{"event":"Session Start","properties":{"time":17']);
    const report = await s.source.sync(s.ctx);
    expect(report.rejected).toEqual([
      { recordId: 'line 2', reason: 'not valid JSON' },
      { recordId: expect.stringMatching(/^fake-/), reason: 'event "Session Start" has no company_id property' },
    ]);
    const acme = (await s.source.read([account('crm-acme', 'acme')], s.ctx)).signals.get('crm-acme');
    expect(acme).toMatchObject({ 'usage.trend14d': 0, 'usage.daysSinceLastActive': 0, 'mixpanel.activeUsers30d': 4 });
  });

  it('given a wrong service-account secret, when the run syncs, then a ConfigError says what to fix, without the secret and without retrying', async () => {
    const s = await setup();
    fakes.push(s.fake);
    const wrong = 'not-the-right-secret-9a8b7c';
    const source = createMixpanelSource(
      sourceConfig(s.fake, { serviceAccount: { username: s.fake.serviceAccount.username, secret: wrong } }),
    );
    const err = await source.sync({ asOf: ASOF, state: new MemoryStateStore() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/service account refused \(401.*Check mixpanel\.serviceAccount/);
    expect((err as Error).message).not.toContain(wrong);
    expect(s.fake.queries().length).toBe(1);
  });

  it('given an invalid configuration, when the source is created, then a ConfigError names the fields', () => {
    expect(() => createMixpanelSource({ serviceAccount: { username: 'u', secret: '' }, projectId: 'abc', activeEvents: [] })).toThrow(
      /invalid configuration: serviceAccount\.secret: .*; projectId: .*; activeEvents: /,
    );
  });

  it('given tracing is on, when runs go through both paths and a refused credential, then the trace has every exchange and never the secret', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mixpanel-trace-')), 'trace.jsonl');
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    const s = await setup();
    fakes.push(s.fake);
    seedPortfolio(s.fake, 20);
    s.fake.seedRawExportLines(['not json']);
    await s.source.sync(s.ctx);
    await createMixpanelSource(sourceConfig(s.fake, { exportThreshold: 1 })).sync({ asOf: ASOF, state: new MemoryStateStore() });
    const wrong = createMixpanelSource(
      sourceConfig(s.fake, { serviceAccount: { ...s.fake.serviceAccount, secret: 'mp-wrong-secret-0000' } }),
    );
    await expect(wrong.sync({ asOf: ASOF, state: new MemoryStateStore() })).rejects.toBeInstanceOf(ConfigError);
    const text = readFileSync(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.every((l) => l.vendor === 'mixpanel')).toBe(true);
    expect(lines.map((l) => l.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 401]);
    const { username, secret } = s.fake.serviceAccount;
    expect(text).not.toContain(secret);
    expect(text).not.toContain('mp-wrong-secret-0000');
    expect(text).not.toContain(Buffer.from(`${username}:${secret}`).toString('base64'));
  });
});
