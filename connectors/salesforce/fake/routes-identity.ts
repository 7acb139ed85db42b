// The fake's discovery endpoints, as the API user sees them: the version's resource list (which
// carries the identity URL jsforce's `identity()` follows), the identity service answering who the
// session belongs to, and sObject describe listing only the fields field-level security lets the
// user see, each with `updateable` as its permissions make it.
import type { FakeRequest, FakeResponse, Handler } from '../../shared/fake/server.ts';
import { type FakeAccess, ORG_ID } from './access.ts';
import { KEY_PREFIX } from './ids.ts';
import { restError } from './routes-rest.ts';
import { type FakeOrg, fieldLabel } from './store.ts';

export interface IdentityContext {
  org: FakeOrg;
  access: FakeAccess;
  /** Highest API version served, e.g. "62.0". */
  version: string;
}

type Route = [method: string, path: string, handler: Handler];

const origin = (req: FakeRequest) => `http://${req.headers.host ?? '127.0.0.1'}`;

export function identityRoutes(ctx: IdentityContext): Route[] {
  const versionOf = (req: FakeRequest): string | FakeResponse => {
    const m = /^v(\d+\.\d)$/.exec(req.params.version ?? '');
    if (!m || Number(m[1]) > Number(ctx.version) || Number(m[1]) < 20)
      return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return m[1] as string;
  };

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_discoveryresource.htm
  const resources: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    const base = `/services/data/v${version}`;
    return {
      status: 200,
      body: {
        tooling: `${base}/tooling`,
        metadata: `${base}/metadata`,
        query: `${base}/query`,
        sobjects: `${base}/sobjects`,
        composite: `${base}/composite`,
        limits: `${base}/limits`,
        identity: `${origin(req)}/id/${ORG_ID}/${ctx.access.userId}`,
      },
    };
  };

  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
  const identity: Handler = (req) => {
    if (req.params.org !== ORG_ID || req.params.user !== ctx.access.userId) return { status: 404, body: 'Bad_Id' };
    const user = ctx.org.get('User', ctx.access.userId) ?? {};
    const base = `${origin(req)}/services`;
    return {
      status: 200,
      body: {
        id: `${origin(req)}/id/${ORG_ID}/${ctx.access.userId}`,
        asserted_user: true,
        user_id: ctx.access.userId,
        organization_id: ORG_ID,
        username: ctx.access.username,
        nick_name: ctx.access.username.split('@')[0],
        display_name: user.Name ?? ctx.access.username,
        email: user.Email ?? ctx.access.username,
        email_verified: true,
        status: { created_date: null, body: null },
        urls: {
          enterprise: `${base}/Soap/c/{version}/${ORG_ID.slice(0, 15)}`,
          metadata: `${base}/Soap/m/{version}/${ORG_ID.slice(0, 15)}`,
          partner: `${base}/Soap/u/{version}/${ORG_ID.slice(0, 15)}`,
          rest: `${base}/data/v{version}/`,
          sobjects: `${base}/data/v{version}/sobjects/`,
          query: `${base}/data/v{version}/query/`,
          profile: `${origin(req)}/${ctx.access.userId}`,
        },
        active: true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: 0,
        last_modified_date: `${new Date(ctx.org.now()).toISOString().slice(0, 19)}.000+0000`,
        is_app_installed: true,
      },
    };
  };

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
  const describe: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    const object = ctx.org.objectName(req.params.type ?? '');
    if (!object) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const fields = ctx.org
      .fields(object)
      .map((f) => ({ f, access: ctx.org.fieldAccess(object, f.name) }))
      .filter(({ access }) => access !== 'none')
      .map(({ f, access }) => ({
        name: f.name,
        label: fieldLabel(f),
        type: f.type,
        custom: f.custom === true,
        length: f.length ?? 0,
        precision: f.precision ?? 0,
        scale: f.scale ?? 0,
        nillable: f.type !== 'id' && f.type !== 'boolean',
        createable: !f.readOnly && access === 'edit',
        updateable: !f.readOnly && access === 'edit',
        picklistValues: (f.values ?? []).map((value) => ({ value, label: value, active: true, defaultValue: false })),
        restrictedPicklist: f.type.endsWith('picklist') && f.values !== undefined && f.unrestricted !== true,
      }));
    return {
      status: 200,
      body: {
        name: object,
        label: object,
        custom: false,
        keyPrefix: KEY_PREFIX[object] ?? null,
        queryable: true,
        createable: true,
        updateable: true,
        fields,
        urls: {
          sobject: `/services/data/v${version}/sobjects/${object}`,
          describe: `/services/data/v${version}/sobjects/${object}/describe`,
        },
      },
    };
  };

  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_record_count.htm
  const recordCount: Handler = (req) => {
    const version = versionOf(req);
    if (typeof version !== 'string') return version;
    const names = (req.query.get('sObjects') ?? '').split(',').filter(Boolean);
    return {
      status: 200,
      body: { sObjects: names.map((name) => ({ count: ctx.org.records(name).filter((r) => !r.IsDeleted).length, name })) },
    };
  };

  return [
    ['GET', '/services/data/:version/limits/recordCount', recordCount],
    ['GET', '/services/data/:version', resources],
    ['GET', '/id/:org/:user', identity],
    ['GET', '/services/data/:version/sobjects/:type/describe', describe],
  ];
}
