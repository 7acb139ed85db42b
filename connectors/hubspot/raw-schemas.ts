// Raw schemas: HubSpot records as the SDK hands them over (ids as strings, every property a string
// or null, history versions with Date timestamps), checked before any mapping. A record that fails
// is reported with its id and the reason; the rest of the page or batch goes on.
// Docs: https://developers.hubspot.com/docs/api/crm/understanding-the-crm (objects, properties)

import * as z from 'zod';
import { formatIssues } from '../../lib/zod-issues.ts';
import type { RejectedRecord } from '../shared/source.ts';

const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'expected a valid date-time');

export const historyVersionRaw = z.object({
  value: z.string().nullable().optional(),
  timestamp: validDate,
  sourceType: z.string().optional(),
});

export const hubSpotObjectRaw = z.object({
  id: z.string().regex(/^\d+$/, 'expected a numeric record id'),
  properties: z.record(z.string(), z.string().nullable().optional()),
  propertiesWithHistory: z.record(z.string(), z.array(historyVersionRaw)).optional(),
  createdAt: validDate,
  updatedAt: validDate,
  archived: z.boolean().optional(),
});
export type HubSpotObjectRaw = z.infer<typeof hubSpotObjectRaw>;

export type PropertyKind = 'string' | 'number' | 'date' | 'datetime' | 'bool';

const isNumber = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));
const isDate = (v: string) => /^\d{10,14}$/.test(v) || !Number.isNaN(Date.parse(v));
const checks: Record<PropertyKind, [(v: string) => boolean, string]> = {
  string: [() => true, ''],
  number: [isNumber, 'expected a number'],
  date: [isDate, 'expected a date (YYYY-MM-DD or epoch milliseconds)'],
  datetime: [isDate, 'expected a date-time (ISO 8601 or epoch milliseconds)'],
  bool: [(v) => v === 'true' || v === 'false', 'expected true or false'],
};

/** A raw object schema whose listed properties (current values and history) must have their HubSpot type; "" and null mean unset. */
export function typedObjectRaw(kinds: Record<string, PropertyKind>) {
  const problem = (name: string, value: string | null | undefined): string | undefined => {
    const kind = kinds[name];
    if (!kind || value === null || value === undefined || value === '') return undefined;
    const [ok, message] = checks[kind];
    return ok(value) ? undefined : message;
  };
  return hubSpotObjectRaw.superRefine((o, ctx) => {
    for (const [name, value] of Object.entries(o.properties)) {
      const message = problem(name, value);
      if (message) ctx.addIssue({ code: 'custom', path: ['properties', name], message });
    }
    for (const [name, versions] of Object.entries(o.propertiesWithHistory ?? {})) {
      versions.forEach((v, i) => {
        const message = problem(name, v.value);
        if (message) ctx.addIssue({ code: 'custom', path: ['propertiesWithHistory', name, i, 'value'], message });
      });
    }
  });
}

/** One association as the v4 batch read returns it (the SDK renames `from` to `_from`; ids may be numbers). */
export const associationResultRaw = z.object({
  _from: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  to: z.array(
    z.object({
      toObjectId: z.union([z.string(), z.number()]).transform(String),
      associationTypes: z
        .array(z.object({ typeId: z.number().optional(), label: z.string().nullable().optional(), category: z.string().optional() }))
        .default([]),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
export type AssociationResultRaw = z.infer<typeof associationResultRaw>;

/** A per-record error in a batch response (207): `context.ids` names the records it concerns. */
export const batchErrorRaw = z.object({
  status: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.unknown().optional(),
  message: z.string().default(''),
  context: z.record(z.string(), z.array(z.string())).optional(),
});
export type BatchErrorRaw = z.infer<typeof batchErrorRaw>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; rejected: RejectedRecord };

/** Parses one record, or says which record failed and why (paths and messages, never values). */
export function parseRecord<S extends z.ZodType>(schema: S, raw: unknown, kind: string): Parsed<z.infer<S>> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const id = raw && typeof raw === 'object' && 'id' in raw ? String((raw as { id: unknown }).id) : 'unknown';
  const reason = formatIssues(r.error, { root: '(record)' });
  return { ok: false, rejected: { recordId: id, reason: `${kind} ${id} failed its schema: ${reason}` } };
}
