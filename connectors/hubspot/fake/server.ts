// A fake HubSpot on 127.0.0.1 (ephemeral port) that speaks HubSpot's real API for everything the
// connector calls, so tests and the demo drive the official SDK against it: objects v3, search,
// associations v4, properties, auth and scope errors, the rolling 10-second and daily limits with
// HubSpot's 429 bodies and headers, and the kit's fault injection. Seed with the vendor-neutral
// format (`seedAccounts`) or raw records; read back what the connector wrote.

import { randomBytes } from 'node:crypto';
import { ViolationLog } from '../../shared/fake/rules.ts';
import { FakeClock, FakeHttpServer, type Fault } from '../../shared/fake/server.ts';
import { HubSpotGate, rateLimitBody } from './gate.ts';
import { accountRoutes } from './routes-account.ts';
import { type On, objectRoutes } from './routes-objects.ts';
import { schemaRoutes } from './routes-schema.ts';
import { brokenRule } from './rules.ts';
import {
  type HubSpotSeedAccount,
  installSchema,
  type MarkerMode,
  type PortalKind,
  type SeededAccount,
  seedAccount,
  seedLabels,
} from './seed.ts';
import { HubSpotStore, type ObjectType, type PropertyDefinition, type PropertyGroup } from './store.ts';

export type { HubSpotSeedAccount, MarkerMode, PortalKind } from './seed.ts';
export { seededPortalMapping, seedLabels } from './seed.ts';
export type { ObjectType } from './store.ts';

export interface HubSpotFakeOptions {
  /** Requests per rolling 10 s (vendor time); HubSpot's Free/Starter private apps get 100. */
  tenSecondLimit?: number;
  /** Requests per day; unlimited when absent. */
  dailyLimit?: number;
  /** Vendor time runs this many times faster than real time (100: a 10 s window lasts 100 ms). */
  clockScale?: number;
  /** Search requests per second (HubSpot: 5). */
  searchPerSecond?: number;
  /** Search refuses IN on `associations.company` (HubSpot documents EQ only), as a portal might. */
  refuseAssociationIn?: boolean;
  /** `plain`: a fresh portal with HubSpot's standard properties only; `customized` (default) adds common custom ones. */
  portal?: PortalKind;
}

export interface RawRecordSeed {
  properties?: Record<string, string | null | undefined>;
  /** When the values were set (ISO); now when absent. */
  at?: string;
  createdAt?: string;
  /** JSON fields served verbatim over the rendering, e.g. a malformed `createdAt`. */
  raw?: Record<string, unknown>;
}

export interface HubSpotTask {
  id: string;
  properties: Record<string, string | null>;
  companyIds: string[];
}

export interface HubSpotFake {
  url: string;
  token: string;
  server: FakeHttpServer;
  clock: FakeClock;
  store: HubSpotStore;
  /** From now on every call answers 401 EXPIRED_AUTHENTICATION. */
  expireToken(): void;
  /** From now on calls needing `scope` (e.g. crm.objects.companies.write) answer 403 MISSING_SCOPES. */
  revokeScope(scope: string): void;
  /** Loads accounts (each a `customer` unless its `lifecyclestage` says otherwise); returns seed key → company id. */
  seedAccounts(accounts: readonly HubSpotSeedAccount[], mode?: MarkerMode): Map<string, string>;
  /** The contact id a seeded contact got. */
  contactId(accountKey: string, contactKey: string): string | undefined;
  seedRecord(type: ObjectType, seed?: RawRecordSeed): string;
  setProperties(type: ObjectType, id: string, properties: Record<string, string | null>, at?: string): void;
  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, labels?: string[]): void;
  dissociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void;
  /** Archives (deletes) a company: reads and writes then say it does not exist. */
  deleteCompany(id: string): void;
  /** Batch updates answer a per-record error (207) for this company. */
  rejectUpdates(companyId: string, message: string, category?: string): void;
  /** Queues `times` 429 TEN_SECONDLY_ROLLING answers for matching requests (default: all). */
  rateLimitBurst(times: number, match?: Fault['match']): void;
  companyProperties(id: string): Record<string, string | null>;
  /** How many batch updates applied to each company. */
  updateCount(companyId: string): number;
  tasks(): HubSpotTask[];
  propertyGroup(name: string): PropertyGroup | undefined;
  /** Company property definitions. */
  properties(): PropertyDefinition[];
  close(): Promise<void>;
}

/** Requests any HubSpot fake in this process refused for breaking a rule, since the last take. */
const violations = new ViolationLog();

/** Takes (and clears) the rule violations recorded by every HubSpot fake of this process: the suite's audit. */
export const takeHubSpotRuleViolations = (): string[] => violations.take();

export async function startHubSpotFake(options: HubSpotFakeOptions = {}): Promise<HubSpotFake> {
  const token = `pat-na1-${randomBytes(16).toString('hex')}`;
  const clock = new FakeClock(options.clockScale ?? 1);
  const store = new HubSpotStore();
  const portal = options.portal ?? 'customized';
  installSchema(store, portal);
  store.refuseAssociationIn = options.refuseAssociationIn ?? false;
  const gate = new HubSpotGate({
    token,
    tenSecondLimit: options.tenSecondLimit ?? 100,
    dailyLimit: options.dailyLimit,
    searchPerSecond: options.searchPerSecond ?? 5,
    clock,
  });
  const server = new FakeHttpServer();
  // HubSpot checks auth and rate limits, then the request's shape (rules.ts).
  server.guard = (req) => {
    const refused = gate.check(req);
    if (refused) return refused;
    const broken = brokenRule({ method: req.method, path: req.path, body: req.json, bodyLength: req.body.length });
    if (!broken) return undefined;
    violations.record(broken.rule.id, req.method, req.path);
    return { ...broken.answer, headers: gate.headersFor(req) };
  };
  const on: On = (method, path, handler) =>
    server.route(method, path, async (req) => {
      const r = await handler(req);
      return { ...r, headers: { ...gate.headersFor(req), ...r.headers } };
    });
  objectRoutes(on, store, () => server.baseUrl);
  schemaRoutes(on, store);
  accountRoutes(on, gate, 4242);
  const url = await server.start();
  const seeded = new Map<string, SeededAccount>();

  return {
    url,
    token,
    server,
    clock,
    store,
    expireToken: () => {
      gate.expired = true;
    },
    revokeScope: (scope) => {
      gate.missingScopes.add(scope);
    },
    seedAccounts(accounts, mode = 'properties') {
      const out = new Map<string, string>();
      // Labels exist before anyone is associated with them, as an admin creates them in HubSpot.
      if (mode === 'labels') for (const label of Object.values(seedLabels)) store.defineLabel('companies', 'contacts', label);
      for (const a of accounts) {
        const s = seedAccount(store, a, mode, portal);
        seeded.set(a.key, s);
        out.set(a.key, s.companyId);
      }
      return out;
    },
    contactId: (accountKey, contactKey) => seeded.get(accountKey)?.contactIds.get(contactKey),
    seedRecord(type, seed = {}) {
      const at = seed.at ? Date.parse(seed.at) : Date.now();
      const o = store.create(type, seed.properties ?? {}, at, seed.createdAt ? Date.parse(seed.createdAt) : at);
      if (seed.raw) o.raw = seed.raw;
      return o.id;
    },
    setProperties(type, id, properties, at) {
      const o = store.get(type, id);
      if (!o) throw new Error(`fake hubspot: no ${type} ${id}`);
      store.set(o, properties, at ? Date.parse(at) : Date.now());
    },
    associate: (fromType, fromId, toType, toId, labels = []) => store.associate(fromType, fromId, toType, toId, labels),
    dissociate: (fromType, fromId, toType, toId) => store.dissociate(fromType, fromId, toType, toId),
    deleteCompany(id) {
      const o = store.get('companies', id);
      if (o) o.archived = true;
    },
    rejectUpdates: (companyId, message, category = 'VALIDATION_ERROR') => {
      store.rejectUpdates.set(companyId, { category, message });
    },
    rateLimitBurst(times, match) {
      server.inject({
        ...(match ? { match } : {}),
        times,
        fault: {
          kind: 'status',
          status: 429,
          body: rateLimitBody('TEN_SECONDLY_ROLLING'),
          headers: { 'X-HubSpot-RateLimit-Remaining': '0' },
        },
      });
    },
    companyProperties(id) {
      const o = store.all('companies').get(id);
      if (!o) throw new Error(`fake hubspot: no company ${id}`);
      return store.current(o);
    },
    updateCount: (companyId) => store.updateCounts.get(companyId) ?? 0,
    tasks: () =>
      [...store.all('tasks').values()].map((o) => ({
        id: o.id,
        properties: store.current(o),
        companyIds: store.associated('tasks', o.id, 'companies').map(([id]) => id),
      })),
    propertyGroup: (name) => store.groups.get('companies')?.get(name),
    properties: () => [...(store.properties.get('companies')?.values() ?? [])],
    close: () => server.stop(),
  };
}
