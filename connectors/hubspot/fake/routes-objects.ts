// The fake's CRM objects API v3 (companies, contacts, emails, meetings, calls, notes, tasks):
// list with `after` paging, read one, batch read (OBJECT_NOT_FOUND per missing id, 207), batch
// update and create (invalid values, such as an option an enumeration lacks, fail the whole request
// with 400 VALIDATION_ERROR naming each as HubSpot does; per-record
// failures answer 207 MULTI_STATUS), create with associations, and search. Request-shape limits
// (input counts, search limits) are enforced before routing from rules.ts.
// Docs: https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm
import type { FakeRequest, FakeResponse } from '../../shared/fake/server.ts';
import { searchObjects } from './search.ts';
import {
  defaultTypeIds,
  type HubSpotStore,
  hubSpotError,
  type ObjectType,
  objectTypeOf,
  type PropertyOption,
  type StoredObject,
} from './store.ts';

export type On = (method: string, path: string, handler: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>) => void;

const notFound = (what: string): FakeResponse => ({ status: 404, body: hubSpotError('OBJECT_NOT_FOUND', `resource not found: ${what}`) });
const badRequest = (message: string, extra: Record<string, unknown> = {}): FakeResponse => ({
  status: 400,
  body: hubSpotError('VALIDATION_ERROR', message, extra),
});

export const listParam = (req: FakeRequest, name: string): string[] =>
  req.query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .filter(Boolean);

const body = (req: FakeRequest) => (req.json ?? {}) as Record<string, unknown>;
/** HubSpot's batch answer: 200 (201 for creates) when every input succeeded, 207 MULTI_STATUS with `errors` otherwise. */
export const batchEnvelope = (results: unknown[], errors: unknown[], okStatus = 200) => {
  const now = new Date().toISOString();
  return {
    status: errors.length > 0 ? 207 : okStatus,
    body: {
      status: 'COMPLETE',
      results,
      ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
      startedAt: now,
      completedAt: now,
    },
  };
};

function withType(req: FakeRequest, fn: (type: ObjectType) => FakeResponse): FakeResponse {
  const type = objectTypeOf(req.params.type ?? '');
  return type ? fn(type) : notFound(`object type ${req.params.type}`);
}

/**
 * HubSpot's rendering of a property's options in an INVALID_OPTION message, as captured from a real
 * batch update (castled's HubSpot connector tests): each option's fields one a line, joined by ", ".
 */
export const allowedOptionsText = (options: readonly PropertyOption[]) =>
  `[${options
    .map(
      (o) =>
        `label: "${o.label}"\nvalue: "${o.value}"\ndisplay_order: ${o.displayOrder}\ndouble_data: 0.0\nhidden: ${o.hidden}\ndescription: ""\nread_only: false\n`,
    )
    .join(', ')}]`;

/** Why a value may not be written into a property, HubSpot-style; undefined when fine. */
export function valueProblem(store: HubSpotStore, type: ObjectType, name: string, value: unknown): Record<string, unknown> | undefined {
  const def = store.properties.get(type)?.get(name);
  if (!def) return { isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name };
  const v = value === null || value === undefined ? '' : String(value);
  if (v === '') return undefined;
  // An enumeration takes only its options' internal values; a multi-select (checkbox) each of its ";"-joined values.
  const chosen = def.fieldType === 'checkbox' ? v.split(';').filter(Boolean) : [v];
  const invalid = def.type === 'enumeration' ? chosen.find((c) => !def.options.some((o) => o.value === c)) : undefined;
  if (invalid !== undefined)
    return {
      isValid: false,
      message: `${invalid} was not one of the allowed options: ${allowedOptionsText(def.options)}`,
      error: 'INVALID_OPTION',
      name,
    };
  if (def.type === 'number' && !Number.isFinite(Number(v)))
    return { isValid: false, message: `${v} is not a valid number`, error: 'INVALID_DECIMAL', name };
  if ((def.type === 'datetime' || def.type === 'date') && Number.isNaN(Date.parse(v)) && !/^\d{10,14}$/.test(v))
    return { isValid: false, message: `${v} is not a valid date`, error: 'INVALID_DATE', name };
  return undefined;
}

export function objectRoutes(on: On, store: HubSpotStore, baseUrl: () => string): void {
  on('GET', '/crm/v3/objects/:type', (req) =>
    withType(req, (type) => {
      const withHistory = listParam(req, 'propertiesWithHistory');
      const cap = withHistory.length > 0 ? 50 : 100;
      const limit = Math.max(1, Math.min(Number(req.query.get('limit') ?? 10) || 10, cap));
      const after = Number(req.query.get('after') ?? 0);
      const live = [...store.all(type).values()].filter((o) => !o.archived).sort((a, b) => Number(a.id) - Number(b.id));
      const from = live.filter((o) => Number(o.id) >= after);
      const page = from.slice(0, limit);
      const next = from[limit];
      const props = listParam(req, 'properties');
      return {
        status: 200,
        body: {
          results: page.map((o) => store.render(o, props.length > 0 ? props : ['name', 'domain'], withHistory)),
          ...(next
            ? { paging: { next: { after: next.id, link: `${baseUrl()}/crm/v3/objects/${req.params.type}?after=${next.id}` } } }
            : {}),
        },
      };
    }),
  );

  on('GET', '/crm/v3/objects/:type/:id', (req) =>
    withType(req, (type) => {
      const o = store.get(type, req.params.id ?? '');
      return o
        ? { status: 200, body: store.render(o, listParam(req, 'properties'), listParam(req, 'propertiesWithHistory')) }
        : notFound(`${type} ${req.params.id}`);
    }),
  );

  on('POST', '/crm/v3/objects/:type/batch/read', (req) =>
    withType(req, (type) => {
      const b = body(req);
      const inputs = (b.inputs ?? []) as { id?: unknown }[];
      const props = (b.properties ?? []) as string[];
      const history = (b.propertiesWithHistory ?? []) as string[];
      const found: StoredObject[] = [];
      const missing: string[] = [];
      for (const i of inputs) {
        const o = store.get(type, String(i.id));
        if (o) found.push(o);
        else missing.push(String(i.id));
      }
      const errors = missing.length
        ? [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: `Could not get some ${type.replace(/s$/, '').toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
              context: { ids: missing },
            },
          ]
        : [];
      return batchEnvelope(
        found.map((o) => store.render(o, props, history)),
        errors,
      );
    }),
  );

  on('POST', '/crm/v3/objects/:type/batch/update', (req) =>
    withType(req, (type) => {
      // Input counts and duplicate ids are checked before routing (rules.ts).
      const inputs = (body(req).inputs ?? []) as { id?: unknown; properties?: Record<string, unknown> }[];
      const problems = inputs.flatMap((i) =>
        Object.entries(i.properties ?? {}).flatMap(([name, value]) => {
          const p = valueProblem(store, type, name, value);
          return p ? [p] : [];
        }),
      );
      if (problems.length > 0) return badRequest(`Property values were not valid: ${JSON.stringify(problems)}`);
      const now = Date.now();
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const i of inputs) {
        const id = String(i.id);
        const o = store.get(type, id);
        const rejection = store.rejectUpdates.get(id);
        if (!o) errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Object ${id} not found`, context: { ids: [id] } });
        else if (rejection) errors.push({ status: 'error', ...rejection, context: { ids: [id] } });
        else {
          const props = Object.fromEntries(Object.entries(i.properties ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
          store.set(o, props, now);
          store.updateCounts.set(id, (store.updateCounts.get(id) ?? 0) + 1);
          results.push(store.render(o, Object.keys(props)));
        }
      }
      return batchEnvelope(results, errors);
    }),
  );

  on('POST', '/crm/v3/objects/:type/search', (req) => withType(req, (type) => searchObjects(store, type, body(req))));

  on('POST', '/crm/v3/objects/:type', (req) =>
    withType(req, (type) => {
      const b = body(req) as {
        properties?: Record<string, unknown>;
        associations?: { to?: { id?: unknown }; types?: { associationTypeId?: number }[] }[];
      };
      const links: [ObjectType, string][] = [];
      for (const a of b.associations ?? []) {
        const typeId = a.types?.[0]?.associationTypeId;
        const pair = Object.entries(defaultTypeIds).find(([k, v]) => v === typeId && k.startsWith(`${type}/`))?.[0];
        const target = pair ? (pair.split('/')[1] as ObjectType) : undefined;
        if (!target || !store.get(target, String(a.to?.id)))
          return badRequest(`One or more associations are invalid: ${String(a.to?.id)} with type ${String(typeId)}`);
        links.push([target, String(a.to?.id)]);
      }
      // Values of the portal's properties are checked as on update (an option outside an enumeration's is refused).
      const problems = Object.entries(b.properties ?? {}).flatMap(([name, value]) => {
        const p = store.defines(type, name) ? valueProblem(store, type, name, value) : undefined;
        return p ? [p] : [];
      });
      if (problems.length > 0) return badRequest(`Property values were not valid: ${JSON.stringify(problems)}`);
      const props = Object.fromEntries(Object.entries(b.properties ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
      const o = store.create(type, props, Date.now());
      for (const [target, id] of links) store.associate(type, o.id, target, id);
      return { status: 201, body: store.render(o, Object.keys(props)) };
    }),
  );
}
