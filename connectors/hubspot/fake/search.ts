// The fake's CRM search: filter groups (OR of ANDs) including the `associations.<object>` pseudo-
// property, a sort (an object or a "-name" string), pages with a numeric `after`. HubSpot's limits
// (10,000 results, filter counts, body size, page size) are enforced before routing (rules.ts).
// Results carry no associations, as HubSpot's do not.
// Docs: https://developers.hubspot.com/docs/api-reference/search/guide
import type { FakeResponse } from '../../shared/fake/server.ts';
import { type HubSpotStore, hubSpotError, type ObjectType, objectTypeOf, type StoredObject } from './store.ts';

interface Filter {
  propertyName?: string;
  operator?: string;
  value?: unknown;
  highValue?: unknown;
  values?: unknown[];
}

const comparable = (v: unknown): number | string | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const s = String(v);
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  const t = Date.parse(s);
  return Number.isNaN(t) ? s.toLowerCase() : t;
};

/** `associations.company` EQ / IN: the record is associated with (one of) the given records. */
function matchesAssociation(store: HubSpotStore, o: StoredObject, f: Filter): boolean {
  const target = objectTypeOf((f.propertyName ?? '').slice('associations.'.length));
  if (!target) return false;
  const linked = new Set(store.associated(o.type, o.id, target).map(([id]) => id));
  if (f.operator === 'EQ') return linked.has(String(f.value));
  if (f.operator === 'IN') return (f.values ?? []).some((v) => linked.has(String(v)));
  return false;
}

function matches(store: HubSpotStore, o: StoredObject, f: Filter): boolean {
  if (f.propertyName?.startsWith('associations.')) return matchesAssociation(store, o, f);
  const actual = comparable(store.value(o, f.propertyName ?? ''));
  const wanted = comparable(f.value);
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined;
    case 'NOT_HAS_PROPERTY':
      return actual === undefined;
    case 'EQ':
      return actual === wanted;
    case 'NEQ':
      return actual !== wanted;
    case 'IN':
      return (f.values ?? []).map(comparable).includes(actual);
    case 'GT':
      return actual !== undefined && wanted !== undefined && actual > wanted;
    case 'GTE':
      return actual !== undefined && wanted !== undefined && actual >= wanted;
    case 'LT':
      return actual !== undefined && wanted !== undefined && actual < wanted;
    case 'LTE':
      return actual !== undefined && wanted !== undefined && actual <= wanted;
    case 'BETWEEN': {
      const high = comparable(f.highValue);
      return actual !== undefined && wanted !== undefined && high !== undefined && actual >= wanted && actual <= high;
    }
    default:
      return false;
  }
}

/** A portal refusing IN on `associations.<object>` (HubSpot documents EQ only); the documented limits are in rules.ts. */
function refusedAssociationIn(store: HubSpotStore, b: Record<string, unknown>): FakeResponse | undefined {
  if (!store.refuseAssociationIn) return undefined;
  const filters = ((b.filterGroups ?? []) as { filters?: Filter[] }[]).flatMap((g) => g.filters ?? []);
  const f = filters.find((x) => x.propertyName?.startsWith('associations.') && x.operator === 'IN');
  return f ? { status: 400, body: hubSpotError('VALIDATION_ERROR', `Operator IN is not supported for ${f.propertyName}.`) } : undefined;
}

/**
 * The records a search can match: when every filter group names the associated records
 * (`associations.<object>` EQ / IN), only those records' associations are looked at rather than
 * every record of the type (the demo's portal holds tens of thousands of engagements).
 */
function candidates(store: HubSpotStore, type: ObjectType, groups: { filters?: Filter[] }[]): StoredObject[] {
  const narrowed = groups.map((g) =>
    (g.filters ?? []).find((f) => f.propertyName?.startsWith('associations.') && (f.operator === 'EQ' || f.operator === 'IN')),
  );
  if (groups.length === 0 || narrowed.some((f) => f === undefined)) return [...store.all(type).values()];
  const out = new Map<string, StoredObject>();
  for (const f of narrowed as Filter[]) {
    const target = objectTypeOf((f.propertyName ?? '').slice('associations.'.length));
    if (!target) continue;
    const ids = f.operator === 'EQ' ? [f.value] : (f.values ?? []);
    for (const id of ids)
      for (const [linked] of store.associated(target, String(id), type)) {
        const o = store.get(type, linked);
        if (o) out.set(o.id, o);
      }
  }
  return [...out.values()];
}

export function searchObjects(store: HubSpotStore, type: ObjectType, b: Record<string, unknown>): FakeResponse {
  const refused = refusedAssociationIn(store, b);
  if (refused) return refused;
  const limit = Math.max(1, Math.min(Number(b.limit ?? 10) || 10, 200));
  const after = Number(b.after ?? 0) || 0;
  const groups = (b.filterGroups ?? []) as { filters?: Filter[] }[];
  const sorts = ((b.sorts ?? []) as unknown[]).map((s) =>
    typeof s === 'string'
      ? { name: s.replace(/^-/, ''), desc: s.startsWith('-') }
      : { name: String((s as { propertyName?: string }).propertyName), desc: (s as { direction?: string }).direction === 'DESCENDING' },
  );
  const hits = candidates(store, type, groups)
    .filter((o) => !o.archived)
    .filter((o) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(store, o, f))))
    .sort((x, y) => {
      for (const s of sorts) {
        const a = comparable(store.value(x, s.name)) ?? '';
        const c = comparable(store.value(y, s.name)) ?? '';
        if (a < c) return s.desc ? 1 : -1;
        if (a > c) return s.desc ? -1 : 1;
      }
      return Number(x.id) - Number(y.id);
    });
  const props = (b.properties ?? ['name', 'domain']) as string[];
  const page = hits.slice(after, after + limit);
  const more = after + limit < hits.length;
  return {
    status: 200,
    body: {
      total: hits.length,
      results: page.map((o) => store.render(o, props)),
      ...(more ? { paging: { next: { after: String(after + limit) } } } : {}),
    },
  };
}
