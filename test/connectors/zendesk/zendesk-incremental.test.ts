// The incremental sync through node-zendesk against the fake: the first run backfills from a start
// time, pages follow after_url, the cursor persists, a second run reads only the delta and ends with
// the same signals as a full recomputation, versions dated after asOf wait for a later run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ZendeskFake } from '../../../connectors/zendesk/fake/server.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { ASOF, account, context, daysAgo, plusDays, sourceFor, startFake } from './zendesk-kit.ts';

let fake: ZendeskFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

/** 5 organizations with 60 tickets each spread over the last 150 days, some urgent, some rated. */
function seedPortfolio(): { orgs: number[]; tickets: number[] } {
  const orgs: number[] = [];
  const tickets: number[] = [];
  for (let o = 0; o < 5; o++) {
    const org = fake.addOrganization({ name: `Org ${o}`, createdAt: daysAgo(400) });
    orgs.push(org);
    for (let i = 0; i < 60; i++) {
      const age = 150 - i * 2.5 - o * 0.1;
      const id = fake.addTicket({
        organizationId: org,
        status: i % 7 === 0 ? 'open' : 'solved',
        priority: i % 11 === 0 ? 'urgent' : 'normal',
        tags: i % 13 === 0 ? ['sentiment_negative'] : [],
        createdAt: daysAgo(age),
        updatedAt: daysAgo(Math.max(0.5, age - 2)),
      });
      tickets.push(id);
      if (i % 5 === 0 && age > 3) fake.rateTicket(id, { score: i % 10 === 0 ? 'good' : 'bad', at: daysAgo(age - 3) });
    }
  }
  return { orgs, tickets };
}

const accountsOf = (orgs: number[]) => orgs.map((o) => account(`crm-${o}`, o));

describe('first run', () => {
  it('given tickets over 150 days, when first synced with 100 per page, then it starts 120 days back and follows after_url across pages', async () => {
    const { orgs } = seedPortfolio();
    const ctx = context();
    const report = await sourceFor(fake, { pageSize: 100 }).sync?.(ctx);
    const pages = fake.server.calls('GET', '/api/v2/incremental/tickets/cursor.json');
    const start = Math.floor(new Date(daysAgo(120)).getTime() / 1000);
    expect(pages[0]?.query).toContain(`start_time=${start}`);
    expect(pages.slice(1).every((p) => p.query.includes('cursor='))).toBe(true);
    // tickets updated in the last 120 days: 48 of 60 per org (5 orgs) = 240 → 3 pages of 100
    expect(pages).toHaveLength(3);
    expect(report?.rejected).toEqual([]);
    expect(report?.checkpoint).toMatchObject({ complete: true, ticketCursor: expect.any(String) });
    const calls = fake.server.log.length;
    const result = await sourceFor(fake).read(accountsOf(orgs), ctx);
    expect(result.signals.size).toBe(5);
    // read answers from state alone
    expect(fake.server.log).toHaveLength(calls);
  });
});

describe('second run', () => {
  it('given a first run, when a week of changes is synced, then only the delta is read and the signals equal a full recomputation', async () => {
    const { orgs, tickets } = seedPortfolio();
    const state = new MemoryStateStore();
    const source = sourceFor(fake);
    await source.sync?.(context(ASOF, state));

    const later = plusDays(7);
    const at = (d: number) => new Date(later.getTime() - d * 86_400_000).toISOString();
    const [o0, o1, o2] = orgs as [number, number, number];
    // new tickets, one urgent and open; a solved ticket reopened as urgent; a ticket moved between orgs;
    // one deleted; a late survey answer; an organization deleted
    fake.addTicket({ organizationId: o0, priority: 'urgent', status: 'open', createdAt: at(3) });
    fake.addTicket({ organizationId: o1, status: 'open', tags: ['sentiment_negative'], createdAt: at(2) });
    fake.updateTicket(tickets[50] as number, { status: 'open', priority: 'urgent', updatedAt: at(4) });
    fake.updateTicket(tickets[61] as number, { organizationId: o2, updatedAt: at(3.5) });
    fake.deleteTicket(tickets[122] as number, at(2.5));
    fake.rateTicket(tickets[59] as number, { score: 'good', at: at(1), offeredAt: daysAgo(20) });
    fake.deleteOrganization(orgs[4] as number, at(1.5));
    fake.server.log.length = 0;

    const second = await source.sync?.(context(later, state));
    const exportCalls = fake.server.calls('GET', '/api/v2/incremental/tickets/cursor.json');
    expect(exportCalls).toHaveLength(1);
    expect(exportCalls[0]?.query).toContain('cursor=');
    expect(exportCalls[0]?.query).not.toContain('start_time');
    // the delta only: 6 tickets (2 new, 4 changed, the late rating touched one), 5 organizations (the
    // export restarts at the last second it returned, where the 4 unchanged ones sit, plus the deleted
    // one), 5 ratings (created since 14 days before the first run); the first run read 240 tickets
    expect(second?.records).toBe(6 + 5 + 5);

    const incremental = await source.read(accountsOf(orgs), context(later, state));
    const full = sourceFor(fake);
    const fullState = new MemoryStateStore();
    await full.sync?.(context(later, fullState));
    const recomputed = await full.read(accountsOf(orgs), context(later, fullState));
    expect(incremental.signals).toEqual(recomputed.signals);
    expect(incremental.unmatched).toEqual(recomputed.unmatched);
    expect(incremental.unmatched).toEqual([{ accountId: `crm-${orgs[4]}`, reason: `Zendesk has no organization ${orgs[4]}` }]);
    expect(incremental.signals.get(`crm-${o0}`)).toMatchObject({ 'support.activeEscalation': true });
  });

  it('given a change dated after asOf, when synced at asOf, then it is not used until a later run reaches it', async () => {
    const org = fake.addOrganization({ name: 'Future' });
    const ticket = fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(20) });
    fake.updateTicket(ticket, { status: 'open', priority: 'urgent', updatedAt: plusDays(2).toISOString() });
    const state = new MemoryStateStore();
    const source = sourceFor(fake);
    await source.sync?.(context(ASOF, state));
    const now = await source.read([account('a', org)], context(ASOF, state));
    expect(now.signals.get('a')).toMatchObject({ 'support.activeEscalation': false, 'support.escalations90d': 0 });
    await source.sync?.(context(plusDays(3), state));
    const later = await source.read([account('a', org)], context(plusDays(3), state));
    expect(later.signals.get('a')).toMatchObject({ 'support.activeEscalation': true, 'support.escalations90d': 1 });
  });
});
