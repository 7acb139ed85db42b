// The Mixpanel HTTP client (there is no official query SDK): plain fetch through observedFetch, so
// every exchange is counted and traceable; service-account basic auth; one process-wide budget for
// the Query API (60/h, 5 at once) and one for the raw export (60/h, 3/s), each at a safety margin;
// Retry-After honoured, capped retries on 5xx/network; typed errors that never carry the secret.

import { dayOfIndex } from '../../lib/days.ts';
import { firstIssue } from '../../lib/zod-issues.ts';
import { ConfigError, QuotaExhaustedError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { observedFetch, redact, registerSecret } from '../shared/http-trace.ts';
import { type RateBudget, sharedBudget } from '../shared/rate-budget.ts';
import { parseRetryAfter, withRetry } from '../shared/retry.ts';
import type { MixpanelConfig } from './config.ts';
import { resolveBaseUrls } from './config.ts';
import { errorBodySchema, type SegmentationResponse, segmentationResponseSchema } from './raw-schemas.ts';

export interface SegmentationParams {
  event: string;
  fromDay: number;
  toDay: number;
  type: 'general' | 'unique' | 'average';
  /** Daily buckets, or `interval` days per bucket counted from `fromDay`. */
  unit?: 'day' | 'week' | 'month';
  interval?: number;
  on?: string;
  where?: string;
  limit?: number;
}

export interface ExportParams {
  fromDay: number;
  toDay: number;
  events: readonly string[];
  where?: string;
}

const margin = (n: number, m: number) => Math.max(1, Math.floor(n * (1 - m)));

export class MixpanelClient {
  private readonly config: MixpanelConfig;
  private readonly base: { query: string; export: string };
  private readonly authorization: string;
  private readonly fetch: typeof fetch;
  readonly queryBudget: RateBudget;
  private readonly exportHourly: RateBudget;
  private readonly exportPerSecond: RateBudget;

  constructor(config: MixpanelConfig, baseFetch?: typeof fetch) {
    this.config = config;
    this.base = resolveBaseUrls(config);
    const { username, secret } = config.serviceAccount;
    registerSecret(secret);
    this.authorization = `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
    registerSecret(this.authorization.slice('Basic '.length));
    this.fetch = observedFetch('mixpanel', baseFetch);
    const l = config.limits;
    this.queryBudget = sharedBudget('mixpanel', {
      limit: margin(l.queriesPerHour, l.safetyMargin),
      windowMs: l.queryWindowMs,
      concurrency: margin(l.queryConcurrency, l.safetyMargin),
    });
    this.exportHourly = sharedBudget('mixpanel:export', { limit: margin(l.exportsPerHour, l.safetyMargin), windowMs: l.exportWindowMs });
    this.exportPerSecond = sharedBudget('mixpanel:export-per-second', {
      limit: margin(l.exportsPerSecond, l.safetyMargin),
      windowMs: l.exportSecondMs,
    });
  }

  /** One segmentation report. Counts as one of the project's 60 Query API queries an hour. */
  async segmentation(p: SegmentationParams, signal?: AbortSignal): Promise<SegmentationResponse> {
    // https://developer.mixpanel.com/reference/segmentation-query
    const url = this.url(this.base.query, '/segmentation', {
      event: p.event,
      from_date: dayOfIndex(p.fromDay),
      to_date: dayOfIndex(p.toDay),
      type: p.type,
      ...(p.interval === undefined ? { unit: p.unit ?? 'day' } : { interval: String(p.interval) }),
      ...(p.on === undefined ? {} : { on: p.on }),
      ...(p.where === undefined ? {} : { where: p.where }),
      ...(p.limit === undefined ? {} : { limit: String(p.limit) }),
    });
    return this.retrying(`segmentation of "${p.event}"`, this.queryBudget, signal, () =>
      this.queryBudget.run(async () => {
        const res = await this.send(url, `segmentation of "${p.event}"`, signal);
        let json: unknown;
        try {
          json = await res.json();
        } catch (err) {
          throw new TransientError('mixpanel', `segmentation of "${p.event}": response body is not JSON`, { cause: err });
        }
        const parsed = segmentationResponseSchema.safeParse(json);
        if (!parsed.success) {
          throw new TransientError('mixpanel', `segmentation of "${p.event}": unexpected response shape (${firstIssue(parsed.error)})`);
        }
        return parsed.data;
      }, signal),
    );
  }

  /**
   * Streams the raw export line by line into `consume`. A failure mid-stream retries the whole
   * export with a fresh call of `consume`, so partial results are never double counted.
   */
  async exportLines<T>(p: ExportParams, consume: (lines: AsyncIterable<string>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    // https://developer.mixpanel.com/reference/raw-event-export
    const url = this.url(this.base.export, '/export', {
      from_date: dayOfIndex(p.fromDay),
      to_date: dayOfIndex(p.toDay),
      event: JSON.stringify(p.events),
      ...(p.where === undefined ? {} : { where: p.where }),
    });
    const what = `export ${dayOfIndex(p.fromDay)}..${dayOfIndex(p.toDay)}`;
    return this.retrying(what, this.exportHourly, signal, () =>
      this.exportHourly.run(
        () =>
          this.exportPerSecond.run(async () => {
            const res = await this.send(url, what, signal);
            return consume(readLines(res, what));
          }, signal),
        signal,
      ),
    );
  }

  private url(base: string, path: string, params: Record<string, string>): string {
    const q = new URLSearchParams({ project_id: this.config.projectId, ...params });
    if (this.config.workspaceId) q.set('workspace_id', this.config.workspaceId);
    return `${base}${path}?${q}`;
  }

  private async retrying<T>(what: string, budget: RateBudget, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(fn, { policy: definedOnly(this.config.retry), budget, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (err instanceof RateLimitedError) {
        const wait = err.retryAfterMs === undefined ? '' : ` (Mixpanel asks to wait ${Math.ceil(err.retryAfterMs / 1000)} s)`;
        throw new QuotaExhaustedError('mixpanel', `${what}: rate limit still exceeded after waiting${wait}; resume later`, { cause: err });
      }
      throw err;
    }
  }

  private async send(url: string, what: string, signal: AbortSignal | undefined): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetch(url, {
        headers: { authorization: this.authorization, accept: 'application/json' },
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new TransientError('mixpanel', `${what}: network error (${redact((err as Error).message)})`, { cause: err });
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let vendorMessage = text.slice(0, 300);
    try {
      vendorMessage = errorBodySchema.parse(JSON.parse(text)).error ?? vendorMessage;
    } catch {
      // not JSON: keep the text
    }
    const detail = redact(vendorMessage);
    const s = res.status;
    if (s === 401 || s === 403) {
      throw new ConfigError(
        'mixpanel',
        `${what}: service account refused (${s}: ${detail}). Check mixpanel.serviceAccount (username and secret) and that it has access to project ${this.config.projectId}.`,
      );
    }
    if (s === 429)
      throw new RateLimitedError('mixpanel', `${what}: rate limited (${detail})`, parseRetryAfter(res.headers.get('retry-after')));
    if (s === 404) throw new ConfigError('mixpanel', `${what}: not found (404). Check mixpanel.region or the base URLs.`);
    if (s >= 400 && s < 500)
      throw new ConfigError('mixpanel', `${what}: request rejected (${s}: ${detail}). Check the Mixpanel configuration.`);
    throw new TransientError('mixpanel', `${what}: Mixpanel answered ${s} (${detail})`);
  }
}

function definedOnly<T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]-?: Exclude<T[K], undefined> };
}

/** Splits a response body into lines as it arrives; a broken stream is a TransientError. */
async function* readLines(res: Response, what: string): AsyncIterable<string> {
  if (!res.body) return;
  let rest = '';
  try {
    for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        const line = part.trim();
        if (line) yield line;
      }
    }
  } catch (err) {
    throw new TransientError('mixpanel', `${what}: stream broke off (${(err as Error).message})`, { cause: err });
  }
  if (rest.trim()) yield rest.trim();
}
