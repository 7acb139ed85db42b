// HubSpot's documented request rules the connector relies on, as data: each with its doc link, how
// sure we are (confirmed in HubSpot's docs or its OpenAPI specs, or inferred from errors other
// integrators report), and the answer HubSpot gives a request that breaks it. The fake answers the
// first broken rule of a request exactly so (after auth and rate limits, as HubSpot does), records
// it for the suite's audit, and `auditHubSpotTrace` checks an HTTP trace against the same rules.
// The README's rules table lists these rows; rate limits and scopes live in gate.ts.
import { auditTrace, firstBrokenRule, type VendorRule } from '../../shared/fake/rules.ts';
import type { FakeResponse } from '../../shared/fake/server.ts';
import { hubSpotError } from './store.ts';

export interface RuleRequest {
  method: string;
  path: string;
  /** The parsed JSON body (undefined when none or not JSON). */
  body: unknown;
  /** The raw body's length in characters. */
  bodyLength: number;
}

export type HubSpotRule = VendorRule<RuleRequest>;

const invalid = (message: string): FakeResponse => ({ status: 400, body: hubSpotError('VALIDATION_ERROR', message) });
const obj = (b: unknown) => (b && typeof b === 'object' ? (b as Record<string, unknown>) : {});
const inputs = (req: RuleRequest) => (Array.isArray(obj(req.body).inputs) ? (obj(req.body).inputs as unknown[]) : []);
const is = (req: RuleRequest, method: string, pattern: RegExp) => req.method === method && pattern.test(req.path);

const BATCH_READ = /^\/crm\/v3\/objects\/[^/]+\/batch\/read$/;
const BATCH_WRITE = /^\/crm\/v3\/objects\/[^/]+\/batch\/(update|create|upsert|archive)$/;
const ASSOC_READ = /^\/crm\/v4\/associations\/[^/]+\/[^/]+\/batch\/read$/;
const SEARCH = /^\/crm\/v3\/objects\/[^/]+\/search$/;
const PROPERTY_CREATE = /^\/crm\/v3\/properties\/[^/]+(\/batch\/create)?$/;
const PROPERTY_UPDATE = /^\/crm\/v3\/properties\/[^/]+\/[^/]+$/;

interface SearchFilter {
  propertyName?: string;
  operator?: string;
  values?: unknown;
}
const groupsOf = (req: RuleRequest) => (obj(req.body).filterGroups ?? []) as { filters?: SearchFilter[] }[];
const filtersOf = (req: RuleRequest) => groupsOf(req).flatMap((g) => g.filters ?? []);

const SEARCH_DOC = 'https://developers.hubspot.com/docs/api-reference/search/guide';
const BATCH_DOC = 'https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/objects/batch/get-objects';
const PROPERTIES_DOC = 'https://developers.hubspot.com/docs/guides/api/crm/properties';
const ASSOC_DOC = 'https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api';
const TOO_MANY = (n: number) =>
  `The maximum number of inputs supported in a batch is ${n}. Please reduce the number of items and try again`;

export const hubSpotRules: HubSpotRule[] = [
  {
    id: 'batch-read-history-50',
    rule: 'A batch read that asks for `propertiesWithHistory` takes at most 50 inputs',
    doc: BATCH_DOC,
    evidence: 'inferred',
    check: (req) =>
      is(req, 'POST', BATCH_READ) &&
      ((obj(req.body).propertiesWithHistory as unknown[] | undefined) ?? []).length > 0 &&
      inputs(req).length > 50
        ? invalid(
            'The maximum number of inputs supported in a batch request for property histories is 50. Please reduce the number of items and try again',
          )
        : undefined,
  },
  {
    id: 'batch-100',
    rule: 'Batch read, create, update, upsert and archive take at most 100 inputs',
    doc: BATCH_DOC,
    evidence: 'confirmed',
    check: (req) =>
      (is(req, 'POST', BATCH_READ) || is(req, 'POST', BATCH_WRITE)) && inputs(req).length > 100 ? invalid(TOO_MANY(100)) : undefined,
  },
  {
    id: 'batch-update-unique-ids',
    rule: 'A batch update names each record once',
    doc: 'https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/companies/batch/update-companies',
    evidence: 'inferred',
    check: (req) => {
      if (!is(req, 'POST', /\/batch\/update$/)) return undefined;
      const ids = inputs(req).map((i) => String(obj(i).id));
      const dupes = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
      return dupes.length > 0 ? invalid(`Duplicate IDs found in batch input: [${dupes.join(', ')}]. IDs must be unique`) : undefined;
    },
  },
  {
    id: 'string-value-65536',
    rule: 'A text property value is at most 65,536 characters',
    doc: 'https://knowledge.hubspot.com/properties/property-field-types-in-hubspot',
    evidence: 'confirmed',
    check: (req) => {
      if (!is(req, 'POST', BATCH_WRITE)) return undefined;
      const long = inputs(req).flatMap((i) =>
        Object.entries(obj(obj(i).properties)).filter(([, v]) => typeof v === 'string' && v.length > 65_536),
      );
      return long.length > 0
        ? invalid(`Property values were not valid: value of ${long[0]?.[0]} is longer than 65536 characters`)
        : undefined;
    },
  },
  {
    id: 'associations-batch-1000',
    rule: 'An associations v4 batch read takes at most 1,000 inputs (ids beyond a page follow `paging.next.after`)',
    doc: ASSOC_DOC,
    evidence: 'confirmed',
    check: (req) => (is(req, 'POST', ASSOC_READ) && inputs(req).length > 1000 ? invalid(TOO_MANY(1000)) : undefined),
  },
  {
    id: 'search-body-3000',
    rule: 'A search request body is at most 3,000 characters',
    doc: SEARCH_DOC,
    evidence: 'confirmed',
    check: (req) =>
      is(req, 'POST', SEARCH) && req.bodyLength > 3_000
        ? invalid(`The request body is ${req.bodyLength} characters long; the maximum is 3000.`)
        : undefined,
  },
  {
    id: 'search-page-200',
    rule: 'A search page (`limit`) is at most 200 records',
    doc: SEARCH_DOC,
    evidence: 'confirmed',
    check: (req) =>
      is(req, 'POST', SEARCH) && Number(obj(req.body).limit ?? 10) > 200 ? invalid('limit must be less than or equal to 200') : undefined,
  },
  {
    id: 'search-results-10000',
    rule: 'A search query pages through at most 10,000 results (`after` + `limit` ≤ 10,000)',
    doc: SEARCH_DOC,
    evidence: 'confirmed',
    check: (req) => {
      if (!is(req, 'POST', SEARCH)) return undefined;
      const b = obj(req.body);
      return Number(b.after ?? 0) + Math.min(Number(b.limit ?? 10), 200) > 10_000
        ? invalid('The search API cannot return more than 10000 results; narrow the query or page with a filter.')
        : undefined;
    },
  },
  {
    id: 'search-filter-groups',
    rule: 'A search has at most 5 filter groups, 6 filters in a group and 18 filters in all',
    doc: SEARCH_DOC,
    evidence: 'confirmed',
    check: (req) => {
      if (!is(req, 'POST', SEARCH)) return undefined;
      const groups = groupsOf(req);
      if (groups.length > 5) return invalid(`Too many filter groups (${groups.length}); the maximum is 5.`);
      if (groups.some((g) => (g.filters ?? []).length > 6)) return invalid('Too many filters in a filter group; the maximum is 6.');
      const n = filtersOf(req).length;
      return n > 18 ? invalid(`Too many filters (${n}); the maximum across all filter groups is 18.`) : undefined;
    },
  },
  {
    id: 'search-one-sort',
    rule: 'A search takes one sort rule',
    doc: SEARCH_DOC,
    evidence: 'confirmed',
    check: (req) =>
      is(req, 'POST', SEARCH) && ((obj(req.body).sorts as unknown[] | undefined) ?? []).length > 1
        ? invalid('Only one sort rule is supported.')
        : undefined,
  },
  {
    id: 'search-in-values',
    rule: 'IN and NOT_IN take a `values` array (not `value`)',
    doc: SEARCH_DOC,
    evidence: 'confirmed',
    check: (req) =>
      is(req, 'POST', SEARCH) && filtersOf(req).some((f) => (f.operator === 'IN' || f.operator === 'NOT_IN') && !Array.isArray(f.values))
        ? invalid('Invalid input JSON: the IN operator requires `values`.')
        : undefined,
  },
  {
    id: 'search-associations-operator',
    rule: 'The `associations.<object>` pseudo-property is filtered with EQ (documented) or IN (used by integrators, not documented)',
    doc: SEARCH_DOC,
    evidence: 'inferred',
    check: (req) => {
      if (!is(req, 'POST', SEARCH)) return undefined;
      const bad = filtersOf(req).find((f) => f.propertyName?.startsWith('associations.') && f.operator !== 'EQ' && f.operator !== 'IN');
      return bad ? invalid(`Operator ${String(bad.operator)} is not supported for ${bad.propertyName}.`) : undefined;
    },
  },
  {
    id: 'property-option-hidden',
    rule: 'Every enumeration option sent to the Properties API has `hidden` (OptionInput requires it)',
    doc: PROPERTIES_DOC,
    evidence: 'confirmed',
    check: (req) => {
      if (!is(req, 'POST', PROPERTY_CREATE) && !is(req, 'PATCH', PROPERTY_UPDATE)) return undefined;
      const properties = req.path.endsWith('/batch/create') ? inputs(req) : [req.body];
      const lacking = properties.some((p) =>
        ((obj(p).options as unknown[] | undefined) ?? []).some((o) => typeof obj(o).hidden !== 'boolean'),
      );
      return lacking
        ? invalid('Invalid input JSON: Cannot build OptionInput, some of required attributes are not set [hidden]')
        : undefined;
    },
  },
];

/** The first rule `req` breaks, with HubSpot's answer; undefined when it keeps them all. */
export const brokenRule = (req: RuleRequest) => firstBrokenRule(hubSpotRules, req);

/** Each HubSpot exchange of an HTTP trace (JSONL text) that breaks a rule: `<rule id>: <method> <path>`. */
export function auditHubSpotTrace(jsonl: string): string[] {
  return auditTrace(jsonl, 'hubspot', hubSpotRules, (t) => ({
    method: t.method,
    path: t.url.pathname,
    body: safeJson(t.body),
    bodyLength: t.body.length,
  }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
