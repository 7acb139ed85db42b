// The Mixpanel usage source's public surface: the source factory, its config and the client. The
// fake lives in fake/ and is imported from there by the tests, the demo and the bench only.
export { MixpanelClient } from './client.ts';
export { MIXPANEL_HOSTS, type MixpanelConfig, type MixpanelConfigInput, mixpanelConfigSchema } from './config.ts';
export { createMixpanelSource, META_KEY, type MixpanelSource, type MixpanelSyncMeta, type MixpanelSyncReport } from './source.ts';
export type { GroupUsage } from './usage-aggregate.ts';
