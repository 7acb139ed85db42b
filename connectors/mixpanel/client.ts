// The Mixpanel HTTP client (there is no official query SDK): the shared transport
// (connectors/shared/transport.ts) with Mixpanel's error policy (errors.ts), service-account basic
// auth, one process-wide budget for the Query API (60/h, 5 at once) and two for the raw export
// (60/h, 3/s), each at a safety margin, a timeout per attempt, and capped retries of the whole
// exchange (a broken export stream included); typed errors that never carry the secret.

import { dayOfIndex } from '../../lib/days.ts';
import { firstIssue } from '../../lib/zod-issues.ts';
import { QuotaExhaustedError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { registerSecret } from '../shared/http-trace.ts';
import type { RateBudget } from '../shared/rate-budget.ts';
import { budgetFor } from '../shared/rate-limit.ts';
import { withRetry } from '../shared/retry.ts';
import { policyFetch } from '../shared/transport.ts';
import type { MixpanelConfig } from './config.ts';
import { resolveBaseUrls } from './config.ts';
import { mixpanelErrorPolicy } from './errors.ts';
import { type SegmentationResponse, segmentationResponseSchema } from './raw-schemas.ts';

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

export class MixpanelClient {
  private readonly config: MixpanelConfig;
  private readonly base: { query: string; export: string };
  private readonly authorization: string;
  /** One attempt each: the client retries the whole exchange (an export's stream included). */
  private readonly query: typeof fetch;
  private readonly export: typeof fetch;
  readonly queryBudget: RateBudget;
  private readonly exportHourly: RateBudget;

  constructor(config: MixpanelConfig, baseFetch?: typeof fetch) {
    this.config = config;
    this.base = resolveBaseUrls(config);
    const { username, secret } = config.serviceAccount;
    registerSecret(secret);
    this.authorization = `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
    registerSecret(this.authorization.slice('Basic '.length));
    const l = config.rateLimit;
    this.queryBudget = budgetFor('mixpanel', l, l.safety);
    this.exportHourly = budgetFor('mixpanel:export', l.export, l.safety);
    const exportPerSecond = budgetFor('mixpanel:export-per-second', l.exportPerSecond, l.safety);
    const common = {
      policy: mixpanelErrorPolicy(config.projectId, l.exportPerSecond.perMs),
      retry: { maxAttempts: 1 },
      timeoutMs: config.timeoutMs,
      ...(baseFetch ? { baseFetch } : {}),
    };
    this.query = policyFetch({ ...common, budgets: () => [this.queryBudget] });
    this.export = policyFetch({ ...common, body: 'stream', budgets: () => [this.exportHourly, exportPerSecond] });
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
    return this.retrying(`segmentation of "${p.event}"`, this.queryBudget, signal, async () => {
      const res = await this.query(url, this.init(signal));
      const parsed = segmentationResponseSchema.safeParse(await res.json());
      if (!parsed.success) {
        throw new TransientError('mixpanel', `segmentation of "${p.event}": unexpected response shape (${firstIssue(parsed.error)})`);
      }
      return parsed.data;
    });
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
    return this.retrying(what, this.exportHourly, signal, async () => {
      const res = await this.export(url, this.init(signal));
      return consume(readLines(res, what));
    });
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

  private init(signal: AbortSignal | undefined): RequestInit {
    return { headers: { authorization: this.authorization, accept: 'application/json' }, ...(signal ? { signal } : {}) };
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
