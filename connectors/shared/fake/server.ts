// The toolkit every vendor fake is built on: an HTTP server on 127.0.0.1 (ephemeral port) with a
// small router, a request log tests assert on, fault injection on demand, and rolling-window rate
// limits whose clock can be compressed so tests do not wait real vendor windows.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** The parsed JSON body, or undefined. */
  json: unknown;
  params: Record<string, string>;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as-is. */
  body?: unknown;
}

export type Handler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export type FaultKind =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'malformed' }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' };

export interface Fault {
  /** Which requests it hits; all when absent. */
  match?: (req: FakeRequest) => boolean;
  /** How many matching requests it hits (then it is spent); every one when absent. */
  times?: number;
  fault: FaultKind;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  at: number;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** Compressible time for rate-limit windows: `scale` 100 makes a 10 s window last 100 ms of real time. */
export class FakeClock {
  scale: number;
  private readonly origin = Date.now();
  constructor(scale = 1) {
    this.scale = scale;
  }
  /** Vendor time in ms. */
  now(): number {
    return this.origin + (Date.now() - this.origin) * this.scale;
  }
  /** Converts a vendor-time duration to real milliseconds (for Retry-After headers the client obeys). */
  real(ms: number): number {
    return ms / this.scale;
  }
}

/**
 * Vendor time that stands still and moves only when the fake tells a client to wait: the wait is
 * added to vendor time and the client is told to wait no real time at all. Every request then falls
 * in the window it was counted in whatever the machine's speed, so a limit test cannot depend on it.
 */
export class WaitOnlyClock extends FakeClock {
  private vendorNow: number;
  constructor(start = Date.UTC(2026, 0, 1)) {
    super(0);
    this.vendorNow = start;
  }
  override now(): number {
    return this.vendorNow;
  }
  override real(ms: number): number {
    this.vendorNow += ms;
    return 0;
  }
}

/** A rolling-window limit: `take()` answers whether one more request fits, and when the window frees. */
export class WindowLimit {
  limit: number;
  readonly windowMs: number;
  private readonly clock: FakeClock;
  private hits: number[] = [];
  constructor(limit: number, windowMs: number, clock: FakeClock) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.clock = clock;
  }
  take(): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
    const now = this.clock.now();
    this.hits = this.hits.filter((t) => t > now - this.windowMs);
    if (this.hits.length >= this.limit) return { ok: false, retryAfterMs: (this.hits[0] as number) + this.windowMs - now };
    this.hits.push(now);
    return { ok: true, remaining: this.limit - this.hits.length };
  }
  reset(): void {
    this.hits = [];
  }
}

export class FakeHttpServer {
  private readonly routes: Route[] = [];
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  readonly log: LoggedRequest[] = [];
  /** Runs before routing; a response it returns (e.g. 401, 429) is sent instead. */
  guard: ((req: FakeRequest) => FakeResponse | undefined) | undefined;
  baseUrl = '';
  port = 0;

  route(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, k: string) => {
        keys.push(k);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  /** Queues a fault; faults are checked in the order they were added. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests logged for `method` and a path matching `path` (exact string or RegExp). */
  calls(method?: string, path?: string | RegExp): LoggedRequest[] {
    return this.log.filter(
      (r) =>
        (method === undefined || r.method === method) &&
        (path === undefined || (typeof path === 'string' ? r.path === path : path.test(r.path))),
    );
  }

  async start(): Promise<string> {
    // Node refuses request heads over 16 KB by itself; a fake lets larger ones through so that it can answer them
    // the way its vendor does (and record the rule broken).
    this.server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    this.server = undefined;
  }

  private takeFault(req: FakeRequest): FaultKind | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i] as Fault;
      if (f.match && !f.match(req)) continue;
      if (f.times !== undefined) {
        f.times--;
        if (f.times <= 0) this.faults.splice(i, 1);
      }
      return f.fault;
    }
    return undefined;
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of raw) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(raw.url ?? '/', 'http://127.0.0.1');
    let json: unknown;
    if (body && (raw.headers['content-type'] ?? '').includes('json')) {
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
    }
    const req: FakeRequest = {
      method: raw.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body,
      json,
      params: {},
    };
    const send = (r: FakeResponse) => {
      this.log.push({ method: req.method, path: req.path, query: url.search, status: r.status, at: Date.now() });
      const isText = typeof r.body === 'string';
      const payload = r.body === undefined ? '' : isText ? (r.body as string) : JSON.stringify(r.body);
      res.writeHead(r.status, { 'content-type': isText ? 'text/plain' : 'application/json', ...r.headers });
      res.end(payload);
    };
    try {
      const fault = this.takeFault(req);
      if (fault?.kind === 'drop') {
        this.log.push({ method: req.method, path: req.path, query: url.search, status: 0, at: Date.now() });
        raw.socket.destroy();
        return;
      }
      if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.kind === 'status')
        return send({ status: fault.status, body: fault.body ?? { message: 'injected fault' }, headers: fault.headers ?? {} });
      const guarded = this.guard?.(req);
      if (guarded) return send(guarded);
      for (const route of this.routes) {
        if (route.method !== req.method) continue;
        const m = route.pattern.exec(req.path);
        if (!m) continue;
        route.keys.forEach((k, i) => {
          req.params[k] = decodeURIComponent(m[i + 1] ?? '');
        });
        const out = await route.handler(req);
        if (fault?.kind === 'malformed') {
          this.log.push({ method: req.method, path: req.path, query: url.search, status: out.status, at: Date.now() });
          res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
          res.end('{"results": [ {"id": "1", "prope');
          return;
        }
        return send(out);
      }
      send({ status: 404, body: { message: `fake: no route for ${req.method} ${req.path}` } });
    } catch (err) {
      send({ status: 500, body: { message: `fake server error: ${(err as Error).message}` } });
    }
  }
}
