// Salesforce's registry entry: the CRM, its JSON secret (the keys salesforce.auth.flow needs) and the
// signals its mapping reads.

import { CRM_SIGNALS } from '../shared/crm-signals.ts';
import type { CrmVendor } from '../shared/vendor.ts';
import { salesforceConfigSchema, salesforceRenamedKeys } from './config.ts';
import { createSalesforceConnector } from './connector.ts';

export const salesforceVendor: CrmVendor<'salesforce'> = {
  id: 'salesforce',
  kind: 'crm',
  configSchema: salesforceConfigSchema,
  renamedKeys: salesforceRenamedKeys,
  secret: {
    path: ['secret'],
    env: 'SALESFORCE_SECRET',
    legacyEnv: 'SALESFORCE_ACCESS_TOKEN',
    holds: 'a JSON object with the keys salesforce.auth.flow needs (privateKey, clientSecret, refreshToken or accessToken)',
    defaultSecretName: 'healthscore/salesforce',
    placeholder: 'placeholder',
  },
  signals: CRM_SIGNALS,
  createCrm: async (section) => createSalesforceConnector(section as never),
};
