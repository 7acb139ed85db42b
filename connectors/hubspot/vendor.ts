// HubSpot's registry entry: the CRM, its private app token and the signals its mapping reads.

import { CRM_SIGNALS } from '../shared/crm-signals.ts';
import type { CrmVendor } from '../shared/vendor.ts';
import { hubSpotConfigSchema, hubSpotRenamedKeys } from './config.ts';
import { createHubSpotConnector } from './connector.ts';

export const hubspotVendor: CrmVendor<'hubspot'> = {
  id: 'hubspot',
  kind: 'crm',
  configSchema: hubSpotConfigSchema,
  renamedKeys: hubSpotRenamedKeys,
  secret: {
    path: ['accessToken'],
    env: 'HUBSPOT_ACCESS_TOKEN',
    holds: 'the private app access token',
    defaultSecretName: 'healthscore/hubspot',
    placeholder: 'placeholder',
  },
  signals: CRM_SIGNALS,
  createCrm: async (section) => createHubSpotConnector(section as never),
};
