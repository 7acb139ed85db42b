// Slack alerts through an incoming webhook (https://api.slack.com/messaging/webhooks): one Block Kit
// message per alert with the score, tier, top drivers and a link to the CRM record.
import * as z from 'zod';
import { ConfigError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { observedFetch, registerSecret } from '../shared/http-trace.ts';
import { sharedBudget } from '../shared/rate-budget.ts';
import { parseRetryAfter, withRetry } from '../shared/retry.ts';

export const slackConfigSchema = z.object({
  webhookUrl: z.url({ message: 'must be the incoming-webhook URL Slack gave you (https://hooks.slack.com/services/...)' }),
  /** Slack accepts about one message per second per webhook; the window shrinks when time is compressed. */
  windowMs: z.number().int().positive().default(1000),
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
  const { webhookUrl, windowMs } = slackConfigSchema.parse(config);
  registerSecret(new URL(webhookUrl).pathname);
  const fetch = observedFetch('slack');
  const budget = sharedBudget('slack', { limit: 1, windowMs });
  return {
    async send(alert) {
      await withRetry(
        () =>
          budget.run(async () => {
            const res = await fetch(webhookUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(toSlackMessage(alert)),
            });
            const body = await res.text();
            if (res.ok) return;
            if (res.status === 429) throw new RateLimitedError('slack', 'rate limited', parseRetryAfter(res.headers.get('retry-after')));
            if (res.status >= 500) throw new TransientError('slack', `HTTP ${res.status}: ${body}`);
            if (res.status === 404 || res.status === 403 || body === 'no_service' || body === 'channel_not_found') {
              throw new ConfigError(
                'slack',
                `the webhook was refused (${body || res.status}): create a new incoming webhook and update the Slack secret`,
              );
            }
            throw new ConfigError('slack', `message rejected: HTTP ${res.status} ${body}`);
          }),
        { budget },
      );
    },
  };
}
