// HubSpot's error policy as data (connectors/shared/error-policy.ts): which answers are a human's to
// fix (401, 403 with the missing scope named), which are rate limits (429 TEN_SECONDLY_ROLLING /
// SECONDLY: wait; DAILY: stop for today), which are transient (5xx, network, a body that does not
// parse), and which are a bad request the caller must handle (400/404/409: a record, not the run).
// Docs: https://developers.hubspot.com/docs/api/error-handling
import { type ErrorPolicy, errorOf, judge } from '../shared/error-policy.ts';
import { DataError, TransientError } from '../shared/errors.ts';
import { redact } from '../shared/http-trace.ts';

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

const WHERE_TOKEN = 'HUBSPOT_ACCESS_TOKEN for the CLI, the hubspot secret in Secrets Manager for the Lambdas';

/** HubSpot's error policy as data: the first matching rule names the typed error and its sentence. */
export const hubSpotErrorPolicy = (windows: { windowMs: number; searchWindowMs: number }): ErrorPolicy => ({
  vendor: 'hubspot',
  read(text) {
    const body = parseErrorBody(text);
    return {
      code: body.category,
      message: body.message,
      details: { scopes: missingScopes(body), policyName: body.policyName, body },
    };
  },
  rateLimitWaitMs: (c) => (c.said.details?.policyName === 'SECONDLY' ? windows.searchWindowMs : windows.windowMs),
  rules: [
    {
      status: 429,
      body: /"policyName"\s*:\s*"DAILY"/,
      kind: 'quota',
      say: "HubSpot's daily API limit is used up (policy DAILY); stop here and resume after the daily reset, or raise the portal's limit",
    },
    { status: 429, kind: 'rateLimited', say: (c) => `rate limited (${String(c.said.details?.policyName ?? 'unknown policy')})` },
    {
      status: 401,
      code: 'EXPIRED_AUTHENTICATION',
      kind: 'config',
      say: `the access token has expired: refresh the OAuth token or create a new private app token and put it where healthscore reads it (${WHERE_TOKEN})`,
    },
    {
      status: 401,
      kind: 'config',
      say: `HubSpot did not accept the access token: check it is a private app token for this portal, not revoked (${WHERE_TOKEN})`,
    },
    {
      status: 403,
      kind: 'config',
      say: (c) => {
        const scopes = (c.said.details?.scopes ?? []) as string[];
        if (scopes.length === 0) return 'the token may not do this: check the private app scopes and the user permissions';
        const many = scopes.length > 1;
        return `the private app lacks the scope${many ? 's' : ''} ${scopes.join(', ')}: add ${many ? 'them' : 'it'} in HubSpot (Settings → Integrations → Private apps → Scopes) and use the updated token`;
      },
    },
    { status: [500, 599], kind: 'transient', say: (c) => `HubSpot answered ${c.status}` },
    { status: 408, kind: 'transient', say: 'HubSpot timed out' },
    { status: [400, 499], kind: 'data', say: (c) => `HubSpot refused the request with ${c.status}` },
  ],
});

/** Maps a failed SDK call (with what the middleware observed) to the shared typed errors. */
export function toHubSpotError(what: string, x: Observed, err: unknown, policy: ErrorPolicy): Error {
  const cause = { cause: err };
  if (x.url === undefined) return err instanceof Error ? err : new Error(String(err)); // never sent: a programming error
  if (x.status === undefined)
    return new TransientError('hubspot', `${what}: network error: ${redact((err as Error).message ?? String(err))}`, cause);
  const status = x.status;
  if (status >= 200 && status < 300)
    return new TransientError(
      'hubspot',
      `${what}: HubSpot answered ${status} with a body that could not be read (${redact(String(err))})`,
      cause,
    );
  const headers = x.headers ?? {};
  const v = judge(policy, { status, header: (n) => headers[n], body: x.responseBody ?? '' }, what, new URL(x.url).pathname);
  // The writer and the search split need the status and HubSpot's category of a refusal or a 5xx.
  if (v.kind === 'data') return new HubSpotRequestError(status, v.message, parseErrorBody(x.responseBody), cause);
  if (v.kind === 'transient') return new HubSpotServerError(status, v.message, cause);
  return errorOf('hubspot', v, err);
}
