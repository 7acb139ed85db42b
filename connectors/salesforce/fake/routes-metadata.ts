// The fake's Metadata API SOAP endpoint (/services/Soap/m/XX.X), enough for CustomField and
// PermissionSet: readMetadata, createMetadata, updateMetadata and upsertMetadata with Salesforce's
// envelopes, per-component SaveResults and faults. A created field exists on its object but, as in a
// real org, stays hidden from the integration user until field-level security grants it.
import type { FakeRequest, FakeResponse, Handler } from '../../shared/fake/server.ts';
import type { FakeAccess } from './access.ts';
import type { FakeOrg, FieldDef } from './store.ts';
import { child, childrenNamed, localName, nodeToValue, parseXml, soapEnvelope, soapFault, valueToXml } from './xml.ts';

export interface MetadataContext {
  org: FakeOrg;
  access: FakeAccess;
  /** Definitions as stored, by full name (e.g. "Account.Health_Score__c"). */
  customFields: Map<string, Record<string, unknown>>;
  /** The operations received, in order (tests assert that a second setup creates nothing). */
  operations: { operation: string; fullNames: string[] }[];
}

const MAX_COMPONENTS = 10;
const xml = (status: number, body: string): FakeResponse => ({ status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body });

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

interface SaveError {
  statusCode: string;
  message: string;
}

/** Checks a CustomField definition like the Metadata API does; returns the field for the object or an error. */
function toFieldDef(org: FakeOrg, md: Record<string, unknown>): { object: string; def: FieldDef } | SaveError {
  const fullName = str(md.fullName) ?? '';
  const [objectName, name, ...rest] = fullName.split('.');
  const object = objectName ? org.objectName(objectName) : undefined;
  const bad = (message: string): SaveError => ({ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message });
  if (!object || !name || rest.length > 0) return bad(`Cannot create a field on an unknown object: ${fullName}`);
  if (!/^[A-Za-z]\w*__c$/.test(name)) return bad(`The API name of a custom field must end with __c: ${name}`);
  const label = str(md.label);
  if (!label) return bad('Field label: You must enter a value');
  const type = str(md.type);
  switch (type) {
    case 'Number':
    case 'Percent': {
      const precision = int(md.precision);
      const scale = int(md.scale);
      if (precision === undefined || precision < 1 || precision > 18)
        return bad(`Must specify 'precision' for a CustomField of type ${type}`);
      if (scale === undefined || scale > precision) return bad(`Must specify 'scale' for a CustomField of type ${type}`);
      return { object, def: { name, label, type: 'double', precision, scale, custom: true } };
    }
    case 'Text': {
      const length = int(md.length);
      if (length === undefined || length < 1 || length > 255) return bad('Length: must be between 1 and 255');
      return { object, def: { name, label, type: 'string', length, custom: true } };
    }
    case 'LongTextArea': {
      const length = int(md.length);
      if (length === undefined || length < 256 || length > 131072) return bad('Length: must be between 256 and 131,072');
      if ((int(md.visibleLines) ?? 0) < 2) return bad("Must specify 'visibleLines' for a CustomField of type LongTextArea");
      return { object, def: { name, label, type: 'textarea', length, custom: true } };
    }
    case 'Picklist': {
      const valueSet = md.valueSet as { restricted?: unknown; valueSetDefinition?: { value?: unknown } } | undefined;
      const values = asArray(valueSet?.valueSetDefinition?.value as Record<string, unknown>[] | Record<string, unknown> | undefined)
        .map((v) => str(v.fullName))
        .filter((v): v is string => v !== undefined);
      if (values.length === 0) return bad('Picklist: You must enter at least one value');
      return {
        object,
        def: { name, label, type: 'picklist', custom: true, values, ...(valueSet?.restricted === 'true' ? {} : { unrestricted: true }) },
      };
    }
    case 'DateTime':
      return { object, def: { name, label, type: 'datetime', custom: true } };
    case 'Date':
      return { object, def: { name, label, type: 'date', custom: true } };
    case 'Checkbox':
      if (!str(md.defaultValue)) return bad("Must specify 'defaultValue' for a CustomField of type Checkbox");
      return { object, def: { name, label, type: 'boolean', custom: true } };
    default:
      return bad(`Unsupported field type for this fake: ${type ?? '(none)'}`);
  }
}

const LABEL_WORDS = /__c$|_/g;

/** CustomField metadata for a custom field the org had before (seeded), as readMetadata describes it. */
function describeField(object: string, def: FieldDef): Record<string, unknown> {
  const base = {
    fullName: `${object}.${def.name}`,
    label: def.label ?? def.name.replace(LABEL_WORDS, (m) => (m === '_' ? ' ' : '')),
    required: 'false',
  };
  const valueSet = (values: string[]) => ({
    restricted: String(def.unrestricted !== true),
    valueSetDefinition: { sorted: 'false', value: values.map((v) => ({ fullName: v, default: 'false', label: v })) },
  });
  switch (def.type) {
    case 'double':
    case 'int':
      return { ...base, type: 'Number', precision: String(def.precision ?? 18), scale: String(def.scale ?? 0) };
    case 'textarea':
      return { ...base, type: 'LongTextArea', length: String(def.length ?? 32768), visibleLines: '3' };
    case 'picklist':
      return { ...base, type: 'Picklist', ...(def.values ? { valueSet: valueSet(def.values) } : {}) };
    case 'multipicklist':
      return { ...base, type: 'MultiselectPicklist', visibleLines: '4', ...(def.values ? { valueSet: valueSet(def.values) } : {}) };
    case 'boolean':
      return { ...base, type: 'Checkbox', defaultValue: 'false' };
    case 'date':
      return { ...base, type: 'Date' };
    case 'datetime':
      return { ...base, type: 'DateTime' };
    case 'reference':
      return { ...base, type: 'Lookup' };
    default:
      return { ...base, type: 'Text', length: String(def.length ?? 255) };
  }
}

const saveResult = (fullName: string, error?: SaveError, created?: boolean) => ({
  ...(created === undefined ? {} : { created: String(created) }),
  ...(error ? { errors: { message: error.message, statusCode: error.statusCode } } : {}),
  fullName,
  success: String(!error),
});

export function metadataHandler(ctx: MetadataContext, maxVersion: string): Handler {
  /** A custom field's definition: as saved through this API, or described from the org's own fields. */
  const customField = (fullName: string): Record<string, unknown> | undefined => {
    const saved = ctx.customFields.get(fullName);
    if (saved) return saved;
    const [objectName, name, ...rest] = fullName.split('.');
    const object = objectName ? ctx.org.objectName(objectName) : undefined;
    const def = object && name && rest.length === 0 ? ctx.org.field(object, name) : undefined;
    return object && def?.custom ? describeField(object, def) : undefined;
  };

  const saveField = (md: Record<string, unknown>, mode: 'create' | 'update' | 'upsert') => {
    const fullName = str(md.fullName) ?? '';
    const exists = customField(fullName) !== undefined;
    if (mode === 'create' && exists)
      return saveResult(fullName, {
        statusCode: 'DUPLICATE_DEVELOPER_NAME',
        message: `There is already a field named ${fullName.split('.')[1]} on ${fullName.split('.')[0]}.`,
      });
    if (mode === 'update' && !exists)
      return saveResult(fullName, {
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        message: `In field: fullName - no CustomField named ${fullName} found`,
      });
    const checked = toFieldDef(ctx.org, md);
    if ('statusCode' in checked) return saveResult(fullName, checked, mode === 'upsert' ? false : undefined);
    ctx.org.defineField(checked.object, checked.def);
    if (!exists) ctx.access.secure(checked.object, checked.def.name);
    ctx.customFields.set(fullName, md);
    return saveResult(fullName, undefined, mode === 'upsert' ? !exists : undefined);
  };

  const savePermissionSet = (md: Record<string, unknown>, mode: 'create' | 'update' | 'upsert') => {
    const fullName = str(md.fullName) ?? '';
    const saved = ctx.access.savePermissionSet(md, mode);
    if ('statusCode' in saved) return saveResult(fullName, saved, mode === 'upsert' ? false : undefined);
    return saveResult(fullName, undefined, mode === 'upsert' ? saved.created : undefined);
  };

  const stored = (type: string, fullName: string) =>
    type === 'CustomField' ? customField(fullName) : ctx.access.permissionSets.get(fullName);

  // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_crud_calls_intro.htm
  return (req: FakeRequest): FakeResponse => {
    const version = /^(\d+\.\d)$/.exec(req.params.version ?? '')?.[1];
    if (!version || Number(version) > Number(maxVersion))
      return xml(404, soapFault('UNSUPPORTED_API_VERSION', `Invalid Api version specified on URL`));
    let call: ReturnType<typeof parseXml> | undefined;
    try {
      const body = child(parseXml(req.body), 'Body');
      call = body?.children[0];
    } catch {
      call = undefined;
    }
    if (!call) return xml(500, soapFault('INVALID_SOAP_REQUEST', 'Could not read the SOAP envelope'));
    if (!ctx.access.permissions.modifyMetadata)
      return xml(
        500,
        soapFault('INSUFFICIENT_ACCESS', 'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions'),
      );
    const operation = localName(call);
    if (operation === 'readMetadata') {
      const type = child(call, 'type')?.text.trim();
      const names = childrenNamed(call, 'fullNames').map((n) => n.text.trim());
      ctx.operations.push({ operation, fullNames: names });
      if (type !== 'CustomField' && type !== 'PermissionSet')
        return xml(500, soapFault('INVALID_TYPE', `This fake reads CustomField and PermissionSet only, not ${type}`));
      if (names.length > MAX_COMPONENTS)
        return xml(500, soapFault('LIMIT_EXCEEDED', `Too many fullNames: at most ${MAX_COMPONENTS} per call`));
      const records = names
        .map((n) => stored(type, n))
        .map((md) => (md ? valueToXml('records', md, ` xsi:type="${type}"`) : '<records xsi:nil="true"/>'))
        .join('');
      return xml(200, soapEnvelope(`<readMetadataResponse><result>${records}</result></readMetadataResponse>`));
    }
    const mode = ({ createMetadata: 'create', updateMetadata: 'update', upsertMetadata: 'upsert' } as const)[operation as 'createMetadata'];
    if (!mode) return xml(500, soapFault('INVALID_OPERATION', `This fake does not implement ${operation}`));
    const components = childrenNamed(call, 'metadata');
    ctx.operations.push({ operation, fullNames: components.map((c) => child(c, 'fullName')?.text.trim() ?? '') });
    if (components.length > MAX_COMPONENTS)
      return xml(500, soapFault('LIMIT_EXCEEDED', `Too many components: at most ${MAX_COMPONENTS} per call`));
    const results = components.map((c) => {
      const type = c.attrs['xsi:type'];
      const md = nodeToValue(c) as Record<string, unknown>;
      if (type === 'CustomField') return saveField(md, mode);
      if (type === 'PermissionSet') return savePermissionSet(md, mode);
      return saveResult(str(md.fullName) ?? '', {
        statusCode: 'INVALID_TYPE',
        message: `This fake saves CustomField and PermissionSet only, not ${type}`,
      });
    });
    return xml(200, soapEnvelope(`<${operation}Response>${valueToXml('result', results)}</${operation}Response>`));
  };
}
