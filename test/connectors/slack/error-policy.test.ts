// Slack's error table, driven through the notifier at the fake webhook: each answer becomes the typed
// error its row names, and the webhook URL (the secret) appears in none of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, RateLimitedError, TransientError } from '../../../connectors/shared/errors.ts';
import { type SlackFake, startSlackFake } from '../../../connectors/slack/fake/server.ts';
import { createSlackNotifier } from '../../../connectors/slack/webhook.ts';

let fake: SlackFake;
beforeAll(async () => {
  fake = await startSlackFake();
});
afterAll(() => fake.close());

const alert = {
  title: 'Acme turned red',
  accountName: 'Acme',
  score: 38,
  tier: 'red',
  drivers: ['Champion left'],
  recordUrl: 'https://crm.example/1',
  due: '2026-12-07',
};

const rows = [
  { status: 404, body: 'no_service', error: ConfigError, says: /webhook was refused.*SLACK_WEBHOOK_URL/ },
  { status: 403, body: 'action_prohibited', error: ConfigError, says: /webhook was refused/ },
  { status: 400, body: 'invalid_payload', error: ConfigError, says: /message rejected.*invalid_payload/ },
  { status: 429, body: 'rate_limited', error: RateLimitedError, says: /rate limited/ },
  { status: 500, body: 'rollup_error', error: TransientError, says: /Slack failed/ },
];

describe("Slack's error table", () => {
  it.each(rows)('given the webhook answers $status $body, when an alert is sent, then $error.name', async (row) => {
    const notifier = createSlackNotifier({ webhookUrl: fake.webhookUrl, retry: { maxAttempts: 1 } });
    fake.server.inject({ times: 1, fault: { kind: 'status', status: row.status, body: row.body } });
    const err = await notifier.send(alert).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(row.error);
    expect((err as Error).message).toMatch(row.says);
    expect((err as Error).message).not.toContain(new URL(fake.webhookUrl).pathname);
  });
});
