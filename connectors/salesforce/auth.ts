// Sessions for unattended runs: an access token obtained at the first call through the configured
// OAuth 2.0 flow (JWT bearer signed with jose, refresh token, client credentials, through jsforce's
// OAuth2 client), cached for the process (shared by every connector built from the same credentials),
// and renewed once when Salesforce refuses it. Concurrent callers share one token request; a pasted
// access token (the `accessToken` flow) cannot be renewed.
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import jsforce from 'jsforce';
import * as z from 'zod';
import { ConfigError, TransientError } from '../shared/errors.ts';
import { registerSecret } from '../shared/http-trace.ts';
import type { SalesforceAuth } from './auth-config.ts';
import { tokenRequestError } from './auth-errors.ts';
import { observeTransport } from './transport.ts';

export interface SalesforceSession {
  accessToken: string;
  /** Where the org's APIs are: the token response's instance_url (the config's instanceUrl for a pasted token). */
  instanceUrl: string;
}

// https://datatracker.ietf.org/doc/html/rfc7523#section-2.1
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce wants the assertion's exp within 3 minutes; 2 leaves room for clock skew. */
export const ASSERTION_LIFETIME_S = 120;

// https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm (the token response)
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  instance_url: z.url(),
  refresh_token: z.string().min(1).optional(),
});

export interface SessionOptions {
  /** The org URL from the config: used with a pasted access token. */
  instanceUrl?: string | undefined;
  timeoutMs: number;
}

/** What one set of credentials has obtained in this process, shared by every connector built from them. */
interface SessionSlot {
  session: SalesforceSession | undefined;
  pending: Promise<SalesforceSession> | undefined;
  /** A rotated refresh token (when the app rotates them) replaces the configured one in this process. */
  refreshToken: string | undefined;
}

/**
 * Per process, by credentials: a Lambda rebuilds its connectors every few minutes (to pick up a changed
 * secret), and the rebuilt ones go on with the session already held instead of asking for another.
 */
const slots = new Map<string, SessionSlot>();

function slotFor(auth: SalesforceAuth): SessionSlot {
  const key = createHash('sha256').update(JSON.stringify(auth)).digest('hex');
  let slot = slots.get(key);
  if (!slot) {
    slot = { session: undefined, pending: undefined, refreshToken: auth.flow === 'refreshToken' ? auth.refreshToken : undefined };
    slots.set(key, slot);
  }
  return slot;
}

export class SalesforceSessions {
  private readonly auth: SalesforceAuth;
  private readonly options: SessionOptions;
  private readonly slot: SessionSlot;
  private signingKey: KeyObject | undefined;

  constructor(auth: SalesforceAuth, options: SessionOptions) {
    this.auth = auth;
    this.options = options;
    if (auth.flow === 'jwt') registerSecret(auth.privateKey);
    if (auth.flow === 'refreshToken' || auth.flow === 'clientCredentials') registerSecret(auth.clientSecret);
    if (auth.flow === 'refreshToken') registerSecret(auth.refreshToken);
    if (auth.flow === 'accessToken') {
      registerSecret(auth.accessToken);
      const pasted = { accessToken: auth.accessToken, instanceUrl: (options.instanceUrl ?? '').replace(/\/$/, '') };
      this.slot = { session: pasted, pending: undefined, refreshToken: undefined };
    } else this.slot = slotFor(auth);
  }

  /** False for a pasted access token: when Salesforce refuses it, a person must issue another. */
  get renewable(): boolean {
    return this.auth.flow !== 'accessToken';
  }

  /** The process's session, obtained on first use. */
  current(): Promise<SalesforceSession> {
    return this.slot.session ? Promise.resolve(this.slot.session) : this.obtain();
  }

  /** A new session after `rejected` was refused; when another caller already renewed it, that session. */
  renew(rejected: string | undefined): Promise<SalesforceSession> {
    const slot = this.slot;
    if (slot.session && slot.session.accessToken !== rejected) return Promise.resolve(slot.session);
    slot.session = undefined;
    return this.obtain();
  }

  private obtain(): Promise<SalesforceSession> {
    const slot = this.slot;
    // An outage of the token endpoint is a TransientError: the caller's retry policy (SalesforceClient.call) retries it.
    slot.pending ??= this.requestToken()
      .then((session) => {
        slot.session = session;
        return session;
      })
      .finally(() => {
        slot.pending = undefined;
      });
    return slot.pending;
  }

  private oauth2(config: { loginUrl: string; clientId?: string; clientSecret?: string | undefined }): jsforce.OAuth2 {
    const client = new jsforce.OAuth2({
      loginUrl: config.loginUrl,
      ...(config.clientId ? { clientId: config.clientId } : {}),
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
    });
    observeTransport(client._transport, {
      timeoutMs: this.options.timeoutMs,
      classify: (res) =>
        res.statusCode >= 500 ? new TransientError('salesforce', `token endpoint answered ${res.statusCode}`) : undefined,
    });
    return client;
  }

  private key(privateKey: string): KeyObject {
    if (this.signingKey) return this.signingKey;
    try {
      this.signingKey = createPrivateKey(privateKey);
    } catch {
      throw new ConfigError(
        'salesforce',
        'the privateKey in the salesforce secret is not a PEM private key: store the key file of the certificate uploaded to the connected app (-----BEGIN PRIVATE KEY----- …), with its line breaks as \\n in the JSON',
      );
    }
    return this.signingKey;
  }

  private async requestToken(): Promise<SalesforceSession> {
    const auth = this.auth;
    if (auth.flow === 'accessToken') throw new ConfigError('salesforce', 'a pasted access token cannot be renewed');
    let answer: unknown;
    try {
      answer = await this.tokenResponse(auth);
    } catch (err) {
      throw tokenRequestError(auth, err);
    }
    const parsed = tokenResponseSchema.safeParse(answer);
    if (!parsed.success) throw new TransientError('salesforce', 'the token endpoint answered without access_token or instance_url');
    registerSecret(parsed.data.access_token);
    if (parsed.data.refresh_token) {
      registerSecret(parsed.data.refresh_token);
      this.slot.refreshToken = parsed.data.refresh_token;
    }
    return { accessToken: parsed.data.access_token, instanceUrl: parsed.data.instance_url.replace(/\/$/, '') };
  }

  private async tokenResponse(auth: Exclude<SalesforceAuth, { flow: 'accessToken' }>): Promise<unknown> {
    switch (auth.flow) {
      case 'jwt': {
        // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
        const assertion = await new SignJWT({})
          .setProtectedHeader({ alg: 'RS256' })
          .setIssuer(auth.consumerKey)
          .setSubject(auth.username)
          .setAudience(auth.loginUrl)
          .setExpirationTime(Math.floor(Date.now() / 1000) + ASSERTION_LIFETIME_S)
          .sign(this.key(auth.privateKey));
        registerSecret(assertion);
        return this.oauth2({ loginUrl: auth.loginUrl }).requestToken({ grant_type: JWT_BEARER_GRANT, assertion });
      }
      case 'refreshToken':
        // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
        return this.oauth2(auth).refreshToken(this.slot.refreshToken ?? auth.refreshToken);
      case 'clientCredentials':
        // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
        return this.oauth2({ loginUrl: auth.myDomainUrl, clientId: auth.clientId, clientSecret: auth.clientSecret }).requestToken({
          grant_type: 'client_credentials',
        });
    }
  }
}
