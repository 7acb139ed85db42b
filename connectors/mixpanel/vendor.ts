// Mixpanel's registry entry: usage signals from a fixed handful of queries per run, read with a
// service account, joined to the CRM by the group key the CRM holds.

import type { SourceVendor } from '../shared/vendor.ts';
import { mixpanelConfigSchema, mixpanelRenamedKeys } from './config.ts';
import { createMixpanelSource } from './source.ts';

export const mixpanelVendor: SourceVendor<'mixpanel'> = {
  id: 'mixpanel',
  kind: 'source',
  configSchema: mixpanelConfigSchema,
  renamedKeys: mixpanelRenamedKeys,
  secret: {
    path: ['serviceAccount', 'secret'],
    env: 'MIXPANEL_SERVICE_ACCOUNT_SECRET',
    holds: "the service account's secret",
    defaultSecretName: 'healthscore/mixpanel',
    placeholder: 'placeholder',
  },
  signals: ['usage.trend14d', 'usage.daysSinceLastActive', 'usage.featureAdoption', 'usage.stickiness', 'mixpanel.activeUsers30d'],
  identityField: 'mixpanelGroupKey',
  createSource: async (section) => createMixpanelSource(section as never),
};
