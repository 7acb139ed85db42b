// Mixpanel's error table, driven through the connector's client at the fake: each answer becomes the
// typed error its row names, with a sentence that says what to fix and never the secret. A 429
// without Retry-After (Mixpanel sends none) ends the source's run at once; one with it is waited out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MixpanelClient } from '../../../connectors/mixpanel/client.ts';
import { mixpanelConfigSchema } from '../../../connectors/mixpanel/config.ts';
import type { MixpanelFake } from '../../../connectors/mixpanel/fake/server.ts';
import { ConfigError, QuotaExhaustedError, TransientError } from '../../../connectors/shared/errors.ts';
import { setup, sourceConfig } from './helpers.ts';

let fake: MixpanelFake;
beforeAll(async () => {
  fake = (await setup()).fake;
});
afterAll(() => fake.close());

const clientOf = (retry = { maxAttempts: 1 }) => new MixpanelClient(mixpanelConfigSchema.parse(sourceConfig(fake, { retry })));
const query = { event: 'Session Start', fromDay: 20_000, toDay: 20_001, type: 'unique' as const };
const said = (error: string) => ({ request: '/api/query/segmentation', error });

const rows = [
  {
    status: 401,
    body: said('Unauthorized, invalid service account credentials'),
    error: ConfigError,
    says: /service account refused \(401\)\. Check mixpanel\.serviceAccount/,
  },
  {
    status: 403,
    body: said('service account does not have access to project 1'),
    error: ConfigError,
    says: /service account refused \(403\).*access to project/,
  },
  { status: 404, body: 'Not Found', error: ConfigError, says: /Check mixpanel\.region or the base URLs/ },
  {
    status: 400,
    body: said("invalid 'where' expression"),
    error: ConfigError,
    says: /request rejected\. Check the Mixpanel configuration.*invalid 'where'/,
  },
  {
    status: 429,
    body: said('Query rate limit exceeded for project_id: 1. 0/5 queries running concurrently and 61/60 queries'),
    error: QuotaExhaustedError,
    says: /query allowance for the project is used up.*next run resumes/,
  },
  { status: 502, body: said('bad gateway'), error: TransientError, says: /Mixpanel failed/ },
];

describe("Mixpanel's error table", () => {
  it.each(rows)('given Mixpanel answers $status, when a segmentation runs, then $error.name says what to fix', async (row) => {
    fake.server.inject({ times: 1, fault: { kind: 'status', status: row.status, body: row.body } });
    const err = await clientOf()
      .segmentation(query)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(row.error);
    expect((err as Error).message).toMatch(row.says);
    expect((err as Error).message).not.toContain(fake.serviceAccount.secret);
  });

  it('given a 429 that does carry Retry-After (a proxy, or Mixpanel one day), when a segmentation runs, then it waits and retries once', async () => {
    const before = fake.queries().length;
    fake.server.inject({ times: 1, fault: { kind: 'status', status: 429, body: said('slow down'), headers: { 'retry-after': '0.01' } } });
    await clientOf({ maxAttempts: 3 }).segmentation(query);
    expect(
      fake
        .queries()
        .slice(before)
        .map((q) => q.status),
    ).toEqual([429, 200]);
  });
});
