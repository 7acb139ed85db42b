// The fake's REST API under /services/data/vXX.X: SOQL query with nextRecordsUrl paging, sObject
// collections update (PATCH /composite/sobjects, 200 records, allOrNone, per-record results) and
// sObject create (Task insert, PermissionSetAssignment insert), with Salesforce's payloads and error bodies.
import type { FakeRequest, FakeResponse, Handler } from '../../shared/fake/server.ts';
import type { FakeAccess } from './access.ts';
import { isSalesforceId } from './ids.ts';
import { parseSoql, SoqlError } from './soql.ts';
import { runSoql } from './soql-eval.ts';
import type { FakeOrg, RecordError } from './store.ts';
import { sfDateTime } from './store.ts';

export interface RestContext {
  org: FakeOrg;
  /** The API user's permissions (who may assign permission sets). */
  access: FakeAccess;
  /** Highest API version the fake org serves, e.g. "62.0". */
  version: string;
  /** Records per query page (Salesforce: 2,000). */
  pageSize: number;
  /** Record-level failures to answer inside a collections call, by record id. */
  recordFailures: Map<string, RecordError & { times?: number }>;
}

type Route = [method: string, path: string, handler: Handler];

/** Salesforce's REST error body: a JSON array of { message, errorCode[, fields] }. */
export const restError = (status: number, errorCode: string, message: string, fields?: string[]): FakeResponse => ({
  status,
  body: [{ message, errorCode, ...(fields ? { fields } : {}) }],
});

const MAX_COLLECTION = 200;

export function restRoutes(ctx: RestContext): Route[] {
  const cursors = new Map<string, Record<string, unknown>[]>();
  let cursorSeq = 0;

  /** The version from the path, or a 404 like Salesforce gives for a version it does not serve. */
  const versionOf = (req: FakeRequest): string | FakeResponse => {
    const m = /^v(\d+\.\d)$/.exec(req.params.version ?? '');
    if (!m || Number(m[1]) > Number(ctx.version) || Number(m[1]) < 20)
      return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return m[1] as string;
  };

  const page = (version: string, rows: Record<string, unknown>[], cursor: string, offset: number) => {
    const records = rows.slice(offset, offset + ctx.pageSize);
    const next = offset + ctx.pageSize;
    const done = next >= rows.length;
    return {
      status: 200,
      body: {
        totalSize: rows.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursor}-${next}` }),
        records,
      },
    };
  };

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
  const query: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    const q = req.query.get('q');
    if (!q) return restError(400, 'MALFORMED_QUERY', 'SOQL statement required: set the q parameter');
    try {
      const rows = runSoql(ctx.org, parseSoql(q), version).rows;
      const cursor = `01gHs0000${String(++cursorSeq).padStart(6, '0')}AAA`;
      if (rows.length > ctx.pageSize) cursors.set(cursor, rows);
      return page(version, rows, cursor, 0);
    } catch (err) {
      if (err instanceof SoqlError) return restError(400, err.errorCode, err.message);
      throw err;
    }
  };

  const queryMore: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    const [cursor, offset] = (req.params.locator ?? '').split('-');
    const rows = cursors.get(cursor ?? '');
    if (!rows || offset === undefined || !/^\d+$/.test(offset)) return restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return page(version, rows, cursor as string, Number(offset));
  };

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
  const updateCollection: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    const body = req.json as { allOrNone?: unknown; records?: unknown } | undefined;
    if (!body || !Array.isArray(body.records)) return restError(400, 'JSON_PARSER_ERROR', 'Request body must hold a records array');
    if (body.records.length > MAX_COLLECTION)
      return restError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
    const checked = (body.records as Record<string, unknown>[]).map((rec) => {
      const { attributes, id, ...values } = rec;
      const type = ctx.org.objectName(String((attributes as { type?: unknown } | undefined)?.type ?? ''));
      if (!type) return { error: { statusCode: 'INVALID_TYPE', message: 'sObject type is required in attributes', fields: [] } };
      if (typeof id !== 'string' || !isSalesforceId(id))
        return { error: { statusCode: 'MALFORMED_ID', message: `${type} ID: id value of incorrect type: ${String(id)}`, fields: ['Id'] } };
      const record = ctx.org.get(type, id);
      if (!record || record.IsDeleted) return { error: { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] } };
      const injected = ctx.recordFailures.get(String(record.Id));
      if (injected) {
        if (injected.times !== undefined && --injected.times <= 0) ctx.recordFailures.delete(String(record.Id));
        return { error: { statusCode: injected.statusCode, message: injected.message, fields: injected.fields } };
      }
      const error = ctx.org.check(type, values);
      return error ? { error } : { type, id: String(record.Id), values };
    });
    const anyFailed = checked.some((c) => 'error' in c);
    if (body.allOrNone === true && anyFailed) {
      return {
        status: 200,
        body: checked.map((c) => ({
          success: false,
          errors: [
            'error' in c
              ? c.error
              : {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
          ],
        })),
      };
    }
    return {
      status: 200,
      body: checked.map((c) => {
        if ('error' in c) return { success: false, errors: [c.error] };
        ctx.org.write(c.type as string, c.id as string, c.values as Record<string, unknown>);
        return { id: c.id, success: true, errors: [] };
      }),
    };
  };

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
  const create: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    const type = ctx.org.objectName(req.params.type ?? '');
    if (!type) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const values = { ...((req.json as Record<string, unknown> | undefined) ?? {}) };
    const error = ctx.org.check(type, values) ?? (type === 'PermissionSetAssignment' ? ctx.access.checkAssignment(values) : undefined);
    if (error) return restError(400, error.statusCode, error.message, error.fields);
    for (const key of ['WhatId', 'WhoId', 'OwnerId'] as const) {
      const ref = values[key];
      if (ref === undefined || ref === null) continue;
      const target = typeof ref === 'string' && isSalesforceId(ref) ? ctx.org.find(ref) : undefined;
      if (!target || (key === 'OwnerId' && target.object !== 'User'))
        return restError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [key]);
    }
    if (type === 'Task' || type === 'Event') {
      const what = typeof values.WhatId === 'string' ? ctx.org.find(values.WhatId) : undefined;
      const id = ctx.org.create(type, values);
      const derived: Record<string, string | boolean | null> = { AccountId: what?.object === 'Account' ? String(what.record.Id) : null };
      if (type === 'Task') {
        derived.IsClosed = values.Status === 'Completed';
        derived.Status = (values.Status as string | undefined) ?? 'Not Started';
        derived.Priority = (values.Priority as string | undefined) ?? 'Normal';
        derived.TaskSubtype = (values.TaskSubtype as string | undefined) ?? 'Task';
        derived.CompletedDateTime = values.Status === 'Completed' ? sfDateTime(ctx.org.now()) : null;
      }
      ctx.org.patchRaw(type, id, derived, false);
      return { status: 201, body: { id, success: true, errors: [] } };
    }
    return { status: 201, body: { id: ctx.org.create(type, values), success: true, errors: [] } };
  };

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm
  const describeGlobal: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    return {
      status: 200,
      body: {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: ctx.org.objectNames().map((name) => ({
          name,
          label: name,
          custom: name.endsWith('__c'),
          queryable: true,
          urls: {
            sobject: `/services/data/v${version}/sobjects/${name}`,
            describe: `/services/data/v${version}/sobjects/${name}/describe`,
          },
        })),
      },
    };
  };

  return [
    ['GET', '/services/data/:version/sobjects', describeGlobal],
    ['GET', '/services/data/:version/query', query],
    ['GET', '/services/data/:version/query/:locator', queryMore],
    ['PATCH', '/services/data/:version/composite/sobjects', updateCollection],
    ['POST', '/services/data/:version/sobjects/:type', create],
  ];
}
