// Mixpanel's documented request rules the usage source relies on, as data: each with its doc link,
// how sure we are, and Mixpanel's answer to a request that breaks it (the Query API answers
// `{request, error}`, the export host `{error, status}`). The fake checks every request against them
// after auth and rate limits (fake/server.ts), records each broken rule for the suite's audit
// (test/support/vendor-rules.ts), and `auditMixpanelTrace` checks an HTTP trace against them.
import { parseIsoDay } from '../../../lib/days.ts';
import { auditTrace, enforceRules, type VendorRule, ViolationLog } from '../../shared/fake/rules.ts';
import type { FakeRequest, FakeResponse } from '../../shared/fake/server.ts';

export interface MixpanelRuleRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export type MixpanelRule = VendorRule<MixpanelRuleRequest>;

const SEGMENTATION_DOC = 'https://developer.mixpanel.com/reference/segmentation-query';
const EXPORT_DOC = 'https://developer.mixpanel.com/reference/raw-event-export';
const SEGMENTATION = '/api/query/segmentation';
const EXPORT = '/api/2.0/export';

const answer = (req: MixpanelRuleRequest, error: string): FakeResponse =>
  req.path === SEGMENTATION
    ? { status: 400, body: { request: `${req.path}?${req.query}`, error } }
    : { status: 400, body: { error, status: 'error' } };
const both = (req: MixpanelRuleRequest) => req.method === 'GET' && (req.path === SEGMENTATION || req.path === EXPORT);

export const mixpanelRules: MixpanelRule[] = [
  {
    id: 'project-id',
    rule: 'A service account names the project: `project_id` on every request',
    doc: 'https://developer.mixpanel.com/reference/service-accounts',
    evidence: 'confirmed',
    check: (req) =>
      both(req) && !req.query.get('project_id')
        ? answer(req, 'project_id is required when authenticating with a service account')
        : undefined,
  },
  {
    id: 'date-range',
    rule: '`from_date` and `to_date` are `yyyy-mm-dd`, inclusive, from no later than to',
    doc: SEGMENTATION_DOC,
    evidence: 'confirmed',
    check: (req) => {
      if (!both(req)) return undefined;
      const from = parseIsoDay(req.query.get('from_date'));
      const to = parseIsoDay(req.query.get('to_date'));
      if (from === undefined || to === undefined) return answer(req, 'from_date and to_date must be dates in yyyy-mm-dd format');
      return from > to ? answer(req, 'from_date must be on or before to_date') : undefined;
    },
  },
  {
    id: 'segmentation-limit-10000',
    rule: 'A segmentation report returns at most 10,000 segment values (`limit` ≤ 10,000; 60 when not given)',
    doc: SEGMENTATION_DOC,
    evidence: 'confirmed',
    check: (req) => {
      if (req.path !== SEGMENTATION || !req.query.has('limit')) return undefined;
      const n = Number(req.query.get('limit'));
      return Number.isInteger(n) && n > 0 && n <= 10_000 ? undefined : answer(req, 'limit must be an integer between 1 and 10000');
    },
  },
  {
    id: 'export-event-array',
    rule: "The export's `event` is a JSON array of event names",
    doc: EXPORT_DOC,
    evidence: 'confirmed',
    check: (req) => {
      const event = req.path === EXPORT ? req.query.get('event') : null;
      if (!event) return undefined;
      try {
        const parsed: unknown = JSON.parse(event);
        if (Array.isArray(parsed) && parsed.every((e) => typeof e === 'string')) return undefined;
      } catch {
        // not JSON
      }
      return answer(req, 'event must be a JSON array of event names');
    },
  },
];

/** Each Mixpanel request in an HTTP trace (JSONL) that breaks a rule: `<rule id>: <method> <path>`. */
export function auditMixpanelTrace(jsonl: string): string[] {
  return auditTrace(jsonl, 'mixpanel', mixpanelRules, (t) => ({ method: t.method, path: t.url.pathname, query: t.url.searchParams }));
}

const violations = new ViolationLog();
/** The requests any Mixpanel fake answered while they broke a rule, until taken (the suite's audit). */
export const takeMixpanelRuleViolations = (): string[] => violations.take();

/** The fake's answer to a request breaking a rule (recorded), or undefined. */
export const refusedByRules = (req: FakeRequest): FakeResponse | undefined =>
  enforceRules(mixpanelRules, { method: req.method, path: req.path, query: req.query }, violations, req.method, req.path);
