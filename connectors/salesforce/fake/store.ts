// The fake org's data: objects with their field definitions (standard fields plus the custom ones
// the seed or the Metadata API adds), records keyed by 18-character id, and field-level checks on
// writes that answer with Salesforce's status codes (INVALID_FIELD, STRING_TOO_LONG, ...), including
// field-level security: a field the API user cannot see does not exist for it, one it can only read
// refuses writes.
import { IdSequence, sameId } from './ids.ts';

export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'double'
  | 'int'
  | 'boolean'
  | 'date'
  | 'datetime';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Text length limit. */
  length?: number;
  /** Number precision (total digits) and scale (decimals). */
  precision?: number;
  scale?: number;
  /** The picklist's values: the only ones the API accepts unless `unrestricted`. */
  values?: string[];
  /** A picklist whose values the API does not enforce (standard picklists such as Account Type, unless an admin restricts them). */
  unrestricted?: boolean;
  /** The label people see (and Salesforce's field errors name); derived from the API name when absent. */
  label?: string;
  custom?: boolean;
  readOnly?: boolean;
}

export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue>;

/** What field-level security lets the API user do with a field. */
export type FieldAccess = 'none' | 'read' | 'edit';

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

const std = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, ...extra });
const audit = [
  std('Id', 'id', { readOnly: true }),
  std('CreatedDate', 'datetime', { readOnly: true }),
  std('LastModifiedDate', 'datetime', { readOnly: true }),
  std('SystemModstamp', 'datetime', { readOnly: true }),
  std('IsDeleted', 'boolean', { readOnly: true }),
];

/** Contact roles: the standard values of OpportunityContactRole.Role and AccountContactRelation.Roles. */
export const STANDARD_CONTACT_ROLES = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
];

/**
 * The standard fields of the objects the connector reads and writes, as Salesforce's Object
 * Reference lists them (the ones the connector or the seed touch; a field not listed here and not
 * added as a custom field does not exist, and SOQL answers INVALID_FIELD).
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/
 */
const STANDARD: Record<string, FieldDef[]> = {
  Account: [
    std('Name', 'string', { length: 255 }),
    std('Website', 'string', { length: 255 }),
    std('OwnerId', 'reference'),
    // The standard Account Type values of a new org (published AccountType standard value sets), not a restricted picklist.
    std('Type', 'picklist', {
      unrestricted: true,
      values: [
        'Prospect',
        'Customer - Direct',
        'Customer - Channel',
        'Channel Partner / Reseller',
        'Installation Partner',
        'Technology Partner',
        'Other',
      ],
    }),
    std('Industry', 'picklist'),
    std('Description', 'textarea', { length: 32000 }),
  ],
  Opportunity: [
    std('AccountId', 'reference'),
    std('Name', 'string', { length: 120 }),
    std('StageName', 'picklist', {
      values: [
        'Prospecting',
        'Qualification',
        'Needs Analysis',
        'Value Proposition',
        'Id. Decision Makers',
        'Perception Analysis',
        'Proposal/Price Quote',
        'Negotiation/Review',
        'Closed Won',
        'Closed Lost',
      ],
    }),
    std('CloseDate', 'date'),
    std('Amount', 'double', { precision: 18, scale: 2 }),
    std('Type', 'picklist', {
      values: ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer'],
    }),
    std('IsClosed', 'boolean', { readOnly: true }),
    std('IsWon', 'boolean', { readOnly: true }),
    std('OwnerId', 'reference'),
  ],
  OpportunityContactRole: [
    std('OpportunityId', 'reference'),
    std('ContactId', 'reference'),
    std('Role', 'picklist', { values: STANDARD_CONTACT_ROLES }),
    std('IsPrimary', 'boolean'),
  ],
  Contract: [
    std('AccountId', 'reference'),
    std('Status', 'picklist', { values: ['Draft', 'In Approval Process', 'Activated'] }),
    std('StatusCode', 'picklist', { values: ['Draft', 'InApproval', 'Activated', 'Terminated', 'Expired'], readOnly: true }),
    std('StartDate', 'date'),
    std('EndDate', 'date', { readOnly: true }),
    std('ContractTerm', 'int'),
    std('ContractNumber', 'string', { readOnly: true }),
    std('ActivatedDate', 'datetime', { readOnly: true }),
  ],
  Contact: [
    std('AccountId', 'reference'),
    std('FirstName', 'string', { length: 40 }),
    std('LastName', 'string', { length: 80 }),
    std('Name', 'string', { readOnly: true }),
    std('Email', 'string', { length: 80 }),
    std('Title', 'string', { length: 128 }),
  ],
  User: [std('Name', 'string'), std('Email', 'string'), std('Username', 'string'), std('IsActive', 'boolean')],
  PermissionSet: [
    std('Name', 'string', { length: 80 }),
    std('Label', 'string', { length: 80 }),
    std('Description', 'textarea', { length: 255 }),
    std('IsOwnedByProfile', 'boolean', { readOnly: true }),
    std('NamespacePrefix', 'string', { readOnly: true }),
  ],
  PermissionSetAssignment: [std('AssigneeId', 'reference'), std('PermissionSetId', 'reference')],
  Task: [
    std('AccountId', 'reference', { readOnly: true }),
    std('WhatId', 'reference'),
    std('WhoId', 'reference'),
    std('OwnerId', 'reference'),
    std('Subject', 'string', { length: 255 }),
    std('Description', 'textarea', { length: 32000 }),
    std('ActivityDate', 'date'),
    std('Status', 'picklist', { values: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] }),
    std('Priority', 'picklist', { values: ['High', 'Normal', 'Low'] }),
    std('TaskSubtype', 'picklist', { values: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'] }),
    std('CallType', 'picklist', { values: ['Internal', 'Inbound', 'Outbound'] }),
    std('CallDurationInSeconds', 'int'),
    std('CallDisposition', 'string', { length: 255 }),
    std('CompletedDateTime', 'datetime', { readOnly: true }),
    std('IsClosed', 'boolean', { readOnly: true }),
  ],
  Event: [
    std('ActivityDateTime', 'datetime'),
    std('EventSubtype', 'picklist', { values: ['Event'] }),
    std('IsChild', 'boolean', { readOnly: true }),
    std('AccountId', 'reference', { readOnly: true }),
    std('WhatId', 'reference'),
    std('WhoId', 'reference'),
    std('OwnerId', 'reference'),
    std('Subject', 'string', { length: 255 }),
    std('StartDateTime', 'datetime'),
    std('EndDateTime', 'datetime'),
    std('DurationInMinutes', 'int'),
  ],
  EventWhoRelation: [std('EventId', 'reference'), std('RelationId', 'reference'), std('Type', 'string')],
};

/** Objects that exist only when an org feature is on. */
const OPTIONAL: Record<'contactsToMultipleAccounts' | 'enhancedEmail', Record<string, FieldDef[]>> = {
  // Contacts to Multiple Accounts: https://help.salesforce.com/s/articleView?id=sales.shared_contacts_set_up.htm
  contactsToMultipleAccounts: {
    AccountContactRelation: [
      std('AccountId', 'reference'),
      std('ContactId', 'reference'),
      std('Roles', 'multipicklist', { values: STANDARD_CONTACT_ROLES }),
      std('IsActive', 'boolean'),
      std('IsDirect', 'boolean', { readOnly: true }),
      std('StartDate', 'date'),
      std('EndDate', 'date'),
    ],
  },
  // Enhanced Email: https://help.salesforce.com/s/articleView?id=sales.enhanced_email_overview.htm
  enhancedEmail: {
    EmailMessage: [
      std('ActivityId', 'reference'),
      std('RelatedToId', 'reference'),
      std('Incoming', 'boolean'),
      std('MessageDate', 'datetime'),
      std('FromAddress', 'string', { length: 255 }),
      std('ToAddress', 'string', { length: 4000 }),
      std('Subject', 'string', { length: 3000 }),
      std('ThreadIdentifier', 'string', { length: 255 }),
      std('Status', 'picklist', { values: ['0', '1', '2', '3', '4', '5'] }),
    ],
  },
};

/** Org features that add standard objects. */
export interface OrgFeatures {
  /** Contacts to Multiple Accounts (AccountContactRelation); off in a new org. */
  contactsToMultipleAccounts?: boolean;
  /** Enhanced Email (EmailMessage for emails logged as Tasks). */
  enhancedEmail?: boolean;
}

export class FakeOrg {
  private readonly schema = new Map<string, Map<string, FieldDef>>();
  private readonly tables = new Map<string, Map<string, SfRecord>>();
  private readonly ids = new IdSequence();
  /** API updates applied per record id (tests assert each record lands once). */
  readonly updateCounts = new Map<string, number>();
  /** Every API update applied, in order: the record, and each field's value before and after. */
  readonly updateLog: { id: string; changes: Record<string, { before: unknown; after: unknown }> }[] = [];
  /** Vendor time in ms (the fake's clock), used to stamp writes. */
  now: () => number;
  /** Field-level security for the API user; every field is editable when unset. */
  fieldAccess: (object: string, field: string) => FieldAccess = () => 'edit';

  constructor(now: () => number, features: OrgFeatures = {}) {
    this.now = now;
    const objects = { ...STANDARD };
    for (const feature of ['contactsToMultipleAccounts', 'enhancedEmail'] as const)
      if (features[feature]) Object.assign(objects, OPTIONAL[feature]);
    for (const [object, fields] of Object.entries(objects)) {
      for (const f of [...audit, ...fields]) this.defineField(object, f);
      this.tables.set(object, new Map());
    }
  }

  /** The objects this org has. */
  objectNames(): string[] {
    return [...this.schema.keys()];
  }

  objectName(name: string): string | undefined {
    return [...this.schema.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
  }

  field(object: string, name: string): FieldDef | undefined {
    return this.schema.get(object)?.get(name.toLowerCase());
  }

  /** The field as the API user sees it: undefined when it does not exist or field-level security hides it. */
  visibleField(object: string, name: string): FieldDef | undefined {
    const f = this.field(object, name);
    return f && this.fieldAccess(object, f.name) !== 'none' ? f : undefined;
  }

  fields(object: string): FieldDef[] {
    return [...(this.schema.get(object)?.values() ?? [])];
  }

  defineField(object: string, def: FieldDef): void {
    let fields = this.schema.get(object);
    if (!fields) {
      fields = new Map();
      this.schema.set(object, fields);
      this.tables.set(object, new Map());
    }
    fields.set(def.name.toLowerCase(), def);
  }

  records(object: string): SfRecord[] {
    return [...(this.tables.get(object)?.values() ?? [])];
  }

  get(object: string, id: string): SfRecord | undefined {
    const table = this.tables.get(object);
    if (!table) return undefined;
    return table.get(id) ?? [...table.values()].find((r) => sameId(String(r.Id), id));
  }

  /** Finds a record of any object by id (for WhatId / OwnerId checks). */
  find(id: string): { object: string; record: SfRecord } | undefined {
    for (const object of this.tables.keys()) {
      const record = this.get(object, id);
      if (record) return { object, record };
    }
    return undefined;
  }

  /** Inserts a record as stored (seeding: no field checks, unknown fields are defined as text). */
  insertRaw(object: string, values: SfRecord, at = this.now()): string {
    const id = this.ids.next(object);
    const stamp = sfDateTime(at);
    const record: SfRecord = { Id: id, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp, IsDeleted: false, ...values };
    for (const key of Object.keys(record)) {
      if (!this.field(object, key)) this.defineField(object, { name: key, type: 'string', custom: key.endsWith('__c') });
    }
    this.tables.get(object)?.set(id, record);
    return id;
  }

  /** Changes stored values without checks; `touch` stamps LastModifiedDate like a real edit. */
  patchRaw(object: string, id: string, values: SfRecord, touch = true): void {
    const record = this.get(object, id);
    if (!record) throw new Error(`fake org: no ${object} ${id}`);
    Object.assign(record, values);
    if (touch) record.LastModifiedDate = record.SystemModstamp = sfDateTime(this.now());
  }

  /** Checks values the way the API does before a create or update (as the API user); returns the first error. */
  check(object: string, values: Record<string, unknown>): RecordError | undefined {
    for (const [key, value] of Object.entries(values)) {
      const f = this.visibleField(object, key);
      if (!f) return err('INVALID_FIELD', `No such column '${key}' on sobject of type ${object}`, []);
      // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm
      if (f.readOnly || this.fieldAccess(object, f.name) !== 'edit')
        return err(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [f.name],
        );
      if (value === null) continue;
      const bad = checkValue(f, value);
      if (bad) return bad;
    }
    return undefined;
  }

  /** Applies checked values and stamps the modification. */
  write(object: string, id: string, values: Record<string, unknown>): void {
    const record = this.get(object, id);
    if (!record) return;
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const [key, value] of Object.entries(values)) {
      const name = (this.field(object, key) as FieldDef).name;
      changes[name] = { before: record[name], after: value };
      record[name] = value as SfValue;
    }
    this.updateLog.push({ id: String(record.Id), changes });
    this.updateCounts.set(String(record.Id), (this.updateCounts.get(String(record.Id)) ?? 0) + 1);
    record.LastModifiedDate = record.SystemModstamp = sfDateTime(this.now());
  }

  create(object: string, values: Record<string, unknown>): string {
    const named: SfRecord = {};
    for (const [key, value] of Object.entries(values)) named[(this.field(object, key) as FieldDef).name] = value as SfValue;
    return this.insertRaw(object, named);
  }
}

const err = (statusCode: string, message: string, fields: string[]): RecordError => ({ statusCode, message, fields });

/** The label of a field as Salesforce shows it: the one given, else the API name without __c and underscores. */
export const fieldLabel = (f: FieldDef): string => f.label ?? f.name.replace(/__c$/, '').replace(/_/g, ' ');

function checkValue(f: FieldDef, value: unknown): RecordError | undefined {
  const label = f.name;
  switch (f.type) {
    case 'double':
    case 'int': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return err('JSON_PARSER_ERROR', `Cannot deserialize instance of double from VALUE_STRING value ${String(value)}`, [label]);
      const digits = (f.precision ?? 18) - (f.scale ?? 0);
      if (Math.abs(Math.trunc(value)).toString().length > digits)
        return err('NUMBER_OUTSIDE_VALID_RANGE', `${label}: value outside of valid range on numeric field: ${value}`, [label]);
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : err('JSON_PARSER_ERROR', `Cannot deserialize instance of boolean`, [label]);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? undefined
        : err('INVALID_TYPE_ON_FIELD_IN_RECORD', `${label}: value not of required type: ${String(value)}`, [label]);
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? undefined
        : err('INVALID_TYPE_ON_FIELD_IN_RECORD', `${label}: value not of required type: ${String(value)}`, [label]);
    case 'picklist':
      if (typeof value !== 'string') return err('JSON_PARSER_ERROR', `Cannot deserialize instance of string`, [label]);
      // Salesforce names the field by its label in the message and by its API name in `fields`.
      if (f.values && !f.unrestricted && !f.values.includes(value))
        return err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${fieldLabel(f)}: bad value for restricted picklist field: ${value}`, [
          f.name,
        ]);
      return undefined;
    default:
      if (typeof value !== 'string') return err('JSON_PARSER_ERROR', `Cannot deserialize instance of string from ${typeof value}`, [label]);
      if (f.length !== undefined && value.length > f.length)
        return err('STRING_TOO_LONG', `${label}: data value too large: ${value.slice(0, 40)}... (max length=${f.length})`, [label]);
      return undefined;
  }
}

/** The date-time format the REST API answers with: 2026-05-01T12:00:00.000+0000. */
export const sfDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');
