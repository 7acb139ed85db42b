// The Mixpanel usage source's public surface: the source factory and its config, the client, and
// the fake server tests and the demo seed.
export { MixpanelClient } from './client.ts';
export { MIXPANEL_HOSTS, type MixpanelConfig, type MixpanelConfigInput, mixpanelConfigSchema } from './config.ts';
export {
  type DailyUsersSeed,
  type FakeMixpanelRequest,
  fakeDay,
  type MixpanelFake,
  type MixpanelFakeOptions,
  type MixpanelSeedEvent,
  startMixpanelFake,
} from './fake-mixpanel.ts';
export { createMixpanelSource, META_KEY, type MixpanelSource, type MixpanelSyncMeta, type MixpanelSyncReport } from './source.ts';
export type { GroupUsage } from './usage-aggregate.ts';
