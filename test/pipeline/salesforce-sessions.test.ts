// Acceptance for unattended Salesforce runs: a week of daily runs through the JWT bearer flow against
// an org whose sessions die every few (compressed) minutes, and a day passing between runs. Every run
// completes, no field is written with the value it already holds, no task is created twice, and the
// run's log holds no credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/run/summary.ts';
import { JWT_GRANT, jwtConfig, testKeys } from '../connectors/salesforce/support.ts';
import { type Harness, startHarness } from './harness.ts';

const DAYS = 7;
const MINUTE = 60_000;
let h: Harness;
const summaries: RunSummary[] = [];
const logged: string[] = [];

beforeAll(async () => {
  h = await startHarness(
    {
      accounts: 12,
      days: DAYS,
      stories: [
        'steady',
        'champion_left',
        'one_day_dip',
        'steady',
        'steady',
        'steady',
        'steady',
        'steady',
        'steady',
        'steady',
        'steady',
        'steady',
      ],
      turnOffsets: [20, 2, 3, 20, 20, 20, 20, 20, 20, 20, 20, 20],
    },
    {
      crm: 'salesforce',
      // 15-minute sessions, 2 org-minutes per API request: a session lives for 7 requests (a batch sends up to 7 queries
      // at once, which a real session, timed by the clock and not by requests, always serves with one token).
      salesforceFake: { sessionTimeoutMs: 15 * MINUTE, requestTickMs: 2 * MINUTE, connectedApp: { certificate: testKeys.certificate } },
      // A certificate past its expiry date as the config names it: the run says so every day.
      salesforceAuth: (fake) => jwtConfig(fake, { certificateExpiresOn: '2000-01-31' }),
    },
  );
  h.deps.log = (event, detail) => logged.push(`${event} ${JSON.stringify(detail)}`);
  for (let i = 0; i < DAYS; i++) {
    summaries.push(await h.runDay(i));
    h.vendors.salesforce?.passTime(24 * 60 * MINUTE);
  }
});

afterAll(async () => {
  await h?.close();
});

describe('given an org whose sessions expire every few minutes, over 7 daily runs through the JWT bearer flow', () => {
  it('then every run completes and scores every account, each expiry renewed by a JWT exchange', () => {
    expect(summaries.map((s) => [s.complete, s.scored, Object.keys(s.failedSources)])).toEqual(summaries.map(() => [true, 12, []]));
    const grants = h.vendors.salesforce?.tokenGrants() ?? [];
    expect(grants.length).toBeGreaterThan(DAYS * 2);
    expect(new Set(grants)).toEqual(new Set([JWT_GRANT]));
  });

  it('then no field is ever written with the value it already held', () => {
    const log = h.vendors.salesforce?.updateLog() ?? [];
    expect(log.length).toBeGreaterThan(12);
    const sameValue = log.flatMap((u) =>
      Object.entries(u.changes)
        .filter(([field, c]) => field !== 'Health_Updated_At__c' && c.before === c.after)
        .map(([field]) => `${u.id}.${field}`),
    );
    expect(sameValue).toEqual([]);
  });

  it('then no alert task is created twice', () => {
    const tasks = h.vendors.salesforce?.tasks() ?? [];
    expect(tasks.length).toBeGreaterThan(0);
    const keys = tasks.map((t) => `${t.WhatId}|${t.Subject}|${t.ActivityDate}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('then each run logs that the certificate named in the config has expired, with what to renew', () => {
    const warnings = logged.filter((l) => l.startsWith('crm.config_warning '));
    expect(warnings).toHaveLength(DAYS);
    expect(warnings[0]).toMatch(/expired on 2000-01-31: create a new certificate and key, upload the certificate to the app/);
  });

  it('then the run log holds no assertion, session id or private key', () => {
    const text = logged.join('\n');
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
    expect(text).not.toMatch(/!AQ[\w.-]{20,}/);
    expect(text).not.toContain((testKeys.privateKey.split('\n')[1] ?? 'x').slice(0, 40));
  });
});
