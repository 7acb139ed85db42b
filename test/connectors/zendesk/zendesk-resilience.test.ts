// The Zendesk source under vendor trouble, through node-zendesk against the fake: 429s (injected and
// from the fake's own 10/min incremental limit) waited out via Retry-After without loss or
// duplicates, 5xx/dropped/malformed responses retried, a malformed record reported and skipped,
// bad credentials as a ConfigError, a stop mid-sync resumed from the checkpoint, no token in the trace.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import { WaitOnlyClock } from '../../../connectors/shared/fake/server.ts';
import type { ZendeskFake } from '../../../connectors/zendesk/fake/server.ts';
import { createZendeskSource } from '../../../connectors/zendesk/zendesk-source.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { account, context, daysAgo, sourceFor, startFake } from './zendesk-kit.ts';

let fake: ZendeskFake;
afterEach(async () => {
  await fake.close();
});

/** 4 organizations × 25 tickets in the last 100 days, 5 of them urgent per org. */
function seed(): number[] {
  const orgs: number[] = [];
  for (let o = 0; o < 4; o++) {
    const org = fake.addOrganization({ name: `Org ${o}` });
    orgs.push(org);
    for (let i = 0; i < 25; i++)
      fake.addTicket({
        organizationId: org,
        priority: i % 5 === 0 ? 'urgent' : 'normal',
        status: 'solved',
        createdAt: daysAgo(85 - i * 3 - o * 0.01),
      });
  }
  return orgs;
}

async function syncAndRead(orgs: number[], extra = {}) {
  const source = sourceFor(fake, { pageSize: 10, ...extra });
  const ctx = context(undefined, new MemoryStateStore());
  const report = await source.sync?.(ctx);
  const result = await source.read(
    orgs.map((o) => account(String(o), o)),
    ctx,
  );
  return { report, result };
}

describe('rate limits and faults', () => {
  beforeEach(async () => {
    fake = await startFake();
  });

  it('given a 429 with Retry-After on an export page, when synced, then it is waited out and every ticket is counted once', async () => {
    const orgs = seed();
    fake.server.inject({
      match: (r) => r.query.has('cursor'),
      times: 1,
      fault: {
        kind: 'status',
        status: 429,
        body: 'Number of allowed incremental export API requests per minute exceeded',
        headers: { 'retry-after': '0.05' },
      },
    });
    const { report, result } = await syncAndRead(orgs);
    expect(fake.server.log.filter((c) => c.status === 429)).toHaveLength(1);
    expect(report?.records).toBe(4 + 100);
    for (const o of orgs) expect(result.signals.get(String(o))?.['support.escalations90d']).toBe(5);
  });

  it("given a client budget above the fake's 10 exports a minute, when synced, then the fake's 429s are waited out and nothing is lost", async () => {
    // vendor time moves only by the waits the fake asks for, so the 11th export falls in the first
    // minute however fast or slow this machine is
    await fake.close();
    fake = await startFake({ clock: new WaitOnlyClock() });
    const orgs = seed();
    const { report, result } = await syncAndRead(orgs, {
      rateLimit: { requests: 200, perMs: 1000, incremental: { requests: 100, perMs: 1000 } },
    });
    expect(fake.server.log.some((c) => c.status === 429)).toBe(true);
    expect(report?.records).toBe(4 + 100);
    expect(result.signals.size).toBe(4);
  });

  it('given a 500, a dropped connection and a malformed body, when synced, then each is retried and the data is complete', async () => {
    const orgs = seed();
    fake.server.inject({ match: (r) => r.path.includes('/tickets/cursor'), times: 1, fault: { kind: 'status', status: 500 } });
    fake.server.inject({ match: (r) => r.query.has('cursor'), times: 1, fault: { kind: 'drop' } });
    fake.server.inject({ match: (r) => r.path.includes('satisfaction_ratings'), times: 1, fault: { kind: 'malformed' } });
    const { report, result } = await syncAndRead(orgs);
    expect(report?.records).toBe(4 + 100);
    expect(result.signals.size).toBe(4);
    expect(fake.server.calls('GET', /satisfaction_ratings/)).toHaveLength(2);
  });

  it('given one malformed ticket, when synced, then it is reported with its id and reason and the others are folded', async () => {
    const orgs = seed();
    fake.patchRaw('ticket', 7, { status: 'escalated-ish' });
    const { report, result } = await syncAndRead(orgs);
    expect(report?.rejected).toEqual([{ recordId: 'ticket 7', reason: expect.stringContaining('status') }]);
    expect(result.signals.size).toBe(4);
  });

  it('given the run is stopped after the first pages, when synced again, then it resumes from the saved cursor and ends complete', async () => {
    const orgs = seed();
    const state = new MemoryStateStore();
    const stop = new AbortController();
    let pages = 0;
    fake.server.inject({
      match: (r) => {
        if (r.path.includes('/tickets/cursor') && ++pages === 3) stop.abort();
        return false;
      },
      fault: { kind: 'delay', ms: 0 },
    });
    const source = sourceFor(fake, { pageSize: 10 });
    const first = await source.sync?.({ ...context(undefined, state), signal: stop.signal });
    expect(first?.checkpoint).toMatchObject({ complete: false });
    const before = fake.server.calls('GET', '/api/v2/incremental/tickets/cursor.json').length;
    const second = await source.sync?.(context(undefined, state));
    expect(second?.checkpoint).toMatchObject({ complete: true });
    const resumed = fake.server.calls('GET', '/api/v2/incremental/tickets/cursor.json').slice(before);
    expect(resumed[0]?.query).toContain('cursor=');
    const result = await source.read(
      orgs.map((o) => account(String(o), o)),
      context(undefined, state),
    );
    for (const o of orgs) expect(result.signals.get(String(o))?.['support.escalations90d']).toBe(5);
  });
});

describe('credentials and secrets', () => {
  beforeEach(async () => {
    fake = await startFake();
  });

  it('given a wrong token, when synced, then a ConfigError says what to fix and does not contain the token', async () => {
    const token = 'wrongTokenWrongToken1234567890';
    const source = createZendeskSource({ username: fake.username, apiToken: token, baseUrl: fake.endpointUri });
    const err = await source.sync?.(context()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/401.*username.*API token \(ZENDESK_API_TOKEN/);
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain(token);
  });

  it('given a base URL without /api/v2, when synced, then a ConfigError points at subdomain or baseUrl', async () => {
    const source = createZendeskSource({ username: fake.username, apiToken: fake.token, baseUrl: fake.url });
    await expect(source.sync?.(context())).rejects.toThrow(/404.*subdomain or baseUrl/);
  });

  it('given a config without credentials, when the source is created, then a ConfigError names the fields', () => {
    expect(() => createZendeskSource({ username: 'not-an-email', apiToken: 'x', subdomain: 'acme' })).toThrow(/username: .*apiToken: /);
  });

  it('given HEALTHSCORE_HTTP_TRACE, when synced, then every exchange is traced and the token appears nowhere', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zendesk-trace-')), 'trace.jsonl');
    const previous = process.env.HEALTHSCORE_HTTP_TRACE;
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    try {
      seed();
      await sourceFor(fake).sync?.(context());
    } finally {
      if (previous === undefined) delete process.env.HEALTHSCORE_HTTP_TRACE;
      else process.env.HEALTHSCORE_HTTP_TRACE = previous;
    }
    const text = readFileSync(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { vendor: string; url: string });
    expect(lines.map((l) => new URL(l.url).pathname)).toEqual([
      '/api/v2/incremental/organizations.json',
      '/api/v2/incremental/tickets/cursor.json',
      '/api/v2/guide/survey_responses',
      '/api/v2/satisfaction_ratings.json',
    ]);
    expect(lines.every((l) => l.vendor === 'zendesk')).toBe(true);
    expect(text).not.toContain(fake.token);
    expect(text).not.toContain(Buffer.from(`${fake.username}/token:${fake.token}`).toString('base64'));
  });
});
