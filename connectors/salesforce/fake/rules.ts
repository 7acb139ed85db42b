// Salesforce's documented request rules the connector relies on, as data: each with its doc link,
// how sure we are (confirmed in Salesforce's docs, or inferred from errors other integrators
// report), and the answer Salesforce gives a request that breaks it. The fake answers the first
// broken rule of a request exactly so (after the session and allocation checks) and records it for
// the suite's audit; `auditSalesforceTrace` checks an HTTP trace against the same rules. The README's
// rules table lists these rows.
import { auditTrace, firstBrokenRule, type VendorRule } from '../../shared/fake/rules.ts';
import type { FakeResponse } from '../../shared/fake/server.ts';

export interface SfRuleRequest {
  method: string;
  /** Path and query string as sent (percent-encoded). */
  url: string;
  /** Bytes of the request line's URI plus the headers. */
  uriAndHeaderBytes: number;
  body: string;
}

export type SalesforceRule = VendorRule<SfRuleRequest>;

const restError = (status: number, errorCode: string, message: string): FakeResponse => ({ status, body: [{ message, errorCode }] });

/** The SOQL of a query request (GET …/query?q=…), decoded; undefined for other requests. */
export function soqlOf(req: Pick<SfRuleRequest, 'method' | 'url'>): string | undefined {
  if (req.method !== 'GET' || !/\/services\/data\/v[\d.]+\/query(All)?\/?\?/.test(req.url)) return undefined;
  return new URL(req.url, 'http://x').searchParams.get('q') ?? undefined;
}

const semiJoinObjects = (soql: string): string[] =>
  [...soql.matchAll(/\bIN\s*\(\s*SELECT\s+\w+\s+FROM\s+(\w+)/gi)].map((m) => m[1] as string);

const SOQL_DOC =
  'https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_comparisonoperators.htm';
const LIMITS_DOC =
  'https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm';

export const salesforceRules: SalesforceRule[] = [
  {
    id: 'uri-and-headers-16384',
    rule: 'A request URI plus its headers is at most 16,384 bytes (GET queries carry the SOQL in the URI)',
    doc: 'https://help.salesforce.com/s/articleView?id=000386264&type=1',
    evidence: 'confirmed',
    // Salesforce's edge answers with an HTML page, not the JSON error array.
    check: (req) =>
      req.uriAndHeaderBytes > 16_384
        ? { status: 431, body: '<html><body><h1>431 Request Header Fields Too Large</h1></body></html>' }
        : undefined,
  },
  {
    id: 'soql-100000',
    rule: 'A SOQL statement is at most 100,000 characters',
    doc: LIMITS_DOC,
    evidence: 'confirmed',
    check: (req) => {
      const soql = soqlOf(req);
      return soql !== undefined && soql.length > 100_000
        ? restError(400, 'MALFORMED_QUERY', `Query is too long: ${soql.length} characters; the maximum is 100000`)
        : undefined;
    },
  },
  {
    id: 'semi-join-no-activities',
    rule: 'Task and Event cannot be the inner select of a semi-join (`Id IN (SELECT … FROM Task)`)',
    doc: SOQL_DOC,
    evidence: 'inferred',
    check: (req) => {
      const soql = soqlOf(req);
      const bad = soql === undefined ? undefined : semiJoinObjects(soql).find((o) => /^(task|event)$/i.test(o));
      return bad ? restError(400, 'MALFORMED_QUERY', `Entity '${bad}' is not supported for semi join inner selects`) : undefined;
    },
  },
  {
    id: 'semi-join-max-2',
    rule: 'At most two semi-join or anti-join subqueries in one WHERE clause',
    doc: SOQL_DOC,
    evidence: 'confirmed',
    check: (req) => {
      const soql = soqlOf(req);
      return soql !== undefined && semiJoinObjects(soql).length > 2
        ? restError(400, 'EXCEEDED_MAX_SEMIJOIN_SUBSELECTS', 'Maximum of 2 semi join sub-selects are allowed')
        : undefined;
    },
  },
  {
    id: 'collection-200',
    rule: 'An sObject Collections request carries at most 200 records',
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm',
    evidence: 'confirmed',
    check: (req) => {
      if (!/\/composite\/sobjects/.test(req.url) || req.method === 'GET') return undefined;
      let records: unknown;
      try {
        records = (JSON.parse(req.body) as { records?: unknown }).records;
      } catch {
        return undefined;
      }
      return Array.isArray(records) && records.length > 200
        ? restError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call')
        : undefined;
    },
  },
  {
    id: 'metadata-10-components',
    rule: 'A Metadata API create, update, upsert or read call names at most 10 components',
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_createMetadata.htm',
    evidence: 'inferred',
    check: (req) => {
      if (!req.url.startsWith('/services/Soap/m/')) return undefined;
      const op = /<(?:\w+:)?(createMetadata|updateMetadata|upsertMetadata|readMetadata)\b/.exec(req.body)?.[1];
      if (!op) return undefined;
      const count =
        op === 'readMetadata'
          ? (req.body.match(/<(?:\w+:)?fullNames>/g) ?? []).length
          : (req.body.match(/<(?:\w+:)?metadata\b/g) ?? []).length;
      return count > 10
        ? {
            status: 500,
            headers: { 'content-type': 'text/xml;charset=UTF-8' },
            body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:EXCEEDED_ID_LIMIT</faultcode><faultstring>EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than 10 records in this operation</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
          }
        : undefined;
    },
  },
];

/** The first rule `req` breaks, with Salesforce's answer; undefined when it keeps them all. */
export const brokenSalesforceRule = (req: SfRuleRequest) => firstBrokenRule(salesforceRules, req);

/** Each Salesforce exchange of an HTTP trace (JSONL) that breaks a rule: `<rule id>: <method> <path>`. */
export function auditSalesforceTrace(jsonl: string): string[] {
  return auditTrace(jsonl, 'salesforce', salesforceRules, (t) => {
    const url = `${t.url.pathname}${t.url.search}`;
    // The trace keeps no headers: count the URI and a typical header block (bearer session id, content type, user agent).
    return { method: t.method, url, uriAndHeaderBytes: Buffer.byteLength(url) + 600, body: t.body };
  });
}
