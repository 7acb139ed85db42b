// HubSpot's error table, driven through the official SDK at the fake: each answer becomes the typed
// error its row names, with a sentence that says what to fix (the scope, the token) and never the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubSpotCaller } from '../../../connectors/hubspot/client.ts';
import { parseHubSpotConfig } from '../../../connectors/hubspot/config.ts';
import { ConfigError, DataError, QuotaExhaustedError, RateLimitedError, TransientError } from '../../../connectors/shared/errors.ts';
import { connectConfig, type HubSpotFake, SCALE, fake as startFake } from './support.ts';

let f: HubSpotFake;
beforeAll(async () => {
  f = await startFake();
});
afterAll(() => f.close());

const hubspotError = (category: string, message: string, extra: Record<string, unknown> = {}) => ({
  status: 'error',
  message,
  correlationId: '0b1c2d3e-0000-4000-8000-000000000000',
  category,
  ...extra,
});

const rows = [
  {
    status: 401,
    body: hubspotError('INVALID_AUTHENTICATION', 'Authentication credentials not found.'),
    error: ConfigError,
    says: /did not accept the access token.*HUBSPOT_ACCESS_TOKEN/,
  },
  {
    status: 401,
    body: hubspotError('EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired.'),
    error: ConfigError,
    says: /access token has expired: refresh/,
  },
  {
    status: 403,
    body: hubspotError('MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.", {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: ['crm.objects.companies.read'] },
        },
      ],
    }),
    error: ConfigError,
    says: /lacks the scope crm\.objects\.companies\.read: add it in HubSpot/,
  },
  {
    status: 429,
    body: hubspotError('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', { policyName: 'TEN_SECONDLY_ROLLING' }),
    error: RateLimitedError,
    says: /rate limited \(TEN_SECONDLY_ROLLING\)/,
  },
  {
    status: 429,
    body: hubspotError('RATE_LIMITS', 'You have reached your daily limit.', { policyName: 'DAILY' }),
    error: QuotaExhaustedError,
    says: /daily API limit is used up/,
  },
  {
    status: 400,
    body: hubspotError('VALIDATION_ERROR', 'Invalid input JSON on line 1'),
    error: DataError,
    says: /refused the request with 400.*VALIDATION_ERROR/,
  },
  { status: 404, body: hubspotError('OBJECT_NOT_FOUND', 'resource not found'), error: DataError, says: /refused the request with 404/ },
  { status: 502, body: 'Bad Gateway', error: TransientError, says: /HubSpot answered 502/ },
];

describe("HubSpot's error table", () => {
  it.each(rows)(
    'given HubSpot answers $status ($body.category), when companies are read, then $error.name says what to fix',
    async (row) => {
      const caller = createHubSpotCaller(parseHubSpotConfig(connectConfig(f, { retry: { maxAttempts: 1 } })));
      f.server.inject({ times: 1, fault: { kind: 'status', status: row.status, body: row.body } });
      const err = await caller
        .call('read companies', (sdk) => sdk.crm.companies.basicApi.getPage(1))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(row.error);
      expect((err as Error).message).toMatch(row.says);
      expect((err as Error).message).not.toContain(f.token);
      // Without Retry-After, HubSpot's ten-second window (compressed here) is waited.
      if (err instanceof RateLimitedError) expect(err.retryAfterMs).toBe(10_000 / SCALE);
    },
  );
});
