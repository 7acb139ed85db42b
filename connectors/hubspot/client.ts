// The one way the connector talks to HubSpot: the official SDK (`@hubspot/api-client`) behind the
// process-wide rate budget, our retry policy, a timeout, and HubSpot's error policy (errors.ts). The SDK cannot take a custom fetch, so a middleware
// captures each exchange (inside an AsyncLocalStorage slot per call) and we record it through the
// shared HTTP trace: every call is counted and traceable, with the token registered as a secret.
// The SDK's own Bottleneck limiter and retry decorator stay off (no `limiterOptions`, no
// `numberOfApiCallRetries`): one budget for all HubSpot calls, one retry policy.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from '@hubspot/api-client';
import { ConfigError, QuotaExhaustedError } from '../shared/errors.ts';
import { recordExchange, registerSecret } from '../shared/http-trace.ts';
import type { RateBudget } from '../shared/rate-budget.ts';
import { budgetFor } from '../shared/rate-limit.ts';
import { type RetryPolicy, withRetry } from '../shared/retry.ts';
import type { HubSpotConfig } from './config.ts';
import { hubSpotErrorPolicy, type Observed, toHubSpotError } from './errors.ts';

interface SdkRequestContext {
  getUrl(): string;
  getHttpMethod(): string;
  getBody(): unknown;
}
interface SdkResponseContext {
  httpStatusCode: number;
  headers: Record<string, string>;
  body: { text(): Promise<string> };
}

const slots = new AsyncLocalStorage<Observed>();

const observeMiddleware = {
  pre(ctx: unknown) {
    const slot = slots.getStore();
    const c = ctx as SdkRequestContext;
    if (slot) {
      slot.method = String(c.getHttpMethod());
      slot.url = c.getUrl();
      const body = c.getBody();
      slot.requestBody = typeof body === 'string' ? body : undefined;
      slot.started = performance.now();
    }
    return ctx;
  },
  async post(ctx: unknown) {
    const slot = slots.getStore();
    const r = ctx as SdkResponseContext;
    if (slot) {
      slot.status = r.httpStatusCode;
      slot.headers = r.headers;
      slot.responseBody = await r.body.text();
    }
    return ctx;
  },
};

export interface CallOptions {
  /** Search endpoints have their own per-second limit on top of the 10-second one. */
  search?: boolean;
  /** Only 429s and 5xx are retried (for creates, where a dropped connection may have created the record). */
  retryOnlyWhenUnprocessed?: boolean;
  signal?: AbortSignal | undefined;
  /** Overrides the configured attempts (e.g. fewer for the halves of a split batch). */
  maxAttempts?: number;
}

export interface HubSpotCaller {
  readonly config: HubSpotConfig;
  /** Runs one SDK call under the budget with retries; `fn` runs once per HTTP attempt. Throws the typed errors. */
  call<T>(what: string, fn: (sdk: Client) => Promise<T>, options?: CallOptions): Promise<T>;
}

export function createHubSpotCaller(config: HubSpotConfig): HubSpotCaller {
  registerSecret(config.accessToken);
  const sdk = new Client({ accessToken: config.accessToken, basePath: config.basePath, middleware: [observeMiddleware] });
  const { rateLimit } = config;
  const budget = budgetFor('hubspot', rateLimit, rateLimit.safety);
  const searchBudget = budgetFor('hubspot:search', rateLimit.search, rateLimit.safety);
  const policy = hubSpotErrorPolicy({ windowMs: rateLimit.perMs, searchWindowMs: rateLimit.search.perMs });
  const retry: Partial<RetryPolicy> = Object.fromEntries(Object.entries(config.retry).filter(([, v]) => v !== undefined));
  /** After a 401 (the token is bad) or the daily limit, every further call fails at once: no retry storm. A 403 concerns one scope only. */
  let latched: Error | undefined;

  async function attempt<T>(what: string, fn: (sdk: Client) => Promise<T>, options: CallOptions): Promise<T> {
    if (latched) throw latched;
    const budgets: RateBudget[] = options.search ? [searchBudget, budget] : [budget];
    const held: RateBudget[] = [];
    const slot: Observed = { started: performance.now() };
    try {
      for (const b of budgets) {
        await b.acquire(options.signal);
        held.push(b);
      }
      const out = await withTimeout(
        slots.run(slot, () => fn(sdk)),
        config.timeoutMs,
      );
      record(slot);
      return out;
    } catch (err) {
      record(slot, err);
      const typed = toHubSpotError(what, slot, err, policy);
      if ((typed instanceof ConfigError && slot.status === 401) || typed instanceof QuotaExhaustedError) latched = typed;
      // A create whose connection dropped may have succeeded: surface it rather than retry it.
      if (options.retryOnlyWhenUnprocessed && slot.url !== undefined && slot.status === undefined) throw new NotRetried(typed);
      throw typed;
    } finally {
      for (const b of held) b.release();
    }
  }

  return {
    config,
    call(what, fn, options = {}) {
      const p = options.maxAttempts === undefined ? retry : { ...retry, maxAttempts: options.maxAttempts };
      return withRetry(() => attempt(what, fn, options), {
        policy: p,
        budget,
        ...(options.signal ? { signal: options.signal } : {}),
      }).catch((err: unknown) => {
        throw err instanceof NotRetried ? err.inner : err;
      });
    },
  };
}

class RequestTimeout extends Error {
  override name = 'RequestTimeout';
}

/**
 * The SDK's fetch takes no AbortSignal, so a hung request is abandoned rather than aborted: the
 * caller gets a timeout (treated like a dropped connection) and the late answer is ignored.
 */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RequestTimeout(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure of an abandoned request is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Wraps an error so withRetry does not retry it, then is unwrapped for the caller. */
class NotRetried extends Error {
  readonly inner: Error;
  constructor(inner: Error) {
    super(inner.message);
    this.inner = inner;
  }
}

function record(slot: Observed, err?: unknown): void {
  if (slot.url === undefined) return; // the SDK failed before sending anything
  recordExchange({
    vendor: 'hubspot',
    method: slot.method ?? 'GET',
    url: slot.url,
    status: slot.status ?? 0,
    requestBody: slot.requestBody,
    responseBody: slot.status === undefined ? `network error: ${(err as Error | undefined)?.message ?? 'unknown'}` : slot.responseBody,
    durationMs: performance.now() - slot.started,
  });
}
