// Raw API schemas (zod) of the records the connector reads, built from the field mapping because the
// field names are configuration: Account (listing and signals), Contact, Task, Event, EventWhoRelation.
// Each comes with the SOQL field list that selects exactly what it validates. Setup's answers (the
// identity service, permission set metadata, Account describe) are checked here too.

import * as z from 'zod';
import { formatIssues } from '../../lib/zod-issues.ts';
import type { RejectedRecord } from '../shared/source.ts';
import type { SfRow } from './client.ts';
import type { SalesforceMapping } from './config.ts';

/** Parses Salesforce's date-time format (2026-05-01T12:00:00.000+0000) to epoch ms. */
export const parseSfDateTime = (s: string): number => Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

const sfId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'not a Salesforce record id');
const sfDateTime = z.string().refine((s) => !Number.isNaN(parseSfDateTime(s)), 'not a date-time');
const sfDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date (YYYY-MM-DD)');
const text = z.string().nullish();
const flag = z.union([z.boolean(), z.string()]).nullish();
const num = z.number().nullish();

type Shape = Record<string, z.ZodType>;

const put = (shape: Shape, field: string | null | undefined, schema: z.ZodType) => {
  if (field) shape[field] = schema;
};

const build = (shape: Shape) => ({ fields: Object.keys(shape), schema: z.looseObject(shape) });

/** A field compared with configured values (a picklist, text or checkbox). */
const choice = z.union([z.string(), z.boolean(), z.number()]).nullish();

/**
 * Account fields for listing: identity, owner, the join keys, the CSM override, modification time,
 * the scope and churn fields. The churn date is read as text: a bad one loses the date, not the account.
 */
export function accountListing(m: SalesforceMapping) {
  const shape: Shape = { Id: sfId, Name: text, Website: text, OwnerId: sfId.nullish(), LastModifiedDate: sfDateTime };
  put(shape, m.scope?.field, choice);
  put(shape, m.churn?.field, choice);
  put(shape, m.churn?.dateField, text);
  put(shape, m.account.segment, text);
  for (const f of Object.values(m.identity)) put(shape, f, z.union([z.string(), z.number()]).nullish());
  if (m.override) {
    put(shape, m.override.score, num);
    put(shape, m.override.reason, text);
    put(shape, m.override.expiresOn, sfDate.nullish());
  }
  return build(shape);
}

/** Account fields that feed signals directly (renewal, age, sentiment, NPS, plan, ROI). */
export function accountSignals(m: SalesforceMapping) {
  const a = m.account;
  const shape: Shape = { Id: sfId };
  put(shape, a.contractStart, sfDate.nullish());
  put(shape, a.renewalDate, sfDate.nullish());
  put(shape, a.csmSentiment, text);
  put(shape, a.nps, num);
  put(shape, a.successPlanOnTrack?.field, flag);
  put(shape, a.roiDocumented?.field, flag);
  return build(shape);
}

export function contactRecord(m: SalesforceMapping) {
  const c = m.contact;
  const shape: Shape = { Id: sfId, AccountId: sfId, Email: text, Title: text, CreatedDate: sfDateTime };
  put(shape, c.champion?.field, flag);
  put(shape, c.execSponsor?.field, flag);
  put(shape, c.left?.field, flag);
  put(shape, c.roleStartDate, sfDate.nullish());
  put(shape, c.leftDate, sfDate.nullish());
  put(shape, c.executiveSince, sfDate.nullish());
  return build(shape);
}

export function taskRecord(m: SalesforceMapping) {
  const shape: Shape = {
    Id: sfId,
    AccountId: sfId,
    WhoId: sfId.nullish(),
    WhatId: sfId.nullish(),
    TaskSubtype: text,
    CallDurationInSeconds: num,
    CompletedDateTime: sfDateTime.nullish(),
    CreatedDate: sfDateTime,
  };
  put(shape, m.activity.emailDirection?.field, text);
  put(shape, m.activity.emailThread, text);
  return build(shape);
}

export function eventRecord(m: SalesforceMapping) {
  const shape: Shape = { Id: sfId, AccountId: sfId, WhoId: sfId.nullish(), StartDateTime: sfDateTime, EndDateTime: sfDateTime.nullish() };
  put(shape, m.activity.meetingOutcome?.field, text);
  return build(shape);
}

export const eventWhoRelation = build({ EventId: sfId, RelationId: sfId });

/** Standard objects read on every org: opportunities (renewals, and where contact roles hang), contact roles, contracts. */
export const opportunityRecord = build({ Id: sfId, AccountId: sfId, Type: text, CloseDate: sfDate, IsClosed: z.boolean().nullish() });
export const opportunityContactRole = build({ OpportunityId: sfId, ContactId: sfId, Role: text, CreatedDate: sfDateTime });
export const contractRecord = build({ AccountId: sfId, StartDate: sfDate.nullish(), EndDate: sfDate.nullish() });
/** With Contacts to Multiple Accounts. */
export const accountContactRelation = build({
  AccountId: sfId,
  ContactId: sfId,
  Roles: text,
  IsActive: z.boolean().nullish(),
  StartDate: sfDate.nullish(),
  EndDate: sfDate.nullish(),
  CreatedDate: sfDateTime,
});
/** With Enhanced Email: the message behind an email Task, with its direction. */
export const emailMessageRecord = build({
  ActivityId: sfId,
  Incoming: z.boolean().nullish(),
  MessageDate: sfDateTime.nullish(),
  ThreadIdentifier: text,
});

/** The identity service's answer (jsforce `identity()`): who the session belongs to. */
export const identityRecord = z.looseObject({ user_id: sfId, username: z.string().min(1), organization_id: sfId });

/** A row of a query that selects only Id. */
export const idRow = z.looseObject({ Id: sfId });

/** PermissionSet metadata as jsforce's readMetadata returns it (booleans already converted). */
export const permissionSetMetadata = z.looseObject({
  fullName: z.string().min(1),
  label: z.string().nullish(),
  description: z.string().nullish(),
  fieldPermissions: z
    .array(z.looseObject({ field: z.string().min(1), readable: z.boolean().nullish(), editable: z.boolean().nullish() }))
    .nullish(),
});

/** An sObject describe: the fields the user can see, and whether it may write each. */
export const sobjectDescribe = z.looseObject({
  name: z.string(),
  fields: z.array(z.looseObject({ name: z.string().min(1), updateable: z.boolean() })),
});

/** Splits rows into those that pass the schema and rejected ones (id and reason); never throws. */
export function validateRows(rows: readonly SfRow[], schema: z.ZodType, kind: string): { valid: SfRow[]; rejected: RejectedRecord[] } {
  const valid: SfRow[] = [];
  const rejected: RejectedRecord[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) {
      valid.push(parsed.data as SfRow);
      continue;
    }
    const id =
      typeof row.Id === 'string' ? row.Id : typeof row.EventId === 'string' ? `${row.EventId}/${String(row.RelationId)}` : '(no id)';
    const reason = formatIssues(parsed.error, { root: kind });
    rejected.push({ recordId: id, reason: `${kind} ${reason}` });
  }
  return { valid, rejected };
}
