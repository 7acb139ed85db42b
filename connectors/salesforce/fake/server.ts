// A fake Salesforce org on 127.0.0.1 for tests and the local demo: the REST query / collections /
// create / describe endpoints, the identity service and the Metadata API SOAP endpoint jsforce
// calls, session checks answered with INVALID_SESSION_ID, field-level security for the integration
// user the session belongs to, a rolling 24-hour API allocation reported in Sforce-Limit-Info on
// every response (REQUEST_LIMIT_EXCEEDED past it), the OAuth token endpoint and sessions that time
// out (routes-oauth.ts), the kit's fault injection, seeding and read helpers.
import { DAY_MS } from '../../../lib/days.ts';
import { ViolationLog } from '../../shared/fake/rules.ts';
import { FakeClock, FakeHttpServer, type FakeRequest, type FakeResponse, WindowLimit } from '../../shared/fake/server.ts';
import { defaultSalesforceMapping, type SalesforceMapping } from '../config.ts';
import { FakeAccess, type IntegrationUserOptions, type UserPermissions } from './access.ts';
import { identityRoutes } from './routes-identity.ts';
import { metadataHandler } from './routes-metadata.ts';
import { type FakeConnectedApp, type FakeConnectedAppOptions, FakeSessions, tokenHandler } from './routes-oauth.ts';
import { restError, restRoutes } from './routes-rest.ts';
import { brokenSalesforceRule } from './rules.ts';
import { customizedOrgMapping, defineOrgCustomization, type SalesforceSeedAccount, SeedLoader } from './seed.ts';
import { FakeOrg, type FieldAccess, type OrgFeatures, type RecordError, type SfRecord } from './store.ts';
import { soapFault } from './xml.ts';

export interface SalesforceFakeOptions {
  /** Rolling 24-hour API request allocation (Enterprise Edition starts at 100,000). */
  dailyLimit?: number;
  /** Highest API version served, e.g. "62.0". */
  version?: string;
  /** Records per query page (Salesforce: 2,000). */
  pageSize?: number;
  /** Compresses the fake's clock (the daily window) for tests. */
  clock?: FakeClock;
  /**
   * The org customization to create (the custom fields the seed writes): `customizedOrgMapping` when
   * absent; `defaultSalesforceMapping` is a standard org with no custom fields.
   */
  mapping?: SalesforceMapping;
  /** Org features that add standard objects (Contacts to Multiple Accounts, Enhanced Email); off by default. */
  features?: OrgFeatures;
  /** A standard org: no custom field at all (until setup creates its own); the seed writes standard objects only. */
  standard?: boolean;
  /** The user the session belongs to: its username and whether it may manage / assign permission sets (default yes). */
  integrationUser?: IntegrationUserOptions;
  /** A session dies this long after it was issued on the org's clock (Salesforce: 15 minutes to 24 hours; default 2 hours). */
  sessionTimeoutMs?: number;
  /** The org's clock moves this much with every API request: sessions expire mid-run without waiting. */
  requestTickMs?: number;
  /** The connected app the token endpoint knows (its consumer key and secret are generated). */
  connectedApp?: FakeConnectedAppOptions;
}

const TWO_HOURS_MS = 7_200_000;

export interface SalesforceFake {
  instanceUrl: string;
  /** A session issued at start (as if pasted from Setup); it times out like any other. */
  accessToken: string;
  /** The connected app's consumer key and secret. */
  app: FakeConnectedApp;
  /** Changes the connected app's settings from now on (certificate, pre-authorized users, Run As, rotation). */
  configureApp(options: Partial<FakeConnectedAppOptions>): void;
  /** A refresh token for the integration user and the app, as an interactive authorization would issue. */
  issueRefreshToken(): string;
  /** Revokes a refresh token (an admin revoking the app's approval). */
  revokeRefreshToken(token: string): void;
  /** Moves the org's clock (session ages) forward without touching the wall clock JWT exp is judged on. */
  passTime(ms: number): void;
  /** grant_type of every token request answered, in order. */
  tokenGrants(): string[];
  server: FakeHttpServer;
  org: FakeOrg;
  /** Ends every session issued so far: calls with them answer INVALID_SESSION_ID (new sessions still work). */
  expireSession(): void;
  /** Loads seed accounts (Type "Customer - Direct" unless `accountType` says otherwise); returns seed key → Account Id (18 characters). */
  seedAccounts(accounts: readonly SalesforceSeedAccount[]): Map<string, string>;
  /** Lower-level seeding: inserts a record as stored (any field, no checks); returns its id. */
  insert(object: string, values: SfRecord, createdAt?: Date): string;
  /** Edits a record as a user would (stamps LastModifiedDate now unless `touch` is false). */
  edit(object: string, id: string, values: SfRecord, touch?: boolean): void;
  /** The User id for an email (created on first use). */
  user(email: string): string;
  /** The next collections update answers this error for the record (every time, or `times` times). */
  failRecord(id: string, error: { statusCode: string; message: string; fields?: string[] }, times?: number): void;
  account(id: string): SfRecord | undefined;
  /** How many API updates were applied to the record. */
  updatesOf(id: string): number;
  /** Every API update applied, in order, with each field's value before and after. */
  updateLog(): { id: string; changes: Record<string, { before: unknown; after: unknown }> }[];
  tasks(): SfRecord[];
  /** Custom field definitions created through the Metadata API, by full name. */
  customFields(): Map<string, Record<string, unknown>>;
  /** Metadata API operations received, in order. */
  metadataOperations(): { operation: string; fullNames: string[] }[];
  /** The User id and username the session belongs to. */
  integrationUser: { id: string; username: string };
  /** Changes what the integration user may do from now on (an admin editing its profile). */
  setUserPermissions(permissions: Partial<UserPermissions>): void;
  /** What field-level security lets the integration user do with a field ("Account.Health_Score__c"). */
  fieldAccess(fullName: string): FieldAccess;
  /** An admin sets field-level security on the integration user's profile. */
  grantOnProfile(fullName: string, access: FieldAccess): void;
  /** Permission set metadata saved through the Metadata API, by full name (values as sent: strings). */
  permissionSets(): Map<string, Record<string, unknown>>;
  /** Names of the permission sets assigned to a user (the integration user by default). */
  assignedPermissionSets(userId?: string): string[];
  /** API requests counted against the daily allocation in the current window. */
  apiUsage(): { used: number; limit: number };
  close(): Promise<void>;
}

/** Requests any Salesforce fake in this process refused for breaking a rule, since the last take. */
const violations = new ViolationLog();

/** Takes (and clears) the rule violations recorded by every Salesforce fake of this process: the suite's audit. */
export const takeSalesforceRuleViolations = (): string[] => violations.take();

export async function startSalesforceFake(options: SalesforceFakeOptions = {}): Promise<SalesforceFake> {
  const version = options.version ?? '62.0';
  const clock = options.clock ?? new FakeClock();
  const dailyLimit = options.dailyLimit ?? 100_000;
  const allocation = new WindowLimit(dailyLimit, DAY_MS, clock);
  const org = new FakeOrg(() => clock.now(), options.features);
  const access = new FakeAccess(org, options.integrationUser);
  let offset = 0;
  const sessions = new FakeSessions(options.sessionTimeoutMs ?? TWO_HOURS_MS, () => clock.now() + offset);
  const accessToken = sessions.issue(access.username);
  const app: FakeConnectedApp = {
    consumerKey: `3MVG9${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
    consumerSecret: `${Math.random().toString(16).slice(2)}${Math.random().toString(16).slice(2)}`.toUpperCase(),
  };
  const appOptions: FakeConnectedAppOptions = { ...options.connectedApp };
  const grants: string[] = [];
  const mapping = options.standard ? defaultSalesforceMapping : (options.mapping ?? customizedOrgMapping);
  if (!options.standard) defineOrgCustomization(org, mapping);
  const seed = new SeedLoader(org, mapping);
  const recordFailures = new Map<string, RecordError & { times?: number }>();
  const customFields = new Map<string, Record<string, unknown>>();
  const operations: { operation: string; fullNames: string[] }[] = [];
  let used = 0;

  const server = new FakeHttpServer();
  const limitHeader = () => ({ 'sforce-limit-info': `api-usage=${used}/${dailyLimit}` });
  const withLimitInfo =
    (h: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>) =>
    async (req: FakeRequest): Promise<FakeResponse> => {
      const res = await h(req);
      return { ...res, headers: { ...limitHeader(), ...res.headers } };
    };

  server.guard = (req) => {
    if (req.path === '/services/oauth2/token') return undefined;
    const soap = req.path.startsWith('/services/Soap/');
    const token = soap
      ? /<(?:\w+:)?sessionId>([^<]*)<\/(?:\w+:)?sessionId>/.exec(req.body)?.[1]
      : /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!sessions.valid(token)) {
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
      if (soap)
        return {
          status: 500,
          headers: { 'content-type': 'text/xml;charset=UTF-8' },
          body: soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session'),
        };
      return restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    const taken = allocation.take();
    if (!taken.ok) {
      used = dailyLimit;
      const headers = limitHeader();
      if (soap)
        return {
          status: 500,
          headers: { ...headers, 'content-type': 'text/xml;charset=UTF-8' },
          body: soapFault('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
        };
      return { ...restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), headers };
    }
    used = dailyLimit - taken.remaining;
    offset += options.requestTickMs ?? 0;
    return undefined;
  };

  // After the session and the allocation, the request's shape (rules.ts), as Salesforce checks it.
  const sessionGuard = server.guard;
  server.guard = (req) => {
    const refused = sessionGuard?.(req);
    if (refused) return refused;
    const search = req.query.toString();
    const url = `${req.path}${search ? `?${search}` : ''}`;
    const headerBytes = Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
    const broken = brokenSalesforceRule({
      method: req.method,
      url,
      uriAndHeaderBytes: Buffer.byteLength(url) + headerBytes,
      body: req.body,
    });
    if (!broken) return undefined;
    violations.record(broken.rule.id, req.method, req.path);
    return broken.answer;
  };

  for (const [method, path, handler] of [
    ...restRoutes({ org, access, version, pageSize: options.pageSize ?? 2000, recordFailures }),
    ...identityRoutes({ org, access, version }),
  ])
    server.route(method, path, withLimitInfo(handler));
  server.route('POST', '/services/Soap/m/:version', withLimitInfo(metadataHandler({ org, access, customFields, operations }, version)));

  const instanceUrl = await server.start();
  server.route(
    'POST',
    '/services/oauth2/token',
    tokenHandler({
      app,
      options: appOptions,
      sessions,
      integrationUser: { id: access.userId, username: access.username },
      myDomainHost: () => `127.0.0.1:${server.port}`,
      myDomainUrl: () => instanceUrl,
      nowSeconds: () => Math.floor(Date.now() / 1000),
      grants,
    }),
  );
  return {
    instanceUrl,
    accessToken,
    app,
    configureApp: (changes) => {
      Object.assign(appOptions, changes);
    },
    issueRefreshToken: () => sessions.issueRefreshToken(app.consumerKey, access.username),
    revokeRefreshToken: (token) => sessions.revokeRefreshToken(token),
    passTime: (ms) => {
      offset += ms;
    },
    tokenGrants: () => [...grants],
    server,
    org,
    expireSession: () => sessions.expireAll(),
    seedAccounts: (accounts) => seed.load(accounts),
    insert: (object, values, createdAt) => {
      const name = org.objectName(object) ?? object;
      return org.insertRaw(name, values, createdAt?.getTime());
    },
    edit: (object, id, values, touch = true) => org.patchRaw(org.objectName(object) ?? object, id, values, touch),
    user: (email) => seed.user(email),
    failRecord: (id, error, times) => {
      const stored = org.find(id)?.record.Id;
      recordFailures.set(String(stored ?? id), { fields: [], ...error, ...(times === undefined ? {} : { times }) });
    },
    account: (id) => {
      const r = org.get('Account', id);
      return r ? { ...r } : undefined;
    },
    updateLog: () => [...org.updateLog],
    updatesOf: (id) => org.updateCounts.get(String(org.find(id)?.record.Id ?? id)) ?? 0,
    tasks: () => org.records('Task').map((r) => ({ ...r })),
    customFields: () => new Map(customFields),
    metadataOperations: () => [...operations],
    integrationUser: { id: access.userId, username: access.username },
    setUserPermissions: (permissions) => {
      Object.assign(access.permissions, permissions);
    },
    fieldAccess: (fullName) => {
      const [object, field] = fullName.split('.');
      return access.access(org.objectName(object ?? '') ?? object ?? '', field ?? '');
    },
    grantOnProfile: (fullName, level) => access.grantOnProfile(fullName, level),
    permissionSets: () => new Map(access.permissionSets),
    assignedPermissionSets: (userId = access.userId) => access.assignedTo(userId),
    apiUsage: () => ({ used, limit: dailyLimit }),
    close: () => server.stop(),
  };
}
