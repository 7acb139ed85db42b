// A Stripe API fake on 127.0.0.1 that the official `stripe` client talks to (host/port/protocol):
// the read endpoints we call with Stripe's paths, list objects, `starting_after`/`ending_before`
// pagination, `created[gte|lte…]` filters, invoice line items (embedded and /v1/invoices/:id/lines), `expand[]`, error bodies `{error:{type,code,message}}`, a 401 for a bad key and the
// global rate limit (25 req/s in test mode, 100 live) and each endpoint's own (25 req/s: one API
// operation is one endpoint whatever the object id) on a compressible clock. Faults go through
// `server.inject`. Seeding and read APIs live in StripeFakeData.

import { enforceRules, ViolationLog } from '../../shared/fake/rules.ts';
import { FakeClock, FakeHttpServer, type FakeRequest, type FakeResponse, WindowLimit } from '../../shared/fake/server.ts';
import { cancelRequest } from './lifecycle.ts';
import { stripeRules } from './rules.ts';
import type { StripeJson } from './seed.ts';
import { StripeFakeData, type StripeFakeSeed } from './store.ts';
import { invoiceLines, subscriptionItems } from './sublists.ts';

export interface StripeFakeOptions {
  /** The key the fake accepts; `sk_test_…` (25 req/s) unless given. */
  apiKey?: string;
  /** Requests per second; 25 for test keys, 100 for live keys unless given. */
  requestsPerSecond?: number;
  /** Requests per second to one endpoint (Stripe's default per-endpoint limit: 25). */
  endpointRequestsPerSecond?: number;
  /** Vendor time runs this many times faster than real time (rate windows shrink accordingly). */
  clockScale?: number;
  /** The fake's clock, instead of one built from `clockScale` (e.g. a WaitOnlyClock). */
  clock?: FakeClock;
  seed?: StripeFakeSeed;
}

export interface StripeFake extends StripeFakeData {
  /** `http://127.0.0.1:<port>`; the SDK takes `{ host, port, protocol }`. */
  url: string;
  host: string;
  port: number;
  protocol: 'http';
  apiKey: string;
  server: FakeHttpServer;
  clock: FakeClock;
  rateLimit: WindowLimit;
  close(): Promise<void>;
}

const violations = new ViolationLog();
/** The requests any Stripe fake answered while they broke a rule of fake/rules.ts, until taken. */
export const takeStripeRuleViolations = (): string[] => violations.take();

const error = (status: number, type: string, message: string, code?: string, param?: string): FakeResponse => ({
  status,
  headers: { 'request-id': `req_fake${Date.now().toString(36)}` },
  body: { error: { type, message, ...(code ? { code } : {}), ...(param ? { param } : {}) } },
});

const EXPANDABLE: Record<string, keyof StripeFakeData['collections']> = {
  latest_invoice: 'invoices',
  schedule: 'schedules',
  customer: 'customers',
  price: 'prices',
  subscription: 'subscriptions',
  payment_intent: 'paymentIntents',
};

/** Expands one dotted path in place (arrays and list objects are walked); returns an error text or undefined. */
function expandPath(target: unknown, parts: string[], data: StripeFakeData, full: string): string | undefined {
  if (Array.isArray(target)) {
    for (const el of target) {
      const e = expandPath(el, parts, data, full);
      if (e) return e;
    }
    return undefined;
  }
  if (target === null || typeof target !== 'object') return undefined;
  const obj = target as StripeJson;
  const [field, ...rest] = parts;
  if (field === undefined) return undefined;
  if (obj.object === 'list' && field !== 'data') return expandPath(obj.data, parts, data, full);
  let value = obj[field];
  if (typeof value === 'string') {
    const collection = EXPANDABLE[field];
    const found = collection ? data.collections[collection].get(value) : undefined;
    if (!found) return `This property cannot be expanded (${full}).`;
    value = structuredClone(found);
    obj[field] = value;
  } else if (value === undefined) {
    return `This property cannot be expanded (${full}).`;
  }
  return rest.length > 0 ? expandPath(value, rest, data, full) : undefined;
}

function expandParams(q: URLSearchParams): string[] {
  return [...q.entries()].filter(([k]) => k === 'expand' || /^expand\[\d*\]$/.test(k)).map(([, v]) => v);
}

/** A path must end in a field that holds an expandable id, whatever the data holds. */
const expandable = (path: string) => (path.split('.').at(-1) ?? '') in EXPANDABLE;

function unknownParam(q: URLSearchParams, allowed: string[]): string | undefined {
  for (const k of q.keys()) {
    const base = k.replace(/\[.*$/, '');
    if (!allowed.includes(base) && base !== 'expand') return base;
  }
  return undefined;
}

type Filter = (o: StripeJson, q: URLSearchParams) => boolean;

function list(
  data: StripeFakeData,
  req: FakeRequest,
  kind: keyof StripeFakeData['collections'],
  url: string,
  filters: Record<string, Filter>,
) {
  const q = req.query;
  const bad = unknownParam(q, ['limit', 'starting_after', 'ending_before', ...Object.keys(filters)]);
  if (bad) return error(400, 'invalid_request_error', `Received unknown parameter: ${bad}`, 'parameter_unknown', bad);
  const limit = q.has('limit') ? Number(q.get('limit')) : 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return error(400, 'invalid_request_error', 'This value must be between 1 and 100.', 'parameter_invalid_integer', 'limit');
  let rows = [...data.collections[kind].values()].filter((o) => Object.entries(filters).every(([, f]) => f(o, q)));
  rows.sort((a, b) => (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id)));
  const after = q.get('starting_after');
  const before = q.get('ending_before');
  let hasMore: boolean;
  if (before) {
    const i = rows.findIndex((r) => r.id === before);
    if (i < 0) return error(400, 'invalid_request_error', `No such object: '${before}'`, 'resource_missing', 'ending_before');
    hasMore = i > limit;
    rows = rows.slice(Math.max(0, i - limit), i);
  } else {
    const i = after ? rows.findIndex((r) => r.id === after) : -1;
    if (after && i < 0) return error(400, 'invalid_request_error', `No such object: '${after}'`, 'resource_missing', 'starting_after');
    hasMore = rows.length > i + 1 + limit;
    rows = rows.slice(i + 1, i + 1 + limit);
  }
  const page = rows.map((r) => structuredClone(r));
  for (const path of expandParams(q)) {
    if (!path.startsWith('data.') || !expandable(path))
      return error(400, 'invalid_request_error', `This property cannot be expanded (${path}).`);
    const e = expandPath(page, path.slice(5).split('.'), data, path);
    if (e) return error(400, 'invalid_request_error', e);
  }
  return { status: 200, body: { object: 'list', data: page, has_more: hasMore, url } };
}

function retrieve(data: StripeFakeData, req: FakeRequest, kind: keyof StripeFakeData['collections'], noun: string): FakeResponse {
  const found = data.collections[kind].get(req.params.id ?? '');
  if (!found) return error(404, 'invalid_request_error', `No such ${noun}: '${req.params.id}'`, 'resource_missing', 'id');
  const obj = structuredClone(found);
  for (const path of expandParams(req.query)) {
    if (!expandable(path)) return error(400, 'invalid_request_error', `This property cannot be expanded (${path}).`);
    const e = expandPath(obj, path.split('.'), data, path);
    if (e) return error(400, 'invalid_request_error', e);
  }
  return { status: 200, body: obj };
}

const eq =
  (param: string, field: (o: StripeJson) => unknown): Filter =>
  (o, q) =>
    !q.has(param) || field(o) === q.get(param);

/** `created=<unix>` or `created[gt|gte|lt|lte]=<unix>`, as Stripe's list endpoints take it. */
const createdRange: Filter = (o, q) => {
  const v = o.created as number;
  for (const [k, raw] of q) {
    const m = /^created(?:\[(gt|gte|lt|lte)\])?$/.exec(k);
    if (!m) continue;
    const bound = Number(raw);
    const ok = { gt: v > bound, gte: v >= bound, lt: v < bound, lte: v <= bound, eq: v === bound }[m[1] ?? 'eq'];
    if (!ok) return false;
  }
  return true;
};

/** Bad `created` bounds are rejected as Stripe does, before any filtering. */
function badCreated(q: URLSearchParams): FakeResponse | undefined {
  for (const [k, raw] of q) {
    if (!k.startsWith('created')) continue;
    if (!/^created(\[(gt|gte|lt|lte)\])?$/.test(k) || !/^\d+$/.test(raw))
      return error(400, 'invalid_request_error', `Invalid ${k}: must be an integer Unix timestamp`, 'parameter_invalid_integer', k);
  }
  return undefined;
}

const subscriptionStatus: Filter = (o, q) => {
  const s = q.get('status');
  if (s === 'all') return true;
  if (s) return o.status === s;
  return o.status !== 'canceled' && o.status !== 'incomplete_expired';
};

const invoiceSubscription = (o: StripeJson) =>
  ((o.parent as { subscription_details?: { subscription?: string } } | null)?.subscription_details?.subscription ?? null) as unknown;

/** Prefixes of the object ids the fake hands out (an id in a path does not make another endpoint). */
const ID = /^(cus|sub_sched|sub|si|in|il|ii|price|prod)_/;

/** Stripe's endpoint of a request: its method and path with object ids taken out. https://docs.stripe.com/rate-limits */
const endpointOf = (req: FakeRequest) => `${req.method} ${req.path.replace(/[^/]+/g, (seg) => (ID.test(seg) ? '{id}' : seg))}`;

const rateLimited = (reason: string): FakeResponse => ({
  ...error(
    429,
    'invalid_request_error',
    'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    'rate_limit',
  ),
  headers: { 'stripe-rate-limited-reason': reason },
});

function authorize(req: FakeRequest, apiKey: string): FakeResponse | undefined {
  const h = req.headers.authorization ?? '';
  let given: string | undefined;
  if (h.startsWith('Bearer ')) given = h.slice(7);
  else if (h.startsWith('Basic ')) given = Buffer.from(h.slice(6), 'base64').toString('utf8').replace(/:$/, '');
  if (!given)
    return error(
      401,
      'invalid_request_error',
      'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth.',
    );
  if (given !== apiKey) return error(401, 'invalid_request_error', `Invalid API Key provided: ${given.slice(0, 8)}****${given.slice(-4)}`);
  return undefined;
}

export async function startStripeFake(options: StripeFakeOptions = {}): Promise<StripeFake> {
  const apiKey = options.apiKey ?? 'sk_test_healthscoreFakeKey0001';
  const clock = options.clock ?? new FakeClock(options.clockScale ?? 1);
  const rateLimit = new WindowLimit(options.requestsPerSecond ?? (apiKey.includes('_live_') ? 100 : 25), 1000, clock);
  const endpointLimits = new Map<string, WindowLimit>();
  const server = new FakeHttpServer();
  const data = new StripeFakeData();
  if (options.seed) data.seed(options.seed);

  server.guard = (req) => {
    const denied = authorize(req, apiKey);
    if (denied) return denied;
    if (!rateLimit.take().ok) return rateLimited('global-rate');
    const endpoint = endpointOf(req);
    let limit = endpointLimits.get(endpoint);
    if (!limit) {
      limit = new WindowLimit(options.endpointRequestsPerSecond ?? 25, 1000, clock);
      endpointLimits.set(endpoint, limit);
    }
    if (!limit.take().ok) return rateLimited('endpoint-rate');
    return enforceRules(stripeRules, { method: req.method, path: req.path, query: req.query }, violations, req.method, req.path);
  };

  // https://docs.stripe.com/api/subscriptions/list
  server.route(
    'GET',
    '/v1/subscriptions',
    (req) =>
      badCreated(req.query) ??
      list(data, req, 'subscriptions', '/v1/subscriptions', {
        created: createdRange,
        customer: eq('customer', (o) => o.customer),
        status: subscriptionStatus,
        price: (o, q) =>
          !q.has('price') || ((o.items as { data: { price: { id: string } }[] }).data ?? []).some((i) => i.price.id === q.get('price')),
        collection_method: eq('collection_method', (o) => o.collection_method),
      }),
  );
  server.route('GET', '/v1/subscriptions/:id', (req) => retrieve(data, req, 'subscriptions', 'subscription'));
  // https://docs.stripe.com/api/subscriptions/cancel (tests and the demo end subscriptions through the SDK)
  server.route('DELETE', '/v1/subscriptions/:id', (req) => cancelRequest(data, req));
  // https://docs.stripe.com/api/invoices/list
  server.route(
    'GET',
    '/v1/invoices',
    (req) =>
      badCreated(req.query) ??
      list(data, req, 'invoices', '/v1/invoices', {
        created: createdRange,
        customer: eq('customer', (o) => o.customer),
        subscription: eq('subscription', invoiceSubscription),
        status: eq('status', (o) => o.status),
        collection_method: eq('collection_method', (o) => o.collection_method),
      }),
  );
  server.route('GET', '/v1/invoices/:id', (req) => retrieve(data, req, 'invoices', 'invoice'));
  server.route('GET', '/v1/invoices/:id/lines', (req) => invoiceLines(data, req));
  server.route('GET', '/v1/subscription_items', (req) => subscriptionItems(data, req));
  // https://docs.stripe.com/api/invoice-payment/list
  server.route('GET', '/v1/invoice_payments', (req) =>
    list(data, req, 'invoicePayments', '/v1/invoice_payments', {
      invoice: eq('invoice', (o) => o.invoice),
      status: eq('status', (o) => o.status),
    }),
  );
  server.route('GET', '/v1/invoice_payments/:id', (req) => retrieve(data, req, 'invoicePayments', 'invoice payment'));
  server.route('GET', '/v1/payment_intents/:id', (req) => retrieve(data, req, 'paymentIntents', 'payment_intent'));
  server.route('GET', '/v1/customers', (req) => list(data, req, 'customers', '/v1/customers', { email: eq('email', (o) => o.email) }));
  server.route('GET', '/v1/customers/:id', (req) => retrieve(data, req, 'customers', 'customer'));
  server.route('GET', '/v1/subscription_schedules/:id', (req) => retrieve(data, req, 'schedules', 'subscription schedule'));
  server.route('GET', '/v1/prices/:id', (req) => retrieve(data, req, 'prices', 'price'));

  const url = await server.start();
  return Object.assign(data, {
    url,
    host: '127.0.0.1',
    port: server.port,
    protocol: 'http' as const,
    apiKey,
    server,
    clock,
    rateLimit,
    close: () => server.stop(),
  });
}
