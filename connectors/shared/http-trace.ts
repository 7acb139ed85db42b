// Every vendor HTTP exchange goes through here: it is counted (calls and 429s per vendor, for the
// run summary and the benchmark) and, when HEALTHSCORE_HTTP_TRACE=<file> is set, appended to that
// file as one JSON line {vendor, method, url, status, requestBody, responseBody, durationMs} with
// credentials redacted. Connectors hand their SDK `observedFetch(vendor)` as its fetch.
import { appendFileSync } from 'node:fs';
import type { Vendor } from './errors.ts';

const secrets = new Set<string>();

/** Registers a credential so it is masked wherever it would appear in a trace line or error text. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

const sensitiveName =
  /(token|secret|password|passwd|authorization|api[-_]?key|apikey|session[-_]?id|signature|client[-_]?secret|private[-_]?key|assertion)/i;
const REDACTED = '[REDACTED]';

/** Whether a field name looks like it holds a credential (token, secret, password, key, session id...). */
export function isSensitiveName(name: string): boolean {
  return sensitiveName.test(name);
}

/** Masks registered secrets, sensitive JSON fields, query parameters and XML elements in text. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  out = out.replace(/(^|[?&])([\w.%[\]-]+)=([^&#\s"]*)/g, (m, sep: string, name: string) =>
    sensitiveName.test(name) ? `${sep}${name}=${REDACTED}` : m,
  );
  out = out.replace(/<((?:\w+:)?(\w+))>([^<]*)<\/\1>/g, (m, tag: string, local: string) =>
    sensitiveName.test(local) ? `<${tag}>${REDACTED}</${tag}>` : m,
  );
  out = out.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`);
  return out;
}

/** The same error with its message redacted (a vendor's error body may echo a credential). */
export function redactError<E>(err: E): E {
  if (err instanceof Error) err.message = redact(err.message);
  return err;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = sensitiveName.test(k) && typeof v !== 'object' ? REDACTED : redactValue(v);
    return out;
  }
  return typeof value === 'string' ? redact(value) : value;
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return redactValue(JSON.parse(text));
  } catch {
    return redact(text.length > 20_000 ? `${text.slice(0, 20_000)}…` : text);
  }
}

export interface Exchange {
  vendor: Vendor;
  method: string;
  url: string;
  status: number;
  requestBody?: string | undefined;
  responseBody?: string | undefined;
  durationMs: number;
}

export interface VendorCallStats {
  calls: number;
  rateLimited: number;
  errors: number;
}

const stats = new Map<Vendor, VendorCallStats>();

/** Calls per vendor made by this process since start (or the last reset). */
export function callStats(): Record<string, VendorCallStats> {
  return Object.fromEntries([...stats].map(([v, s]) => [v, { ...s }]));
}

/** Calls and 429s per vendor since an earlier `callStats()` snapshot. */
export function callsSince(before: Record<string, VendorCallStats>): {
  calls: Record<string, number>;
  rateLimited: Record<string, number>;
} {
  const calls: Record<string, number> = {};
  const rateLimited: Record<string, number> = {};
  for (const [vendor, s] of Object.entries(callStats())) {
    calls[vendor] = s.calls - (before[vendor]?.calls ?? 0);
    rateLimited[vendor] = s.rateLimited - (before[vendor]?.rateLimited ?? 0);
  }
  return { calls, rateLimited };
}

export function resetCallStats(): void {
  stats.clear();
}

/** Records one exchange: counts it and, when tracing is on, appends its redacted line. */
export function recordExchange(x: Exchange): void {
  const s = stats.get(x.vendor) ?? { calls: 0, rateLimited: 0, errors: 0 };
  s.calls++;
  if (x.status === 429) s.rateLimited++;
  else if (x.status === 0 || x.status >= 500) s.errors++;
  stats.set(x.vendor, s);
  const file = process.env.HEALTHSCORE_HTTP_TRACE;
  if (!file) return;
  const line = {
    vendor: x.vendor,
    method: x.method,
    url: redact(x.url),
    status: x.status,
    requestBody: parseBody(x.requestBody),
    responseBody: parseBody(x.responseBody),
    durationMs: Math.round(x.durationMs),
  };
  try {
    appendFileSync(file, `${redact(JSON.stringify(line))}\n`);
  } catch (err) {
    // A debugging aid must never break the run: say so once and stop tracing.
    process.stderr.write(`healthscore: HTTP trace disabled, cannot write ${file}: ${(err as Error).message}\n`);
    delete process.env.HEALTHSCORE_HTTP_TRACE;
  }
}

const tracing = () => Boolean(process.env.HEALTHSCORE_HTTP_TRACE);

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return `[${Object.prototype.toString.call(body).slice(8, -1)} body]`;
}

/** A `fetch` that counts and traces each exchange, for handing to a vendor SDK. */
export function observedFetch(vendor: Vendor, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    const request = input instanceof Request ? input : undefined;
    const method = init?.method ?? request?.method ?? 'GET';
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const requestBody = tracing() ? (bodyText(init?.body) ?? (request ? await request.clone().text() : undefined)) : undefined;
    let response: Response;
    try {
      response = await base(input, init);
    } catch (err) {
      recordExchange({
        vendor,
        method,
        url,
        status: 0,
        requestBody,
        responseBody: `network error: ${(err as Error).message}`,
        durationMs: performance.now() - started,
      });
      throw err;
    }
    const responseBody = tracing() ? await response.clone().text() : undefined;
    recordExchange({ vendor, method, url, status: response.status, requestBody, responseBody, durationMs: performance.now() - started });
    return response;
  };
}
