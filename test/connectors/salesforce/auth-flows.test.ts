// The three OAuth 2.0 flows end to end, through jsforce against the fake org's token endpoint, and
// each refusal Salesforce answers turned into a ConfigError that says what to fix.

import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
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
  testKeys,
} from './support.ts';

const start = orgsClosedAfterEach();

const withCertificate = { connectedApp: { certificate: testKeys.certificate } };

describe('Salesforce OAuth 2.0 flows', () => {
  it('given a connected app with the certificate and the integration user pre-authorized, when the connector lists accounts, then it signs in through the JWT bearer grant and reads the org', async () => {
    const org = await start(withCertificate);
    org.fake.seedAccounts(plainAccounts(3));
    const sf = connectWith(jwtConfig(org.fake));
    const pages = await collect(sf.listAccounts());
    expect(pages.flatMap((p) => p.accounts)).toHaveLength(3);
    expect(org.fake.tokenGrants()).toEqual([JWT_GRANT]);
    expect(sf.client.conn.accessToken).not.toBe(org.fake.accessToken);
  });

  it('given a JWT signed with a key that is not the certificate’s, when setup runs, then it fails with a ConfigError naming the certificate problem', async () => {
    const org = await start(withCertificate);
    const sf = connectWith(jwtConfig(org.fake, {}, testKeys.otherPrivateKey));
    const setup = sf.setup();
    await expect(setup).rejects.toThrow(ConfigError);
    await expect(setup).rejects.toThrow(/invalid_grant: invalid assertion/);
    await expect(setup).rejects.toThrow(/does not verify against the certificate uploaded to the connected app/);
    expect(org.fake.server.calls('POST', /\/services\/Soap\/m\//)).toHaveLength(0);
  });

  it('given a consumer key no app has, when setup runs, then it fails naming the app setting and Salesforce’s invalid_client_id', async () => {
    const org = await start(withCertificate);
    const sf = connectWith(jwtConfig(org.fake, { consumerKey: '3MVG9UnknownConsumerKey' }));
    const setup = sf.setup();
    await expect(setup).rejects.toThrow(/invalid_client_id: client identifier invalid/);
    await expect(setup).rejects.toThrow(/salesforce\.auth\.consumerKey \(3MVG9Unk…\) names no connected app or external client app/);
  });

  it('given an integration user not pre-authorized for the app, when listing, then the ConfigError says to pre-authorize its profile or permission set', async () => {
    const org = await start({ connectedApp: { certificate: testKeys.certificate, preAuthorized: [] } });
    const listing = collect(connectWith(jwtConfig(org.fake)).listAccounts());
    await expect(listing).rejects.toThrow(/user hasn't approved this consumer/);
    await expect(listing).rejects.toThrow(/Admin approved users are pre-authorized/);
  });

  it('given a login URL the org does not accept as audience, when listing, then Salesforce’s "audience is invalid" comes with the URLs to use', async () => {
    const org = await start(withCertificate);
    const elsewhere = org.fake.instanceUrl.replace('127.0.0.1', 'localhost');
    const listing = collect(connectWith(jwtConfig(org.fake, { loginUrl: elsewhere })).listAccounts());
    await expect(listing).rejects.toThrow(/invalid_grant: audience is invalid/);
    await expect(listing).rejects.toThrow(/https:\/\/test\.salesforce\.com for a sandbox/);
  });

  it('given an assertion whose exp is 5 minutes ahead, when posted, then the org refuses it; the connector’s own (2 minutes) is accepted', async () => {
    const org = await start(withCertificate);
    const post = async (expiresInS: number) => {
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(org.fake.app.consumerKey ?? '')
        .setSubject(org.fake.integrationUser.username ?? '')
        .setAudience(org.fake.instanceUrl ?? '')
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInS)
        .sign(createPrivateKey(testKeys.privateKey));
      const res = await fetch(`${org.fake.instanceUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: JWT_GRANT, assertion }),
      });
      return { status: res.status, body: await res.json() };
    };
    expect(await post(300)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } });
    expect(await post(-5)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } });
    expect((await post(120)).status).toBe(200);
    await expect(collect(connectWith(jwtConfig(org.fake)).listAccounts())).resolves.toBeDefined();
  });

  it('given an app that issues JWT-based access tokens and API version 62.0, when setup reaches the Metadata API, then a ConfigError says to turn the setting off or raise the version', async () => {
    const org = await start({ connectedApp: { jwtAccessTokens: true } });
    const sf = connectWith(clientCredentialsConfig(org.fake));
    await expect(collect(sf.listAccounts())).resolves.toBeDefined();
    const setup = sf.setup();
    await expect(setup).rejects.toThrow(ConfigError);
    await expect(setup).rejects.toThrow(
      /turn off "Issue JSON Web Token \(JWT\)-based access tokens" in the app, or set salesforce\.version to "68\.0"/,
    );
  });

  it('given a refresh token issued to the integration user, when sessions expire, then each new session comes from the refresh token grant', async () => {
    const org = await start();
    org.fake.seedAccounts(plainAccounts(2));
    const sf = connectWith(refreshTokenConfig(org.fake, org.fake.issueRefreshToken()));
    await collect(sf.listAccounts());
    org.fake.expireSession();
    await collect(sf.listAccounts());
    expect(org.fake.tokenGrants()).toEqual(['refresh_token', 'refresh_token']);
  });

  it('given an app that rotates refresh tokens, when sessions expire twice, then the rotated refresh token is the one used next', async () => {
    const org = await start({ connectedApp: { rotateRefreshTokens: true } });
    const sf = connectWith(refreshTokenConfig(org.fake, org.fake.issueRefreshToken()));
    for (let i = 0; i < 3; i++) {
      await collect(sf.listAccounts());
      org.fake.expireSession();
    }
    expect(org.fake.tokenGrants()).toEqual(['refresh_token', 'refresh_token', 'refresh_token']);
  });

  it('given a revoked refresh token, when listing, then the ConfigError carries "expired access/refresh token" and says to authorize again', async () => {
    const org = await start();
    const token = org.fake.issueRefreshToken();
    org.fake.revokeRefreshToken(token);
    const listing = collect(connectWith(refreshTokenConfig(org.fake, token)).listAccounts());
    await expect(listing).rejects.toThrow(/invalid_grant: expired access\/refresh token/);
    await expect(listing).rejects.toThrow(/authorize again/);
  });

  it('given the client credentials flow on the My Domain with a Run As user, when listing, then it reads the org', async () => {
    const org = await start();
    org.fake.seedAccounts(plainAccounts(2));
    const pages = await collect(connectWith(clientCredentialsConfig(org.fake)).listAccounts());
    expect(pages.flatMap((p) => p.accounts)).toHaveLength(2);
    expect(org.fake.tokenGrants()).toEqual(['client_credentials']);
  });

  it('given the client credentials flow sent to another host than the My Domain, when listing, then "request not supported on this domain" says to use the My Domain URL', async () => {
    const org = await start();
    const listing = collect(
      connectWith(clientCredentialsConfig(org.fake, org.fake.instanceUrl.replace('127.0.0.1', 'localhost'))).listAccounts(),
    );
    await expect(listing).rejects.toThrow(/request not supported on this domain/);
    await expect(listing).rejects.toThrow(/myDomainUrl/);
  });

  it('given an app without a Run As user, or a wrong consumer secret, when listing, then each refusal names what to set', async () => {
    const org = await start({ connectedApp: { runAs: null } });
    await expect(collect(connectWith(clientCredentialsConfig(org.fake)).listAccounts())).rejects.toThrow(
      /no client credentials user enabled.*choose the integration user as Run As/,
    );
    org.fake.configureApp({ runAs: org.fake.integrationUser.username });
    const wrong = collect(connectWith(clientCredentialsConfig(org.fake, org.fake.instanceUrl, 'NOT-THE-SECRET-0123456789')).listAccounts());
    await expect(wrong).rejects.toThrow(/invalid_client: invalid client credentials.*consumer secret/);
  });
});
