// Slack in a local world: the fake incoming webhook, and the notifier posting to it with its
// one-message-per-second window compressed by the world's scale. The run config holds no Slack
// section (the webhook URL is the whole secret).
import type { LocalFakeEntry } from '../../shared/local-fake.ts';
import { type SlackFake, startSlackFake } from './server.ts';

export const slackLocalFake: LocalFakeEntry<SlackFake> = {
  id: 'slack',
  as: 'slackFake',
  async start(world) {
    const fake = await startSlackFake();
    return {
      fake,
      connector: { webhookUrl: fake.webhookUrl, windowMs: Math.max(1, Math.round(1000 / world.scale)) },
      secret: fake.webhookUrl,
      requests: fake.server.log,
      close: () => fake.close(),
    };
  },
};
