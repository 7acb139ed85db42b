// Stripe in a local world: the fake account, and the source reading it with test-key limits
// compressed by the world's scale.
import type { LocalFakeEntry } from '../../shared/local-fake.ts';
import { localRetry } from '../../shared/local-fake.ts';
import { type StripeFake, startStripeFake } from './server.ts';

export const stripeLocalFake: LocalFakeEntry<StripeFake> = {
  id: 'stripe',
  async start(world) {
    const fake = await startStripeFake({ clockScale: world.scale });
    return {
      fake,
      connector: {
        apiKey: fake.apiKey,
        baseUrl: fake.url,
        rateLimit: { requests: 20, perMs: 1000 / world.scale, safety: 0, perEndpoint: { perMs: 1000 / world.scale } },
        retry: localRetry,
      },
      runConfig: { baseUrl: fake.url },
      secret: fake.apiKey,
      requests: fake.server.log,
      close: () => fake.close(),
    };
  },
};
