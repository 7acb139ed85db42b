// HubSpot's declarative error policy: which answers are a human's to fix (401, 403 with the missing
// scope named), which are rate limits (429 TEN_SECONDLY_ROLLING / SECONDLY: wait; DAILY: stop for
// today), which are transient (5xx, network, a body that does not parse), and which are a bad request
// the caller must handle (400/404/409: a record, not the run).
// Docs: https://developers.hubspot.com/docs/api/error-handling
import { ConfigError, DataError, QuotaExhaustedError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { redact } from '../shared/http-trace.ts';
import { parseRetryAfter } from '../shared/retry.ts';

/** What the middleware saw of one exchange. */
export interface Observed {
  started: number;
  method?: string;
  url?: string;
  requestBody?: string | undefined;
  status?: number;
  headers?: Record<string, string>;
  responseBody?: string;
}

/** HubSpot's error body (all fields optional: the vendor varies them by API). */
export interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  subCategory?: string;
  errorType?: string;
  policyName?: string;
  correlationId?: string;
  errors?: { message?: string; code?: string; context?: Record<string, unknown> }[];
  context?: Record<string, unknown>;
}

/** A 4xx HubSpot refused the request with (other than auth and rate limits): the caller decides. */
export class HubSpotRequestError extends DataError {
  readonly status: number;
  readonly category: string | undefined;
  readonly body: HubSpotErrorBody;
  constructor(status: number, message: string, body: HubSpotErrorBody, options?: ErrorOptions) {
    super('hubspot', undefined, message, options);
    this.status = status;
    this.category = body.category;
    this.body = body;
  }
}

/** A 5xx: transient, with the status (a 500 from HubSpot's own error handler may be caused by one record in a batch). */
export class HubSpotServerError extends TransientError {
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super('hubspot', message, options);
    this.status = status;
  }
}

export function parseErrorBody(text: string | undefined): HubSpotErrorBody {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as HubSpotErrorBody) : {};
  } catch {
    return {};
  }
}

function missingScopes(body: HubSpotErrorBody): string[] {
  const out = new Set<string>();
  for (const e of body.errors ?? []) {
    for (const key of ['requiredGranularScopes', 'requiredScopes', 'missingScopes']) {
      const v = e.context?.[key];
      if (Array.isArray(v)) for (const s of v) out.add(String(s));
    }
  }
  return [...out];
}

/** Maps a failed SDK call (with what the middleware observed) to the shared typed errors. */
export function toHubSpotError(what: string, x: Observed, err: unknown, windows: { windowMs: number; searchWindowMs: number }): Error {
  const cause = { cause: err };
  if (x.url === undefined) return err instanceof Error ? err : new Error(String(err)); // never sent: a programming error
  if (x.status === undefined)
    return new TransientError('hubspot', `${what}: network error: ${redact((err as Error).message ?? String(err))}`, cause);
  const status = x.status;
  const body = parseErrorBody(x.responseBody);
  const said = redact([body.category, body.message].filter(Boolean).join(': ') || `HTTP ${status}`);
  if (status === 429) {
    if (body.policyName === 'DAILY')
      return new QuotaExhaustedError(
        'hubspot',
        `${what}: HubSpot's daily API limit is used up (policy DAILY); stop here and resume after the daily reset, or raise the portal's limit`,
        cause,
      );
    const header = x.headers?.['retry-after'];
    const fallback = body.policyName === 'SECONDLY' ? windows.searchWindowMs : windows.windowMs;
    return new RateLimitedError(
      'hubspot',
      `${what}: rate limited (${body.policyName ?? 'unknown policy'})`,
      parseRetryAfter(header) ?? fallback,
      cause,
    );
  }
  if (status === 401) {
    const fix =
      body.category === 'EXPIRED_AUTHENTICATION'
        ? 'the access token has expired: refresh the OAuth token or create a new private app token and put it where healthscore reads it (HUBSPOT_ACCESS_TOKEN for the CLI, the hubspot secret in Secrets Manager for the Lambdas)'
        : 'HubSpot did not accept the access token: check it is a private app token for this portal, not revoked (HUBSPOT_ACCESS_TOKEN for the CLI, the hubspot secret in Secrets Manager for the Lambdas)';
    return new ConfigError('hubspot', `${what}: ${fix} (HubSpot said ${said})`, cause);
  }
  if (status === 403) {
    const scopes = missingScopes(body);
    const fix =
      scopes.length > 0
        ? `the private app lacks the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}: add ${scopes.length > 1 ? 'them' : 'it'} in HubSpot (Settings → Integrations → Private apps → Scopes) and use the updated token`
        : 'the token may not do this: check the private app scopes and the user permissions';
    return new ConfigError('hubspot', `${what}: ${fix} (HubSpot said ${said})`, cause);
  }
  if (status >= 500 || status === 408) return new HubSpotServerError(status, `${what}: HubSpot answered ${status} (${said})`, cause);
  if (status >= 200 && status < 300)
    return new TransientError(
      'hubspot',
      `${what}: HubSpot answered ${status} with a body that could not be read (${redact(String(err))})`,
      cause,
    );
  return new HubSpotRequestError(status, `${what}: HubSpot refused the request with ${status} (${said})`, body, cause);
}
