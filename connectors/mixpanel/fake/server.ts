// A fake Mixpanel project on 127.0.0.1 speaking the real HTTP API the usage source calls: the
// Query API's segmentation report (`/api/query/segmentation`, 60 queries an hour, 5 at once) and
// the raw event export (`/api/2.0/export`, JSONL; 60 an hour, 3 a second, 100 at once), each under
// its own base URL as on Mixpanel's hosts, with service-account basic auth, Mixpanel's error
// bodies, 429s without Retry-After (Mixpanel sends none) on a compressible clock, and the shared fault
// injection. It counts days in the project's time zone (`timeZone`) as Mixpanel does: segmentation
// dates and buckets are local days; the export reads its dates in UTC (projects since 2023) or the
// zone (older projects). Every request is checked against fake/rules.ts, and broken rules are kept
// for the suite's audit.

import { dayIndex, dayOfIndex, parseIsoDay } from '../../../lib/days.ts';
import { FakeClock, FakeHttpServer, type FakeRequest, type FakeResponse, WindowLimit } from '../../shared/fake/server.ts';
import { type Compiled, compileExpression, ExpressionError } from './expression.ts';
import { refusedByRules as broken } from './rules.ts';
import { MixpanelEventStore, type MixpanelSeedEvent, type SegmentationType, type SegmentationUnit } from './store.ts';

export type { MixpanelSeedEvent } from './store.ts';

export interface MixpanelFakeOptions {
  /** Query API limit per rolling hour (Mixpanel: 60). */
  queriesPerHour?: number;
  /** Query API requests in flight at once (Mixpanel: 5). */
  concurrent?: number;
  exportPerHour?: number;
  exportPerSecond?: number;
  exportConcurrent?: number;
  /** Vendor time runs this many times faster than real time (rate-limit windows). */
  clockScale?: number;
  /** The fake's clock, instead of one built from `clockScale` (e.g. a WaitOnlyClock). */
  clock?: FakeClock;
  /** Real milliseconds each segmentation query takes, so concurrent queries overlap. */
  queryLatencyMs?: number;
  /** The event property holding the account's group key (used by `seedDailyUsers`). */
  groupKeyProperty?: string;
  projectId?: string;
  serviceAccount?: { username: string; secret: string };
  /** The project's time zone (IANA); UTC unless given. */
  timeZone?: string;
  /** How the export reads its dates: UTC (projects created since 2023, the default) or the project's zone. */
  exportDates?: 'utc' | 'project';
}

export { takeMixpanelRuleViolations } from './rules.ts';

/** One request the fake received on an endpoint, as tests read it back. */
export interface FakeMixpanelRequest {
  params: Record<string, string>;
  status: number;
}

export interface DailyUsersSeed {
  /** The account's group key value. */
  group: string;
  /** `yyyy-mm-dd` (UTC) of the activity. */
  day: string;
  /** How many distinct users were active (ids `<group>:u1`…), or the exact distinct ids. */
  users: number | readonly string[];
  /** Event name; the fake's first active event when absent ("Session Start"). */
  event?: string;
  /** Events per user that day (default 1). */
  eventsPerUser?: number;
  properties?: Record<string, unknown>;
}

export interface MixpanelFake {
  /** The server root. */
  url: string;
  /** Stands in for https://mixpanel.com/api/query (and the eu./in. hosts). */
  queryBaseUrl: string;
  /** Stands in for https://data.mixpanel.com/api/2.0 (and data-eu./data-in.). */
  exportBaseUrl: string;
  serviceAccount: { username: string; secret: string };
  projectId: string;
  groupKeyProperty: string;
  server: FakeHttpServer;
  clock: FakeClock;
  seedEvents(events: readonly MixpanelSeedEvent[]): void;
  /** Seeds `users` distinct users of `group` active on `day` (events at 12:00 UTC). */
  seedDailyUsers(seeds: readonly DailyUsersSeed[]): void;
  /** Lines served verbatim inside every export (e.g. a line that is not JSON). */
  seedRawExportLines(lines: readonly string[]): void;
  eventCount(): number;
  /** Segmentation requests received, in order (including rejected ones). */
  queries(): FakeMixpanelRequest[];
  /** Export requests received, in order (including rejected ones). */
  exports(): FakeMixpanelRequest[];
  /** The most Query API requests accepted within any rolling vendor hour. */
  peakQueriesPerHour(): number;
  /** The hour passes: the hourly query and export allowances are whole again (`queriesPerHour` of them, when given). */
  startNewHour(queriesPerHour?: number): void;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const RATE_DOC = 'https://docs.mixpanel.com/docs/other-bits/rate-limits';

export async function startMixpanelFake(options: MixpanelFakeOptions = {}): Promise<MixpanelFake> {
  const clock = options.clock ?? new FakeClock(options.clockScale ?? 1);
  const queryLimit = new WindowLimit(options.queriesPerHour ?? 60, HOUR, clock);
  const exportHourly = new WindowLimit(options.exportPerHour ?? 60, HOUR, clock);
  const exportPerSecond = new WindowLimit(options.exportPerSecond ?? 3, 1000, clock);
  const concurrent = options.concurrent ?? 5;
  const exportConcurrent = options.exportConcurrent ?? 100;
  const projectId = options.projectId ?? '3141592';
  const serviceAccount = options.serviceAccount ?? { username: 'healthscore.7f3c1a.mp-service-account', secret: 'mp-sa-secret-5bd2e8c41f' };
  const groupKeyProperty = options.groupKeyProperty ?? 'company_id';
  const store = new MixpanelEventStore(options.timeZone ?? 'UTC', options.exportDates ?? 'utc');
  const acceptedQueryTimes: number[] = [];
  let queriesInFlight = 0;
  let exportsInFlight = 0;
  const server = new FakeHttpServer();
  const expectedAuth = `Basic ${Buffer.from(`${serviceAccount.username}:${serviceAccount.secret}`).toString('base64')}`;

  const requestText = (req: FakeRequest) => `${req.path}?${req.query.toString()}`;
  // The Query API answers errors as {request, error}; the export host as {error, status}.
  const queryError = (req: FakeRequest, status: number, error: string, headers?: Record<string, string>): FakeResponse => ({
    status,
    body: { request: requestText(req), error },
    ...(headers ? { headers } : {}),
  });
  const exportError = (status: number, error: string, headers?: Record<string, string>): FakeResponse => ({
    status,
    body: { error, status: 'error' },
    ...(headers ? { headers } : {}),
  });

  /** Auth and project checks common to both hosts; a response when the request must stop here. */
  const checkAccess = (req: FakeRequest, fail: (status: number, error: string) => FakeResponse): FakeResponse | undefined => {
    if (req.headers.authorization !== expectedAuth) {
      return fail(401, 'Unauthorized, invalid service account credentials. See https://developer.mixpanel.com/reference/service-accounts');
    }
    const pid = req.query.get('project_id');
    if (!pid) return fail(400, 'project_id is required when authenticating with a service account');
    if (pid !== projectId) return fail(403, `service account does not have access to project ${pid}`);
    return undefined;
  };

  const compile = (text: string | null, what: string): Compiled | undefined => {
    if (text === null || text === '') return undefined;
    try {
      return compileExpression(text);
    } catch (err) {
      if (err instanceof ExpressionError) throw new BadRequest(`invalid '${what}' expression: ${err.message}`);
      throw err;
    }
  };

  // https://developer.mixpanel.com/reference/segmentation-query
  server.route('GET', '/api/query/segmentation', async (req) => {
    const denied = checkAccess(req, (s, e) => queryError(req, s, e));
    if (denied) return denied;
    const limited = (running: number, inHour: number) =>
      queryError(
        req,
        429,
        `Query rate limit exceeded for project_id: ${projectId}. ${running}/${concurrent} queries running concurrently and ${inHour}/${queryLimit.limit} queries running in the last hour. For more information, please consult our documentation at ${RATE_DOC}`,
      );
    if (queriesInFlight >= concurrent) return limited(queriesInFlight + 1, acceptedInHour());
    const slot = queryLimit.take();
    if (!slot.ok) return limited(queriesInFlight, acceptedInHour() + 1);
    const refused = broken(req);
    if (refused) return refused;
    acceptedQueryTimes.push(clock.now());
    queriesInFlight++;
    try {
      if (options.queryLatencyMs) await new Promise((r) => setTimeout(r, options.queryLatencyMs));
      return { status: 200, body: segmentation(req) };
    } catch (err) {
      if (err instanceof BadRequest) return queryError(req, 400, err.message);
      throw err;
    } finally {
      queriesInFlight--;
    }
  });

  const segmentation = (req: FakeRequest) => {
    const q = req.query;
    const event = q.get('event');
    if (!event) throw new BadRequest('event is required');
    const fromDay = parseIsoDay(q.get('from_date'));
    const toDay = parseIsoDay(q.get('to_date'));
    if (fromDay === undefined || toDay === undefined) throw new BadRequest('from_date and to_date must be dates in yyyy-mm-dd format');
    if (fromDay > toDay) throw new BadRequest('from_date must be on or before to_date');
    const type = (q.get('type') ?? 'general') as SegmentationType;
    if (!['general', 'unique', 'average'].includes(type)) throw new BadRequest(`invalid type: ${type}`);
    const unit = (q.get('unit') ?? 'day') as SegmentationUnit;
    if (!['day', 'week', 'month'].includes(unit)) throw new BadRequest(`unit not supported by this fake: ${unit}`);
    const interval = q.get('interval') === null ? undefined : Number(q.get('interval'));
    if (interval !== undefined && !(Number.isInteger(interval) && interval > 0))
      throw new BadRequest('interval must be a positive integer');
    const limit = q.get('limit') === null ? 60 : Number(q.get('limit'));
    if (!(Number.isInteger(limit) && limit > 0 && limit <= 10_000)) throw new BadRequest('limit must be an integer between 1 and 10000');
    return store.segmentation({
      event,
      fromDay,
      toDay,
      on: compile(q.get('on'), 'on'),
      where: compile(q.get('where'), 'where'),
      type,
      unit,
      interval,
      limit,
    });
  };

  // https://developer.mixpanel.com/reference/raw-event-export
  server.route('GET', '/api/2.0/export', async (req) => {
    const denied = checkAccess(req, (s, e) => exportError(s, e));
    if (denied) return denied;
    if (exportsInFlight >= exportConcurrent) return exportError(429, 'too many export requests in progress for this project');
    const perSecond = exportPerSecond.take();
    if (!perSecond.ok) return exportError(429, 'Export rate limit exceeded: 3 queries per second');
    const hourly = exportHourly.take();
    if (!hourly.ok) return exportError(429, `Export rate limit exceeded: ${exportHourly.limit} queries per hour`);
    const refused = broken(req);
    if (refused) return refused;
    exportsInFlight++;
    try {
      const q = req.query;
      const fromDay = parseIsoDay(q.get('from_date'));
      const toDay = parseIsoDay(q.get('to_date'));
      if (fromDay === undefined || toDay === undefined) throw new BadRequest('from_date and to_date must be dates in yyyy-mm-dd format');
      let events: string[] | undefined;
      if (q.get('event')) {
        try {
          const parsed: unknown = JSON.parse(q.get('event') as string);
          if (!Array.isArray(parsed) || !parsed.every((e) => typeof e === 'string')) throw new Error();
          events = parsed;
        } catch {
          throw new BadRequest('event must be a JSON array of event names');
        }
      }
      const limit = q.get('limit') === null ? undefined : Number(q.get('limit'));
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0 && limit <= 100_000))
        throw new BadRequest('limit cannot be over 100000');
      const lines = store.exportLines({ fromDay, toDay, events, where: compile(q.get('where'), 'where'), limit });
      return { status: 200, body: lines.length === 0 ? '' : `${lines.join('\n')}\n` };
    } catch (err) {
      if (err instanceof BadRequest) return exportError(400, err.message);
      throw err;
    } finally {
      exportsInFlight--;
    }
  });

  const acceptedInHour = () => acceptedQueryTimes.filter((t) => t > clock.now() - HOUR).length;
  const requestsTo = (path: string) =>
    server.calls('GET', path).map((r) => ({ params: Object.fromEntries(new URLSearchParams(r.query)), status: r.status }));

  const url = await server.start();
  return {
    url,
    queryBaseUrl: `${url}/api/query`,
    exportBaseUrl: `${url}/api/2.0`,
    serviceAccount,
    projectId,
    groupKeyProperty,
    server,
    clock,
    seedEvents: (events) => store.add(events),
    seedDailyUsers: (seeds) => {
      for (const s of seeds) {
        const ids = typeof s.users === 'number' ? Array.from({ length: s.users }, (_, i) => `${s.group}:u${i + 1}`) : s.users;
        const time = `${s.day}T12:00:00Z`;
        const events: MixpanelSeedEvent[] = [];
        for (const id of ids) {
          for (let k = 0; k < (s.eventsPerUser ?? 1); k++) {
            events.push({
              event: s.event ?? 'Session Start',
              time,
              distinct_id: id,
              properties: { ...s.properties, [groupKeyProperty]: s.group },
            });
          }
        }
        store.add(events);
      }
    },
    seedRawExportLines: (lines) => store.addRawExportLines(lines),
    eventCount: () => store.size,
    queries: () => requestsTo('/api/query/segmentation'),
    exports: () => requestsTo('/api/2.0/export'),
    startNewHour: (queriesPerHour) => {
      if (queriesPerHour !== undefined) queryLimit.limit = queriesPerHour;
      queryLimit.reset();
      exportHourly.reset();
    },
    peakQueriesPerHour: () => {
      let peak = 0;
      for (let i = 0, j = 0; i < acceptedQueryTimes.length; i++) {
        while ((acceptedQueryTimes[i] as number) - (acceptedQueryTimes[j] as number) >= HOUR) j++;
        peak = Math.max(peak, i - j + 1);
      }
      return peak;
    },
    close: () => server.stop(),
  };
}

class BadRequest extends Error {}

/** `yyyy-mm-dd` of a Date, for tests that seed relative to an `asOf`. */
export const fakeDay = (at: Date, offsetDays = 0) => dayOfIndex(dayIndex(at) + offsetDays);
