// The official `node-zendesk` client, configured for this project through its custom transport:
// every exchange goes through observedFetch (counted and traced), takes the process-wide plan budget
// (and the incremental-export budget for /incremental/ paths), and is retried with the shared capped
// policy (429 waits Retry-After; 5xx, network errors and malformed bodies back off). The client only
// ever sees successful bodies or a typed error: auth failures are ConfigErrors that say what to fix.
import zendesk from 'node-zendesk';
import { ConfigError, DataError, RateLimitedError, TransientError } from '../shared/errors.ts';
import { observedFetch, registerSecret } from '../shared/http-trace.ts';
import { sharedBudget } from '../shared/rate-budget.ts';
import { parseRetryAfter, withRetry } from '../shared/retry.ts';
import type { ZendeskConfig } from './config.ts';

export type ZendeskClient = ReturnType<typeof zendesk.createClient>;

interface TransportOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

const typed = (err: unknown): err is Error =>
  err instanceof ConfigError || err instanceof RateLimitedError || err instanceof TransientError || err instanceof DataError;

/** node-zendesk's `transportFn`: one exchange with our budgets, retries and error typing. */
export function zendeskTransport(config: ZendeskConfig, signal?: AbortSignal) {
  const windowMs = config.limits.windowMs;
  const plan = sharedBudget('zendesk', { limit: Math.max(1, Math.floor(config.limits.planPerMinute * 0.9)), windowMs });
  const incremental = sharedBudget('zendesk:incremental', { limit: Math.max(1, config.limits.incrementalPerMinute - 1), windowMs });
  const observed = observedFetch('zendesk');
  return (uri: string, options: TransportOptions): Promise<Response> => {
    const isIncremental = new URL(uri).pathname.includes('/incremental/');
    const budget = isIncremental ? incremental : plan;
    const init = {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
    };
    return withRetry(
      async () => {
        const attempt = AbortSignal.any([AbortSignal.timeout(config.timeoutMs), ...(signal ? [signal] : [])]);
        const send = () => plan.run(() => observed(uri, { ...init, signal: attempt }), signal);
        let res: Response;
        try {
          res = isIncremental ? await incremental.run(send, signal) : await send();
        } catch (err) {
          if (signal?.aborted) throw err;
          throw new TransientError('zendesk', `network error: ${(err as Error).message}`);
        }
        const path = new URL(uri).pathname;
        if (res.status === 429) {
          await res.body?.cancel();
          throw new RateLimitedError(
            'zendesk',
            `rate limited (429) on ${path}`,
            parseRetryAfter(res.headers.get('retry-after')) ?? windowMs,
          );
        }
        if (res.status >= 500) {
          await res.body?.cancel();
          throw new TransientError('zendesk', `server error ${res.status} on ${path}`);
        }
        if (res.status === 401) {
          await res.body?.cancel();
          throw new ConfigError(
            'zendesk',
            "the credentials were rejected (401 Couldn't authenticate you): check username (the API user's email) in the Zendesk config and the API token (ZENDESK_API_TOKEN for the CLI, the zendesk secret in Secrets Manager for the Lambdas), and that token access is enabled in Admin Center",
          );
        }
        if (res.status === 403) {
          await res.body?.cancel();
          throw new ConfigError(
            'zendesk',
            `the API user may not read ${path} (403): incremental exports and satisfaction ratings need an admin's token`,
          );
        }
        if (res.status === 404) {
          await res.body?.cancel();
          throw new ConfigError(
            'zendesk',
            `the API answered 404 for ${path}: check subdomain or baseUrl (it must end in /api/v2) in the Zendesk source config`,
          );
        }
        if (!res.ok) return res;
        const text = await res.text();
        try {
          JSON.parse(text);
        } catch {
          throw new TransientError('zendesk', `malformed JSON body on ${path}`);
        }
        return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
      },
      { policy: config.retry, budget, ...(signal ? { signal } : {}) },
    );
  };
}

/** The official client at `config.endpointUri`, with our transport. */
export function createZendeskClient(config: ZendeskConfig, signal?: AbortSignal): ZendeskClient {
  registerSecret(config.apiToken);
  return zendesk.createClient({
    username: config.username,
    token: config.apiToken,
    endpointUri: config.endpointUri,
    throwOriginalException: true,
    transportConfig: {
      transportFn: zendeskTransport(config, signal),
      responseAdapter: (r: Response) => ({
        json: () => r.json(),
        status: r.status,
        headers: { get: (k: string) => r.headers.get(k) },
        statusText: r.statusText,
      }),
    },
  });
}

/** Maps what the client threw to our typed errors, with no secret in the message. */
export function toZendeskError(err: unknown): Error {
  if (typed(err)) return err;
  const e = err as { statusCode?: number; message?: string; result?: { error?: unknown; description?: unknown } };
  if (typeof e?.statusCode === 'number') {
    const detail = [e.result?.error, e.result?.description].filter((x) => typeof x === 'string').join(': ');
    return new Error(`zendesk: request failed (${e.statusCode})${detail ? `: ${detail}` : ''}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** GET through the client, returning the whole JSON body (cursor fields included). */
export async function getBody(client: ZendeskClient, resource: string | (string | Record<string, unknown>)[]): Promise<unknown> {
  try {
    // TicketExport's jsonAPINames match none of the export bodies, so the client hands back the whole body.
    const r = (await client.ticketexport.get(resource)) as unknown as { result: unknown };
    return r.result;
  } catch (err) {
    throw toZendeskError(err);
  }
}
