// Slack's registry entry: an alert channel whose only secret is the incoming webhook URL.
import type { ChannelVendor } from '../shared/vendor.ts';
import { createSlackNotifier, slackConfigSchema } from './webhook.ts';

export const slackVendor: ChannelVendor<'slack'> = {
  id: 'slack',
  kind: 'channel',
  configSchema: slackConfigSchema,
  secret: {
    path: ['webhookUrl'],
    env: 'SLACK_WEBHOOK_URL',
    holds: 'the incoming webhook URL',
    defaultSecretName: 'healthscore/slack',
    placeholder: 'https://hooks.slack.com/services/placeholder',
  },
  createChannel: async (section) => createSlackNotifier(section as never),
};
