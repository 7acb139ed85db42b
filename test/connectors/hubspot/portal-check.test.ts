// The mapping checked against the portal: association labels must exist from companies to contacts
// (setup and the run's plan fail naming the label and the labels that exist), a plain portal runs on
// the defaults from standard properties only, and each mapped property a portal lacks is named.
import { afterEach, describe, expect, it } from 'vitest';
import { seedLabels } from '../../../connectors/hubspot/fake/server.ts';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import { connect, ctx, fake, type HubSpotFake } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

const AS_OF = '2026-03-01T00:00:00.000Z';
const labelled = (champion: string) =>
  ({
    contact: {
      champion: { kind: 'associationLabel', label: champion },
      execSponsor: { kind: 'associationLabel', label: seedLabels.execSponsor },
    },
  }) as const;

describe('association labels', () => {
  it('given a mistyped champion label, when setup runs, then it fails naming the label and the labels that exist, and creates nothing', async () => {
    f = await fake();
    f.seedAccounts([{ key: 'acme', name: 'Acme', domain: 'acme.example' }], 'labels');
    const err = await connect(f, labelled('Champoin'))
      .setup()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/contact\.champion: no company→contact association label "Champoin"/);
    expect((err as Error).message).toContain('"Champion", "Executive sponsor", "Former employee"');
    expect(f.propertyGroup('healthscore')).toBeUndefined();
  });

  it('given a label named by its contact→company side, when the run plans (sync), then it fails saying to name the company→contact side', async () => {
    f = await fake();
    f.store.defineLabel('companies', 'contacts', 'Champion', 'Champion at');
    f.store.defineLabel('companies', 'contacts', seedLabels.execSponsor);
    const source = connect(f, labelled('Champion at')).source;
    await expect(source.sync?.(ctx(AS_OF))).rejects.toThrow(/"Champion at" is the contact→company side of a label pair/);
  });

  it('given labels that exist (any case), when setup runs, then it passes and champions are read from them', async () => {
    f = await fake();
    const ids = f.seedAccounts(
      [
        {
          key: 'acme',
          name: 'Acme',
          domain: 'acme.example',
          contacts: [{ key: 'c', name: 'C Champ', email: 'c@acme.example', champion: true, inRoleSince: '2025-01-01' }],
        },
      ],
      'labels',
    );
    const connector = connect(f, labelled('champion'));
    await expect(connector.setup()).resolves.toMatchObject({ created: expect.arrayContaining(['healthscore_score']) });
    const r = await connector.source.read([{ accountId: ids.get('acme') as string, identities: {} }], ctx(AS_OF));
    expect(r.signals.get(ids.get('acme') as string)?.['relationship.championStatus']).toBe('active');
  });
});

describe('a plain portal', () => {
  const account = {
    key: 'acme',
    name: 'Acme',
    domain: 'acme.example',
    contractStart: '2024-03-01',
    renewalDate: '2026-06-01',
    nps: 9,
    contacts: [{ key: 'c', name: 'C Champ', email: 'c@acme.example', champion: true, inRoleSince: '2025-01-01' }],
  };

  it('given a fresh portal and the default mapping, when set up and read, then nothing is missing and the standard properties give champion and account age', async () => {
    f = await fake({ portal: 'plain' });
    const ids = f.seedAccounts([account]);
    const connector = connect(f, { company: {}, contact: {} });
    const setup = await connector.setup();
    expect(setup.created).toEqual(expect.arrayContaining(['healthscore_override_score', 'healthscore_score']));
    expect(setup.warnings).toBeUndefined();
    expect(await connector.source.sync?.(ctx(AS_OF))).toEqual({ records: 0, rejected: [] });
    const id = ids.get('acme') as string;
    const [listed] = (await connector.listAccounts()[Symbol.asyncIterator]().next()).value?.accounts ?? [];
    expect(listed).toMatchObject({ accountId: id, domain: 'acme.example', identities: {} });
    const signals = (await connector.source.read([{ accountId: id, identities: {} }], ctx(AS_OF))).signals.get(id);
    expect(signals).toMatchObject({ 'relationship.championStatus': 'active', 'lifecycle.accountAgeDays': 730 });
    expect(signals).not.toHaveProperty('commercial.daysToRenewal');
  });

  it('given a fresh portal and a mapping of custom properties it lacks, when set up and synced, then each missing property is named with its config key and signal', async () => {
    f = await fake({ portal: 'plain' });
    f.seedAccounts([account]);
    const connector = connect(f, {
      company: { renewalDate: 'renewal_date', nps: 'nps_score', identities: { stripeCustomerId: 'stripe_customer_id' } },
      contact: { left: { kind: 'property', property: 'left_company_on' } },
    });
    const setup = await connector.setup();
    const sync = await connector.source.sync?.(ctx(AS_OF));
    for (const warnings of [setup.warnings, sync?.warnings]) {
      expect(warnings).toHaveLength(4);
      expect(warnings?.join('\n')).toContain(
        'company property "renewal_date" (company.renewalDate, for commercial.daysToRenewal) does not exist',
      );
      expect(warnings?.join('\n')).toContain('company property "nps_score" (company.nps, for outcome.nps)');
      expect(warnings?.join('\n')).toContain('company property "stripe_customer_id" (company.identities.stripeCustomerId');
      expect(warnings?.join('\n')).toContain('contact property "left_company_on" (contact.left');
    }
  });
});
