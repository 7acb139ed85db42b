// CSAT as Zendesk serves it: the updated CSAT's survey responses (probed, rated on a scale) or the
// legacy ratings; a ratings read that fails (403) is a partial failure — CSAT goes stale then
// unknown while every other support signal stays fresh; only an admin may read the exports; the
// exports page on our base URL without node-zendesk's `page[size]`.
import { afterEach, describe, expect, it } from 'vitest';
import { FORBIDDEN, type ZendeskFake } from '../../../connectors/zendesk/fake/server.ts';
import { gatherSignals } from '../../../pipeline/run/gather-signals.ts';
import type { AccountState } from '../../../pipeline/store/records.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { ASOF, account, context, daysAgo, plusDays, signalsOf, sourceFor, startFake } from './zendesk-kit.ts';

let fake: ZendeskFake;
afterEach(async () => {
  await fake?.close();
});

/** An organization with tickets over the last 120 days, five of them answered: returns the org and the answered tickets. */
function seedOrg(f: ZendeskFake, legacy?: readonly ('good' | 'bad')[]) {
  const org = f.addOrganization({ name: 'Acme' });
  for (const d of [100, 70, 40]) f.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(d) });
  const rated = [25, 20, 15, 10, 5].map((d, i) => {
    const score = legacy?.[i];
    return f.addTicket({
      organizationId: org,
      status: 'solved',
      createdAt: daysAgo(d),
      ...(score ? { satisfaction: { score, at: daysAgo(d - 1) } } : {}),
    });
  });
  return { org, rated };
}

describe('the updated CSAT', () => {
  it('given an account on survey responses rated 5, 4, 3, 2, 5 of 5, when synced with csat auto, then support.csat is 3 of 5 (top two points)', async () => {
    fake = await startFake({ csat: 'survey' });
    const { org, rated } = seedOrg(fake);
    [5, 4, 3, 2, 5].forEach((rating, i) => {
      fake.addSurveyResponse({ ticketId: rated[i] as number, rating, offeredAt: daysAgo(24 - 5 * i), at: daysAgo(23 - 5 * i) });
    });
    const { signals, report } = await signalsOf(fake, org);
    expect(signals?.['support.csat']).toBe(0.6);
    expect(report?.checkpoint).toMatchObject({ csat: 'survey' });
    const calls = fake.server.calls('GET', '/api/v2/guide/survey_responses');
    expect(new URLSearchParams(calls[1]?.query).get('filter[created_at_start]')).toBe(String((Date.parse(daysAgo(120)) / 1000) * 1000));
  });

  it('given a satisfied threshold of 5, when synced, then only the top point counts (2 of 5)', async () => {
    fake = await startFake({ csat: 'survey' });
    const { org, rated } = seedOrg(fake);
    [5, 4, 3, 2, 5].forEach((rating, i) => {
      fake.addSurveyResponse({ ticketId: rated[i] as number, rating, at: daysAgo(23 - 5 * i) });
    });
    const { signals } = await signalsOf(fake, org, { csat: 'survey', csatSatisfiedFrom: 5 });
    expect(signals?.['support.csat']).toBe(0.4);
  });

  it('given a legacy account, when synced with csat auto, then the probe finds no survey responses and legacy ratings give CSAT', async () => {
    fake = await startFake();
    const { org } = seedOrg(fake, ['good', 'bad', 'good', 'good', 'good']);
    const { signals, report } = await signalsOf(fake, org);
    expect(signals?.['support.csat']).toBe(0.8);
    expect(report?.checkpoint).toMatchObject({ csat: 'legacy' });
  });
});

describe('a ratings read that fails', () => {
  it('given ratings answering 403, when synced and read, then CSAT is a partial failure and the other support signals are there', async () => {
    fake = await startFake();
    const { org } = seedOrg(fake, ['good', 'bad', 'good', 'good', 'good']);
    fake.server.inject({
      match: (r) => r.path.startsWith('/api/v2/satisfaction_ratings'),
      fault: { kind: 'status', status: 403, body: FORBIDDEN },
    });
    const { signals, result, report } = await signalsOf(fake, org, { csat: 'legacy' });
    expect(signals).not.toHaveProperty('support.csat');
    // 5 tickets in the last 30 days against 3 in the 90 before (1 a month): 5.
    expect(signals).toMatchObject({ 'support.ticketVolumeRatio': 5, 'support.escalations90d': 0, 'support.openTicketsAged': 0 });
    expect(result.partialFailures).toEqual([
      { part: 'csat', keys: ['support.csat'], reason: expect.stringMatching(/CSAT not read: .*403.*admin/) },
    ]);
    expect(report?.warnings).toEqual([expect.stringMatching(/CSAT not read/)]);
  });

  it('given CSAT read on day 1 and 403s from day 2, when gathered, then CSAT is stale for 3 days then unknown while the rest stays fresh', async () => {
    fake = await startFake();
    const { org } = seedOrg(fake, ['good', 'bad', 'good', 'good', 'good']);
    const source = sourceFor(fake, { csat: 'legacy' });
    const state = new MemoryStateStore();
    const states = new Map<string, AccountState>();
    const gather = async (days: number) => {
      const ctx = context(plusDays(days), state);
      await source.sync?.(ctx);
      const day = ctx.asOf.toISOString().slice(0, 10);
      const r = await gatherSignals([source], [account('acct', org)], states, ctx, day, 3, {});
      return { ...r, acct: r.accounts.get('acct') };
    };
    const day1 = await gather(0);
    expect(day1.acct?.signals['support.csat']).toBe(0.8);
    fake.server.inject({
      match: (r) => r.path.startsWith('/api/v2/satisfaction_ratings'),
      fault: { kind: 'status', status: 403, body: FORBIDDEN },
    });
    const day2 = await gather(1);
    expect(day2.acct?.signals['support.csat']).toBe(0.8);
    expect(day2.acct?.origins).toMatchObject({ 'support.csat': 'zendesk (stale, 2026-06-01)', 'support.escalations90d': 'zendesk' });
    expect(day2.acct?.staleSources).toEqual(['zendesk:csat']);
    expect(day2.failedSources).toEqual({ 'zendesk:csat': expect.stringMatching(/403/) });
    const day4 = await gather(3);
    expect(day4.acct?.signals['support.csat']).toBe(0.8);
    const day5 = await gather(4);
    expect(day5.acct?.signals).not.toHaveProperty('support.csat');
    expect(day5.acct?.failedSources).toEqual(['zendesk:csat']);
    expect(day5.acct?.origins['support.openTicketsAged']).toBe('zendesk');
  });
});

describe('who may read, and how pages are asked for', () => {
  it("given an agent's token, when synced, then the exports' 403 stops the sync with a ConfigError that asks for an admin", async () => {
    fake = await startFake({ role: 'agent' });
    seedOrg(fake);
    await expect(sourceFor(fake).sync?.(context())).rejects.toThrow(/403.*admin/);
  });

  it('given next-page links on Zendesk’s own host, when synced through a custom base URL, then every page is read there, and the ticket export never gets page[size]', async () => {
    fake = await startFake({ publicBase: 'https://acme.zendesk.com/api/v2' });
    const { org } = seedOrg(fake, ['good', 'bad', 'good', 'good', 'good']);
    for (let i = 0; i < 4; i++) fake.addOrganization({ name: `Other ${i}`, updatedAt: daysAgo(50 - i) });
    const { signals } = await signalsOf(fake, org, { pageSize: 3 });
    expect(signals).toMatchObject({ 'support.csat': 0.8, 'support.openTicketsAged': 0 });
    const tickets = fake.server.calls('GET', /^\/api\/v2\/incremental\/tickets\/cursor/);
    expect(tickets.length).toBe(3);
    expect(
      tickets.every((c) => !new URLSearchParams(c.query).has('page[size]') && new URLSearchParams(c.query).get('per_page') === '3'),
    ).toBe(true);
    expect(fake.server.calls('GET', /^\/api\/v2\/incremental\/organizations/).length).toBeGreaterThan(1);
    expect(ASOF.toISOString()).toBe('2026-06-01T12:00:00.000Z');
  });
});
