// Zendesk's documented request rules the support source relies on, as data: each with its doc link,
// how sure we are, and Zendesk's answer to a request that breaks it. The fake checks every request
// against them after auth and rate limits (fake/server.ts), records each broken rule for the suite's
// audit (test/support/vendor-rules.ts), and `auditZendeskTrace` checks an HTTP trace against them.
// Roles and rate limits are enforced by the fake's guard; the README's rules table lists them all.
import { auditTrace, type VendorRule } from '../../shared/fake/rules.ts';
import type { FakeResponse } from '../../shared/fake/server.ts';

export interface ZendeskRuleRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export type ZendeskRule = VendorRule<ZendeskRuleRequest>;

const INCREMENTAL_DOC = 'https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/';
const RATINGS_DOC = 'https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/';
const SURVEY_DOC = 'https://developer.zendesk.com/api-reference/ticketing/ticket-management/csat_survey_responses/';
const PAGINATION_DOC = 'https://developer.zendesk.com/api-reference/introduction/pagination/';

const invalid = (description: string): FakeResponse => ({ status: 400, body: { error: 'InvalidPaginationParameter', description } });
const under = (req: ZendeskRuleRequest, pattern: RegExp) => req.method === 'GET' && pattern.test(req.path);
const TICKET_EXPORT = /^\/api\/v2\/incremental\/tickets\/cursor(\.json)?$/;
const EXPORTS = /^\/api\/v2\/incremental\/(tickets\/cursor|organizations)(\.json)?$/;
const RATINGS = /^\/api\/v2\/satisfaction_ratings(\.json)?$/;
const SURVEY = /^\/api\/v2\/guide\/survey_responses$/;
const size = (req: ZendeskRuleRequest, name: string) => (req.query.has(name) ? Number(req.query.get(name)) : undefined);

export const zendeskRules: ZendeskRule[] = [
  {
    id: 'export-per-page-1000',
    rule: 'An incremental export page (`per_page`) holds at most 1,000 records',
    doc: INCREMENTAL_DOC,
    evidence: 'confirmed',
    auditOnly: true,
    check: (req) => {
      const n = size(req, 'per_page');
      return under(req, EXPORTS) && n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 1000)
        ? { status: 400, body: { error: 'InvalidValue', description: 'per_page must be between 1 and 1000' } }
        : undefined;
    },
  },
  {
    id: 'ticket-export-no-page-size',
    rule: 'The cursor-based ticket export documents `per_page`, not `page[size]`: the parameter is not sent',
    doc: INCREMENTAL_DOC,
    evidence: 'confirmed',
    auditOnly: true,
    check: (req) =>
      under(req, TICKET_EXPORT) && req.query.has('page[size]') ? invalid('page[size] is not a parameter of this export') : undefined,
  },
  {
    id: 'ratings-page-size-100',
    rule: 'A cursor page of satisfaction ratings (`page[size]`) holds at most 100',
    doc: PAGINATION_DOC,
    evidence: 'confirmed',
    check: (req) => {
      const n = size(req, 'page[size]');
      return under(req, RATINGS) && n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 100)
        ? invalid('page[size] must be between 1 and 100')
        : undefined;
    },
  },
  {
    id: 'survey-page-size-100',
    rule: 'A page of survey responses (`page[size]`) holds at most 100',
    doc: 'https://developer.zendesk.com/api-reference/help_center/help-center-api/introduction/#pagination',
    evidence: 'confirmed',
    check: (req) => {
      const n = size(req, 'page[size]');
      return under(req, SURVEY) && n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 100)
        ? {
            status: 400,
            body: { errors: [{ code: 'InvalidPaginationParameter', status: '400', title: 'page[size] must be between 1 and 100' }] },
          }
        : undefined;
    },
  },
  {
    id: 'survey-created-at-ms',
    rule: 'Survey response `filter[created_at_start|end]` are Unix epoch milliseconds (a seconds value reads as January 1970)',
    doc: SURVEY_DOC,
    evidence: 'confirmed',
    auditOnly: true,
    check: (req) => {
      if (!under(req, SURVEY)) return undefined;
      const bad = ['filter[created_at_start]', 'filter[created_at_end]'].some((k) => {
        const v = size(req, k);
        return v !== undefined && !(Number.isInteger(v) && v >= 1e11);
      });
      return bad ? invalid('filter[created_at_*] must be milliseconds') : undefined;
    },
  },
];

export { RATINGS_DOC, SURVEY_DOC };

/** Each Zendesk request in an HTTP trace (JSONL) that breaks a rule: `<rule id>: <method> <path>`. */
export function auditZendeskTrace(jsonl: string): string[] {
  return auditTrace(jsonl, 'zendesk', zendeskRules, (t) => ({ method: t.method, path: t.url.pathname, query: t.url.searchParams }));
}
