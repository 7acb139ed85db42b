// Zendesk in a local world: the fake help desk, and the source reading it with the plan's and the
// incremental exports' limits compressed by the world's scale.
import type { LocalFakeEntry } from '../../shared/local-fake.ts';
import { localRetry } from '../../shared/local-fake.ts';
import { startZendeskFake, type ZendeskFake } from './server.ts';

export const zendeskLocalFake: LocalFakeEntry<ZendeskFake> = {
  id: 'zendesk',
  async start(world) {
    const fake = await startZendeskFake({ clockScale: world.scale });
    return {
      fake,
      connector: {
        username: fake.username,
        apiToken: fake.token,
        baseUrl: fake.endpointUri,
        rateLimit: { requests: 200, perMs: 60_000 / world.scale, incremental: { requests: 10, perMs: 60_000 / world.scale } },
        retry: localRetry,
      },
      runConfig: { username: fake.username, baseUrl: fake.endpointUri },
      secret: fake.token,
      requests: fake.server.log,
      close: () => fake.close(),
    };
  },
};
