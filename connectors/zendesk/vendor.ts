// Zendesk's registry entry: support signals from the incremental exports, read with an API token,
// joined to the CRM by the organization id the CRM holds.

import type { SourceVendor } from '../shared/vendor.ts';
import { zendeskConfigSchema, zendeskRenamedKeys } from './config.ts';
import { createZendeskSource } from './zendesk-source.ts';

export const zendeskVendor: SourceVendor<'zendesk'> = {
  id: 'zendesk',
  kind: 'source',
  configSchema: zendeskConfigSchema,
  renamedKeys: zendeskRenamedKeys,
  secret: {
    path: ['apiToken'],
    env: 'ZENDESK_API_TOKEN',
    holds: 'the API token',
    defaultSecretName: 'healthscore/zendesk',
    placeholder: 'placeholder',
  },
  signals: [
    'support.ticketVolumeRatio',
    'support.csat',
    'support.escalations90d',
    'support.activeEscalation',
    'support.openTicketsAged',
    'support.sentiment',
  ],
  identityField: 'zendeskOrganizationId',
  createSource: async (section) => createZendeskSource(section as never),
};
