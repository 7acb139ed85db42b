// The jsforce client as the connector uses it: one Connection per connector with the version always
// set, its transport observed (transport.ts: traced, no blind retries, typed errors), a session from
// the configured OAuth flow (auth.ts) renewed once and the call retried when Salesforce refuses it,
// and every call run through the process-wide Salesforce budget with the shared retry policy.
import type { Connection, QueryResult } from 'jsforce';
import jsforce from 'jsforce';
import { QuotaExhaustedError } from '../shared/errors.ts';
import type { RateBudget } from '../shared/rate-budget.ts';
import { budgetFor } from '../shared/rate-limit.ts';
import { type RetryPolicy, withRetry } from '../shared/retry.ts';
import { classifyResponse, SessionRejectedError, toTypedError } from './api-errors.ts';
import { SalesforceSessions } from './auth.ts';
import { freshSessionRefused } from './auth-errors.ts';
import type { SalesforceConfig } from './config.ts';
import { observeTransport } from './transport.ts';

export { toTypedError, vendorErrorOf } from './api-errors.ts';

export type SfRow = Record<string, unknown>;

export interface ApiUsage {
  used: number;
  limit: number;
}

export class SalesforceClient {
  readonly conn: Connection;
  readonly config: SalesforceConfig;
  readonly budget: RateBudget;
  /** The session the calls carry: obtained at the first call, renewed when Salesforce refuses it. */
  readonly sessions: SalesforceSessions;
  /** The org's API usage as the last response's Sforce-Limit-Info header reported it. */
  usage: ApiUsage | undefined;

  constructor(config: SalesforceConfig) {
    this.config = config;
    this.sessions = new SalesforceSessions(config.auth, { instanceUrl: config.instanceUrl, timeoutMs: config.timeoutMs });
    // No accessToken and no oauth2 client here: jsforce would then renew sessions itself, retrying without bound.
    this.conn = new jsforce.Connection({
      instanceUrl: (config.instanceUrl ?? 'https://login.salesforce.com').replace(/\/$/, ''),
      version: config.version,
      ...(config.auth.flow === 'accessToken' ? { accessToken: config.auth.accessToken } : {}),
    });
    this.budget = budgetFor('salesforce', config.rateLimit, config.rateLimit.safety);
    observeTransport(this.conn._transport, {
      timeoutMs: config.timeoutMs,
      classify: (res) => {
        const usage = /api-usage=(\d+)\/(\d+)/.exec(res.headers['sforce-limit-info'] ?? '');
        if (usage) this.usage = { used: Number(usage[1]), limit: Number(usage[2]) };
        return classifyResponse(res);
      },
    });
  }

  /** The org URL of the current session (the token response's instance_url with an OAuth flow). */
  get instanceUrl(): string | undefined {
    return this.conn.accessToken ? this.conn.instanceUrl : this.config.instanceUrl;
  }

  /** Puts a session on the connection (jsforce reads both for every REST and SOAP request it builds). */
  private use(session: { accessToken: string; instanceUrl: string }): void {
    if (this.conn.instanceUrl !== session.instanceUrl) {
      this.conn.instanceUrl = session.instanceUrl;
      this.conn._resetInstance();
    }
    this.conn.accessToken = session.accessToken;
  }

  /** One try of `fn` within the budget; a refused session is renewed once and `fn` tried again. */
  private async attempt<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    /** The token the request carried: read when it leaves, since a call queued in the budget may start after a renewal. */
    let carried: string | undefined;
    const once = () =>
      this.budget.run(async () => {
        try {
          carried = this.conn.accessToken ?? undefined;
          return await fn();
        } catch (err) {
          throw toTypedError(err);
        }
      }, signal);
    this.use(await this.sessions.current());
    try {
      return await once();
    } catch (err) {
      if (!(err instanceof SessionRejectedError) || !this.sessions.renewable) throw err;
    }
    this.use(await this.sessions.renew(carried));
    try {
      return await once();
    } catch (err) {
      if (err instanceof SessionRejectedError) throw freshSessionRefused(this.config.auth, err.message.replace(/^.*\[/, '['));
      throw err;
    }
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
        return this.attempt(fn, options.signal);
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
