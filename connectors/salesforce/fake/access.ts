// Who the fake org's API user is and what it may do: the integration user (a User record, with or
// without "Manage Profiles and Permission Sets" and "Assign Permission Sets"), permission sets saved
// through the Metadata API (whole-component replace, fieldPermissions checked against the org) with
// their PermissionSet records, the checks on a PermissionSetAssignment insert, and the field-level
// security that follows: a custom field created through the Metadata API is visible to no profile
// until a permission set assigned to the user grants it (or an admin grants it on the profile).
import { sameId, toId18 } from './ids.ts';
import type { FakeOrg, FieldAccess, RecordError, SfRecord } from './store.ts';

export interface UserPermissions {
  /** "Modify Metadata Through Metadata API Functions" (or "Modify All Data"): any Metadata API call. */
  modifyMetadata: boolean;
  /** "Manage Profiles and Permission Sets": create and edit permission sets. */
  managePermissionSets: boolean;
  /** "Assign Permission Sets": insert PermissionSetAssignment records. */
  assignPermissionSets: boolean;
}

export interface IntegrationUserOptions extends Partial<UserPermissions> {
  username?: string;
}

export interface SaveError {
  statusCode: string;
  message: string;
}

export interface FieldPermission {
  field: string;
  readable: boolean;
  editable: boolean;
}

/** The org id behind the fake's session ids (00DHs0000000001!…). */
export const ORG_ID = toId18('00DHs0000000001');

const RANK: Record<FieldAccess, number> = { none: 0, read: 1, edit: 2 };
const INSUFFICIENT_PRIVILEGES =
  'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.';
const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

const key = (object: string, field: string) => `${object}.${field}`.toLowerCase();
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const recordError = (statusCode: string, message: string, fields: string[] = []): RecordError => ({ statusCode, message, fields });

/** The fieldPermissions of permission set metadata as parsed from SOAP (strings "true"/"false"). */
export function fieldPermissionsOf(md: Record<string, unknown> | undefined): FieldPermission[] {
  return asArray(md?.fieldPermissions as Record<string, unknown> | Record<string, unknown>[] | undefined).map((p) => ({
    field: str(p.field) ?? '',
    readable: p.readable === 'true' || p.readable === true,
    editable: p.editable === 'true' || p.editable === true,
  }));
}

export class FakeAccess {
  readonly userId: string;
  readonly username: string;
  readonly permissions: UserPermissions;
  /** Permission set metadata as last saved, by full name. */
  readonly permissionSets = new Map<string, Record<string, unknown>>();
  private readonly org: FakeOrg;
  /** Fields under field-level security (created through the Metadata API), as lower-case "Object.Field". */
  private readonly secured = new Set<string>();
  /** Access an admin granted on the integration user's profile, by lower-case "Object.Field". */
  private readonly profile = new Map<string, FieldAccess>();

  constructor(org: FakeOrg, options: IntegrationUserOptions = {}) {
    this.org = org;
    this.username = options.username ?? 'integration@healthscore.example';
    this.permissions = {
      modifyMetadata: options.modifyMetadata ?? true,
      managePermissionSets: options.managePermissionSets ?? true,
      assignPermissionSets: options.assignPermissionSets ?? true,
    };
    this.userId = org.insertRaw('User', { Name: 'Healthscore Integration', Email: this.username, Username: this.username, IsActive: true });
    // Every profile owns a PermissionSet record too; a lookup by name must not pick one up.
    org.insertRaw('PermissionSet', {
      Name: 'X00eHs0000001ApiOnly_128_09_04_12_1',
      Label: 'Salesforce API Only System Integrations',
      IsOwnedByProfile: true,
      NamespacePrefix: null,
    });
    org.fieldAccess = (object, field) => this.access(object, field);
  }

  /** A field created through the Metadata API: no profile sees it until granted. */
  secure(object: string, field: string): void {
    this.secured.add(key(object, field));
  }

  /** An admin sets field-level security on the integration user's profile ("Account.Health_Score__c"). */
  grantOnProfile(fullName: string, access: FieldAccess): void {
    this.profile.set(fullName.toLowerCase(), access);
  }

  /** Names of the permission sets assigned to a user. */
  assignedTo(userId: string): string[] {
    return this.org
      .records('PermissionSetAssignment')
      .filter((a) => sameId(String(a.AssigneeId), userId))
      .map((a) => this.org.get('PermissionSet', String(a.PermissionSetId))?.Name)
      .filter((n): n is string => typeof n === 'string');
  }

  /** What field-level security lets the integration user do with a field. */
  access(object: string, field: string): FieldAccess {
    const k = key(object, field);
    if (!this.secured.has(k)) return 'edit';
    let best: FieldAccess = this.profile.get(k) ?? 'none';
    for (const name of this.assignedTo(this.userId)) {
      for (const p of fieldPermissionsOf(this.permissionSets.get(name))) {
        if (p.field.toLowerCase() !== k) continue;
        const granted: FieldAccess = p.editable ? 'edit' : p.readable ? 'read' : 'none';
        if (RANK[granted] > RANK[best]) best = granted;
      }
    }
    return best;
  }

  /** Saves PermissionSet metadata like createMetadata / updateMetadata / upsertMetadata (the component is replaced). */
  savePermissionSet(md: Record<string, unknown>, mode: 'create' | 'update' | 'upsert'): SaveError | { created: boolean } {
    const fullName = str(md.fullName) ?? '';
    const exists = this.permissionSets.has(fullName);
    if (!this.permissions.managePermissionSets) return { statusCode: 'INSUFFICIENT_ACCESS', message: INSUFFICIENT_PRIVILEGES };
    if (mode === 'create' && exists)
      return { statusCode: 'DUPLICATE_DEVELOPER_NAME', message: `The API name ${fullName} is already in use by another permission set.` };
    if (mode === 'update' && !exists)
      return { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: `In field: fullName - no PermissionSet named ${fullName} found` };
    if (!API_NAME.test(fullName) || fullName.endsWith('_'))
      return {
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        message:
          'API Name: The API name can only contain underscores and alphanumeric characters. It must begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.',
      };
    const label = str(md.label);
    if (!label) return { statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Label: You must enter a value' };
    for (const p of fieldPermissionsOf(md)) {
      const [objectName, name, ...rest] = p.field.split('.');
      const object = objectName ? this.org.objectName(objectName) : undefined;
      const def = object && name && rest.length === 0 ? this.org.field(object, name) : undefined;
      if (!def) return { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: `In field: field - no CustomField named ${p.field} found` };
      if (p.editable && !p.readable)
        return { statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `Permission Edit on ${p.field} depends on permission(s): Read` };
      if (p.editable && def.readOnly)
        return { statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: `You cannot deploy to a read-only field: ${p.field}` };
    }
    this.permissionSets.set(fullName, md);
    const values: SfRecord = { Label: label, Description: str(md.description) ?? null };
    const record = this.org.records('PermissionSet').find((r) => r.Name === fullName);
    if (record) this.org.patchRaw('PermissionSet', String(record.Id), values);
    else this.org.insertRaw('PermissionSet', { Name: fullName, ...values, IsOwnedByProfile: false, NamespacePrefix: null });
    return { created: !exists };
  }

  /** Checks a PermissionSetAssignment insert: the caller's permission, both references, no duplicate. */
  checkAssignment(values: Record<string, unknown>): RecordError | undefined {
    if (!this.permissions.assignPermissionSets)
      return recordError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
    const user = typeof values.AssigneeId === 'string' ? this.org.get('User', values.AssigneeId) : undefined;
    if (!user) return recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['AssigneeId']);
    const set = typeof values.PermissionSetId === 'string' ? this.org.get('PermissionSet', values.PermissionSetId) : undefined;
    if (!set) return recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['PermissionSetId']);
    const duplicate = this.org
      .records('PermissionSetAssignment')
      .find((a) => sameId(String(a.AssigneeId), String(user.Id)) && sameId(String(a.PermissionSetId), String(set.Id)));
    if (duplicate)
      return recordError('DUPLICATE_VALUE', `duplicate value found: PermissionSetId duplicates value on record with id: ${duplicate.Id}`);
    return undefined;
  }
}
