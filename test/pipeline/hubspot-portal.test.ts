// The run on a HubSpot portal as it comes: a plain portal runs with the default mapping; a mapping
// that names custom properties the portal lacks still runs, and the summary names each of them; a
// mistyped association label stops the plan before anything is scored or written.
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotConnector } from '../../connectors/hubspot/connector.ts';
import type { HubSpotFake } from '../../connectors/hubspot/fake/server.ts';
import { ConfigError } from '../../connectors/shared/errors.ts';
import { formatSummary } from '../../pipeline/run/summary.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const world = { accounts: 6, days: 2 };

describe('a HubSpot portal with only standard properties', () => {
  it('given the default mapping, when a day runs, then every account is scored with signals from the CRM and no mapping warning', async () => {
    h = await startHarness(world, { hubspotPortal: 'plain' });
    const summary = await h.runDay(0);
    expect(summary.complete).toBe(true);
    expect(summary.accounts).toBe(h.world.accounts.length);
    expect(summary.scored).toBe(h.world.accounts.length);
    expect(summary.warnings).toEqual({});
    const [row] = await h.store.history(h.ids.get('demo-0000') as string, h.dayOf(0), h.dayOf(0));
    expect(row?.signals).toHaveProperty('relationship.championStatus');
    expect(row?.signals).toHaveProperty('lifecycle.accountAgeDays');
  });

  it('given a mapping of custom properties the portal lacks, when a day runs, then it completes and the summary names each missing property', async () => {
    h = await startHarness(world, {
      hubspotPortal: 'plain',
      hubspotMapping: { company: { renewalDate: 'renewal_date', csmSentiment: 'csm_sentiment' }, contact: {} },
    });
    const summary = await h.runDay(0);
    expect(summary.complete).toBe(true);
    expect(summary.warnings.hubspot).toEqual([
      expect.stringMatching(/^company property "renewal_date" \(company\.renewalDate, for commercial\.daysToRenewal\) does not exist/),
      expect.stringMatching(/^company property "csm_sentiment" \(company\.csmSentiment, for relationship\.csmSentiment\) does not exist/),
    ]);
    expect(formatSummary(summary)).toContain('WARNING hubspot: company property "renewal_date"');
  });

  it('given a champion association label the portal does not define, when a day runs, then the plan fails with a ConfigError and nothing is written', async () => {
    h = await startHarness(world, { hubspotPortal: 'plain' });
    const fake = h.vendors.hubspot as HubSpotFake;
    h.deps.crm = createHubSpotConnector({
      accessToken: fake.token,
      basePath: fake.url,
      portalId: '4242',
      contact: { champion: { kind: 'associationLabel', label: 'Champion' } },
    });
    await expect(h.runDay(0)).rejects.toThrow(ConfigError);
    await expect(h.runDay(0)).rejects.toThrow(/contact\.champion: no company→contact association label "Champion"/);
    const first = h.ids.get('demo-0000') as string;
    expect(fake.updateCount(first)).toBe(0);
    expect(await h.store.history(first, h.dayOf(0), h.dayOf(0))).toEqual([]);
  });
});
