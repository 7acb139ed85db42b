// Secrets stay secret: the Salesforce secret's named keys are read and checked, and neither the
// HTTP trace nor an error message ever holds the private key, an assertion, an access or refresh
// token or the client secret, whichever flow ran and however it failed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateWarning, parseSalesforceSecret, type SalesforceAuth } from '../../../connectors/salesforce/auth-config.ts';
import { createSalesforceConnector } from '../../../connectors/salesforce/connector.ts';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import {
  clientCredentialsConfig,
  collect,
  connectWith,
  JWT_GRANT,
  jwtConfig,
  orgsClosedAfterEach,
  plainAccounts,
  refreshTokenConfig,
  scoreOf,
  testKeys,
} from './support.ts';

const start = orgsClosedAfterEach();

/** Anything shaped like a credential the fake issues or the connector signs. */
const LEAKS: [string, RegExp][] = [
  ['a JWT (the assertion)', /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/],
  ['a session id (access token)', /!AQ[\w.-]{20,}/],
  ['a refresh token', /5Aep861[\w-]{10,}/],
  ['the private key', new RegExp((testKeys.privateKey.split('\n')[1] ?? 'x').slice(0, 40).replace(/[+/]/g, '\\$&'))],
];

function leaksIn(text: string, extra: string[]): string[] {
  return [...LEAKS.filter(([, re]) => re.test(text)).map(([what]) => what), ...extra.filter((s) => text.includes(s))];
}

describe('Salesforce secrets', () => {
  it('given HEALTHSCORE_HTTP_TRACE and all three flows, including refusals, when they run, then the trace holds a JWT bearer exchange and no token, assertion or secret', async () => {
    const previous = process.env.HEALTHSCORE_HTTP_TRACE;
    const file = join(mkdtempSync(join(tmpdir(), 'sf-auth-trace-')), 'trace.jsonl');
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    const errors: string[] = [];
    try {
      const org = await start({
        connectedApp: { certificate: testKeys.certificate, rotateRefreshTokens: true },
        sessionTimeoutMs: 600_000,
        requestTickMs: 300_000,
      });
      const ids = [...org.fake.seedAccounts(plainAccounts(3)).values()];
      const jwt = connectWith(jwtConfig(org.fake));
      await collect(jwt.listAccounts());
      await jwt.setup();
      await jwt.writeScores(ids.map((accountId) => ({ accountId, values: scoreOf(70), previous: undefined })));
      const refreshToken = org.fake.issueRefreshToken();
      const refreshing = connectWith(refreshTokenConfig(org.fake, refreshToken));
      await collect(refreshing.listAccounts());
      await collect(refreshing.listAccounts());
      await collect(connectWith(clientCredentialsConfig(org.fake)).listAccounts());
      for (const failing of [
        connectWith(jwtConfig(org.fake, {}, testKeys.otherPrivateKey)),
        connectWith(clientCredentialsConfig(org.fake, org.fake.instanceUrl, 'WRONG-SECRET-0123456789abcdef')),
      ])
        await collect(failing.listAccounts()).catch((err: Error) => errors.push(err.message));
      org.fake.revokeRefreshToken(refreshToken);

      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const exchanges = lines.map((l) => JSON.parse(l) as { url: string; status: number; requestBody?: unknown });
      const tokenCalls = exchanges.filter((x) => x.url.endsWith('/services/oauth2/token'));
      expect(tokenCalls.some((x) => x.status === 200 && String(x.requestBody).includes(encodeURIComponent(JWT_GRANT)))).toBe(true);
      expect(tokenCalls.some((x) => String(x.requestBody).includes('grant_type=refresh_token'))).toBe(true);
      expect(tokenCalls.some((x) => String(x.requestBody).includes('grant_type=client_credentials'))).toBe(true);
      expect(tokenCalls.every((x) => !/assertion=(?!%5BREDACTED%5D|\[REDACTED\])/.test(String(x.requestBody)))).toBe(true);
      expect(errors).toHaveLength(2);
      const secrets = [org.fake.app.consumerSecret, refreshToken, testKeys.privateKey.trim()];
      expect(leaksIn(lines.join('\n'), secrets)).toEqual([]);
      expect(leaksIn(errors.join('\n'), secrets)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.HEALTHSCORE_HTTP_TRACE;
      else process.env.HEALTHSCORE_HTTP_TRACE = previous;
    }
  });

  it('given a secret with named keys, a bare token, an unknown key or a missing key, when read, then keys are taken, the bare token is an access token and each mistake is named', () => {
    expect(parseSalesforceSecret('{"privateKey":"-----BEGIN PRIVATE KEY-----\\nabc","clientSecret":"s"}')).toEqual({
      privateKey: '-----BEGIN PRIVATE KEY-----\nabc',
      clientSecret: 's',
    });
    expect(parseSalesforceSecret('00D000000000000!AQ0AQExampleSessionId')).toEqual({
      accessToken: '00D000000000000!AQ0AQExampleSessionId',
    });
    expect(() => parseSalesforceSecret('{"private_key":"x"}')).toThrow(
      /unknown key "private_key": the keys are accessToken, privateKey, clientSecret, refreshToken/,
    );
    expect(() => parseSalesforceSecret('{"privateKey":')).toThrow(/not valid JSON/);
    const missing = () =>
      createSalesforceConnector({
        auth: { flow: 'jwt', consumerKey: '3MVG9abc', username: 'int@acme.example' },
        secret: '{"clientSecret":"abc"}',
      });
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/the jwt flow needs "privateKey" in the salesforce secret/);
  });

  it('given a bad auth config, when the connector is created, then each mistake is named with its path and no secret is echoed', () => {
    const secret = JSON.stringify({ clientSecret: 'TOP-SECRET-VALUE-123456' });
    const make =
      (auth: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      () =>
        createSalesforceConnector({ auth: auth as never, secret, ...extra });
    expect(make({ flow: 'clientCredentials', clientId: 'x', myDomainUrl: 'https://login.salesforce.com' })).toThrow(
      /auth\.myDomainUrl: the client credentials flow needs the org's My Domain URL/,
    );
    expect(make({ flow: 'saml' })).toThrow(/auth\.flow/);
    expect(make({ flow: 'accessToken' })).toThrow(/instanceUrl is required with an access token/);
    expect(make({ flow: 'jwt', consumerKey: 'k', username: 'int@acme.example' }, { accessToken: 'abcdefgh' })).toThrow(
      /remove accessToken/,
    );
    try {
      make({ flow: 'refreshToken', clientId: 'x', loginUrl: 'not a url' })();
      expect.unreachable();
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('TOP-SECRET');
    }
  });

  it('given a JWT certificate expiring in 20 days, expired, or in 60 days, when warnings are asked for, then the first two warn and say what to renew', () => {
    const auth = (on: string): SalesforceAuth => ({
      flow: 'jwt',
      consumerKey: '3MVG9abcdefghijkl',
      username: 'int@acme.example',
      loginUrl: 'https://login.salesforce.com',
      privateKey: 'k',
      certificateExpiresOn: on,
    });
    const now = new Date('2027-03-01T06:00:00Z');
    expect(certificateWarning(auth('2027-03-21'), now)).toMatch(/expires on 2027-03-21 \(in 19 days\): create a new certificate/);
    expect(certificateWarning(auth('2027-02-01'), now)).toMatch(/expired on 2027-02-01/);
    expect(certificateWarning(auth('2027-04-30'), now)).toBeUndefined();
    expect(certificateWarning({ flow: 'accessToken', accessToken: 'x' }, now)).toBeUndefined();
  });
});
