// Support signals with exact expected values, read through node-zendesk from the fake: escalations
// (urgent priority and/or tags), CSAT from the last five rated tickets, ticket volume ratio, aged open
// tickets, sentiment from ratings and tags, and accounts Zendesk does not know.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ZendeskFake } from '../../../connectors/zendesk/fake/server.ts';
import { account, context, daysAgo, signalsOf, sourceFor, startFake } from './zendesk-kit.ts';

let fake: ZendeskFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

describe('escalations', () => {
  it('given 3 urgent tickets in the last 90 days (and one older), when read, then 3 escalations and one active', async () => {
    const org = fake.addOrganization({ name: 'Acme' });
    for (const d of [10, 40, 80])
      fake.addTicket({ organizationId: org, priority: 'urgent', status: d === 10 ? 'open' : 'solved', createdAt: daysAgo(d) });
    fake.addTicket({ organizationId: org, priority: 'urgent', status: 'solved', createdAt: daysAgo(100), updatedAt: daysAgo(95) });
    fake.addTicket({ organizationId: org, priority: 'normal', status: 'open', createdAt: daysAgo(5) });
    fake.addTicket({ organizationId: org, priority: 'high', status: 'solved', createdAt: daysAgo(20) });
    const { signals } = await signalsOf(fake, org);
    expect(signals).toMatchObject({ 'support.escalations90d': 3, 'support.activeEscalation': true });
  });

  it('given escalation defined by tag only, when read, then urgent tickets without the tag do not count', async () => {
    const org = fake.addOrganization({ name: 'Tagged' });
    fake.addTicket({ organizationId: org, priority: 'urgent', status: 'open', createdAt: daysAgo(3) });
    fake.addTicket({ organizationId: org, priority: 'low', status: 'solved', tags: ['VIP_Escalation'], createdAt: daysAgo(30) });
    const { signals } = await signalsOf(fake, org, { escalation: { urgentPriority: false, tags: ['vip_escalation'] } });
    expect(signals).toMatchObject({ 'support.escalations90d': 1, 'support.activeEscalation': false });
  });
});

describe('CSAT', () => {
  it('given 7 rated tickets whose two oldest ratings are bad, when read, then CSAT uses the last 5 only (4 good of 5 = 0.8)', async () => {
    const org = fake.addOrganization({ name: 'Rated' });
    const scores = ['bad', 'bad', 'good', 'good', 'bad', 'good', 'good'] as const;
    scores.forEach((score, i) => {
      const id = fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(80 - i * 10) });
      fake.rateTicket(id, { score, at: daysAgo(78 - i * 10) });
    });
    // an offered survey nobody answered does not count
    const offered = fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(2) });
    fake.rateTicket(offered, { score: 'offered', at: daysAgo(1) });
    const { signals } = await signalsOf(fake, org);
    expect(signals?.['support.csat']).toBe(0.8);
  });

  it('given an org whose tickets were never rated, when read, then CSAT is absent (unknown), not zero', async () => {
    const org = fake.addOrganization({ name: 'Unrated' });
    fake.addTicket({ organizationId: org, status: 'open', createdAt: daysAgo(3) });
    const { signals } = await signalsOf(fake, org);
    expect(signals).not.toHaveProperty('support.csat');
  });
});

describe('volume, aged tickets, sentiment', () => {
  it('given 6 tickets in the last 30 days and 9 in the 90 days before, when read, then the volume ratio is 2', async () => {
    const org = fake.addOrganization({ name: 'Busy' });
    for (let i = 0; i < 6; i++) fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(2 + i * 4) });
    for (let i = 0; i < 9; i++) fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(35 + i * 9) });
    const { signals } = await signalsOf(fake, org);
    expect(signals?.['support.ticketVolumeRatio']).toBe(2);
  });

  it('given open tickets created 45 and 10 days ago and an old solved one, when read, then one aged open ticket', async () => {
    const org = fake.addOrganization({ name: 'Slow' });
    fake.addTicket({ organizationId: org, status: 'pending', createdAt: daysAgo(45), updatedAt: daysAgo(40) });
    fake.addTicket({ organizationId: org, status: 'open', createdAt: daysAgo(10) });
    fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(60) });
    const { signals } = await signalsOf(fake, org);
    expect(signals?.['support.openTicketsAged']).toBe(1);
  });

  it('given a bad rating and a negative tag this month against one good rating, when read, then sentiment is negative', async () => {
    const org = fake.addOrganization({ name: 'Unhappy' });
    const a = fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(12) });
    fake.rateTicket(a, { score: 'bad', at: daysAgo(10) });
    const b = fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(9) });
    fake.rateTicket(b, { score: 'good', at: daysAgo(8) });
    fake.addTicket({ organizationId: org, status: 'open', tags: ['sentiment_negative'], createdAt: daysAgo(4) });
    const { signals } = await signalsOf(fake, org);
    expect(signals?.['support.sentiment']).toBe('negative');
  });

  it('given recent tickets with neither ratings nor sentiment tags, when read, then sentiment is neutral', async () => {
    const org = fake.addOrganization({ name: 'Quiet' });
    fake.addTicket({ organizationId: org, status: 'open', createdAt: daysAgo(4) });
    const { signals } = await signalsOf(fake, org);
    expect(signals?.['support.sentiment']).toBe('neutral');
  });
});

describe('identity', () => {
  it('given accounts without an org id, with an unknown or deleted org, when read, then they are unmatched and get no keys; a known org without tickets gets real zeros', async () => {
    const known = fake.addOrganization({ name: 'No tickets' });
    const deleted = fake.addOrganization({ name: 'Gone' });
    fake.deleteOrganization(deleted, daysAgo(5));
    const source = sourceFor(fake);
    const ctx = context();
    await source.sync?.(ctx);
    const result = await source.read(
      [account('a-known', known), account('a-none'), account('a-ghost', 999), account('a-deleted', deleted), account('a-bad', 'acme')],
      ctx,
    );
    expect([...result.signals.keys()]).toEqual(['a-known']);
    expect(result.signals.get('a-known')).toEqual({
      'support.ticketVolumeRatio': 0,
      'support.escalations90d': 0,
      'support.activeEscalation': false,
      'support.openTicketsAged': 0,
    });
    expect(result.unmatched.map((u) => u.accountId)).toEqual(['a-none', 'a-ghost', 'a-deleted', 'a-bad']);
    expect(result.unmatched[1]?.reason).toBe('Zendesk has no organization 999');
  });

  it('given read before any sync, when read, then accounts are unmatched and Zendesk is not called', async () => {
    const org = fake.addOrganization({ name: 'Acme' });
    const result = await sourceFor(fake).read([account('a', org)], context());
    expect(result.signals.size).toBe(0);
    expect(result.unmatched[0]?.reason).toMatch(/not been synced/);
    expect(fake.server.log).toHaveLength(0);
  });
});
