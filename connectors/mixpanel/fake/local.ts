// Mixpanel in a local world: the fake project, and the source reading the world's features from it
// with the query and export limits compressed by the world's scale.
import type { LocalFakeEntry } from '../../shared/local-fake.ts';
import { localRetry } from '../../shared/local-fake.ts';
import { type MixpanelFake, startMixpanelFake } from './server.ts';

export const mixpanelLocalFake: LocalFakeEntry<MixpanelFake> = {
  id: 'mixpanel',
  async start(world) {
    const fake = await startMixpanelFake({ clockScale: world.scale });
    const hour = 3_600_000 / world.scale;
    return {
      fake,
      connector: {
        region: 'us',
        queryBaseUrl: fake.queryBaseUrl,
        exportBaseUrl: fake.exportBaseUrl,
        serviceAccount: fake.serviceAccount,
        projectId: fake.projectId,
        groupKeyProperty: fake.groupKeyProperty,
        activeEvents: ['Session Start'],
        coreFeatures: [...world.features],
        rateLimit: { perMs: hour, export: { perMs: hour }, exportPerSecond: { perMs: 1000 / world.scale } },
        retry: localRetry,
      },
      runConfig: {
        region: 'us',
        queryBaseUrl: fake.queryBaseUrl,
        exportBaseUrl: fake.exportBaseUrl,
        serviceAccount: { username: fake.serviceAccount.username },
        projectId: fake.projectId,
        activeEvents: ['Session Start'],
        coreFeatures: [...world.features],
      },
      secret: fake.serviceAccount.secret,
      requests: fake.server.log,
      close: () => fake.close(),
    };
  },
};
