import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSalesforceConnector, lightningBase } from '../../../connectors/salesforce/connector.ts';
import { ConfigError, QuotaExhaustedError } from '../../../connectors/shared/errors.ts';
import { callStats } from '../../../connectors/shared/http-trace.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { collect, connectTo, type Org, patchCalls, plainAccounts, queryCalls, scoreOf, startOrg } from './support.ts';

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

describe('Salesforce client behaviour', () => {
  it('given an expired session, when listing, reading, writing or setting up, then each fails at once with a ConfigError that says to renew the token', async () => {
    org = await startOrg();
    const ids = [...org.fake.seedAccounts(plainAccounts(3)).values()];
    org.fake.expireSession();
    const listing = collect(org.connector.listAccounts());
    await expect(listing).rejects.toThrow(ConfigError);
    await expect(listing).rejects.toThrow(/issue a new access token .*SALESFORCE_SECRET/);
    await expect(org.connector.writeScores([{ accountId: ids[0] as string, values: scoreOf(50), previous: undefined }])).rejects.toThrow(
      ConfigError,
    );
    await expect(org.connector.setup()).rejects.toThrow(/INVALID_SESSION_ID/);
    await expect(
      org.connector.source.read([{ accountId: ids[0] as string, identities: {} }], { asOf: new Date(), state: new MemoryStateStore() }),
    ).rejects.toThrow(ConfigError);
    expect(queryCalls(org.fake).length).toBeLessThanOrEqual(6);
    expect(patchCalls(org.fake)).toHaveLength(1);
    expect(org.fake.server.calls('POST', /\/services\/Soap\/m\//)).toHaveLength(1);
  });

  it('given the org allocation used up by another integration, when the connector calls, then it stops with QuotaExhaustedError after one call', async () => {
    org = await startOrg({ dailyLimit: 3 }, { quotaReserve: 0 });
    org.fake.seedAccounts(plainAccounts(2));
    const other = connectTo(org.fake, { quotaReserve: 0 });
    for (let i = 0; i < 3; i++) await collect(other.listAccounts());
    const before = org.fake.server.log.length;
    await expect(collect(org.connector.listAccounts())).rejects.toThrow(QuotaExhaustedError);
    expect(org.fake.server.log.length - before).toBe(1);
    expect(org.fake.server.log.at(-1)?.status).toBe(403);
    await expect(collect(other.listAccounts())).rejects.toThrow(/daily API request allocation|reached the ceiling/);
    expect(org.fake.server.log.length - before).toBe(1);
  });

  it('given a listing that would use the reserve, when paging, then the pages before it arrive and the run stops without reaching the limit', async () => {
    org = await startOrg({ dailyLimit: 10, pageSize: 1 }, { quotaReserve: 0.2 });
    org.fake.seedAccounts(plainAccounts(12));
    const pages: string[] = [];
    const run = async () => {
      for await (const page of org?.connector.listAccounts() ?? []) pages.push(page.cursor ?? 'last');
    };
    await expect(run()).rejects.toThrow(QuotaExhaustedError);
    expect(pages).toHaveLength(8);
    expect(org.fake.apiUsage()).toEqual({ used: 8, limit: 10 });
    expect(org.connector.apiUsage()).toEqual({ used: 8, limit: 10 });
  });

  it('given a slow answer, a dropped connection and a malformed body, when listing, then each is retried and the listing completes', async () => {
    org = await startOrg({}, { timeoutMs: 200 });
    org.fake.seedAccounts(plainAccounts(3));
    org.fake.server.inject({ times: 1, fault: { kind: 'delay', ms: 600 } });
    org.fake.server.inject({ times: 1, fault: { kind: 'drop' } });
    org.fake.server.inject({ times: 1, fault: { kind: 'malformed' } });
    const pages = await collect(org.connector.listAccounts());
    expect(pages.flatMap((p) => p.accounts)).toHaveLength(3);
    // The timed-out request is logged by the fake only when its delay ends, so it is not asserted here.
    const statuses = queryCalls(org.fake).map((c) => c.status);
    expect(statuses.filter((s) => s === 0)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
  });

  it('given a vendor down for good, when listing, then retries stop at the policy cap with a TransientError', async () => {
    org = await startOrg();
    org.fake.server.inject({ fault: { kind: 'status', status: 503, body: [{ message: 'down', errorCode: 'SERVER_UNAVAILABLE' }] } });
    await expect(collect(org.connector.listAccounts())).rejects.toMatchObject({ name: 'TransientError' });
    expect(queryCalls(org.fake)).toHaveLength(6);
  });

  it('given HEALTHSCORE_HTTP_TRACE, when the connector lists, sets up, writes and meets an expired session, then every exchange is traced and the token appears nowhere', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sf-trace-')), 'trace.jsonl');
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    try {
      org = await startOrg();
      const ids = [...org.fake.seedAccounts(plainAccounts(2)).values()];
      const before = callStats().salesforce?.calls ?? 0;
      await collect(org.connector.listAccounts());
      await org.connector.setup();
      await org.connector.writeScores([{ accountId: ids[0] as string, values: scoreOf(61), previous: undefined }]);
      org.fake.expireSession();
      await expect(org.connector.setup()).rejects.toThrow(ConfigError);
      const text = readFileSync(file, 'utf8');
      const lines = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const exchange = (l: Record<string, unknown>) => {
        const url = new URL(String(l.url));
        const soap = /<soapenv:Body[^>]*><(\w+)/.exec(String(l.requestBody))?.[1] ?? '';
        return `${l.method} ${l.status} ${url.pathname.replace(/\/[\w-]{15,18}(?=\/|$)/g, '/{id}')}${soap ? ` ${soap}` : ''}`;
      };
      expect(lines.map(exchange)).toEqual([
        'GET 200 /services/data/v62.0/query',
        ...['readMetadata', 'readMetadata', 'readMetadata', 'createMetadata'].map((op) => `POST 200 /services/Soap/m/62.0 ${op}`),
        'POST 200 /services/Soap/m/62.0 readMetadata',
        'POST 200 /services/Soap/m/62.0 upsertMetadata',
        'GET 200 /services/data/v62.0',
        'GET 200 /id/{id}/{id}',
        'GET 200 /services/data/v62.0/query',
        'GET 200 /services/data/v62.0/query',
        'POST 201 /services/data/v62.0/sobjects/PermissionSetAssignment',
        'GET 200 /services/data/v62.0/sobjects/Account/describe',
        // The mapping checked against the org after setup: its objects, then the objects with mapped fields or roles.
        'GET 200 /services/data/v62.0/sobjects',
        ...['Account', 'Contact', 'Task', 'Event', 'OpportunityContactRole'].map(
          (o) => `GET 200 /services/data/v62.0/sobjects/${o}/describe`,
        ),
        'PATCH 200 /services/data/v62.0/composite/sobjects',
        'POST 500 /services/Soap/m/62.0 readMetadata',
      ]);
      expect(lines.every((l) => l.vendor === 'salesforce' && typeof l.durationMs === 'number')).toBe(true);
      expect(lines[1]?.requestBody).toMatch(/<sessionId>\[REDACTED\]<\/sessionId>/);
      // jsforce's identity() puts the token in the URL: the trace masks it there too.
      expect(lines.find((l) => String(l.url).includes('/id/'))?.url).toMatch(/oauth_token=\[REDACTED\]/);
      expect(lines.find((l) => l.method === 'PATCH')?.requestBody).toMatchObject({
        allOrNone: false,
        records: [expect.objectContaining({ Health_Score__c: 61 })],
      });
      expect(text).not.toContain(org.fake.accessToken);
      expect(text).not.toContain(org.fake.accessToken.split('!')[1]);
      expect(text).not.toContain(encodeURIComponent(org.fake.accessToken));
      expect((callStats().salesforce?.calls ?? 0) - before).toBe(lines.length);
    } finally {
      delete process.env.HEALTHSCORE_HTTP_TRACE;
    }
  });

  it('given an alert, when a task is created, then Salesforce holds it on the account for the account owner with due date and priority', async () => {
    org = await startOrg();
    const ids = org.fake.seedAccounts(plainAccounts(1, { ownerEmail: 'owner@vendor.example' }));
    const accountId = ids.get('a001') as string;
    const { id } = await org.connector.createTask({
      accountId,
      title: 'Health dropped to red: reach out within 48 hours',
      body: 'Champion departed: score capped at 40',
      dueDate: '2026-03-03',
      priority: 'high',
    });
    expect(org.fake.tasks().find((t) => t.Id === id)).toMatchObject({
      WhatId: accountId,
      AccountId: accountId,
      OwnerId: org.fake.user('owner@vendor.example'),
      Subject: 'Health dropped to red: reach out within 48 hours',
      ActivityDate: '2026-03-03',
      Priority: 'High',
      Status: 'Not Started',
    });
  });

  it('given an org URL, when a record link is built, then it is the Lightning record page', () => {
    const connector = createSalesforceConnector({ instanceUrl: 'https://acme.my.salesforce.com', accessToken: 'token-123456' });
    expect(connector.recordUrl('001Hs0000000001IAA')).toBe('https://acme.lightning.force.com/lightning/r/Account/001Hs0000000001IAA/view');
    expect(lightningBase({ instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' })).toBe(
      'https://acme--uat.sandbox.lightning.force.com',
    );
  });

  it('given a config with a bad URL and a field name with a space, when the connector is created, then a ConfigError names each path and never echoes the token', () => {
    const make = () =>
      createSalesforceConnector({
        instanceUrl: 'acme',
        accessToken: 'secret-token-value',
        mapping: { contact: { champion: { field: 'Champion flag' } } },
      } as never);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/instanceUrl: .*mapping\.contact\.champion\.field: must be a Salesforce API field name/);
    expect(make).not.toThrow(/secret-token-value/);
  });
});
