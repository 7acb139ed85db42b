// `healthscore check`'s HubSpot findings on the mapped properties' definitions, against the fake: a
// property whose type does not hold what the connector reads fails naming property, type, expected
// type and fix; the scope property must exist and its values be options of it; and the first page
// of the listing says how many companies are in scope.
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotCheck } from '../../../connectors/hubspot/check.ts';
import type { HubSpotConfigInput } from '../../../connectors/hubspot/config.ts';
import { seededPortalMapping } from '../../../connectors/hubspot/fake/server.ts';
import type { Finding } from '../../../connectors/shared/check.ts';
import { connectConfig, fake, type HubSpotFake } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

async function inspect(overrides: Partial<HubSpotConfigInput> = {}): Promise<Finding[]> {
  const check = createHubSpotCheck(connectConfig(f, overrides));
  return (await check.inspect({ secretName: 'HUBSPOT_ACCESS_TOKEN', asOf: new Date('2026-03-01T00:00:00Z') })).findings;
}
const mapping = (findings: Finding[], status?: Finding['status']) =>
  findings.filter((x) => x.area === 'mapping' && (status === undefined || x.status === status)).map((x) => x.message);
/** The customized portal's mapping with some company keys replaced. */
const seeded = (company: Record<string, unknown>): Partial<HubSpotConfigInput> => ({
  company: { ...seededPortalMapping.company, ...company },
});

describe('check: property types', () => {
  it('given the customized portal and its mapping, then every mapped type is fine and every company is in scope', async () => {
    f = await fake();
    f.seedAccounts([{ key: 'a', name: 'A', domain: 'a.example' }]);
    const findings = await inspect();
    expect(mapping(findings, 'fail')).toEqual([]);
    expect(mapping(findings)).toContain('every mapped property that exists has a type the connector reads');
    expect(mapping(findings)).toContain('1 of the first 1 companies listed are in scope (lifecyclestage is customer)');
  });

  it('given NPS mapped to a dropdown of words and the renewal date to a text property, then each fails naming property, found type, expected type and fix', async () => {
    f = await fake();
    f.store.defineProperty('companies', { name: 'renewal_text', type: 'string', fieldType: 'text' });
    const findings = await inspect(seeded({ nps: 'csm_sentiment', renewalDate: 'renewal_text' }));
    expect(mapping(findings, 'fail')).toEqual([
      'company property "renewal_text" (company.renewalDate) is of type string, but the connector reads it as date and needs HubSpot type date or datetime: point company.renewalDate at a property of that type, or change this property\'s field type in HubSpot › Settings › Properties',
      'company property "csm_sentiment" (company.nps) is of type enumeration, but the connector reads it as number and needs HubSpot type number (or an enumeration whose options are numbers): point company.nps at a property of that type, or change this property\'s field type in HubSpot › Settings › Properties',
    ]);
  });

  it('given NPS in a dropdown of 0–10 and a Zendesk id in a number property, then both are accepted', async () => {
    f = await fake();
    f.store.defineProperty('companies', {
      name: 'nps_pick',
      type: 'enumeration',
      fieldType: 'select',
      options: Array.from({ length: 11 }, (_, i) => ({ label: String(i), value: String(i), displayOrder: i, hidden: false })),
    });
    f.store.defineProperty('companies', { name: 'zendesk_org_number', type: 'number', fieldType: 'number' });
    const findings = await inspect(seeded({ nps: 'nps_pick', identities: { zendeskOrganizationId: 'zendesk_org_number' } }));
    expect(mapping(findings, 'fail')).toEqual([]);
  });
});

describe('check: scope', () => {
  it('given a scope value that is not a lifecycle stage of the portal, then a warning names it and the options that exist; and none in scope warns', async () => {
    f = await fake();
    f.seedAccounts([{ key: 'a', name: 'A', domain: 'a.example' }]);
    const findings = await inspect(seeded({ scope: { values: ['Customers'] } }));
    // (Besides the warning that setup has not run yet.)
    expect(mapping(findings, 'warn').filter((m) => !m.includes('score properties do not exist yet'))).toEqual([
      'company.scope.values names "Customers", not an option of lifecyclestage, so no company can match it; its options (internal values) are: subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other',
      expect.stringMatching(
        /^none of the first 1 companies listed is in scope \(lifecyclestage is Customers\), e\.g\. \d+: lifecyclestage is "customer", not Customers: check company\.scope, or nothing will be scored$/,
      ),
    ]);
  });

  it('given a scope property the portal lacks, then a failure (not a warning) saying none would be scored', async () => {
    f = await fake();
    const findings = await inspect(seeded({ scope: { property: 'customer_stage' } }));
    expect(mapping(findings, 'fail')).toEqual([
      'company property "customer_stage" (company.scope.property) does not exist in this portal: every company would read as out of scope and none would be scored; name an existing property, or set company.scope to false to score every company',
    ]);
    expect(mapping(findings, 'warn').filter((m) => m.includes('customer_stage'))).toEqual([]);
  });

  it('given prospects among the companies, then a note says how many of the first page are in scope', async () => {
    f = await fake();
    f.seedAccounts([
      { key: 'a', name: 'A', domain: 'a.example' },
      { key: 'b', name: 'B', domain: 'b.example', lifecyclestage: 'lead' },
      { key: 'c', name: 'C', domain: 'c.example', lifecyclestage: 'opportunity' },
    ]);
    const findings = await inspect();
    expect(findings).toContainEqual({
      vendor: 'hubspot',
      area: 'mapping',
      status: 'note',
      message: '1 of the first 3 companies listed are in scope (lifecyclestage is customer); the others are listed and not scored',
    });
  });

  it('given scoping off, then a note says every company is scored', async () => {
    f = await fake();
    const findings = await inspect(seeded({ scope: false }));
    expect(mapping(findings, 'note')).toContain('company.scope is false: every company is scored, prospects and former customers included');
  });
});
