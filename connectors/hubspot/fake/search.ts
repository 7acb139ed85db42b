// The fake's CRM search: filter groups (OR of ANDs), sorts (objects or "-name" strings), up to 200
// per page with a numeric `after`, and HubSpot's hard stop at 10,000 results.
// Docs: https://developers.hubspot.com/docs/guides/api/crm/search
import type { FakeResponse } from '../../shared/fake-server.ts';
import { type HubSpotStore, hubSpotError, type ObjectType, type StoredObject } from './store.ts';

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

function matches(store: HubSpotStore, o: StoredObject, f: Filter): boolean {
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

export function searchObjects(store: HubSpotStore, type: ObjectType, b: Record<string, unknown>): FakeResponse {
  const limit = Math.max(1, Math.min(Number(b.limit ?? 10) || 10, 200));
  const after = Number(b.after ?? 0) || 0;
  if (after + limit > 10_000)
    return {
      status: 400,
      body: hubSpotError(
        'VALIDATION_ERROR',
        'The search API cannot return more than 10000 results; narrow the query or page with a filter.',
      ),
    };
  const groups = (b.filterGroups ?? []) as { filters?: Filter[] }[];
  const sorts = ((b.sorts ?? []) as unknown[]).map((s) =>
    typeof s === 'string'
      ? { name: s.replace(/^-/, ''), desc: s.startsWith('-') }
      : { name: String((s as { propertyName?: string }).propertyName), desc: (s as { direction?: string }).direction === 'DESCENDING' },
  );
  const hits = [...store.all(type).values()]
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
