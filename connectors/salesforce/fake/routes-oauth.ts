// The fake org's OAuth 2.0 token endpoint and its sessions, as Salesforce answers them: the JWT
// bearer grant (RS256 signature checked against the certificate uploaded to the connected app, then
// iss, aud, exp and the user's pre-authorization), the refresh token grant (optionally rotating) and
// the client credentials grant (only on the org's My Domain, only with a Run As user), each refusal
// with Salesforce's own error body; sessions that die a set time after issue on a clock tests move.
import { randomBytes } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, importX509 } from 'jose';
import type { FakeRequest, FakeResponse, Handler } from '../../shared/fake/server.ts';
import { ORG_ID } from './access.ts';

export interface FakeConnectedAppOptions {
  /** PEM certificate uploaded under "Use digital signatures": without one, JWT assertions never verify. */
  certificate?: string;
  /** Usernames whose profile or permission set is pre-authorized for the app (default: the integration user). */
  preAuthorized?: string[];
  /** The client credentials flow's Run As user (default: the integration user; null: none set). */
  runAs?: string | null;
  /** Refresh token rotation: every refresh answers a new refresh token and retires the one used. */
  rotateRefreshTokens?: boolean;
  /** An org that is a sandbox accepts aud https://test.salesforce.com instead of login.salesforce.com. */
  sandbox?: boolean;
  /** "Issue JSON Web Token (JWT)-based access tokens": sessions are JWTs instead of opaque ids. */
  jwtAccessTokens?: boolean;
}

export interface FakeConnectedApp {
  consumerKey: string;
  consumerSecret: string;
}

interface Session {
  issuedAt: number;
  username: string;
}

const PRODUCTION_AUD = 'https://login.salesforce.com';
const SANDBOX_AUD = 'https://test.salesforce.com';
/** The assertion's exp may be at most this far ahead of the org's clock. */
const MAX_ASSERTION_AHEAD_S = 180;

// Error bodies: connectors/salesforce/README.md, "Rules the connector relies on".
const oauthError = (error: string, description: string): FakeResponse => ({
  status: 400,
  headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' },
  body: { error, error_description: description },
});
const UNKNOWN_CLIENT = () => oauthError('invalid_client_id', 'client identifier invalid');
const BAD_SECRET = () => oauthError('invalid_client', 'invalid client credentials');
const INVALID_ASSERTION = () => oauthError('invalid_grant', 'invalid assertion');

const opaque = (prefix: string) => `${prefix}${randomBytes(30).toString('base64url')}`;

/** Sessions and refresh tokens of the fake org; `now` is the org's clock (tests move it). */
export class FakeSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, { consumerKey: string; username: string }>();
  timeoutMs: number;
  private readonly now: () => number;

  constructor(timeoutMs: number, now: () => number) {
    this.timeoutMs = timeoutMs;
    this.now = now;
  }

  issue(username: string, jwtShaped = false): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = jwtShaped
      ? `${part({ alg: 'RS256', typ: 'JWT', tnk: 'core/prod' })}.${part({ sub: username, scp: 'api' })}.${randomBytes(64).toString('base64url')}`
      : opaque(`${ORG_ID.slice(0, 15)}!AQ`);
    this.sessions.set(token, { issuedAt: this.now(), username });
    return token;
  }

  /** Whether a session id is one this org issued and its timeout has not passed. */
  valid(token: string | undefined): boolean {
    const s = token === undefined ? undefined : this.sessions.get(token);
    return s !== undefined && this.now() - s.issuedAt < this.timeoutMs;
  }

  /** Ends every session now (an admin's "expire all passwords", or a timeout passing for all). */
  expireAll(): void {
    this.sessions.clear();
  }

  issueRefreshToken(consumerKey: string, username: string): string {
    const token = opaque('5Aep861');
    this.refreshTokens.set(token, { consumerKey, username });
    return token;
  }

  refreshTokenOwner(token: string): { consumerKey: string; username: string } | undefined {
    return this.refreshTokens.get(token);
  }

  revokeRefreshToken(token: string): void {
    this.refreshTokens.delete(token);
  }

  /** Sessions issued so far that are still alive. */
  liveCount(): number {
    return [...this.sessions.values()].filter((s) => this.now() - s.issuedAt < this.timeoutMs).length;
  }
}

export interface OAuthContext {
  app: FakeConnectedApp;
  options: FakeConnectedAppOptions;
  sessions: FakeSessions;
  integrationUser: { id: string; username: string };
  /** The org's My Domain host (host:port) and URL. */
  myDomainHost: () => string;
  myDomainUrl: () => string;
  /** Wall-clock seconds the assertion's exp is judged against. */
  nowSeconds: () => number;
  /** Grants answered so far, by grant_type. */
  grants: string[];
}

const form = (req: FakeRequest) => new URLSearchParams(req.body);

// https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
export function tokenHandler(ctx: OAuthContext): Handler {
  const success = (username: string, extra: Record<string, string> = {}): FakeResponse => {
    const base = ctx.myDomainUrl();
    return {
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' },
      body: {
        access_token: ctx.sessions.issue(username, ctx.options.jwtAccessTokens === true),
        signature: randomBytes(32).toString('base64'),
        scope: 'api',
        instance_url: base,
        id: `${base}/id/${ORG_ID}/${ctx.integrationUser.id}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        ...extra,
      },
    };
  };
  const appOf = (clientId: string | null) => (clientId === ctx.app.consumerKey ? ctx.app : undefined);

  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
  const jwtBearer = async (assertion: string | null): Promise<FakeResponse> => {
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(assertion ?? '');
    } catch {
      return INVALID_ASSERTION();
    }
    if (!appOf(typeof claims.iss === 'string' ? claims.iss : null)) return UNKNOWN_CLIENT();
    const certificate = ctx.options.certificate;
    if (!certificate) return INVALID_ASSERTION();
    try {
      if (decodeProtectedHeader(assertion ?? '').alg !== 'RS256') return INVALID_ASSERTION();
      await compactVerify(assertion ?? '', await importX509(certificate, 'RS256'));
    } catch {
      return INVALID_ASSERTION();
    }
    const audiences = [ctx.options.sandbox ? SANDBOX_AUD : PRODUCTION_AUD, ctx.myDomainUrl()];
    const aud = [claims.aud].flat();
    if (!aud.some((a) => typeof a === 'string' && audiences.includes(a.replace(/\/$/, ''))))
      return oauthError('invalid_grant', 'audience is invalid');
    const now = ctx.nowSeconds();
    if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + MAX_ASSERTION_AHEAD_S) return INVALID_ASSERTION();
    const user = typeof claims.sub === 'string' ? claims.sub : '';
    const approved = ctx.options.preAuthorized ?? [ctx.integrationUser.username];
    if (!approved.includes(user)) return oauthError('invalid_grant', "user hasn't approved this consumer");
    return success(user);
  };

  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm
  const refresh = (p: URLSearchParams): FakeResponse => {
    const app = appOf(p.get('client_id'));
    if (!app) return UNKNOWN_CLIENT();
    if (p.get('client_secret') !== app.consumerSecret) return BAD_SECRET();
    const token = p.get('refresh_token') ?? '';
    const owner = ctx.sessions.refreshTokenOwner(token);
    if (!owner || owner.consumerKey !== app.consumerKey) return oauthError('invalid_grant', 'expired access/refresh token');
    if (!ctx.options.rotateRefreshTokens) return success(owner.username);
    ctx.sessions.revokeRefreshToken(token);
    return success(owner.username, { refresh_token: ctx.sessions.issueRefreshToken(app.consumerKey, owner.username) });
  };

  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm
  const clientCredentials = (req: FakeRequest, p: URLSearchParams): FakeResponse => {
    if (req.headers.host !== ctx.myDomainHost()) return oauthError('invalid_grant', 'request not supported on this domain');
    const app = appOf(p.get('client_id'));
    if (!app) return UNKNOWN_CLIENT();
    if (p.get('client_secret') !== app.consumerSecret) return BAD_SECRET();
    const runAs = ctx.options.runAs === undefined ? ctx.integrationUser.username : ctx.options.runAs;
    if (!runAs) return oauthError('invalid_grant', 'no client credentials user enabled');
    return success(runAs);
  };

  return async (req) => {
    const p = form(req);
    const grant = p.get('grant_type') ?? '';
    ctx.grants.push(grant);
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return jwtBearer(p.get('assertion'));
    if (grant === 'refresh_token') return refresh(p);
    if (grant === 'client_credentials') return clientCredentials(req, p);
    return oauthError('unsupported_grant_type', 'grant type not supported');
  };
}
