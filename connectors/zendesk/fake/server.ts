// A Zendesk Support API fake on 127.0.0.1 for `node-zendesk` (endpointUri `<url>/api/v2`): the
// cursor-based incremental ticket export (`after_cursor`, `after_url`, `end_of_stream`), the
// time-based incremental organization export, satisfaction ratings with cursor or offset pagination,
// basic token auth (401 `{"error": ...}`), the plan's per-minute limit plus 10/min on incremental
// exports (429 with Retry-After), on a compressible clock. The API user's role (only admins may use
// the exports, ratings and survey responses: 403 otherwise), the account's CSAT (legacy ratings, or
// survey responses of the updated CSAT) and the request rules of fake/rules.ts, audited suite-wide.
// Faults go through `server.inject`.

import { enforceRules, ViolationLog } from '../../shared/fake/rules.ts';
import { FakeClock, FakeHttpServer, type FakeRequest, type FakeResponse, WindowLimit } from '../../shared/fake/server.ts';
import { zendeskRules } from './rules.ts';
import type { ZendeskJson } from './seed.ts';
import { ZendeskFakeData, type ZendeskFakeSeed } from './store.ts';

export interface ZendeskFakeOptions {
  /** The agent's email (the API user); `agent@example.com` unless given. */
  username?: string;
  token?: string;
  /** The plan's limit on all requests per minute (Team 200, Professional 400, Enterprise 700). */
  planLimitPerMinute?: number;
  /** Incremental export requests per minute (10). */
  incrementalPerMinute?: number;
  /** Vendor time runs this many times faster than real time (Retry-After is given in real seconds). */
  clockScale?: number;
  /** The fake's clock, instead of one built from `clockScale` (e.g. a WaitOnlyClock). */
  clock?: FakeClock;
  seed?: ZendeskFakeSeed;
  /**
   * The API user's role, as `/api/v2/users/me` reports it (admin unless given); only an admin may
   * read the exports, ratings and survey responses (403 otherwise).
   */
  role?: 'admin' | 'agent' | 'end-user';
  /** Which CSAT the account runs: legacy ratings (default) or the updated CSAT's survey responses. */
  csat?: 'legacy' | 'survey';
  /** The API root the fake names in its next-page links (Zendesk names its own host, e.g. behind a proxy); its own URL unless given. */
  publicBase?: string;
}

const violations = new ViolationLog();
/** The requests any Zendesk fake answered while they broke a rule of fake/rules.ts, until taken. */
export const takeZendeskRuleViolations = (): string[] => violations.take();

/** Zendesk's answer to an agent on an admins-only endpoint. */
export const FORBIDDEN = {
  error: 'Forbidden',
  description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
};
const ADMIN_ONLY = /^\/api\/v2\/(incremental\/|satisfaction_ratings|guide\/survey_responses)/;

export interface ZendeskFake extends ZendeskFakeData {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What node-zendesk takes as `endpointUri`: `<url>/api/v2`. */
  endpointUri: string;
  port: number;
  username: string;
  token: string;
  server: FakeHttpServer;
  clock: FakeClock;
  limits: { plan: WindowLimit; incremental: WindowLimit };
  close(): Promise<void>;
}

const MINUTE = 60_000;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({ status, body, headers });
const bad = (error: string, description: string) => json(400, { error, description });
const tsOf = (o: ZendeskJson, field = 'updated_at') => Math.floor(Date.parse(String(o[field])) / 1000);
const encode = (t: number, id: number) => Buffer.from(`${t}.${id}`).toString('base64url');
function decode(cursor: string): { t: number; id: number } | undefined {
  const m = /^(\d+)\.(-?\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { t: Number(m[1]), id: Number(m[2]) } : undefined;
}
const after = (o: { t: number; id: number }, pos: { t: number; id: number }) => o.t > pos.t || (o.t === pos.t && o.id > pos.id);

function perPage(q: URLSearchParams, max: number, fallback: number): number | undefined {
  if (!q.has('per_page')) return fallback;
  const n = Number(q.get('per_page'));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : undefined;
}

export async function startZendeskFake(options: ZendeskFakeOptions = {}): Promise<ZendeskFake> {
  const username = options.username ?? 'agent@example.com';
  const token = options.token ?? 'zdTokenHealthscoreFake000000000000000001';
  const clock = options.clock ?? new FakeClock(options.clockScale ?? 1);
  const limits = {
    plan: new WindowLimit(options.planLimitPerMinute ?? 200, MINUTE, clock),
    incremental: new WindowLimit(options.incrementalPerMinute ?? 10, MINUTE, clock),
  };
  const server = new FakeHttpServer();
  const url = await server.start();
  const api = options.publicBase ?? `${url}/api/v2`;
  const data = new ZendeskFakeData(url);
  if (options.seed) data.seed(options.seed);
  const expected = `Basic ${Buffer.from(`${username}/token:${token}`).toString('base64')}`;

  const retryAfter = (ms: number) => (clock.scale === 1 ? String(Math.ceil(ms / 1000)) : (clock.real(ms) / 1000).toFixed(3));
  let planRemaining = limits.plan.limit;
  server.guard = (req) => {
    if (req.headers.authorization !== expected) return json(401, { error: "Couldn't authenticate you" });
    const plan = limits.plan.take();
    if (plan.ok) planRemaining = plan.remaining;
    if (!plan.ok)
      return {
        status: 429,
        body: 'Number of allowed API requests per minute exceeded',
        headers: { 'retry-after': retryAfter(plan.retryAfterMs), 'x-rate-limit': String(limits.plan.limit), 'x-rate-limit-remaining': '0' },
      };
    if (req.path.startsWith('/api/v2/incremental/')) {
      const inc = limits.incremental.take();
      if (!inc.ok)
        return {
          status: 429,
          body: 'Number of allowed incremental export API requests per minute exceeded',
          headers: { 'retry-after': retryAfter(inc.retryAfterMs) },
        };
    }
    if ((options.role ?? 'admin') !== 'admin' && ADMIN_ONLY.test(req.path)) return json(403, FORBIDDEN);
    return enforceRules(zendeskRules, { method: req.method, path: req.path, query: req.query }, violations, req.method, req.path);
  };
  const surveyMode = options.csat === 'survey';

  /** Items visible to an export: with a `now`, changes from the last minute are not exported yet. */
  const visible = (o: ZendeskJson) => data.nowUnix === undefined || tsOf(o) <= data.nowUnix - 60;

  // https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
  const ticketExport = (req: FakeRequest): FakeResponse => {
    const q = req.query;
    const size = perPage(q, 1000, 1000);
    if (size === undefined) return bad('InvalidValue', 'per_page must be a positive integer');
    let pos: { t: number; id: number } | undefined;
    if (q.has('cursor')) pos = decode(q.get('cursor') ?? '');
    else if (q.has('start_time')) pos = { t: Number(q.get('start_time')), id: -1 };
    else return bad('InvalidValue', 'start_time or cursor is required');
    if (!pos || !Number.isFinite(pos.t)) return bad('InvalidPaginationParameter', 'cursor or start_time is invalid');
    const excludeDeleted = q.get('exclude_deleted') === 'true';
    const start = pos;
    const rows = data
      .tickets()
      .filter((t) => visible(t) && !(excludeDeleted && t.status === 'deleted'))
      .map((t) => ({ t: tsOf(t), id: t.id as number, ticket: t }))
      .filter((r) => after(r, start))
      .sort((a, b) => a.t - b.t || a.id - b.id);
    const page = rows.slice(0, size);
    const last = page.at(-1);
    const cursor = last ? encode(last.t, last.id) : encode(start.t, start.id);
    const extra = q.has('per_page') ? `&per_page=${size}` : '';
    return json(200, {
      tickets: page.map((r) => structuredClone(r.ticket)),
      after_url: `${api}/incremental/tickets/cursor.json?cursor=${cursor}${extra}`,
      after_cursor: cursor,
      before_url: null,
      before_cursor: null,
      end_of_stream: rows.length <= size,
    });
  };
  server.route('GET', '/api/v2/incremental/tickets/cursor.json', ticketExport);
  server.route('GET', '/api/v2/incremental/tickets/cursor', ticketExport);

  // https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-organization-export
  const organizationExport = (req: FakeRequest): FakeResponse => {
    const q = req.query;
    const startTime = Number(q.get('start_time'));
    if (!q.has('start_time') || !Number.isInteger(startTime)) return bad('InvalidValue', 'start_time is required');
    const size = perPage(q, 1000, 1000);
    if (size === undefined) return bad('InvalidValue', 'per_page must be a positive integer');
    const rows = data
      .organizations()
      .filter((o) => visible(o) && tsOf(o) >= startTime)
      .sort((a, b) => tsOf(a) - tsOf(b) || (a.id as number) - (b.id as number));
    // Records sharing the page's last second all come in it (a page may exceed per_page), and a page
    // that would not move past start_time takes the next second too, so start_time=end_time progresses.
    let endTime = rows.length > 0 ? tsOf(rows[Math.min(size, rows.length) - 1] as ZendeskJson) : startTime;
    const next = rows.find((o) => tsOf(o) > startTime);
    if (endTime === startTime && rows.length > size && next) endTime = tsOf(next);
    const page = rows.filter((o) => tsOf(o) <= endTime);
    const extra = q.has('per_page') ? `&per_page=${size}` : '';
    return json(200, {
      organizations: page.map((o) => structuredClone(o)),
      next_page: `${api}/incremental/organizations.json?start_time=${endTime}${extra}`,
      count: page.length,
      end_of_stream: page.length === rows.length,
      end_time: endTime,
    });
  };
  server.route('GET', '/api/v2/incremental/organizations.json', organizationExport);
  server.route('GET', '/api/v2/incremental/organizations', organizationExport);

  // https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/#list-satisfaction-ratings
  const RECEIVED = new Set(['good', 'bad']);
  const ratingsList = (req: FakeRequest): FakeResponse => {
    const q = req.query;
    const score = q.get('score');
    const start = q.has('start_time') ? Number(q.get('start_time')) : undefined;
    const end = q.has('end_time') ? Number(q.get('end_time')) : undefined;
    // Only one CSAT is active at a time: an account on the updated CSAT has no legacy ratings.
    const rows = (surveyMode ? [] : data.ratings())
      .filter((r) => {
        const s = String(r.score);
        if (score && !(score.startsWith('received') ? RECEIVED.has(s) : s === score.replace(/_with(out)?_comment$/, ''))) return false;
        const created = tsOf(r, 'created_at');
        return (start === undefined || created >= start) && (end === undefined || created <= end);
      })
      .sort((a, b) => tsOf(a, 'created_at') - tsOf(b, 'created_at') || (a.id as number) - (b.id as number));
    const filters = new URLSearchParams([...q.entries()].filter(([k]) => ['score', 'start_time', 'end_time'].includes(k)));
    if (q.has('page[size]')) {
      const size = Math.min(100, Number(q.get('page[size]')));
      if (!Number.isInteger(size) || size < 1) return bad('InvalidPaginationParameter', 'page[size] must be between 1 and 100');
      const afterCursor = q.get('page[after]');
      const pos = afterCursor ? decode(afterCursor) : undefined;
      if (afterCursor && !pos) return bad('InvalidPaginationParameter', 'page[after] is invalid');
      const rest = pos ? rows.filter((r) => after({ t: tsOf(r, 'created_at'), id: r.id as number }, pos)) : rows;
      const page = rest.slice(0, size);
      const last = page.at(-1);
      const hasMore = rest.length > size;
      const next = last ? encode(tsOf(last, 'created_at'), last.id as number) : null;
      filters.set('page[size]', String(size));
      if (next) filters.set('page[after]', next);
      return json(200, {
        satisfaction_ratings: page.map((r) => structuredClone(r)),
        meta: { has_more: hasMore, after_cursor: next, before_cursor: null },
        links: { next: hasMore ? `${api}/satisfaction_ratings.json?${filters.toString()}` : null, prev: null },
      });
    }
    const pageNo = Math.max(1, Number(q.get('page') ?? '1'));
    const size = perPage(q, 100, 100) ?? 100;
    const page = rows.slice((pageNo - 1) * size, pageNo * size);
    filters.set('page', String(pageNo + 1));
    return json(200, {
      satisfaction_ratings: page.map((r) => structuredClone(r)),
      next_page: rows.length > pageNo * size ? `${api}/satisfaction_ratings.json?${filters.toString()}` : null,
      previous_page: null,
      count: rows.length,
    });
  };
  server.route('GET', '/api/v2/satisfaction_ratings.json', ratingsList);
  server.route('GET', '/api/v2/satisfaction_ratings', ratingsList);

  // https://developer.zendesk.com/api-reference/ticketing/ticket-management/csat_survey_responses/#list-survey-responses
  server.route('GET', '/api/v2/guide/survey_responses', (req) => surveyResponses(data, req, surveyMode));

  const show = (map: Map<number, ZendeskJson>, key: string) => (req: FakeRequest) => {
    const found = map.get(Number((req.params.id ?? '').replace(/\.json$/, '')));
    return found ? json(200, { [key]: structuredClone(found) }) : json(404, { error: 'RecordNotFound', description: 'Not found' });
  };
  server.route('GET', '/api/v2/tickets/:id', show(data.ticketsById, 'ticket'));
  server.route('GET', '/api/v2/organizations/:id', show(data.organizationsById, 'organization'));
  // https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
  // Every response carries X-Rate-Limit / X-Rate-Limit-Remaining; this fake sends them here.
  const me = (): FakeResponse =>
    json(
      200,
      { user: { id: 9000001, name: 'Healthscore API user', email: username, role: options.role ?? 'admin', active: true } },
      { 'x-rate-limit': String(limits.plan.limit), 'x-rate-limit-remaining': String(planRemaining) },
    );
  server.route('GET', '/api/v2/users/me.json', me);
  server.route('GET', '/api/v2/users/me', me);

  return Object.assign(data, {
    url,
    endpointUri: `${url}/api/v2`,
    port: server.port,
    username,
    token,
    server,
    clock,
    limits,
    close: () => server.stop(),
  });
}

/** Survey responses, filtered by creation (ms) and ticket, ordered by id, cursor-paged (`page[size]` ≤ 100, `page[after]`). */
function surveyResponses(data: ZendeskFakeData, req: FakeRequest, enabled: boolean): FakeResponse {
  const q = req.query;
  const ms = (k: string) => (q.has(k) ? Number(q.get(k)) / 1000 : undefined);
  const start = ms('filter[created_at_start]');
  const end = ms('filter[created_at_end]');
  const zrns = q.get('filter[subject_zrns]')?.split(',');
  const rows = (enabled ? data.surveyResponses() : [])
    .filter((r) => {
      const at = data.surveyOffered.get(String(r.id)) ?? 0;
      return (start === undefined || at >= start) && (end === undefined || at <= end);
    })
    .filter((r) => !zrns || (r.subject_zrns as string[]).some((z) => zrns.includes(z)))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const size = q.has('page[size]') ? Number(q.get('page[size]')) : 100;
  const after = q.get('page[after]');
  const from = after ? rows.findIndex((r) => Buffer.from(String(r.id)).toString('base64url') === after) + 1 : 0;
  const page = rows.slice(from, from + size);
  const last = page.at(-1);
  const hasMore = rows.length > from + size;
  return json(200, {
    survey_responses: page.map((r) => structuredClone(r)),
    meta: { has_more: hasMore, after_cursor: last ? Buffer.from(String(last.id)).toString('base64url') : null, before_cursor: null },
  });
}
