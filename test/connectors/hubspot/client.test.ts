// How the HubSpot client behaves under HubSpot's limits and failures, through the real SDK against
// the fake: 429s waited out with every record landing once, 5xx / dropped connections / malformed
// bodies retried, auth and scope errors failing fast with what to fix, the daily limit stopping the
// run, and every exchange counted and traced without the token.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHubSpotConfig } from '../../../connectors/hubspot/config.ts';
import type { ScoreWrite } from '../../../connectors/shared/crm.ts';
import { ConfigError, QuotaExhaustedError } from '../../../connectors/shared/errors.ts';
import { callStats, resetCallStats } from '../../../connectors/shared/http-trace.ts';
import { collect, connect, ctx, fake, type HubSpotFake, plainAccounts, scoreValues } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

const writes = (ids: Iterable<string>): ScoreWrite[] =>
  [...ids].map((accountId) => ({ accountId, values: scoreValues(64), previous: undefined }));

describe('rate limits', () => {
  it('given HubSpot allows only 1 request per 10 s, when setup (two reads at once) and 250 scores are written, then the 429s are waited out and every record lands once', async () => {
    f = await fake({ tenSecondLimit: 1 });
    const ids = [...f.seedAccounts(plainAccounts(250)).values()];
    const connector = connect(f);
    await connector.setup();
    const report = await connector.writeScores(writes(ids));
    expect(report.outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(f.server.log.some((r) => r.status === 429)).toBe(true);
    for (const id of ids) expect(f.updateCount(id)).toBe(1);
    const updates = f.server.calls('POST', '/crm/v3/objects/companies/batch/update');
    expect(updates.filter((r) => r.status === 200)).toHaveLength(3);
  });

  it('given a burst of four 429 TEN_SECONDLY_ROLLING answers, when scores are written, then they are retried after the window and land once', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(40)).values()];
    const connector = connect(f);
    await connector.setup();
    f.rateLimitBurst(4, (r) => r.path.endsWith('/batch/update'));
    const report = await connector.writeScores(writes(ids));
    expect(report.outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(f.server.calls('POST', '/crm/v3/objects/companies/batch/update').map((r) => r.status)).toEqual([429, 429, 429, 429, 200]);
    for (const id of ids) expect(f.updateCount(id)).toBe(1);
  });

  it('given the daily allocation is used up, when listing, then a QuotaExhaustedError stops the run and no further call is made', async () => {
    f = await fake({ dailyLimit: 2 });
    f.seedAccounts(plainAccounts(450));
    const connector = connect(f);
    const pages: number[] = [];
    const err = await (async () => {
      for await (const p of connector.listAccounts()) pages.push(p.accounts.length);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExhaustedError);
    expect((err as Error).message).toMatch(/daily API limit/);
    expect(pages).toEqual([100, 100]);
    const before = f.server.log.length;
    await expect(connector.source.read([{ accountId: '101', identities: {} }], ctx('2026-03-01'))).rejects.toBeInstanceOf(
      QuotaExhaustedError,
    );
    expect(f.server.log.length).toBe(before);
  });
});

describe('failures', () => {
  it('given an expired token, when listing, then one call and a ConfigError saying to refresh the token, and later calls fail without calling', async () => {
    f = await fake();
    f.seedAccounts(plainAccounts(3));
    f.expireToken();
    const connector = connect(f);
    const err = await collect(connector.listAccounts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/access token has expired.*refresh/);
    expect((err as Error).message).not.toContain(f.token);
    await expect(connector.writeScores(writes(['101']))).rejects.toBeInstanceOf(ConfigError);
    await expect(connector.setup()).rejects.toBeInstanceOf(ConfigError);
    expect(f.server.log).toHaveLength(1);
  });

  it('given a wrong token, when listing, then a ConfigError about the access token after a single call', async () => {
    f = await fake();
    const connector = connect(f, { accessToken: 'pat-na1-not-the-right-one' });
    await expect(collect(connector.listAccounts())).rejects.toThrow(/did not accept the access token/);
    expect(f.server.log).toHaveLength(1);
  });

  it('given the app lacks the companies write scope, when scores are written, then a ConfigError names the missing scope', async () => {
    f = await fake();
    const ids = f.seedAccounts(plainAccounts(2));
    const connector = connect(f);
    await connector.setup();
    f.revokeScope('crm.objects.companies.write');
    await expect(connector.writeScores(writes(ids.values()))).rejects.toThrow(/lacks the scope crm\.objects\.companies\.write/);
    expect(f.server.calls('POST', '/crm/v3/objects/companies/batch/update')).toHaveLength(1);
  });

  it('given a 502, a dropped connection and a malformed body, when listing, then each is retried and the listing completes', async () => {
    f = await fake();
    f.seedAccounts(plainAccounts(5));
    const list = (r: { path: string }) => r.path === '/crm/v3/objects/companies';
    f.server.inject({ match: list, times: 1, fault: { kind: 'status', status: 502 } });
    f.server.inject({ match: list, times: 1, fault: { kind: 'drop' } });
    f.server.inject({ match: list, times: 1, fault: { kind: 'malformed' } });
    const { accounts } = await collect(connect(f).listAccounts());
    expect(accounts).toHaveLength(5);
    expect(f.server.calls('GET', '/crm/v3/objects/companies').map((r) => r.status)).toEqual([502, 0, 200, 200]);
  });

  it('given a request that hangs past the timeout, when listing, then it is abandoned, retried and the listing completes', async () => {
    f = await fake();
    f.seedAccounts(plainAccounts(5));
    f.server.inject({ match: (r) => r.path === '/crm/v3/objects/companies', times: 1, fault: { kind: 'delay', ms: 1_000 } });
    const { accounts } = await collect(connect(f, { timeoutMs: 100 }).listAccounts());
    expect(accounts).toHaveLength(5);
  });

  it('given HubSpot stays down, when listing, then retries stop at the cap with a TransientError', async () => {
    f = await fake();
    f.server.inject({ fault: { kind: 'status', status: 503 } });
    await expect(collect(connect(f, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }).listAccounts())).rejects.toThrow(
      /HubSpot answered 503/,
    );
    expect(f.server.log).toHaveLength(3);
  });
});

describe('config', () => {
  it('given a config without token and portal id, when validated, then a ConfigError names each missing field', () => {
    expect(() => parseHubSpotConfig({ basePath: 'not a url' })).toThrow(ConfigError);
    expect(() => parseHubSpotConfig({ basePath: 'not a url' })).toThrow(
      /accessToken: accessToken is required.*basePath: Invalid URL.*portalId: portalId is required: the numeric Hub ID/,
    );
  });

  it('given only token and portal id, when validated, then HubSpot defaults and only standard properties are mapped (custom ones are opt-in)', () => {
    const c = parseHubSpotConfig({ accessToken: 'pat-na1-abc', portalId: 123 });
    expect(c.basePath).toBe('https://api.hubapi.com');
    expect(c.portalId).toBe('123');
    expect(c.rateLimit).toEqual({ requests: 100, perMs: 10_000, safety: 0.1, search: { requests: 5, perMs: 1_000, safety: 0.1 } });
    expect(c.contact.champion).toEqual({ kind: 'property', property: 'hs_buying_role', value: 'CHAMPION' });
    expect(c.contact.left).toBeUndefined();
    expect(c.company.contractStart).toBe('hs_lifecyclestage_customer_date');
    for (const custom of ['segment', 'renewalDate', 'csmSentiment', 'nps', 'successPlanOnTrack', 'roiDocumented'] as const)
      expect(c.company[custom]).toBeUndefined();
    expect(c.company.identities).toEqual({});
    expect(c.company.override).toEqual({
      score: 'healthscore_override_score',
      reason: 'healthscore_override_reason',
      expiresOn: 'healthscore_override_expires',
    });
  });

  it('given a property label instead of an internal name, when validated, then the error says which field and why', () => {
    expect(() => parseHubSpotConfig({ accessToken: 'x', portalId: 1, company: { nps: 'NPS Score' } })).toThrow(
      /company\.nps: a HubSpot internal property name/,
    );
  });
});

describe('HTTP trace', () => {
  it('given HEALTHSCORE_HTTP_TRACE, when the connector lists, writes and meets a 401, then one redacted line per exchange and never the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-trace-'));
    const file = join(dir, 'trace.jsonl');
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    resetCallStats();
    try {
      f = await fake();
      const ids = f.seedAccounts(plainAccounts(3));
      const connector = connect(f);
      await collect(connector.listAccounts());
      await connector.setup();
      await connector.writeScores(writes(ids.values()));
      f.expireToken();
      await collect(connect(f).listAccounts()).catch(() => undefined);

      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(f.token);
      const lines = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(f.server.log.length);
      expect(lines[0]).toMatchObject({
        vendor: 'hubspot',
        method: 'GET',
        status: 200,
        url: expect.stringContaining('/crm/v3/objects/companies'),
      });
      const update = lines.find((l) => String(l.url).endsWith('/batch/update'));
      expect(update).toMatchObject({
        method: 'POST',
        status: 200,
        requestBody: { inputs: expect.any(Array) },
        responseBody: { status: 'COMPLETE' },
      });
      expect(lines.at(-1)).toMatchObject({ status: 401, responseBody: { category: 'EXPIRED_AUTHENTICATION' } });
      expect(callStats().hubspot?.calls).toBe(lines.length);
    } finally {
      delete process.env.HEALTHSCORE_HTTP_TRACE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
