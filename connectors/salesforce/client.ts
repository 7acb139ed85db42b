// The jsforce client as the connector uses it: one Connection per connector with the version always
// set, every HTTP exchange counted and traced (jsforce takes no custom fetch, so its transport is
// observed), jsforce's own blind retries off, responses classified into the kit's typed errors, and
// every call run through the process-wide Salesforce budget with the shared retry policy.
import type { Connection, HttpRequest, HttpRequestOptions, HttpResponse, QueryResult, StreamPromise } from 'jsforce';
import jsforce from 'jsforce';
import { ConfigError, DataError, QuotaExhaustedError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { recordExchange, redact, registerSecret } from '../shared/http-trace.ts';
import { type RateBudget, sharedBudget } from '../shared/rate-budget.ts';
import { parseRetryAfter, type RetryPolicy, withRetry } from '../shared/retry.ts';
import type { SalesforceConfig } from './config.ts';

export type SfRow = Record<string, unknown>;

const TOKEN_HINT =
  'the access token was rejected (INVALID_SESSION_ID: expired, revoked or for another org): issue a new access token for the integration user and put it where healthscore reads it (SALESFORCE_ACCESS_TOKEN for the CLI, the salesforce secret in Secrets Manager for the Lambdas)';

/** Error codes where a person must act (fix the mapping, grant a permission, renew the token). */
const CONFIG_HINTS: Record<string, string> = {
  INVALID_SESSION_ID: TOKEN_HINT,
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
  try {
    const parsed = JSON.parse(body) as ApiError[] | ApiError;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first.errorCode === 'string') return { code: first.errorCode, message: String(first.message ?? '') };
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/** SOAP faults (always HTTP 500) that a retry can cure; any other fault is an answer, not an outage. */
const TRANSIENT_FAULTS = new Set(['UNKNOWN_EXCEPTION', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG', 'UNABLE_TO_LOCK_ROW']);

/** Turns one HTTP response into a typed error when retrying or stopping is the answer; else undefined. */
function classifyResponse(res: HttpResponse): Error | undefined {
  const status = res.statusCode;
  const err = status >= 400 ? vendorError(res.body) : undefined;
  const text = err ? `${err.code}: ${redact(err.message)}` : `HTTP ${status}`;
  const soapFault = status === 500 && err !== undefined && /<faultcode>/.test(res.body);
  if (err?.code === 'INVALID_SESSION_ID' || status === 401) return new ConfigError('salesforce', `${TOKEN_HINT} [${text}]`);
  if (err?.code === 'REQUEST_LIMIT_EXCEEDED') {
    if (/concurrent/i.test(err.message)) return new RateLimitedError('salesforce', text, undefined);
    return new QuotaExhaustedError(
      'salesforce',
      `the org's daily API request allocation is used up (${text}); the run stops and resumes when the rolling 24-hour window frees requests`,
    );
  }
  if (status === 429) return new RateLimitedError('salesforce', text, parseRetryAfter(res.headers['retry-after']));
  // e.g. INSUFFICIENT_ACCESS "use of the Metadata API requires ... ModifyMetadata": a person must act.
  if (soapFault && !TRANSIENT_FAULTS.has(err.code)) return toTypedError({ errorCode: err.code, message: err.message });
  if (status >= 500) return new TransientError('salesforce', `server error ${status} ${text}`);
  if (status >= 200 && status < 300 && res.body) {
    const type = res.headers['content-type'] ?? '';
    if (/json/.test(type)) {
      try {
        JSON.parse(res.body);
      } catch {
        return new TransientError('salesforce', `malformed JSON in a ${status} response`);
      }
    } else if (/xml/.test(type) && !/<\/(?:\w+:)?Envelope>\s*$/.test(res.body)) {
      return new TransientError('salesforce', `truncated SOAP envelope in a ${status} response`);
    }
  }
  return undefined;
}

/** Maps whatever jsforce threw into the kit's errors (already-typed errors pass through). */
export function toTypedError(err: unknown): Error {
  if (err instanceof ConfigError || err instanceof QuotaExhaustedError || err instanceof RateLimitedError || err instanceof TransientError)
    return err;
  if (err instanceof DataError) return err;
  const e = err as { errorCode?: unknown; name?: unknown; message?: unknown };
  if (e && typeof e.errorCode === 'string') {
    const code = e.errorCode.replace(/^sf:/, '');
    const message = `${code}: ${redact(String(e.message ?? ''))}`;
    const hint = CONFIG_HINTS[code] ?? (code.startsWith('INSUFFICIENT_ACCESS') ? CONFIG_HINTS.INSUFFICIENT_ACCESS : undefined);
    if (hint) return new ConfigError('salesforce', `${hint} [${message}]`, { cause: err });
    return new DataError('salesforce', undefined, message, { cause: err });
  }
  if (e && e.name === 'AbortError') return err as Error;
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

export interface ApiUsage {
  used: number;
  limit: number;
}

export class SalesforceClient {
  readonly conn: Connection;
  readonly config: SalesforceConfig;
  readonly budget: RateBudget;
  /** The org's API usage as the last response's Sforce-Limit-Info header reported it. */
  usage: ApiUsage | undefined;

  constructor(config: SalesforceConfig) {
    this.config = config;
    registerSecret(config.accessToken);
    this.conn = new jsforce.Connection({
      instanceUrl: config.instanceUrl.replace(/\/$/, ''),
      accessToken: config.accessToken,
      version: config.version,
    });
    this.budget = sharedBudget('salesforce', config.budget);
    this.observeTransport();
  }

  /** Wraps jsforce's transport: no hidden retries, a timeout, a trace line per exchange, typed errors. */
  private observeTransport(): void {
    const transport = this.conn._transport;
    const send = transport.httpRequest.bind(transport);
    transport.httpRequest = (req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> => {
      const started = performance.now();
      const requestBody = typeof req.body === 'string' ? req.body : undefined;
      const sent = send(req, { ...options, retry: { maxRetries: 0, methods: [] }, timeout: this.config.timeoutMs });
      const checked = sent.then(
        (res) => {
          recordExchange({
            vendor: 'salesforce',
            method: req.method,
            url: req.url,
            status: res.statusCode,
            requestBody,
            responseBody: res.body,
            durationMs: performance.now() - started,
          });
          const usage = /api-usage=(\d+)\/(\d+)/.exec(res.headers['sforce-limit-info'] ?? '');
          if (usage) this.usage = { used: Number(usage[1]), limit: Number(usage[2]) };
          const typed = classifyResponse(res);
          if (typed) throw typed;
          return res;
        },
        (err: unknown) => {
          const message = `network error: ${(err as Error)?.message ?? String(err)}`;
          recordExchange({
            vendor: 'salesforce',
            method: req.method,
            url: req.url,
            status: 0,
            requestBody,
            responseBody: message,
            durationMs: performance.now() - started,
          });
          throw new TransientError('salesforce', redact(message), { cause: err });
        },
      );
      return Object.assign(checked, { stream: () => sent.stream() }) as StreamPromise<HttpResponse>;
    };
  }

  /** Stops before the org's allocation is gone, leaving `quotaReserve` of it to other integrations. */
  private checkAllocation(): void {
    const u = this.usage;
    if (!u) return;
    const ceiling = Math.floor(u.limit * (1 - this.config.quotaReserve));
    if (u.used >= ceiling)
      throw new QuotaExhaustedError(
        'salesforce',
        `API usage ${u.used}/${u.limit} reached the ceiling of ${ceiling} (quotaReserve ${this.config.quotaReserve} keeps the rest for other integrations); the run stops and resumes when the rolling 24-hour window frees requests`,
      );
  }

  /** One API call: budgeted, retried per policy (5xx, network, 429), errors typed. */
  call<T>(fn: () => Promise<T>, options: { signal?: AbortSignal | undefined; policy?: Partial<RetryPolicy> } = {}): Promise<T> {
    const policy = { ...this.config.retry, ...options.policy } as Partial<RetryPolicy>;
    return withRetry(
      () => {
        options.signal?.throwIfAborted();
        this.checkAllocation();
        return this.budget.run(async () => {
          try {
            return await fn();
          } catch (err) {
            throw toTypedError(err);
          }
        }, options.signal);
      },
      { policy, budget: this.budget, ...(options.signal ? { signal: options.signal } : {}) },
    );
  }

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
  /** Pages of a SOQL query, one call each, following nextRecordsUrl (or resuming from `cursor`). */
  async *queryPages(
    soql: string,
    options: { cursor?: string | undefined; signal?: AbortSignal | undefined } = {},
  ): AsyncGenerator<QueryResult<SfRow>> {
    let next = options.cursor;
    let first = next === undefined;
    while (first || next !== undefined) {
      const locator = next;
      const page = await this.call(
        () =>
          (locator === undefined ? this.conn.query<SfRow>(soql) : this.conn.queryMore<SfRow>(locator)) as unknown as Promise<
            QueryResult<SfRow>
          >,
        { signal: options.signal },
      );
      first = false;
      next = page.done ? undefined : page.nextRecordsUrl;
      yield page;
    }
  }

  /** Every record of a query (all pages). */
  async queryAll(soql: string, signal?: AbortSignal): Promise<SfRow[]> {
    const rows: SfRow[] = [];
    for await (const page of this.queryPages(soql, { signal })) rows.push(...page.records);
    return rows;
  }
}
