import { afterEach, describe, expect, it } from 'vitest';
import { salesforceMappingSchema } from '../../../connectors/salesforce/config.ts';
import type { SeedAccount } from '../../../connectors/shared/fake/crm-seed.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { type Org, queryCalls, startOrg } from './support.ts';

const asOf = new Date('2026-03-01T12:00:00Z');
const daysBefore = (days: number, hours = 0): string => new Date(asOf.getTime() - days * 86_400_000 + hours * 3_600_000).toISOString();
const dateBefore = (days: number): string => daysBefore(days).slice(0, 10);

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

async function signalsFor(accounts: SeedAccount[], at = asOf) {
  org ??= await startOrg();
  const ids = org.fake.seedAccounts(accounts);
  const refs = [...ids.values()].map((accountId) => ({ accountId, identities: {} }));
  const result = await org.connector.source.read(refs, { asOf: at, state: new MemoryStateStore() });
  return { ids, result, of: (key: string) => result.signals.get(ids.get(key) as string) };
}

const champion = (key: string, extra: Partial<NonNullable<SeedAccount['contacts']>[number]> = {}) => ({
  key,
  name: `${key} Champion`,
  email: `${key}@customer.example`,
  champion: true,
  inRoleSince: dateBefore(400),
  ...extra,
});

describe('Salesforce relationship and engagement signals', () => {
  it('given the only champion left 20 days ago, when read, then the champion is departed; read before she left, she is active', async () => {
    const account: SeedAccount = {
      key: 'acme',
      name: 'Acme',
      domain: 'acme.example',
      contacts: [champion('ann', { leftOn: dateBefore(20) })],
    };
    const now = await signalsFor([account]);
    expect(now.of('acme')?.['relationship.championStatus']).toBe('departed');
    const before = await org?.connector.source.read([{ accountId: now.ids.get('acme') as string, identities: {} }], {
      asOf: new Date(asOf.getTime() - 30 * 86_400_000),
      state: new MemoryStateStore(),
    });
    expect(before?.signals.get(now.ids.get('acme') as string)?.['relationship.championStatus']).toBe('active');
  });

  it('given the champion left and a replacement took the role 30 days ago, when read, then the champion is new; 70 days later it is active', async () => {
    const account: SeedAccount = {
      key: 'acme',
      name: 'Acme',
      domain: 'acme.example',
      contacts: [champion('ann', { leftOn: dateBefore(60) }), champion('bob', { inRoleSince: dateBefore(30) })],
    };
    const now = await signalsFor([account]);
    expect(now.of('acme')?.['relationship.championStatus']).toBe('new');
    const later = await org?.connector.source.read([{ accountId: now.ids.get('acme') as string, identities: {} }], {
      asOf: new Date(asOf.getTime() + 70 * 86_400_000),
      state: new MemoryStateStore(),
    });
    expect(later?.signals.get(now.ids.get('acme') as string)?.['relationship.championStatus']).toBe('active');
  });

  it('given a multi-threaded account, when read, then engaged contacts, sponsor engagement, reply time, attendance and touch recency reflect its activity', async () => {
    const people = ['ann', 'bob', 'cat', 'dan'].map((k) => ({ key: k, name: `${k} Person`, email: `${k}@multi.example` }));
    const account: SeedAccount = {
      key: 'multi',
      name: 'Multi',
      domain: 'multi.example',
      contacts: [
        champion('ann'),
        ...people.slice(1),
        { key: 'eve', name: 'Eve Exec', email: 'eve@multi.example', execSponsor: true, title: 'CFO' },
      ],
      activities: [
        { kind: 'email', at: daysBefore(10), direction: 'outbound', contactKey: 'ann', threadId: 't1' },
        { kind: 'email', at: daysBefore(10, 6), direction: 'inbound', contactKey: 'ann', threadId: 't1' },
        { kind: 'email', at: daysBefore(8), direction: 'outbound', contactKey: 'bob', threadId: 't2' },
        { kind: 'email', at: daysBefore(8, 30), direction: 'inbound', contactKey: 'bob', threadId: 't2' },
        { kind: 'email', at: daysBefore(6), direction: 'outbound', contactKey: 'cat', threadId: 't3' },
        { kind: 'email', at: daysBefore(6, 2), direction: 'inbound', contactKey: 'cat', threadId: 't3' },
        { kind: 'meeting', at: daysBefore(3), contactKeys: ['dan', 'eve'], outcome: 'completed' },
        { kind: 'meeting', at: daysBefore(40), contactKeys: ['ann'], outcome: 'completed' },
        { kind: 'meeting', at: daysBefore(50), contactKeys: ['bob'], outcome: 'completed' },
        { kind: 'meeting', at: daysBefore(60), contactKeys: ['cat'], outcome: 'no_show' },
        { kind: 'meeting', at: daysBefore(-5), contactKeys: ['ann'], outcome: 'scheduled' },
        { kind: 'call', at: daysBefore(2), contactKey: 'bob', connected: false },
        { kind: 'note', at: daysBefore(1), body: 'Internal note' },
      ],
    };
    const { of } = await signalsFor([account]);
    expect(of('multi')).toMatchObject({
      'relationship.championStatus': 'active',
      'relationship.engagedContacts30d': 5,
      'relationship.execSponsorEngaged': true,
      'relationship.leadershipChange90d': false,
      'engagement.emailResponseHours': 6,
      'engagement.meetingAttendance': 0.75,
      'engagement.daysSinceLastCsmTouch': 3,
    });
  });

  it('given our emails unanswered for 14 days and a sponsor last heard from 100 days ago, when read, then reply time is 336 hours and the sponsor is not engaged', async () => {
    const account: SeedAccount = {
      key: 'quiet',
      name: 'Quiet',
      domain: 'quiet.example',
      contacts: [{ key: 'eve', name: 'Eve Exec', email: 'eve@quiet.example', execSponsor: true, executiveSince: dateBefore(45) }],
      activities: [
        { kind: 'meeting', at: daysBefore(100), contactKeys: ['eve'], outcome: 'completed' },
        { kind: 'email', at: daysBefore(20), direction: 'outbound', contactKey: 'eve', threadId: 'q1' },
        { kind: 'email', at: daysBefore(3), direction: 'outbound', contactKey: 'eve', threadId: 'q2' },
      ],
    };
    const { of } = await signalsFor([account]);
    expect(of('quiet')).toMatchObject({
      'engagement.emailResponseHours': 336,
      'relationship.execSponsorEngaged': false,
      'relationship.leadershipChange90d': true,
      'relationship.championStatus': 'none',
      'relationship.engagedContacts30d': 0,
      'engagement.daysSinceLastCsmTouch': 100,
    });
    expect(of('quiet')).not.toHaveProperty('engagement.meetingAttendance');
  });

  it('given Account fields for renewal, contract start, sentiment, NPS, plan and ROI, when read, then each maps to its signal as of the run date', async () => {
    const account: SeedAccount = {
      key: 'fields',
      name: 'Fields',
      domain: 'fields.example',
      contractStart: '2025-03-01',
      renewalDate: '2026-04-15',
      csmSentiment: 'yellow',
      nps: 7,
      successPlanOnTrack: false,
      roiDocumented: true,
    };
    const { of } = await signalsFor([account]);
    expect(of('fields')).toEqual({
      'commercial.daysToRenewal': 45,
      'lifecycle.accountAgeDays': 365,
      'relationship.csmSentiment': 'yellow',
      'outcome.nps': 7,
      'outcome.successPlanOnTrack': false,
      'outcome.roiDocumented': true,
    });
  });

  it('given an account with no CRM data and one with only a renewal date, when read, then the first has no keys and the second only its renewal', async () => {
    const { of, result, ids } = await signalsFor([
      { key: 'empty', name: 'Empty', domain: 'empty.example' },
      { key: 'renewal', name: 'Renewal', domain: 'renewal.example', renewalDate: '2026-06-01' },
    ]);
    expect(result.signals.has(ids.get('empty') as string)).toBe(false);
    expect(of('renewal')).toEqual({ 'commercial.daysToRenewal': 92 });
    expect(result.unmatched).toEqual([]);
  });

  it('given a batch of 120 accounts with contacts and activity, when read, then it costs eight queries (six on the accounts, then contact roles and meeting attendees by id)', async () => {
    const accounts: SeedAccount[] = Array.from({ length: 120 }, (_, i) => ({
      key: `k${i}`,
      name: `Batch ${i}`,
      domain: `batch${i}.example`,
      contacts: [champion(`c${i}`)],
      activities: [{ kind: 'meeting', at: daysBefore(5), contactKeys: [`c${i}`], outcome: 'completed' }],
    }));
    const { result } = await signalsFor(accounts);
    expect(result.signals.size).toBe(120);
    expect(org ? queryCalls(org.fake) : []).toHaveLength(8);
  });

  it('given a contact whose role date holds free text and an unknown account id, when read, then the contact is rejected with id and reason, the id is unmatched, and the rest is mapped', async () => {
    org = await startOrg();
    const ids = org.fake.seedAccounts([{ key: 'acme', name: 'Acme', domain: 'acme.example', contacts: [champion('ann')] }]);
    const acme = ids.get('acme') as string;
    const bad = org.fake.insert(
      'Contact',
      { AccountId: acme, LastName: 'Typo', Email: 'typo@acme.example', Role_Start_Date__c: 'last spring' },
      new Date('2025-01-01'),
    );
    const ghost = '001Hs0000009999ZZZ';
    const result = await org.connector.source.read(
      [
        { accountId: acme, identities: {} },
        { accountId: ghost, identities: {} },
        { accountId: 'not-an-id', identities: {} },
      ],
      { asOf, state: new MemoryStateStore() },
    );
    expect(result.rejected).toEqual([{ recordId: bad, reason: expect.stringMatching(/Role_Start_Date__c: not a date/) }]);
    expect(result.signals.get(acme)?.['relationship.championStatus']).toBe('active');
    expect(result.unmatched.map((u) => u.accountId).sort()).toEqual([ghost, 'not-an-id'].sort());
  });

  it('given an org that marks champions in a multi-select role picklist and has Shared Activities off, when read with that mapping, then roles and meeting contacts follow it', async () => {
    const mapping = salesforceMappingSchema.parse({
      contact: {
        champion: { field: 'Contact_Roles__c', value: 'Champion' },
        execSponsor: { field: 'Contact_Roles__c', value: 'Executive Sponsor' },
      },
      activity: { sharedActivities: false },
    });
    org = await startOrg({ mapping }, { mapping });
    const account: SeedAccount = {
      key: 'custom',
      name: 'Custom',
      domain: 'custom.example',
      contacts: [champion('ann'), { key: 'eve', name: 'Eve Exec', email: 'eve@custom.example', execSponsor: true }],
      activities: [{ kind: 'meeting', at: daysBefore(4), contactKeys: ['ann', 'eve'], outcome: 'completed' }],
    };
    const { of } = await signalsFor([account]);
    expect(of('custom')).toMatchObject({
      'relationship.championStatus': 'active',
      'relationship.engagedContacts30d': 1,
      'relationship.execSponsorEngaged': false,
    });
    // Six queries on the accounts and the contact roles by opportunity id; no attendees without Shared Activities.
    expect(org ? queryCalls(org.fake) : []).toHaveLength(7);
  });
});
