// Zendesk's error table, driven through the real `node-zendesk` client at the fake: each answer
// becomes the typed error its row names, with a sentence that says what to fix and never the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, RateLimitedError, TransientError } from '../../../connectors/shared/errors.ts';
import { parseZendeskConfig } from '../../../connectors/zendesk/config.ts';
import { startZendeskFake, type ZendeskFake } from '../../../connectors/zendesk/fake/server.ts';
import { createZendeskClient, getBody } from '../../../connectors/zendesk/zendesk-client.ts';

let fake: ZendeskFake;
beforeAll(async () => {
  fake = await startZendeskFake();
});
afterAll(() => fake.close());

const forbidden = {
  error: {
    title: 'Forbidden',
    message: 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
  },
};

const rows = [
  { status: 401, body: { error: "Couldn't authenticate you" }, error: ConfigError, says: /credentials were rejected.*ZENDESK_API_TOKEN/ },
  { status: 403, body: forbidden, error: ConfigError, says: /the API user must be an admin.*admin's API token/ },
  { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' }, error: ConfigError, says: /check subdomain or baseUrl/ },
  {
    status: 422,
    body: { error: 'InvalidValue', description: 'Too recent start_time' },
    error: DataError,
    says: /Zendesk refused the request.*Too recent start_time/,
  },
  {
    status: 429,
    body: { error: 'TooManyRequests' },
    headers: { 'retry-after': '7' },
    error: RateLimitedError,
    says: /rate limited \(429\)/,
  },
  { status: 503, body: { error: 'ServiceUnavailable' }, error: TransientError, says: /server error 503/ },
];

describe("Zendesk's error table", () => {
  it.each(rows)('given Zendesk answers $status, when an export page is read, then $error.name says what to fix', async (row) => {
    const client = createZendeskClient(
      parseZendeskConfig({ username: fake.username, apiToken: fake.token, baseUrl: fake.endpointUri, retry: { maxAttempts: 1 } }),
    );
    fake.server.inject({
      times: 1,
      fault: { kind: 'status', status: row.status, body: row.body, ...(row.headers ? { headers: row.headers } : {}) },
    });
    const err = await getBody(client, ['incremental', 'organizations', { start_time: 0 }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(row.error);
    expect((err as Error).message).toMatch(row.says);
    expect((err as Error).message).not.toContain(fake.token);
    if (err instanceof RateLimitedError) expect(err.retryAfterMs).toBe(7000);
  });
});
