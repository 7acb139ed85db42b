// The fake HubSpot's in-memory CRM: objects of each type with every property's value history,
// associations in both directions (HubSpot-defined types plus user-defined labels), property
// definitions and groups, and counters tests assert on (how often each company was updated).
import { randomUUID } from 'node:crypto';

export type ObjectType = 'companies' | 'contacts' | 'emails' | 'meetings' | 'calls' | 'notes' | 'tasks';

const aliases: Record<string, ObjectType> = {
  company: 'companies',
  companies: 'companies',
  '0-2': 'companies',
  contact: 'contacts',
  contacts: 'contacts',
  '0-1': 'contacts',
  email: 'emails',
  emails: 'emails',
  '0-49': 'emails',
  meeting: 'meetings',
  meetings: 'meetings',
  '0-47': 'meetings',
  call: 'calls',
  calls: 'calls',
  '0-48': 'calls',
  note: 'notes',
  notes: 'notes',
  '0-46': 'notes',
  task: 'tasks',
  tasks: 'tasks',
  '0-27': 'tasks',
};
export const objectTypeOf = (name: string): ObjectType | undefined => aliases[name.toLowerCase()];

/** HUBSPOT_DEFINED association type ids, from → to (https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4). */
export const defaultTypeIds: Record<string, number> = {
  'companies/contacts': 280,
  'contacts/companies': 279,
  'companies/calls': 181,
  'calls/companies': 182,
  'companies/emails': 185,
  'emails/companies': 186,
  'companies/meetings': 187,
  'meetings/companies': 188,
  'companies/notes': 189,
  'notes/companies': 190,
  'companies/tasks': 191,
  'tasks/companies': 192,
  'contacts/calls': 193,
  'calls/contacts': 194,
  'contacts/emails': 197,
  'emails/contacts': 198,
  'contacts/meetings': 199,
  'meetings/contacts': 200,
  'contacts/notes': 201,
  'notes/contacts': 202,
  'contacts/tasks': 203,
  'tasks/contacts': 204,
};

export interface PropertyVersion {
  value: string;
  timestamp: number;
  sourceType: string;
}

export interface StoredObject {
  id: string;
  type: ObjectType;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  history: Map<string, PropertyVersion[]>;
  /** Raw JSON fields merged over the API rendering (to serve malformed records in tests). */
  raw?: Record<string, unknown>;
}

export interface AssociationType {
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
  typeId: number;
  label: string | null;
}

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hubspotDefined: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  formField: boolean;
  hidden: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class HubSpotStore {
  private nextId = 101;
  private nextLabelTypeId = 1001;
  readonly objects = new Map<ObjectType, Map<string, StoredObject>>();
  private readonly links = new Map<string, Map<string, AssociationType[]>>();
  private readonly labelTypes = new Map<string, number>();
  private readonly labelDefinitions = new Map<string, AssociationType[]>();
  /** Each label type id → the id of the other side of its pair. */
  private readonly labelPartner = new Map<number, number>();
  readonly properties = new Map<ObjectType, Map<string, PropertyDefinition>>();
  readonly groups = new Map<ObjectType, Map<string, PropertyGroup>>();
  /** Company id → how many batch updates applied to it. */
  readonly updateCounts = new Map<string, number>();
  /** Company id → the message a batch update answers for it (per-record 207 error). */
  readonly rejectUpdates = new Map<string, { category: string; message: string }>();
  readonly owners = new Map<string, string>();
  /** Search refuses IN on `associations.<object>` (HubSpot documents EQ only), to exercise the fallback. */
  refuseAssociationIn = false;

  all(type: ObjectType): Map<string, StoredObject> {
    let m = this.objects.get(type);
    if (!m) {
      m = new Map();
      this.objects.set(type, m);
    }
    return m;
  }

  get(type: ObjectType, id: string): StoredObject | undefined {
    const o = this.all(type).get(id);
    return o && !o.archived ? o : undefined;
  }

  create(type: ObjectType, props: Record<string, string | null | undefined>, at: number, createdAt = at): StoredObject {
    const id = String(this.nextId++);
    const o: StoredObject = { id, type, createdAt, updatedAt: Math.max(at, createdAt), archived: false, history: new Map() };
    this.all(type).set(id, o);
    this.set(o, props, Math.max(at, createdAt));
    return o;
  }

  /** Sets properties as of `at` (history keeps every value; undefined skips, null or "" clears). */
  set(o: StoredObject, props: Record<string, string | null | undefined>, at: number, sourceType = 'API'): void {
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined) continue;
      const versions = o.history.get(name) ?? [];
      versions.push({ value: value ?? '', timestamp: at, sourceType });
      versions.sort((a, b) => a.timestamp - b.timestamp);
      o.history.set(name, versions);
    }
    o.updatedAt = Math.max(o.updatedAt, at);
  }

  value(o: StoredObject, name: string): string | null {
    if (name === 'hs_object_id') return o.id;
    if (name === 'createdate') return iso(o.createdAt);
    if (name === 'hs_lastmodifieddate' || name === 'lastmodifieddate') return iso(o.updatedAt);
    const versions = o.history.get(name);
    const last = versions?.[versions.length - 1]?.value;
    return last === undefined || last === '' ? null : last;
  }

  current(o: StoredObject): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const name of ['hs_object_id', 'createdate', 'hs_lastmodifieddate', ...o.history.keys()]) out[name] = this.value(o, name);
    return out;
  }

  /** Whether the portal has this property on this object type (the three system properties always). */
  defines(type: ObjectType, name: string): boolean {
    return ['hs_object_id', 'createdate', 'hs_lastmodifieddate'].includes(name) || this.properties.get(type)?.has(name) === true;
  }

  /** The object as HubSpot's v3 API renders it. */
  render(o: StoredObject, properties: readonly string[], withHistory: readonly string[] = []): Record<string, unknown> {
    const props: Record<string, string | null> = {
      hs_object_id: o.id,
      createdate: iso(o.createdAt),
      hs_lastmodifieddate: iso(o.updatedAt),
    };
    // HubSpot leaves out a requested property the portal does not define, without an error.
    for (const p of properties) if (this.defines(o.type, p)) props[p] = this.value(o, p);
    const out: Record<string, unknown> = {
      id: o.id,
      properties: props,
      createdAt: iso(o.createdAt),
      updatedAt: iso(o.updatedAt),
      archived: o.archived,
    };
    if (withHistory.length > 0)
      out.propertiesWithHistory = Object.fromEntries(
        withHistory
          .filter((p) => this.defines(o.type, p))
          .map((p) => [
            p,
            [...(o.history.get(p) ?? [])].reverse().map((v) => ({ value: v.value, timestamp: iso(v.timestamp), sourceType: v.sourceType })),
          ]),
      );
    if (o.raw) {
      const { properties: rawProps, ...rest } = o.raw;
      Object.assign(out, rest);
      if (rawProps && typeof rawProps === 'object') Object.assign(props, rawProps);
    }
    return out;
  }

  /**
   * Defines a USER_DEFINED label pair as an admin does in HubSpot: `label` from `from` to `to`, and
   * `inverseLabel` (the same name when absent) the other way. Returns the type id from → to.
   */
  defineLabel(from: ObjectType, to: ObjectType, label: string, inverseLabel = label): number {
    const existing = this.labelTypes.get(`${from}/${to}/${label.toLowerCase()}`);
    if (existing !== undefined) return existing;
    const id = this.nextLabelTypeId;
    this.nextLabelTypeId += 2;
    const register = (a: ObjectType, b: ObjectType, name: string, typeId: number) => {
      this.labelTypes.set(`${a}/${b}/${name.toLowerCase()}`, typeId);
      const list = this.labelDefinitions.get(`${a}/${b}`) ?? [];
      list.push({ category: 'USER_DEFINED', typeId, label: name });
      this.labelDefinitions.set(`${a}/${b}`, list);
    };
    register(from, to, label, id);
    register(to, from, inverseLabel, id + 1);
    this.labelPartner.set(id, id + 1);
    this.labelPartner.set(id + 1, id);
    return id;
  }

  /** The association types defined from one object type to another, as the v4 labels endpoint lists them. */
  labelsBetween(from: ObjectType, to: ObjectType): AssociationType[] {
    const standard = defaultTypeIds[`${from}/${to}`];
    return [
      ...(standard === undefined ? [] : [{ category: 'HUBSPOT_DEFINED' as const, typeId: standard, label: null }]),
      ...(this.labelDefinitions.get(`${from}/${to}`) ?? []),
    ];
  }

  /** The type id of a label from → to (a test helper: defined on first use, as if an admin had created it). */
  labelTypeId(from: ObjectType, to: ObjectType, label: string): number {
    return this.labelTypes.get(`${from}/${to}/${label.toLowerCase()}`) ?? this.defineLabel(from, to, label);
  }

  associate(from: ObjectType, fromId: string, to: ObjectType, toId: string, labels: readonly string[] = []): void {
    const add = (a: ObjectType, aId: string, b: ObjectType, bId: string) => {
      const key = `${a}/${aId}/${b}`;
      const m = this.links.get(key) ?? new Map<string, AssociationType[]>();
      const types: AssociationType[] = [{ category: 'HUBSPOT_DEFINED', typeId: defaultTypeIds[`${a}/${b}`] ?? 0, label: null }];
      for (const typeId of typeIds) {
        const wanted = a === from ? typeId : this.labelPartner.get(typeId);
        const def = this.labelsBetween(a, b).find((t) => t.typeId === wanted);
        if (def) types.push(def);
      }
      m.set(bId, types);
      this.links.set(key, m);
    };
    const typeIds = labels.map((label) => this.labelTypeId(from, to, label));
    add(from, fromId, to, toId);
    add(to, toId, from, fromId);
  }

  dissociate(from: ObjectType, fromId: string, to: ObjectType, toId: string): void {
    this.links.get(`${from}/${fromId}/${to}`)?.delete(toId);
    this.links.get(`${to}/${toId}/${from}`)?.delete(fromId);
  }

  /** Live associations from one record to a type, ordered by id. */
  associated(from: ObjectType, fromId: string, to: ObjectType): [string, AssociationType[]][] {
    const m = this.links.get(`${from}/${fromId}/${to}`);
    if (!m) return [];
    return [...m].filter(([id]) => this.get(to, id) !== undefined).sort((a, b) => Number(a[0]) - Number(b[0]));
  }

  defineProperty(
    type: ObjectType,
    def: Partial<PropertyDefinition> & Pick<PropertyDefinition, 'name' | 'type' | 'fieldType'>,
  ): PropertyDefinition {
    const now = iso(Date.now());
    const full: PropertyDefinition = {
      label: def.name,
      groupName: type === 'companies' ? 'companyinformation' : 'contactinformation',
      description: '',
      options: [],
      displayOrder: -1,
      hubspotDefined: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
      formField: false,
      hidden: false,
      ...def,
    };
    let m = this.properties.get(type);
    if (!m) {
      m = new Map();
      this.properties.set(type, m);
    }
    m.set(def.name, full);
    return full;
  }

  defineGroup(type: ObjectType, group: Omit<PropertyGroup, 'archived'>): PropertyGroup {
    let m = this.groups.get(type);
    if (!m) {
      m = new Map();
      this.groups.set(type, m);
    }
    const g = { ...group, archived: false };
    m.set(group.name, g);
    return g;
  }

  ownerId(email: string): string {
    let id = this.owners.get(email);
    if (!id) {
      id = String(5_000_001 + this.owners.size);
      this.owners.set(email, id);
    }
    return id;
  }
}

/** HubSpot's error envelope. */
export function hubSpotError(category: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}
