// Salesforce in a local world: the fake org (customized unless a test asks for a standard one), and
// the connector signing in to it with the client credentials flow, as an unattended run would.
import type { LocalFakeEntry, LocalWorld } from '../../shared/local-fake.ts';
import { localRetry } from '../../shared/local-fake.ts';
import type { SalesforceMappingInput } from '../config.ts';
import type { SalesforceConfigInput } from '../connector.ts';
import { customizedOrgMapping, customizedOrgMappingInput } from './seed.ts';
import { type SalesforceFake, type SalesforceFakeOptions, startSalesforceFake } from './server.ts';

export interface SalesforceLocalKnobs {
  /** The Salesforce org's settings (session timeout, connected app, a standard org, its features...). */
  salesforceFake?: SalesforceFakeOptions;
  /** How the connector authenticates to that org; the client credentials flow, as an unattended run would, by default. */
  salesforceAuth?: (fake: SalesforceFake) => Pick<SalesforceConfigInput, 'auth' | 'secret' | 'instanceUrl'>;
  /** The Salesforce mapping (default: the customized org's; the connector's defaults on a standard org). */
  salesforceMapping?: SalesforceMappingInput;
}

const clientCredentials = (fake: SalesforceFake): Pick<SalesforceConfigInput, 'auth' | 'secret'> => ({
  auth: { flow: 'clientCredentials', clientId: fake.app.consumerKey, myDomainUrl: fake.instanceUrl },
  secret: JSON.stringify({ clientSecret: fake.app.consumerSecret }),
});

/** The customized org's mapping without the Stripe and Zendesk id fields (joined by domain instead). */
const joinedByDomain = { ...customizedOrgMapping, identity: { mixpanelGroupKey: customizedOrgMapping.identity.mixpanelGroupKey } };

function mappingFor(world: LocalWorld): SalesforceMappingInput {
  const knobs = world.knobs as SalesforceLocalKnobs;
  if (knobs.salesforceMapping) return knobs.salesforceMapping;
  if (knobs.salesforceFake?.standard) return {};
  return world.joinBy === 'domain' ? joinedByDomain : customizedOrgMapping;
}

export const salesforceLocalFake: LocalFakeEntry<SalesforceFake> = {
  id: 'salesforce',
  async start(world) {
    const knobs = world.knobs as SalesforceLocalKnobs;
    const fake = await startSalesforceFake(knobs.salesforceFake);
    return {
      fake,
      connector: { ...(knobs.salesforceAuth ?? clientCredentials)(fake), retry: localRetry, mapping: mappingFor(world) },
      runConfig: { instanceUrl: fake.instanceUrl, mapping: customizedOrgMappingInput },
      // An access token goes under the older variable the Salesforce connector still reads.
      secret: fake.accessToken,
      underLegacyEnv: true,
      requests: fake.server.log,
      close: () => fake.close(),
    };
  },
};
