// The field access the integration user needs, granted by setup. Custom fields created through the
// Metadata API are visible to no profile until field-level security grants them, so without this the
// first write-back is rejected with INVALID_FIELD. Setup keeps a permission set "Healthscore
// integration" (Healthscore_Integration) with Read + Edit on the health-score fields and Read on the
// mapped custom Account / Contact fields (read, widened, upserted: a save replaces the whole set, so
// what an admin added to it stays), assigns it to the connected user (found through the identity
// service), and checks the result with a describe of Account made as that user.
import { firstIssue } from '../../lib/zod-issues.ts';
import { ConfigError, TransientError } from '../shared/errors.ts';
import { type SalesforceClient, vendorErrorOf } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import { identityRecord, idRow, permissionSetMetadata, sobjectDescribe } from './raw-schemas.ts';
import { soqlIdList } from './soql.ts';

export const PERMISSION_SET = {
  name: 'Healthscore_Integration',
  label: 'Healthscore integration',
  description:
    'Lets the healthscore integration user read the fields it maps and write the Health_* fields on Account. Kept by healthscore setup.',
} as const;

export interface FieldPermission {
  /** "Object.Field__c" */
  field: string;
  readable: boolean;
  editable: boolean;
}

/** What one step of setup did, or why the connected user may not do it. */
export type AccessStep = { status: 'created' | 'updated' | 'unchanged' } | { denied: string };

export interface ConnectedUser {
  userId: string;
  username: string;
}

/** Codes meaning "this user may not do that" (INVALID_TYPE: the object is hidden from it, e.g. PermissionSetAssignment). */
const isDenial = (code: string | undefined): code is string =>
  code !== undefined && (code.startsWith('INSUFFICIENT_ACCESS') || code === 'INVALID_TYPE');

/** The refusal behind an error, as Salesforce worded it; undefined when it is no refusal. */
function denialOf(err: unknown): string | undefined {
  const e = vendorErrorOf(err);
  return e && isDenial(e.code) ? `${e.code}: ${e.message}` : undefined;
}

/** The custom Account and Contact fields the mapping reads, as "Object.Field__c" (standard fields follow the profile). */
export function mappedCustomFields(m: SalesforceMapping): string[] {
  const a = m.account;
  const account = [a.segment, a.contractStart, a.renewalDate, a.csmSentiment, a.nps, a.successPlanOnTrack?.field, a.roiDocumented?.field];
  account.push(...Object.values(m.identity), ...(m.override ? [m.override.score, m.override.reason, m.override.expiresOn] : []));
  account.push(m.scope?.field, m.churn?.field, m.churn?.dateField);
  const c = m.contact;
  const contact = [c.champion?.field, c.execSponsor?.field, c.roleStartDate, c.left?.field, c.leftDate, c.executiveSince];
  const custom = (object: string, names: (string | null | undefined)[]) =>
    names.filter((n): n is string => typeof n === 'string' && n.endsWith('__c')).map((n) => `${object}.${n}`);
  return [...new Set([...custom('Account', account), ...custom('Contact', contact)])];
}

/** The fieldPermissions of permission set metadata, normalized. */
export function fromSalesforceFieldPermissions(md: { fieldPermissions?: unknown } | undefined): FieldPermission[] {
  const list = Array.isArray(md?.fieldPermissions) ? (md.fieldPermissions as Record<string, unknown>[]) : [];
  return list.map((p) => ({ field: String(p.field), readable: p.readable === true, editable: p.editable === true }));
}

/** Wanted permissions the set does not hold yet (a grant counts when it is at least as wide). */
export function missingPermissions(have: readonly FieldPermission[], want: readonly FieldPermission[]): FieldPermission[] {
  const held = new Map(have.map((p) => [p.field.toLowerCase(), p]));
  return want.filter((w) => {
    const h = held.get(w.field.toLowerCase());
    return !h || (w.readable && !h.readable) || (w.editable && !h.editable);
  });
}

/** The permission set to save: what exists (an admin's additions included), widened by what we need. */
export function toSalesforcePermissionSet(existing: Record<string, unknown> | undefined, want: readonly FieldPermission[]) {
  const merged = new Map<string, FieldPermission>();
  for (const p of fromSalesforceFieldPermissions(existing)) merged.set(p.field.toLowerCase(), p);
  for (const w of want) {
    const h = merged.get(w.field.toLowerCase());
    merged.set(w.field.toLowerCase(), {
      field: h?.field ?? w.field,
      readable: w.readable || h?.readable === true,
      editable: w.editable || h?.editable === true,
    });
  }
  const md: Record<string, unknown> = {
    ...existing,
    fullName: PERMISSION_SET.name,
    label: existing?.label ?? PERMISSION_SET.label,
    description: existing?.description ?? PERMISSION_SET.description,
    // Element order as in the metadata WSDL (alphabetical within each type).
    fieldPermissions: [...merged.values()].map((p) => ({ editable: p.editable, field: p.field, readable: p.readable })),
  };
  const keys = Object.keys(md)
    .filter((k) => md[k] !== null && md[k] !== undefined && !(Array.isArray(md[k]) && (md[k] as unknown[]).length === 0))
    .sort((x, y) => (x === 'fullName' ? -1 : y === 'fullName' ? 1 : x.localeCompare(y)));
  return Object.fromEntries(keys.map((k) => [k, md[k]]));
}

interface SaveResult {
  fullName?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string }[] | { statusCode?: string; message?: string } | null;
}

const errorsOf = (r: SaveResult) => (Array.isArray(r.errors) ? r.errors : r.errors ? [r.errors] : []);

/** Creates the permission set, or widens it, or leaves it as it is. */
export async function ensurePermissionSet(client: SalesforceClient, want: readonly FieldPermission[]): Promise<AccessStep> {
  const { metadata } = client.conn;
  try {
    // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_readMetadata.htm
    const read = (await client.call(() => metadata.read('PermissionSet', [PERMISSION_SET.name]))) as unknown as unknown[];
    const parsed = permissionSetMetadata.safeParse([read].flat()[0]);
    const existing = parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
    if (existing && missingPermissions(fromSalesforceFieldPermissions(existing), want).length === 0) return { status: 'unchanged' };
    const body = toSalesforcePermissionSet(existing, want);
    // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_upsertMetadata.htm
    const results = (await client.call(() => metadata.upsert('PermissionSet', [body] as never[]))) as unknown as SaveResult[];
    const result = [results].flat()[0];
    if (result?.success) return { status: result.created ? 'created' : 'updated' };
    const errors = result ? errorsOf(result) : [];
    const text = errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'no reason given';
    if (errors.some((e) => isDenial(e.statusCode))) return { denied: text };
    throw new ConfigError('salesforce', `could not save the permission set ${PERMISSION_SET.name}: ${text}`);
  } catch (err) {
    const denied = denialOf(err);
    if (denied) return { denied };
    throw err;
  }
}

/** The user the session belongs to, from the identity service. */
export async function connectedUser(client: SalesforceClient): Promise<ConnectedUser> {
  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm
  const answer = await client.call(() => client.conn.identity() as Promise<unknown>);
  const parsed = identityRecord.safeParse(answer);
  if (!parsed.success) throw new TransientError('salesforce', `unreadable identity response: ${firstIssue(parsed.error)}`);
  return { userId: parsed.data.user_id, username: parsed.data.username };
}

/** Assigns the permission set to the user unless it already is; `missing` when the set does not exist. */
export async function ensureAssignment(client: SalesforceClient, user: ConnectedUser): Promise<AccessStep | { missing: true }> {
  try {
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionset.htm
    const sets = await client.queryAll(`SELECT Id FROM PermissionSet WHERE Name = '${PERMISSION_SET.name}' AND NamespacePrefix = null`);
    const set = idRow.safeParse(sets[0]);
    if (!set.success) return { missing: true };
    const ids = soqlIdList([user.userId, set.data.Id]).split(', ');
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
    const held = await client.queryAll(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${ids[0]} AND PermissionSetId = ${ids[1]}`,
    );
    if (held.length > 0) return { status: 'unchanged' };
    const record = { AssigneeId: user.userId, PermissionSetId: set.data.Id };
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
    const res = (await client.call(() => client.conn.sobject('PermissionSetAssignment').create(record) as Promise<unknown>)) as SaveResult;
    if (res.success) return { status: 'created' };
    const text = errorsOf(res)
      .map((e) => `${e.statusCode}: ${e.message}`)
      .join('; ');
    if (errorsOf(res).some((e) => isDenial(e.statusCode))) return { denied: text };
    throw new ConfigError('salesforce', `could not assign the permission set ${PERMISSION_SET.name} to ${user.username}: ${text}`);
  } catch (err) {
    // The query found none, so a duplicate is our own insert whose answer was lost and retried.
    if (vendorErrorOf(err)?.code === 'DUPLICATE_VALUE') return { status: 'created' };
    const denied = denialOf(err);
    if (denied) return { denied };
    throw err;
  }
}

/** Which of these Account fields the connected user cannot edit, per a describe made as that user. */
export async function uneditableAccountFields(client: SalesforceClient, fields: readonly string[]): Promise<string[]> {
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
  const answer = await client.call(() => client.conn.sobject('Account').describe() as Promise<unknown>);
  const parsed = sobjectDescribe.safeParse(answer);
  if (!parsed.success) throw new TransientError('salesforce', `unreadable Account describe: ${firstIssue(parsed.error)}`);
  const editable = new Set(parsed.data.fields.filter((f) => f.updateable).map((f) => f.name.toLowerCase()));
  return fields.filter((f) => !editable.has(f.toLowerCase()));
}
