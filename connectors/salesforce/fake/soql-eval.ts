// Runs a parsed SOQL query against the fake org: checks the object and every field like the real
// API (INVALID_TYPE, INVALID_FIELD with Salesforce's wording, also for a field that field-level
// security hides), filters, sorts, limits and projects the rows into the REST shape (canonical
// field names, `attributes`, null for empty fields).

import { isoDay } from '../../../lib/days.ts';
import { sameId } from './ids.ts';
import { type SoqlCondition, SoqlError, type SoqlLiteral, type SoqlQuery } from './soql.ts';
import type { FakeOrg, FieldDef, SfRecord, SfValue } from './store.ts';

function resolveObject(org: FakeOrg, name: string): string {
  const object = org.objectName(name);
  if (!object)
    throw new SoqlError(
      'INVALID_TYPE',
      `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  return object;
}

function resolveField(org: FakeOrg, object: string, name: string): FieldDef {
  const f = org.visibleField(object, name);
  if (!f)
    throw new SoqlError(
      'INVALID_FIELD',
      `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  return f;
}

const toMs = (v: string): number => Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/** Compares a stored value with a literal: <0, 0, >0, or undefined when they cannot be compared. */
function compare(f: FieldDef, stored: SfValue | undefined, lit: SoqlLiteral): number | undefined {
  if (stored === null || stored === undefined || lit === null) return undefined;
  if (typeof lit === 'object' && 'datetime' in lit) return typeof stored === 'string' ? toMs(stored) - lit.datetime : undefined;
  if (typeof lit === 'object' && 'date' in lit) {
    if (typeof stored !== 'string') return undefined;
    const day = f.type === 'datetime' ? isoDay(toMs(stored)) : stored;
    return day < lit.date ? -1 : day > lit.date ? 1 : 0;
  }
  if (typeof lit === 'number' && typeof stored === 'number') return stored - lit;
  if (typeof lit === 'boolean') return stored === lit ? 0 : 1;
  if (typeof lit === 'string' && typeof stored === 'string') {
    if (f.type === 'id' || f.type === 'reference') return sameId(stored, lit) ? 0 : stored < lit ? -1 : 1;
    const a = stored.toLowerCase();
    const b = lit.toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return undefined;
}

function equals(f: FieldDef, stored: SfValue | undefined, lit: SoqlLiteral): boolean {
  if (lit === null) return stored === null || stored === undefined;
  if (f.type === 'multipicklist' && typeof stored === 'string' && typeof lit === 'string')
    return stored.toLowerCase() === lit.toLowerCase();
  return compare(f, stored, lit) === 0;
}

function likeMatch(stored: SfValue | undefined, pattern: SoqlLiteral): boolean {
  if (typeof stored !== 'string' || typeof pattern !== 'string') return false;
  const re = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${re}$`, 'is').test(stored);
}

function matcher(org: FakeOrg, object: string, cond: SoqlCondition): (r: SfRecord) => boolean {
  switch (cond.kind) {
    case 'and': {
      const parts = cond.parts.map((p) => matcher(org, object, p));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = cond.parts.map((p) => matcher(org, object, p));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = matcher(org, object, cond.cond);
      return (r) => !inner(r);
    }
    case 'in': {
      const f = resolveField(org, object, cond.field);
      const values: SoqlLiteral[] = Array.isArray(cond.values) ? cond.values : semiJoin(org, cond.values);
      return (r) => values.some((v) => equals(f, r[f.name], v)) !== cond.negate;
    }
    case 'cmp': {
      const f = resolveField(org, object, cond.field);
      const { op, value } = cond;
      return (r) => {
        const stored = r[f.name];
        if (op === 'like') return likeMatch(stored, value);
        if (op === '=') return equals(f, stored, value);
        if (op === '!=') return !equals(f, stored, value);
        const c = compare(f, stored, value);
        if (c === undefined) return false;
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      };
    }
  }
}

function semiJoin(org: FakeOrg, sub: SoqlQuery): SoqlLiteral[] {
  const result = runSoql(org, sub);
  const key = result.fieldNames[0] as string;
  return result.rows.map((row) => (row[key] ?? null) as SoqlLiteral);
}

export interface SoqlResult {
  object: string;
  fieldNames: string[];
  /** Rows in REST shape: `attributes` first, then the selected fields. */
  rows: Record<string, unknown>[];
}

/** Evaluates a query; throws SoqlError for an unknown object or field. */
export function runSoql(org: FakeOrg, q: SoqlQuery, version = '62.0'): SoqlResult {
  const object = resolveObject(org, q.object);
  const fields = q.fields.map((name) => resolveField(org, object, name));
  const where = q.where ? matcher(org, object, q.where) : () => true;
  const order = q.orderBy.map((o) => ({ ...o, def: resolveField(org, object, o.field) }));
  let rows = org.records(object).filter((r) => !r.IsDeleted && where(r));
  rows.sort((a, b) => {
    for (const o of order) {
      const x = a[o.def.name] ?? null;
      const y = b[o.def.name] ?? null;
      if (x === y) continue;
      if (x === null) return o.nullsLast ? 1 : -1;
      if (y === null) return o.nullsLast ? -1 : 1;
      const c = (compare(o.def, x, y) ?? 0) * (o.desc ? -1 : 1);
      if (c !== 0) return c;
    }
    return 0;
  });
  if (q.offset) rows = rows.slice(q.offset);
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  return {
    object,
    fieldNames: fields.map((f) => f.name),
    rows: rows.map((r) => {
      const out: Record<string, unknown> = { attributes: { type: object, url: `/services/data/v${version}/sobjects/${object}/${r.Id}` } };
      for (const f of fields) out[f.name] = r[f.name] ?? null;
      return out;
    }),
  };
}
