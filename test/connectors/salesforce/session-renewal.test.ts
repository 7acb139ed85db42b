// Sessions that expire while a run works: the connector renews the session once and re-sends the
// refused request (REST and the Metadata API's SOAP alike), shares one token request between
// concurrent calls, and stops with a ConfigError when even a fresh session is refused.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import {
  clientCredentialsConfig,
  collect,
  connectWith,
  jwtConfig,
  orgsClosedAfterEach,
  plainAccounts,
  scoreOf,
  testKeys,
} from './support.ts';

const start = orgsClosedAfterEach();

const MINUTE = 60_000;
/** A 15-minute session timeout, with 5 org-minutes passing per API request: every session dies after 3 requests. */
const shortSessions = { sessionTimeoutMs: 15 * MINUTE, requestTickMs: 5 * MINUTE, connectedApp: { certificate: testKeys.certificate } };

describe('Salesforce session renewal', () => {
  it('given sessions that expire every 3 requests, when 10 accounts are listed 2 a page, then every page arrives once and each expiry costs one JWT exchange', async () => {
    const org = await start({ ...shortSessions, pageSize: 2 });
    org.fake.seedAccounts(plainAccounts(10));
    const sf = connectWith(jwtConfig(org.fake));
    const pages = await collect(sf.listAccounts());
    expect(pages.flatMap((p) => p.accounts.map((a) => a.accountId))).toHaveLength(10);
    expect(new Set(pages.flatMap((p) => p.accounts.map((a) => a.accountId))).size).toBe(10);
    expect(org.fake.tokenGrants()).toHaveLength(2);
    expect(org.fake.server.calls('GET', /\/query/).filter((c) => c.status === 401)).toHaveLength(1);
  });

  it('given sessions that expire during setup, when setup runs, then the refused SOAP calls are re-sent with the new session and each Metadata API operation is applied once', async () => {
    const org = await start(shortSessions);
    const sf = connectWith(jwtConfig(org.fake));
    const report = await sf.setup();
    expect(report.created).toContain('Account.Health_Score__c');
    const soapRefusals = org.fake.server.calls('POST', /\/services\/Soap\/m\//).filter((c) => c.status === 500);
    expect(soapRefusals.length).toBeGreaterThan(0);
    const ops = org.fake.metadataOperations().map((o) => `${o.operation}:${o.fullNames.join(',')}`);
    expect(new Set(ops).size).toBe(ops.length);
    expect(org.fake.tokenGrants().length).toBeGreaterThan(1);
    expect((await sf.setup()).created).toEqual([]);
  });

  it('given a session that expires between write batches, when scores are written, then each record is updated exactly once', async () => {
    const org = await start({ sessionTimeoutMs: 2 * MINUTE, requestTickMs: MINUTE });
    const ids = [...org.fake.seedAccounts(plainAccounts(450)).values()];
    const sf = connectWith(clientCredentialsConfig(org.fake));
    await sf.setup();
    const report = await sf.writeScores(ids.map((accountId) => ({ accountId, values: scoreOf(61), previous: undefined })));
    expect(report.outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(ids.map((id) => org.fake.updatesOf(id))).toEqual(ids.map(() => 1));
  });

  it('given an expired session and four calls in flight, when they are refused together, then one token request renews them all', async () => {
    const org = await start();
    org.fake.seedAccounts(plainAccounts(4));
    const sf = connectWith(clientCredentialsConfig(org.fake));
    await collect(sf.listAccounts());
    org.fake.expireSession();
    await Promise.all([1, 2, 3, 4].map(() => collect(sf.listAccounts())));
    expect(org.fake.tokenGrants()).toEqual(['client_credentials', 'client_credentials']);
  });

  it('given a second connector built from the same credentials in the process (a Lambda rebuilding its connectors), when it calls, then it goes on with the session already held', async () => {
    const org = await start();
    org.fake.seedAccounts(plainAccounts(2));
    const config = clientCredentialsConfig(org.fake);
    await collect(connectWith(config).listAccounts());
    await collect(connectWith(config).listAccounts());
    expect(org.fake.tokenGrants()).toEqual(['client_credentials']);
    await collect(
      connectWith(clientCredentialsConfig(org.fake, org.fake.instanceUrl, `${org.fake.app.consumerSecret}-rotated`)).listAccounts(),
    ).catch(() => undefined);
    expect(org.fake.tokenGrants()).toEqual(['client_credentials', 'client_credentials']);
  });

  it('given a token endpoint answering 503 once, when listing, then the token request is retried like any outage and the listing completes', async () => {
    const org = await start();
    org.fake.seedAccounts(plainAccounts(2));
    org.fake.server.inject({
      match: (req) => req.path === '/services/oauth2/token',
      times: 1,
      fault: { kind: 'status', status: 503, body: 'Service Unavailable' },
    });
    const pages = await collect(connectWith(clientCredentialsConfig(org.fake)).listAccounts());
    expect(pages.flatMap((p) => p.accounts)).toHaveLength(2);
    expect(org.fake.server.calls('POST', '/services/oauth2/token').map((c) => c.status)).toEqual([503, 200]);
  });

  it('given an org that refuses even a session it just issued, when listing, then the connector renews once and stops with a ConfigError instead of looping', async () => {
    const org = await start({ sessionTimeoutMs: 0 });
    const listing = collect(connectWith(clientCredentialsConfig(org.fake)).listAccounts());
    await expect(listing).rejects.toThrow(ConfigError);
    await expect(listing).rejects.toThrow(/refused a session it had just issued through the client credentials flow/);
    expect(org.fake.tokenGrants()).toHaveLength(2);
  });

  it('given a pasted access token (the accessToken flow), when it expires, then nothing is renewed and the ConfigError points to the OAuth flows', async () => {
    const org = await start();
    org.fake.expireSession();
    const listing = collect(org.connector.listAccounts());
    await expect(listing).rejects.toThrow(/set salesforce\.auth to the jwt, refreshToken or clientCredentials flow/);
    expect(org.fake.tokenGrants()).toEqual([]);
  });
});
