// The official `node-zendesk` client, configured for this project through its custom transport: the
// shared transport (connectors/shared/transport.ts) with Zendesk's error policy (errors.ts), the plan
// budget (and the incremental-export budget for /incremental/ paths), a timeout per attempt, the
// trace and capped retries. The client only ever sees successful bodies or a typed error.
import zendesk from 'node-zendesk';
import { DataError, isTypedError } from '../shared/errors.ts';
import { registerSecret } from '../shared/http-trace.ts';
import { budgetFor } from '../shared/rate-limit.ts';
import { policyFetch } from '../shared/transport.ts';
import type { ZendeskConfig } from './config.ts';
import { zendeskErrorPolicy } from './errors.ts';

export type ZendeskClient = ReturnType<typeof zendesk.createClient>;

interface TransportOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** node-zendesk's `transportFn`: the shared transport with Zendesk's policy, plan budget and export budget. */
export function zendeskTransport(config: ZendeskConfig, signal?: AbortSignal) {
  const { rateLimit } = config;
  const plan = budgetFor('zendesk', rateLimit, rateLimit.safety);
  const incremental = budgetFor('zendesk:incremental', rateLimit.incremental, rateLimit.safety);
  const send = policyFetch({
    policy: zendeskErrorPolicy(rateLimit.perMs),
    retry: config.retry,
    timeoutMs: config.timeoutMs,
    signal,
    describe: (url, method) => `${method} ${url.pathname}`,
    // An export counts against both limits; a 429 there pauses the exports.
    budgets: (url) => (url.pathname.includes('/incremental/') ? [incremental, plan] : [plan]),
  });
  return (uri: string, options: TransportOptions): Promise<Response> =>
    send(uri, {
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
    });
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

/** The typed error for what the client threw (the transport's own pass through), with no secret in the message. */
export function toZendeskError(err: unknown): Error {
  if (isTypedError(err)) return err;
  if ((err as Error | undefined)?.name === 'AbortError') return err as Error;
  // The transport hands the client only readable successes: anything else is the client refusing a body.
  const message = err instanceof Error ? err.message : String(err);
  return new DataError('zendesk', undefined, `the Zendesk client failed: ${message}`, { cause: err });
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
