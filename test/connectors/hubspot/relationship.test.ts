// Relationship signals from HubSpot contacts, through the real SDK against the fake, as of the
// run's day: champion active / new / departed (marked as left, or dissociated) / none, executive
// sponsor engaged, multi-threading, leadership change; with the default contact properties and with
// association labels; and no keys at all for an account HubSpot knows nothing about.
import { afterEach, describe, expect, it } from 'vitest';
import { seedLabels } from '../../../connectors/hubspot/fake/server.ts';
import type { SeedAccount } from '../../../connectors/shared/fake/crm-seed.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { connect, ctx, fake, type HubSpotFake } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

const AS_OF = '2026-03-01T00:00:00.000Z';
const daysBefore = (n: number, from = AS_OF) => new Date(Date.parse(from) - n * 86_400_000).toISOString();

async function signalsOf(account: SeedAccount, asOf = AS_OF, mode: 'properties' | 'labels' = 'properties', overrides = {}) {
  const ids = f.seedAccounts([account], mode);
  const id = ids.get(account.key) as string;
  const r = await connect(f, overrides).source.read([{ accountId: id, identities: {} }], ctx(asOf));
  return r.signals.get(id);
}

const base: Omit<SeedAccount, 'contacts'> = { key: 'acme', name: 'Acme', domain: 'acme.example', contractStart: '2024-01-01' };

describe('champion status', () => {
  it('given the champion left last month and nobody replaced them, then departed — and active when read as of a day before they left', async () => {
    f = await fake();
    const account: SeedAccount = {
      ...base,
      contacts: [
        { key: 'ana', name: 'Ana Champ', email: 'ana@acme.example', champion: true, inRoleSince: '2025-01-10', leftOn: daysBefore(30) },
        { key: 'bo', name: 'Bo User', email: 'bo@acme.example' },
      ],
    };
    const id = f.seedAccounts([account]).get('acme') as string;
    const source = connect(f).source;
    const now = await source.read([{ accountId: id, identities: {} }], ctx(AS_OF));
    expect(now.signals.get(id)?.['relationship.championStatus']).toBe('departed');
    const before = await source.read([{ accountId: id, identities: {} }], ctx(daysBefore(31)));
    expect(before.signals.get(id)?.['relationship.championStatus']).toBe('active');
  });

  it('given a replacement champion in role for 45 days, then new — and active once 90 days in role', async () => {
    f = await fake();
    const account: SeedAccount = {
      ...base,
      contacts: [
        { key: 'old', name: 'Old Champ', email: 'old@acme.example', champion: true, inRoleSince: '2024-02-01', leftOn: daysBefore(60) },
        { key: 'new', name: 'New Champ', email: 'new@acme.example', champion: true, inRoleSince: daysBefore(45) },
      ],
    };
    const id = f.seedAccounts([account]).get('acme') as string;
    const source = connect(f).source;
    expect((await source.read([{ accountId: id, identities: {} }], ctx(AS_OF))).signals.get(id)?.['relationship.championStatus']).toBe(
      'new',
    );
    const later = new Date(Date.parse(AS_OF) + 50 * 86_400_000).toISOString();
    expect((await source.read([{ accountId: id, identities: {} }], ctx(later))).signals.get(id)?.['relationship.championStatus']).toBe(
      'active',
    );
  });

  it('given a champion seen on an earlier run and since dissociated from the company, then departed', async () => {
    f = await fake();
    const account: SeedAccount = {
      ...base,
      contacts: [
        { key: 'ana', name: 'Ana Champ', email: 'ana@acme.example', champion: true, inRoleSince: '2025-01-10' },
        { key: 'bo', name: 'Bo User', email: 'bo@acme.example' },
      ],
    };
    const id = f.seedAccounts([account]).get('acme') as string;
    const source = connect(f).source;
    const state = new MemoryStateStore();
    const first = await source.read([{ accountId: id, identities: {} }], ctx(daysBefore(7), state));
    expect(first.signals.get(id)?.['relationship.championStatus']).toBe('active');
    f.dissociate('companies', id, 'contacts', f.contactId('acme', 'ana') as string);
    const second = await source.read([{ accountId: id, identities: {} }], ctx(AS_OF, state));
    expect(second.signals.get(id)?.['relationship.championStatus']).toBe('departed');
  });

  it('given contacts but none marked champion, then none', async () => {
    f = await fake();
    const s = await signalsOf({ ...base, contacts: [{ key: 'bo', name: 'Bo User', email: 'bo@acme.example' }] });
    expect(s?.['relationship.championStatus']).toBe('none');
  });

  it('given roles held as association labels, when configured so, then the label marks champion and sponsor and "Former employee" marks departure', async () => {
    f = await fake();
    const labels = {
      contact: {
        champion: { kind: 'associationLabel', label: seedLabels.champion },
        execSponsor: { kind: 'associationLabel', label: seedLabels.execSponsor },
        left: { kind: 'associationLabel', label: seedLabels.left },
        roleSinceProperty: 'role_start_date',
      },
    } as const;
    const fresh = await signalsOf(
      {
        ...base,
        contacts: [
          { key: 'old', name: 'Old Champ', email: 'old@acme.example', champion: true, inRoleSince: '2024-02-01', leftOn: daysBefore(60) },
          { key: 'new', name: 'New Champ', email: 'new@acme.example', champion: true, inRoleSince: daysBefore(20) },
        ],
      },
      AS_OF,
      'labels',
      labels,
    );
    expect(fresh?.['relationship.championStatus']).toBe('new');
    const gone = await signalsOf(
      {
        ...base,
        key: 'gone',
        contacts: [
          { key: 'old', name: 'Old Champ', email: 'old2@acme.example', champion: true, inRoleSince: '2024-02-01', leftOn: daysBefore(60) },
        ],
      },
      AS_OF,
      'labels',
      labels,
    );
    expect(gone?.['relationship.championStatus']).toBe('departed');
  });
});

describe('sponsor, threading, leadership', () => {
  it('given four customer contacts talking with us in the last 30 days, then engagedContacts30d counts exactly those four', async () => {
    f = await fake();
    const s = await signalsOf({
      ...base,
      contacts: ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => ({ key: k, name: `Person ${k}`, email: `${k}@acme.example` })),
      activities: [
        { kind: 'email', at: daysBefore(3), direction: 'inbound', contactKey: 'a', threadId: 't1' },
        { kind: 'meeting', at: daysBefore(10), contactKeys: ['b', 'c'], outcome: 'completed' },
        { kind: 'call', at: daysBefore(12), contactKey: 'd', connected: true },
        { kind: 'email', at: daysBefore(2), direction: 'outbound', contactKey: 'e', threadId: 't2' }, // one-way
        { kind: 'call', at: daysBefore(4), contactKey: 'e', connected: false }, // not connected
        { kind: 'email', at: daysBefore(40), direction: 'inbound', contactKey: 'f', threadId: 't3' }, // too old
        { kind: 'meeting', at: daysBefore(5), contactKeys: ['f'], outcome: 'no_show' },
      ],
    });
    expect(s?.['relationship.engagedContacts30d']).toBe(4);
  });

  it('given the executive sponsor attended a meeting 60 days ago, then engaged; given only a no-show, then not', async () => {
    f = await fake();
    const sponsor = { key: 'vp', name: 'Vera Sponsor', email: 'vera@acme.example', title: 'VP Operations', execSponsor: true };
    const met = await signalsOf({
      ...base,
      contacts: [sponsor],
      activities: [{ kind: 'meeting', at: daysBefore(60), contactKeys: ['vp'], outcome: 'completed' }],
    });
    expect(met?.['relationship.execSponsorEngaged']).toBe(true);
    const missed = await signalsOf({
      ...base,
      key: 'missed',
      contacts: [{ ...sponsor, email: 'vera2@acme.example' }],
      activities: [
        { kind: 'meeting', at: daysBefore(20), contactKeys: ['vp'], outcome: 'no_show' },
        { kind: 'meeting', at: daysBefore(120), contactKeys: ['vp'], outcome: 'completed' },
      ],
    });
    expect(missed?.['relationship.execSponsorEngaged']).toBe(false);
  });

  it('given a new CFO 30 days ago, then a leadership change; given executives there since before the account began, then none', async () => {
    f = await fake();
    const changed = await signalsOf({
      ...base,
      contacts: [
        { key: 'ceo', name: 'Long Time', email: 'ceo@acme.example', title: 'CEO' },
        { key: 'cfo', name: 'New Cfo', email: 'cfo@acme.example', title: 'Chief Financial Officer', executiveSince: daysBefore(30) },
      ],
    });
    expect(changed?.['relationship.leadershipChange90d']).toBe(true);
    const steady = await signalsOf({
      ...base,
      key: 'steady',
      contacts: [
        { key: 'ceo', name: 'Long Time', email: 'ceo2@acme.example', title: 'CEO' },
        { key: 'cfo', name: 'Old Cfo', email: 'cfo2@acme.example', title: 'CFO', executiveSince: '2023-06-01' },
        { key: 'ea', name: 'New Assistant', email: 'ea@acme.example', title: 'Executive Assistant', executiveSince: daysBefore(10) },
      ],
    });
    expect(steady?.['relationship.leadershipChange90d']).toBe(false);
  });
});

describe('absent data', () => {
  it('given a company with no contacts, engagements or signal properties, then it has no keys at all (unknown, not zero)', async () => {
    f = await fake();
    const ids = f.seedAccounts([{ key: 'bare', name: 'Bare', domain: 'bare.example' }]);
    const id = ids.get('bare') as string;
    const r = await connect(f).source.read([{ accountId: id, identities: {} }], ctx(AS_OF));
    expect(r.signals.has(id)).toBe(false);
    expect(r.unmatched).toEqual([]);
    expect(r.rejected).toEqual([]);
  });

  it('given a long-standing account with contacts but no engagements in 90 days, then relationship keys from contacts and "no two-way touch in 90 days", no other engagement keys', async () => {
    f = await fake();
    const s = await signalsOf({ ...base, contacts: [{ key: 'bo', name: 'Bo User', email: 'bo@acme.example' }] });
    expect(s).toEqual({
      'lifecycle.accountAgeDays': expect.any(Number),
      'relationship.championStatus': 'none',
      'relationship.execSponsorEngaged': false,
      'relationship.leadershipChange90d': false,
      'engagement.daysSinceLastCsmTouch': 90,
    });
  });

  it('given an account created in HubSpot 10 days ago with contacts and no engagements, then the days since the last touch stay unknown', async () => {
    f = await fake();
    const s = await signalsOf({
      ...base,
      contractStart: daysBefore(10),
      contacts: [{ key: 'bo', name: 'Bo User', email: 'bo@acme.example', inRoleSince: daysBefore(10) }],
    });
    expect(s?.['relationship.championStatus']).toBe('none');
    expect(s).not.toHaveProperty('engagement.daysSinceLastCsmTouch');
  });

  it('given ids HubSpot does not have, then they are reported unmatched with a reason', async () => {
    f = await fake();
    const r = await connect(f).source.read(
      [
        { accountId: '999999', identities: {} },
        { accountId: 'acme-salesforce-id', identities: {} },
      ],
      ctx(AS_OF),
    );
    expect(r.unmatched).toEqual([
      { accountId: 'acme-salesforce-id', reason: expect.stringMatching(/not a HubSpot company id/) },
      { accountId: '999999', reason: expect.stringMatching(/no such company/) },
    ]);
    expect(r.signals.size).toBe(0);
  });
});
