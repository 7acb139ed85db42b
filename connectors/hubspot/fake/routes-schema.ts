// The fake's associations v4 batch read (up to 1,000 ids, 500 associations per id with per-id
// paging, NO_ASSOCIATIONS_FOUND errors in a 207 for ids without any) and the properties API
// (properties and property groups: list, read, create, batch create, update).
// Docs: https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4
//       https://developers.hubspot.com/docs/guides/api/crm/properties
import type { FakeRequest, FakeResponse } from '../../shared/fake/server.ts';
import type { On } from './routes-objects.ts';
import { batchEnvelope } from './routes-objects.ts';
import { type HubSpotStore, hubSpotError, type ObjectType, objectTypeOf, type PropertyDefinition } from './store.ts';

const PER_ID = 500;
const validFieldTypes: Record<string, string[]> = {
  string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
  number: ['number', 'calculation_equation'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
  datetime: ['date'],
  date: ['date'],
  bool: ['booleancheckbox', 'calculation_equation'],
};

const body = (req: FakeRequest) => (req.json ?? {}) as Record<string, unknown>;
const typed = (req: FakeRequest, fn: (type: ObjectType) => FakeResponse): FakeResponse => {
  const type = objectTypeOf(req.params.type ?? '');
  return type ? fn(type) : { status: 404, body: hubSpotError('OBJECT_NOT_FOUND', `Unknown object type ${req.params.type}`) };
};

function propertyProblem(store: HubSpotStore, type: ObjectType, p: Record<string, unknown>): string | undefined {
  const name = String(p.name ?? '');
  if (!/^[a-z][a-z0-9_]*$/.test(name)) return `Property name ${name} is invalid`;
  if (store.properties.get(type)?.has(name)) return `Property named '${name}' already exists.`;
  const fields = validFieldTypes[String(p.type)];
  if (!fields) return `Property type ${String(p.type)} is not valid`;
  if (!fields.includes(String(p.fieldType))) return `fieldType ${String(p.fieldType)} is not valid for type ${String(p.type)}`;
  if (!store.groups.get(type)?.has(String(p.groupName))) return `Property group ${String(p.groupName)} does not exist`;
  return undefined;
}

function toDefinition(p: Record<string, unknown>): Partial<PropertyDefinition> & Pick<PropertyDefinition, 'name' | 'type' | 'fieldType'> {
  return {
    name: String(p.name),
    label: String(p.label ?? p.name),
    type: String(p.type),
    fieldType: String(p.fieldType),
    groupName: String(p.groupName),
    description: String(p.description ?? ''),
    options: ((p.options ?? []) as Record<string, unknown>[]).map((o, i) => ({
      label: String(o.label ?? o.value),
      value: String(o.value),
      displayOrder: Number(o.displayOrder ?? i),
      hidden: Boolean(o.hidden),
    })),
    formField: Boolean(p.formField),
  };
}

export function schemaRoutes(on: On, store: HubSpotStore): void {
  on('POST', '/crm/v4/associations/:from/:to/batch/read', (req) => {
    const from = objectTypeOf(req.params.from ?? '');
    const to = objectTypeOf(req.params.to ?? '');
    if (!from || !to) return { status: 400, body: hubSpotError('VALIDATION_ERROR', 'Unknown object type') };
    const inputs = (body(req).inputs ?? []) as { id?: unknown; after?: unknown }[];
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const id = String(input.id);
      const all = store.associated(from, id, to);
      if (all.length === 0) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${to.replace(/s$/, '')} is associated with ${from.replace(/s$/, '')} ${id}.`,
          context: { fromObjectId: [id], toObjectType: [to] },
        });
        continue;
      }
      const start = Number(input.after ?? 0) || 0;
      const page = all.slice(start, start + PER_ID);
      results.push({
        from: { id },
        to: page.map(([toId, types]) => ({ toObjectId: Number(toId), associationTypes: types })),
        ...(start + PER_ID < all.length ? { paging: { next: { after: String(start + PER_ID) } } } : {}),
      });
    }
    return batchEnvelope(results, errors);
  });

  // Docs: https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4 (retrieve association labels)
  on('GET', '/crm/v4/associations/:from/:to/labels', (req) => {
    const from = objectTypeOf(req.params.from ?? '');
    const to = objectTypeOf(req.params.to ?? '');
    if (!from || !to) return { status: 400, body: hubSpotError('VALIDATION_ERROR', 'Unknown object type') };
    return { status: 200, body: { results: store.labelsBetween(from, to) } };
  });

  // Groups first: `/groups` would otherwise read as a property named "groups".
  on('GET', '/crm/v3/properties/:type/groups', (req) =>
    typed(req, (type) => ({ status: 200, body: { results: [...(store.groups.get(type)?.values() ?? [])] } })),
  );
  on('GET', '/crm/v3/properties/:type/groups/:name', (req) =>
    typed(req, (type) => {
      const g = store.groups.get(type)?.get(req.params.name ?? '');
      return g
        ? { status: 200, body: g }
        : { status: 404, body: hubSpotError('OBJECT_NOT_FOUND', `Unable to find property group ${req.params.name}`) };
    }),
  );
  on('POST', '/crm/v3/properties/:type/groups', (req) =>
    typed(req, (type) => {
      const b = body(req);
      const name = String(b.name ?? '');
      if (store.groups.get(type)?.has(name))
        return { status: 409, body: hubSpotError('OBJECT_ALREADY_EXISTS', `A property group named '${name}' already exists.`) };
      return {
        status: 201,
        body: store.defineGroup(type, { name, label: String(b.label ?? name), displayOrder: Number(b.displayOrder ?? -1) }),
      };
    }),
  );

  on('GET', '/crm/v3/properties/:type', (req) =>
    typed(req, (type) => ({
      status: 200,
      body: { results: [...(store.properties.get(type)?.values() ?? [])].filter((p) => !p.archived) },
    })),
  );
  on('GET', '/crm/v3/properties/:type/:name', (req) =>
    typed(req, (type) => {
      const p = store.properties.get(type)?.get(req.params.name ?? '');
      return p
        ? { status: 200, body: p }
        : { status: 404, body: hubSpotError('OBJECT_NOT_FOUND', `Unable to find property ${req.params.name}`) };
    }),
  );
  on('POST', '/crm/v3/properties/:type', (req) =>
    typed(req, (type) => {
      const problem = propertyProblem(store, type, body(req));
      if (problem)
        return {
          status: /already exists/.test(problem) ? 409 : 400,
          body: hubSpotError(/already/.test(problem) ? 'OBJECT_ALREADY_EXISTS' : 'VALIDATION_ERROR', problem),
        };
      return { status: 201, body: store.defineProperty(type, toDefinition(body(req))) };
    }),
  );
  on('POST', '/crm/v3/properties/:type/batch/create', (req) =>
    typed(req, (type) => {
      const inputs = (body(req).inputs ?? []) as Record<string, unknown>[];
      const results: unknown[] = [];
      const errors: unknown[] = [];
      for (const p of inputs) {
        const problem = propertyProblem(store, type, p);
        if (problem) errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: problem, context: { name: [String(p.name)] } });
        else results.push(store.defineProperty(type, toDefinition(p)));
      }
      return batchEnvelope(results, errors, 201);
    }),
  );
  on('PATCH', '/crm/v3/properties/:type/:name', (req) =>
    typed(req, (type) => {
      const existing = store.properties.get(type)?.get(req.params.name ?? '');
      if (!existing) return { status: 404, body: hubSpotError('OBJECT_NOT_FOUND', `Unable to find property ${req.params.name}`) };
      const b = body(req);
      const next = toDefinition({
        ...existing,
        ...b,
        name: existing.name,
        type: b.type ?? existing.type,
        fieldType: b.fieldType ?? existing.fieldType,
      });
      return { status: 200, body: store.defineProperty(type, { ...existing, ...next, updatedAt: new Date().toISOString() }) };
    }),
  );
}
