// Slack alerts through an incoming webhook (https://api.slack.com/messaging/webhooks): one Block Kit
// message per alert with the score, tier, top drivers and a link to the CRM record.
import * as z from 'zod';
import type { ErrorPolicy } from '../shared/error-policy.ts';
import { registerSecret } from '../shared/http-trace.ts';
import { sharedBudget } from '../shared/rate-budget.ts';
import { retryOverridesSchema } from '../shared/retry.ts';
import { policyFetch } from '../shared/transport.ts';

export const slackConfigSchema = z.object({
  webhookUrl: z.url({ message: 'must be the incoming-webhook URL Slack gave you (https://hooks.slack.com/services/...)' }),
  /** Slack accepts about one message per second per webhook; the window shrinks when time is compressed. */
  windowMs: z.number().int().positive().default(1000),
  retry: retryOverridesSchema,
  /** Per-attempt timeout, in milliseconds. */
  timeoutMs: z.int().positive().default(10_000),
});

const REFUSED =
  'the webhook was refused: create a new incoming webhook and update the Slack secret (SLACK_WEBHOOK_URL for the CLI, the slack secret in Secrets Manager for the Lambdas)';

/** Slack's error policy as data: a webhook answers plain-text codes. Docs: https://api.slack.com/messaging/webhooks#handling_errors */
const slackErrorPolicy = (windowMs: number): ErrorPolicy => ({
  vendor: 'slack',
  read: (body) => ({ code: body.trim().split(/\s/)[0] || undefined }),
  rateLimitWaitMs: windowMs,
  rules: [
    { status: [403, 404], kind: 'config', say: REFUSED },
    { status: 410, kind: 'config', say: REFUSED },
    {
      code: /^(no_service|channel_not_found|channel_is_archived|action_prohibited|no_team|team_disabled|invalid_token)$/,
      kind: 'config',
      say: REFUSED,
    },
    { status: 429, kind: 'rateLimited', say: 'rate limited' },
    { status: [500, 599], kind: 'transient', say: 'Slack failed' },
    { status: [400, 499], kind: 'config', say: 'message rejected: check the alert payload' },
  ],
});
export type SlackConfig = z.infer<typeof slackConfigSchema>;

export interface SlackAlert {
  title: string;
  accountName: string;
  score: number | null;
  tier: string;
  drivers: string[];
  /** What changed over the last 7 days, in one sentence. */
  change?: string;
  recordUrl: string;
  due: string;
}

const tierEmoji: Record<string, string> = {
  green: ':large_green_circle:',
  yellow: ':large_yellow_circle:',
  red: ':red_circle:',
  unknown: ':white_circle:',
};

/** The Block Kit payload for one alert; `text` is the notification fallback. */
export function toSlackMessage(a: SlackAlert): Record<string, unknown> {
  const scoreText = `${tierEmoji[a.tier] ?? ''} *${a.score ?? '–'}* (${a.tier})`;
  return {
    text: `${a.title} · score ${a.score ?? '–'} (${a.tier})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: a.title.slice(0, 150), emoji: true } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Account*\n<${a.recordUrl}|${a.accountName}>` },
          { type: 'mrkdwn', text: `*Health score*\n${scoreText}` },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: `*Why*\n${a.drivers.map((d) => `• ${d}`).join('\n') || '• (no drivers)'}` } },
      ...(a.change ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Last 7 days*\n${a.change}` } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Due ${a.due} · sent by healthscore` }] },
    ],
  };
}

export interface SlackNotifier {
  send(alert: SlackAlert): Promise<void>;
}

export function createSlackNotifier(config: z.input<typeof slackConfigSchema>): SlackNotifier {
  const { webhookUrl, windowMs, retry, timeoutMs } = slackConfigSchema.parse(config);
  registerSecret(new URL(webhookUrl).pathname);
  const budget = sharedBudget('slack', { limit: 1, windowMs });
  const post = policyFetch({
    policy: slackErrorPolicy(windowMs),
    retry: Object.fromEntries(Object.entries(retry).filter(([, v]) => v !== undefined)),
    timeoutMs,
    body: 'text',
    describe: () => 'post the alert',
    budgets: () => [budget],
  });
  return {
    async send(alert) {
      await post(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(toSlackMessage(alert)),
      });
    },
  };
}
