// How Salesforce's answers become the kit's typed errors, by one table (salesforceErrorPolicy): REST
// error arrays and SOAP faults are read for their code, a session refusal (INVALID_SESSION_ID / 401)
// is marked so the client can renew the session once, and codes where a person must act become a
// ConfigError that says what to fix.
import type { HttpResponse } from 'jsforce';
import { type Answer, type ErrorPolicy, errorOf, jsonOf, judge, type Verdict } from '../shared/error-policy.ts';
import { ConfigError, isTypedError, TransientError } from '../shared/errors.ts';
import { redact } from '../shared/http-trace.ts';

/**
 * Salesforce refused the session a request carried (expired, revoked, or for another org). A
 * ConfigError, because with a pasted access token a person must act; with an OAuth flow the client
 * renews the session and retries the request once instead.
 */
export class SessionRejectedError extends ConfigError {
  constructor(message: string) {
    super('salesforce', message);
  }
}

/** What to do when an access token given in the config (the `accessToken` flow) is refused. */
export const STATIC_TOKEN_HINT =
  "the access token was rejected (INVALID_SESSION_ID: expired, revoked or for another org): a pasted access token lives only as long as the org's session timeout, so set salesforce.auth to the jwt, refreshToken or clientCredentials flow (connectors/salesforce/README.md), or issue a new access token and put it where healthscore reads it (SALESFORCE_SECRET for the CLI, the salesforce secret in Secrets Manager for the Lambdas)";

/** Error codes where a person must act (fix the mapping, grant a permission, renew the token). */
const CONFIG_HINTS: Record<string, string> = {
  INVALID_SESSION_ID: STATIC_TOKEN_HINT,
  INVALID_FIELD:
    'a field in the mapping does not exist or is hidden from the integration user (field-level security): fix salesforce.mapping, or run setup (its permission set grants Read on the mapped Account and Contact fields) or grant access',
  INVALID_TYPE: 'an object the connector reads is unavailable to the integration user: check its object permissions',
  MALFORMED_QUERY: 'a query built from the mapping was rejected: check the field names in salesforce.mapping',
  INSUFFICIENT_ACCESS:
    'the integration user lacks a permission: grant "API Enabled", and for setup "Customize Application" and "Modify Metadata Through Metadata API Functions", to its profile or a permission set',
  API_DISABLED_FOR_ORG: 'the API is not enabled for this org or user: enable "API Enabled" on the integration user profile',
  API_CURRENTLY_DISABLED: 'the API is disabled for this user: enable "API Enabled" on the integration user profile',
  FUNCTIONALITY_NOT_ENABLED:
    'a feature the connector needs is off in this org (e.g. Shared Activities): enable it or set mapping.activity.sharedActivities to false',
  NOT_FOUND: 'the org does not serve this API version or resource: set salesforce.version to one the org supports',
};

interface ApiError {
  errorCode?: unknown;
  message?: unknown;
}

/** Salesforce's error code and message from a REST body (JSON array) or a SOAP fault. */
function vendorError(body: string): { code: string; message: string } | undefined {
  const fault = /<faultcode>(?:\w+:)?(\w+)<\/faultcode>\s*<faultstring>([\s\S]*?)<\/faultstring>/.exec(body);
  if (fault) return { code: fault[1] as string, message: fault[2] as string };
  const parsed = jsonOf(body) as ApiError[] | ApiError | undefined;
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first && typeof first.errorCode === 'string')
    return { code: first.errorCode.replace(/^sf:/, ''), message: String(first.message ?? '') };
  return undefined;
}

/** SOAP faults (always HTTP 500) that a retry can cure; any other fault is an answer, not an outage. */
const TRANSIENT_FAULTS = /^(UNKNOWN_EXCEPTION|SERVER_UNAVAILABLE|REQUEST_RUNNING_TOO_LONG|UNABLE_TO_LOCK_ROW)$/;
const isSoapFault = (body: string) => /<faultcode>/.test(body);

/**
 * Salesforce's error policy as data. INVALID_SESSION_ID / 401 is a ConfigError the client turns
 * into a session renewal when the flow can renew (client.ts). Docs:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
export const salesforceErrorPolicy = (): ErrorPolicy => ({
  vendor: 'salesforce',
  read: (body) => vendorError(body) ?? {},
  rules: [
    { code: 'INVALID_SESSION_ID', kind: 'config', say: STATIC_TOKEN_HINT },
    { status: 401, kind: 'config', say: STATIC_TOKEN_HINT },
    { code: 'REQUEST_LIMIT_EXCEEDED', body: /concurrent/i, kind: 'rateLimited', say: 'too many concurrent long-running requests' },
    {
      code: 'REQUEST_LIMIT_EXCEEDED',
      kind: 'quota',
      say: "the org's daily API request allocation is used up; the run stops and resumes when the rolling 24-hour window frees requests",
    },
    { status: 429, kind: 'rateLimited', say: 'rate limited' },
    { status: 500, code: TRANSIENT_FAULTS, kind: 'transient', say: 'a Salesforce fault worth a retry' },
    ...Object.entries(CONFIG_HINTS).map(([code, say]) => ({ code, kind: 'config' as const, say })),
    { code: /^INSUFFICIENT_ACCESS/, kind: 'config', say: CONFIG_HINTS.INSUFFICIENT_ACCESS as string },
    // Any other SOAP fault (always a 500) is Salesforce's answer about this request, not an outage.
    { status: 500, body: /<faultcode>/, kind: 'data', say: 'Salesforce refused the request' },
    { status: [500, 599], kind: 'transient', say: (c) => `server error ${c.status}` },
  ],
});

const answer = (res: HttpResponse): Answer => ({ status: res.statusCode, header: (n) => res.headers[n], body: res.body ?? '' });

/** The typed error for a verdict, worded "what to fix [CODE: Salesforce's message]"; a refused session is marked, so the client can renew it once. */
function typed(v: Verdict, status: number, cause?: unknown): Error {
  const text = v.said.code ? `${v.said.code}: ${redact(v.said.message ?? '')}` : `HTTP ${status}`;
  const message = v.sentence ? `${v.sentence} [${text}]` : text;
  if (v.kind === 'config' && v.sentence === STATIC_TOKEN_HINT) return new SessionRejectedError(message);
  return errorOf('salesforce', { ...v, message }, cause);
}

/**
 * Turns one HTTP response into a typed error when retrying or stopping is the answer; else undefined
 * (another 4xx reaches jsforce, whose error keeps Salesforce's code for the callers, and toTypedError
 * then judges it by the same table).
 */
export function classifyResponse(res: HttpResponse): Error | undefined {
  const status = res.statusCode;
  if (status >= 400) {
    const v = judge(salesforceErrorPolicy(), answer(res), 'Salesforce', '');
    const decisive =
      status >= 500 ||
      status === 401 ||
      status === 429 ||
      v.kind === 'quota' ||
      v.kind === 'rateLimited' ||
      v.said.code === 'INVALID_SESSION_ID';
    if (decisive || isSoapFault(res.body))
      return typed(v, status, v.said.code ? { errorCode: v.said.code, message: v.said.message } : undefined);
    return undefined;
  }
  if (status >= 200 && status < 300 && res.body) {
    const type = res.headers['content-type'] ?? '';
    if (/json/.test(type) && jsonOf(res.body) === undefined)
      return new TransientError('salesforce', `malformed JSON in a ${status} response`);
    if (/xml/.test(type) && !/<\/(?:\w+:)?Envelope>\s*$/.test(res.body))
      return new TransientError('salesforce', `truncated SOAP envelope in a ${status} response`);
  }
  return undefined;
}

/** Maps whatever jsforce threw into the kit's errors (already-typed errors pass through). */
export function toTypedError(err: unknown): Error {
  if (isTypedError(err)) return err;
  const e = err as { errorCode?: unknown; name?: unknown; message?: unknown };
  if (e && typeof e.errorCode === 'string') {
    const body = JSON.stringify([{ errorCode: e.errorCode, message: String(e.message ?? '') }]);
    return typed(judge(salesforceErrorPolicy(), { status: 400, header: () => undefined, body }, 'Salesforce', ''), 400, err);
  }
  if (e && e.name === 'AbortError') return err as Error;
  // jsforce refuses to send a JWT-based access token to the SOAP API before v68.0 (the setup's Metadata API calls).
  if (/SOAP API does not support JWT-based access tokens/.test(String(e?.message)))
    return new ConfigError(
      'salesforce',
      'the app issues JWT-based access tokens, which the Metadata API (SOAP) accepts only from API version 68.0: turn off "Issue JSON Web Token (JWT)-based access tokens" in the app, or set salesforce.version to "68.0" or later',
      { cause: err },
    );
  return new TransientError('salesforce', redact(String(e?.message ?? err)), { cause: err });
}

/** Salesforce's error code and message behind a typed error (e.g. INSUFFICIENT_ACCESS), when it gave one. */
export function vendorErrorOf(err: unknown): { code: string; message: string } | undefined {
  for (let e = err as { errorCode?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.errorCode === 'string') {
      const code = e.errorCode.replace(/^sf:/, '');
      return { code, message: redact(String(e.message ?? '')).replace(`${code}: `, '') };
    }
    e = e.cause as typeof e;
  }
  return undefined;
}
