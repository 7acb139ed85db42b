// Engagement and company signals from HubSpot, through the real SDK against the fake, as of the
// run's day: email reply time, meeting attendance, last two-way touch, the company's own
// properties read from their history; a batch costing a fixed handful of calls; and records that
// fail their raw schema reported with id and reason while the rest of the batch is processed.
import { afterEach, describe, expect, it } from 'vitest';
import type { SeedAccount } from '../../../connectors/shared/fake/crm-seed.ts';
import { connect, ctx, fake, type HubSpotFake } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

const AS_OF = '2026-03-01T00:00:00.000Z';
const daysBefore = (n: number) => new Date(Date.parse(AS_OF) - n * 86_400_000).toISOString();
const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();
const people = ['a', 'b', 'c'].map((k) => ({ key: k, name: `Person ${k}`, email: `${k}@acme.example` }));

async function read(accounts: SeedAccount[], asOf = AS_OF) {
  const ids = f.seedAccounts(accounts);
  const r = await connect(f).source.read(
    [...ids.values()].map((accountId) => ({ accountId, identities: {} })),
    ctx(asOf),
  );
  return { r, ids };
}

describe('engagement', () => {
  it('given a reply after 6 hours and an email unanswered for 20 days, then the median reply time is 171 hours; a 2-day-old email is still pending', async () => {
    f = await fake();
    const sent = daysBefore(10);
    const { r, ids } = await read([
      {
        key: 'acme',
        name: 'Acme',
        domain: 'acme.example',
        contacts: people,
        activities: [
          { kind: 'email', at: sent, direction: 'outbound', contactKey: 'a', threadId: 't1' },
          { kind: 'email', at: hoursAfter(sent, 6), direction: 'inbound', contactKey: 'a', threadId: 't1' },
          { kind: 'email', at: daysBefore(20), direction: 'outbound', contactKey: 'b', threadId: 't2' },
          { kind: 'email', at: daysBefore(2), direction: 'outbound', contactKey: 'c', threadId: 't3' },
          { kind: 'email', at: daysBefore(45), direction: 'outbound', contactKey: 'c', threadId: 't4' }, // outside 30 d
        ],
      },
    ]);
    const s = r.signals.get(ids.get('acme') as string);
    expect(s?.['engagement.emailResponseHours']).toBe(171);
    expect(s?.['engagement.daysSinceLastCsmTouch']).toBe(9);
  });

  it('given 3 meetings held, 1 no-show, 1 canceled and 1 still scheduled in the last 90 days, then attendance is 0.75', async () => {
    f = await fake();
    const { r, ids } = await read([
      {
        key: 'acme',
        name: 'Acme',
        domain: 'acme.example',
        contacts: people,
        activities: [
          { kind: 'meeting', at: daysBefore(80), contactKeys: ['a'], outcome: 'completed' },
          { kind: 'meeting', at: daysBefore(50), contactKeys: ['a', 'b'], outcome: 'completed' },
          { kind: 'meeting', at: daysBefore(20), contactKeys: ['b'], outcome: 'completed' },
          { kind: 'meeting', at: daysBefore(10), contactKeys: ['c'], outcome: 'no_show' },
          { kind: 'meeting', at: daysBefore(5), contactKeys: ['c'], outcome: 'canceled' },
          { kind: 'meeting', at: daysBefore(1), contactKeys: ['c'], outcome: 'scheduled' },
          { kind: 'meeting', at: daysBefore(120), contactKeys: ['c'], outcome: 'no_show' }, // outside 90 d
        ],
      },
    ]);
    const s = r.signals.get(ids.get('acme') as string);
    expect(s?.['engagement.meetingAttendance']).toBe(0.75);
    expect(s?.['engagement.daysSinceLastCsmTouch']).toBe(20);
    expect(s).not.toHaveProperty('engagement.emailResponseHours');
  });

  it('given activity dated after the run day, when read as of that day, then it does not count', async () => {
    f = await fake();
    const { r, ids } = await read([
      {
        key: 'acme',
        name: 'Acme',
        domain: 'acme.example',
        contacts: people,
        activities: [
          { kind: 'call', at: daysBefore(40), contactKey: 'a', connected: true },
          { kind: 'call', at: new Date(Date.parse(AS_OF) + 86_400_000).toISOString(), contactKey: 'b', connected: true },
        ],
      },
    ]);
    const s = r.signals.get(ids.get('acme') as string);
    expect(s?.['engagement.daysSinceLastCsmTouch']).toBe(40);
    expect(s?.['relationship.engagedContacts30d']).toBe(0);
  });
});

describe('company properties', () => {
  it('given the CSM’s fields, NPS, plan, ROI, renewal and contract start, then each maps to its signal as of the day', async () => {
    f = await fake();
    const { r, ids } = await read([
      {
        key: 'acme',
        name: 'Acme',
        domain: 'acme.example',
        contractStart: '2025-03-01',
        renewalDate: '2026-04-15',
        csmSentiment: 'yellow',
        nps: 8,
        successPlanOnTrack: false,
        roiDocumented: true,
      },
    ]);
    expect(r.signals.get(ids.get('acme') as string)).toEqual({
      'relationship.csmSentiment': 'yellow',
      'outcome.nps': 8,
      'outcome.successPlanOnTrack': false,
      'outcome.roiDocumented': true,
      'commercial.daysToRenewal': 45,
      'lifecycle.accountAgeDays': 365,
    });
  });

  it('given the CSM changed sentiment to red after the run day, when read as of that day, then the earlier value is used', async () => {
    f = await fake();
    const ids = f.seedAccounts([{ key: 'acme', name: 'Acme', domain: 'acme.example', contractStart: '2025-01-01', csmSentiment: 'green' }]);
    const id = ids.get('acme') as string;
    f.setProperties('companies', id, { csm_sentiment: 'red' }, '2026-03-10T00:00:00Z');
    const source = connect(f).source;
    const then = await source.read([{ accountId: id, identities: {} }], ctx(AS_OF));
    expect(then.signals.get(id)?.['relationship.csmSentiment']).toBe('green');
    const later = await source.read([{ accountId: id, identities: {} }], ctx('2026-03-11T00:00:00Z'));
    expect(later.signals.get(id)?.['relationship.csmSentiment']).toBe('red');
  });
});

describe('batching and bad records', () => {
  it('given 100 accounts each with contacts, an email, a meeting and a call, when read, then a fixed 15 calls whatever the account count', async () => {
    f = await fake();
    const accounts: SeedAccount[] = Array.from({ length: 100 }, (_, i) => ({
      key: `a${i}`,
      name: `A${i}`,
      domain: `a${i}.example`,
      contacts: [
        { key: 'x', name: 'X Person', email: `x${i}@a.example`, champion: true, inRoleSince: '2025-01-01' },
        { key: 'y', name: 'Y Person', email: `y${i}@a.example` },
      ],
      activities: [
        { kind: 'email', at: daysBefore(3), direction: 'inbound', contactKey: 'x', threadId: `t${i}` },
        { kind: 'meeting', at: daysBefore(4), contactKeys: ['x', 'y'], outcome: 'completed' },
        { kind: 'call', at: daysBefore(5), contactKey: 'y', connected: true },
      ],
    }));
    const { r } = await read(accounts);
    expect(r.signals.size).toBe(100);
    expect([...r.signals.values()].every((s) => s['relationship.engagedContacts30d'] === 2)).toBe(true);
    // companies 2 (50 with history) + company→contacts 1 + contacts 4 (200, 50 with history) + one search each for emails,
    // meetings, calls 3 + their companies 3 + attendees 2
    expect(f.server.log).toHaveLength(15);
    expect(f.server.calls('POST', '/crm/v3/objects/companies/batch/read')).toHaveLength(2);
    expect(f.server.calls('POST', /\/crm\/v3\/objects\/(emails|meetings|calls)\/search/)).toHaveLength(3);
    expect(f.server.calls('POST', /\/crm\/v4\/associations\/companies\/contacts\/batch\/read/)).toHaveLength(1);
  });

  it('given a company with 650 contacts, when read, then its associations are paged (500 per id), contacts read 50 at a time with their history, and the champion among the last ones is found', async () => {
    f = await fake();
    const contacts = Array.from({ length: 650 }, (_, i) => ({ key: `c${i}`, name: `C ${i}`, email: `c${i}@big.example` }));
    const { r, ids } = await read([
      {
        key: 'big',
        name: 'Big',
        domain: 'big.example',
        contacts: contacts.map((c, i) => (i === 640 ? { ...c, champion: true, inRoleSince: '2025-01-01' } : c)),
      },
    ]);
    expect(r.signals.get(ids.get('big') as string)?.['relationship.championStatus']).toBe('active');
    expect(f.server.calls('POST', '/crm/v4/associations/companies/contacts/batch/read')).toHaveLength(2);
    expect(f.server.calls('POST', '/crm/v3/objects/contacts/batch/read')).toHaveLength(13);
  });

  it('given a company whose NPS is not a number and a contact with a broken date, then both are reported with id and reason and the rest is read', async () => {
    f = await fake();
    const ids = f.seedAccounts([
      { key: 'good', name: 'Good', domain: 'good.example', csmSentiment: 'green', contacts: people },
      { key: 'ok', name: 'Ok', domain: 'ok.example', csmSentiment: 'red' },
    ]);
    const bad = f.seedRecord('companies', { properties: { name: 'Bad', nps_score: 'ten out of ten', csm_sentiment: 'green' } });
    const brokenContact = f.seedRecord('contacts', { properties: { email: 'z@good.example' }, raw: { createdAt: 'not-a-date' } });
    f.associate('companies', ids.get('good') as string, 'contacts', brokenContact);
    const r = await connect(f).source.read(
      [...ids.values(), bad].map((accountId) => ({ accountId, identities: {} })),
      ctx(AS_OF),
    );
    expect(r.rejected).toEqual(
      expect.arrayContaining([
        { recordId: bad, reason: expect.stringMatching(/company .* properties\.nps_score: expected a number/) },
        { recordId: brokenContact, reason: expect.stringMatching(/contact .* createdAt/) },
      ]),
    );
    expect(r.rejected).toHaveLength(2);
    expect(r.signals.get(ids.get('good') as string)?.['relationship.csmSentiment']).toBe('green');
    expect(r.signals.get(ids.get('good') as string)?.['relationship.championStatus']).toBe('none');
    expect(r.signals.get(ids.get('ok') as string)?.['relationship.csmSentiment']).toBe('red');
    expect(r.signals.has(bad)).toBe(false);
  });
});
