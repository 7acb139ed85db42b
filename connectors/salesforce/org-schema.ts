// What this org has, read once per process: which optional standard objects exist (Contacts to
// Multiple Accounts adds AccountContactRelation, Enhanced Email adds EmailMessage, Shared Activities
// EventWhoRelation), which mapped custom fields the integration user can see, and the contact-role
// picklist values. A mapped field the org lacks (or whose type the connector cannot read) would fail
// every query with INVALID_FIELD or every record's schema, so it is left out of the queries and
// reported by name instead; the signal it feeds stays unknown. The scope field is the exception: a
// run cannot tell customers from the rest without it, so its absence is an error, never a default.
import { CRM_TIERS } from '../shared/crm.ts';
import type { SalesforceClient } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import { SCORE_FIELD } from './field-specs.ts';

export interface OrgSchema {
  /** The mapping with every field the org lacks switched off (null). */
  mapping: SalesforceMapping;
  /** Opportunity and OpportunityContactRole are readable (contact roles, renewal opportunities). */
  opportunities: boolean;
  /** Contract is readable (renewal and start from contracts). */
  contracts: boolean;
  contactsToMultipleAccounts: boolean;
  enhancedEmail: boolean;
  /** EventWhoRelation exists and the mapping wants it. */
  eventAttendees: boolean;
  /** Contact roles that mark champions / sponsors and exist in the org's role picklists (none: that role is not read). */
  roles: { champion: string[]; execSponsor: string[] };
  /** One sentence per mapped field or role the org does not have, or field of the wrong type (all of `mismatches` and `errors` too). */
  warnings: string[];
  /** Mapped fields whose type the connector cannot read (e.g. a date-time where a date is read), one sentence each; switched off. */
  mismatches: string[];
  /** What stops the listing: the scope field missing or of a type that holds no value to compare. */
  errors: string[];
  /** The score fields every write needs that the Account describe lacks, and the tier values its picklist lacks (setup adds them). */
  scoreFields: { missing: string[]; tierValuesMissing: string[] };
}

interface DescribeField {
  name: string;
  type?: string;
  picklistValues?: { value: string; active?: boolean }[];
}

/** What the connector reads from a mapped field, and the describe types that hold it. */
export type FieldKind = 'text' | 'number' | 'date' | 'dateOrTime' | 'choice' | 'checkbox' | 'identity';

const TEXT = ['string', 'picklist', 'multipicklist', 'combobox', 'textarea', 'email', 'url', 'phone', 'id', 'reference'];
const NUMBER = ['double', 'int', 'long', 'percent', 'currency'];
export const FIELD_KINDS: Record<FieldKind, { types: readonly string[]; says: string }> = {
  text: { types: TEXT, says: 'text (Text, Picklist or Text Area)' },
  number: { types: NUMBER, says: 'a number (Number, Percent or Currency)' },
  date: { types: ['date'], says: 'a Date' },
  dateOrTime: { types: ['date', 'datetime'], says: 'a Date or Date/Time' },
  choice: { types: [...TEXT, 'boolean'], says: 'a Picklist, Text or Checkbox' },
  checkbox: { types: ['boolean'], says: 'a Checkbox' },
  identity: { types: [...TEXT, ...NUMBER], says: 'text or a number' },
};

const lower = (s: string) => s.toLowerCase();

// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm
async function objectNames(client: SalesforceClient, signal?: AbortSignal): Promise<Set<string>> {
  const answer = (await client.call(() => client.conn.describeGlobal() as Promise<unknown>, { signal })) as {
    sobjects?: { name?: unknown }[];
  };
  return new Set((answer.sobjects ?? []).flatMap((o) => (typeof o.name === 'string' ? [lower(o.name)] : [])));
}

// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
async function describeFields(client: SalesforceClient, object: string, signal?: AbortSignal): Promise<Map<string, DescribeField>> {
  const answer = (await client.call(() => client.conn.sobject(object).describe() as Promise<unknown>, { signal })) as {
    fields?: DescribeField[];
  };
  return new Map((answer.fields ?? []).map((f) => [lower(f.name), f]));
}

/** Reads the org's schema for this mapping: 1 global describe and one describe per object with mapped fields or roles. */
export async function readOrgSchema(client: SalesforceClient, m: SalesforceMapping, signal?: AbortSignal): Promise<OrgSchema> {
  const objects = await objectNames(client, signal);
  const contactsToMultipleAccounts = objects.has('accountcontactrelation');
  const enhancedEmail = objects.has('emailmessage');
  const opportunities = objects.has('opportunity') && objects.has('opportunitycontactrole');
  const contracts = objects.has('contract');
  const warnings: string[] = [];
  // An object the integration user may not read is missing from the global describe: skip it and say so.
  if (!opportunities)
    warnings.push(
      'the integration user cannot read Opportunity / OpportunityContactRole: champions and sponsors are not read from contact roles, nor renewals from opportunities; grant Read on both objects',
    );
  if (!contracts)
    warnings.push('the integration user cannot read Contract: renewal and account age are not read from contracts; grant Read on Contract');
  const mapped = mappedFields(m);
  const wanted = [
    ...new Set([
      'Account',
      ...mapped.map((f) => f.object),
      ...(opportunities ? ['OpportunityContactRole'] : []),
      ...(contactsToMultipleAccounts ? ['AccountContactRelation'] : []),
    ]),
  ];
  // One describe after the other: a handful of calls once per process, gentle on the org's concurrent-request limit.
  const described = new Map<string, Map<string, DescribeField>>();
  for (const o of wanted) described.set(o, await describeFields(client, o, signal));
  const missing = new Set<string>();
  const mismatches: string[] = [];
  const errors: string[] = [];
  for (const f of mapped) {
    const found = described.get(f.object)?.get(lower(f.field));
    const kind = FIELD_KINDS[f.expects];
    if (found && found.type !== undefined && !kind.types.includes(found.type)) {
      const sentence = `${f.object}.${found.name} is of type ${found.type}, but mapping.${f.key} (for ${f.feeds}) is read as ${kind.says}: map a field of that type in mapping.${f.key}${f.key === 'scope.field' ? '' : ', or set it to null'}`;
      if (f.key === 'scope.field') errors.push(sentence);
      else {
        missing.add(f.key);
        mismatches.push(sentence);
      }
      warnings.push(sentence);
      continue;
    }
    if (found) continue;
    if (f.key === 'scope.field') {
      const sentence = `${f.object} field ${f.field} (mapping.scope.field, which says which accounts are customers) does not exist or is hidden from the integration user: grant Read on it, name another field in mapping.scope, or set mapping.scope to null to score every account`;
      errors.push(sentence);
      warnings.push(sentence);
      continue;
    }
    missing.add(f.key);
    warnings.push(
      f.key.startsWith('override.')
        ? `${f.object} field ${f.field} (mapping.${f.key}, for ${f.feeds}) does not exist yet: run healthscore setup, which creates it`
        : `${f.object} field ${f.field} (mapping.${f.key}, for ${f.feeds}) does not exist or is hidden from the integration user: that signal stays empty until the field exists, is granted, or mapping.${f.key} names another one`,
    );
  }
  const picklist = new Set(
    [described.get('OpportunityContactRole')?.get('role'), described.get('AccountContactRelation')?.get('roles')].flatMap((f) =>
      (f?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => lower(v.value)),
    ),
  );
  for (const [key, spec] of [['scope', m.scope] as const, ['churn', m.churn] as const]) {
    const w = spec ? unknownValues(described.get('Account')?.get(lower(spec.field)), spec.values, `mapping.${key}.values`) : undefined;
    if (w) warnings.push(w);
  }
  const roles = { champion: [] as string[], execSponsor: [] as string[] };
  for (const key of ['champion', 'execSponsor'] as const) {
    roles[key] = m.contact.roles[key].filter((r) => picklist.has(lower(r)));
    if (roles[key].length === 0 && (opportunities || contactsToMultipleAccounts))
      warnings.push(
        `none of the contact roles in mapping.contact.roles.${key} (${m.contact.roles[key].join(', ')}) is a value of the org's contact role picklist: ${key === 'champion' ? 'champions' : 'executive sponsors'} are not read from contact roles`,
      );
  }
  return {
    mapping: withoutMissing(m, missing),
    opportunities,
    contracts,
    contactsToMultipleAccounts,
    enhancedEmail,
    eventAttendees: m.activity.sharedActivities && objects.has('eventwhorelation'),
    roles,
    warnings,
    mismatches,
    errors,
    scoreFields: scoreFieldsOf(described.get('Account')),
  };
}

/** What the Account describe lacks of the fields the run writes (hidden from the integration user counts as missing). */
function scoreFieldsOf(account: Map<string, DescribeField> | undefined): OrgSchema['scoreFields'] {
  const missing = Object.values(SCORE_FIELD).filter((f) => !account?.has(lower(f)));
  const tier = account?.get(lower(SCORE_FIELD.tier));
  const values = new Set((tier?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => lower(v.value)));
  return { missing, tierValuesMissing: tier ? CRM_TIERS.filter((t) => !values.has(t)) : [] };
}

/** The configured values a picklist does not offer as active values, in one sentence; undefined when all are (or the field is no picklist). */
function unknownValues(field: DescribeField | undefined, values: readonly string[], key: string): string | undefined {
  if (!field || (field.type !== 'picklist' && field.type !== 'multipicklist')) return undefined;
  const active = (field.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value);
  const have = new Set(active.map(lower));
  const absent = values.filter((v) => !have.has(lower(v)));
  if (absent.length === 0) return undefined;
  const none = absent.length === values.length;
  return `${absent.map((v) => `"${v}"`).join(', ')} ${absent.length === 1 ? 'is not an active value' : 'are not active values'} of the Account.${field.name} picklist (${key}; its active values: ${active.join(', ') || 'none'})${none ? ': no account can match' : ''}; correct ${key} or add the value${absent.length === 1 ? '' : 's'} to the picklist`;
}

interface MappedField {
  object: string;
  field: string;
  /** The mapping key, e.g. `account.renewalDate`. */
  key: string;
  feeds: string;
  /** What the connector reads from it. */
  expects: FieldKind;
}

/** Every custom or configured field the mapping reads, with its object and key. */
export function mappedFields(m: SalesforceMapping): MappedField[] {
  const out: MappedField[] = [];
  const add = (object: string, key: string, field: string | null | undefined, feeds: string, expects: FieldKind) => {
    if (field) out.push({ object, field, key, feeds, expects });
  };
  const flagKind = (flag: { value: boolean | string } | null): FieldKind => (typeof flag?.value === 'boolean' ? 'checkbox' : 'text');
  add('Account', 'scope.field', m.scope?.field, 'the account scope', 'choice');
  add('Account', 'churn.field', m.churn?.field, 'churn evidence', 'choice');
  add('Account', 'churn.dateField', m.churn?.dateField, 'the churn date', 'dateOrTime');
  const a = m.account;
  add('Account', 'account.segment', a.segment, 'the account segment (model choice)', 'text');
  add('Account', 'account.contractStart', a.contractStart, 'lifecycle.accountAgeDays', 'date');
  add('Account', 'account.renewalDate', a.renewalDate, 'commercial.daysToRenewal', 'date');
  add('Account', 'account.csmSentiment', a.csmSentiment, 'relationship.csmSentiment', 'text');
  add('Account', 'account.nps', a.nps, 'outcome.nps', 'number');
  add('Account', 'account.successPlanOnTrack', a.successPlanOnTrack?.field, 'outcome.successPlanOnTrack', 'choice');
  add('Account', 'account.roiDocumented', a.roiDocumented?.field, 'outcome.roiDocumented', 'choice');
  for (const [key, field] of Object.entries(m.identity))
    add('Account', `identity.${key}`, field, `matching accounts to ${key}`, 'identity');
  if (m.override) {
    add('Account', 'override.score', m.override.score, 'the CSM override', 'number');
    add('Account', 'override.reason', m.override.reason, 'the CSM override', 'text');
    add('Account', 'override.expiresOn', m.override.expiresOn, 'the CSM override', 'date');
  }
  const c = m.contact;
  add('Contact', 'contact.champion', c.champion?.field, 'relationship.championStatus', flagKind(c.champion));
  add('Contact', 'contact.execSponsor', c.execSponsor?.field, 'relationship.execSponsorEngaged', flagKind(c.execSponsor));
  add('Contact', 'contact.roleStartDate', c.roleStartDate, 'time in role', 'date');
  add('Contact', 'contact.left', c.left?.field, 'champion departures', flagKind(c.left));
  add('Contact', 'contact.leftDate', c.leftDate, 'champion departures', 'date');
  add('Contact', 'contact.executiveSince', c.executiveSince, 'relationship.leadershipChange90d', 'date');
  add('Task', 'activity.emailDirection', m.activity.emailDirection?.field, 'engagement.emailResponseHours', 'text');
  add('Task', 'activity.emailThread', m.activity.emailThread, 'email threads', 'text');
  add('Event', 'activity.meetingOutcome', m.activity.meetingOutcome?.field, 'engagement.meetingAttendance', 'text');
  return out;
}

/** The mapping with the fields named by `missing` (mapping keys) switched off. */
function withoutMissing(m: SalesforceMapping, missing: ReadonlySet<string>): SalesforceMapping {
  if (missing.size === 0) return m;
  const off = <T>(key: string, v: T): T | null => (missing.has(key) ? null : v);
  const override =
    m.override && ['override.score', 'override.reason', 'override.expiresOn'].some((k) => missing.has(k)) ? null : m.override;
  const churn = m.churn && !missing.has('churn.field') ? { ...m.churn, dateField: off('churn.dateField', m.churn.dateField) } : null;
  return {
    ...m,
    churn,
    account: {
      segment: off('account.segment', m.account.segment),
      contractStart: off('account.contractStart', m.account.contractStart),
      renewalDate: off('account.renewalDate', m.account.renewalDate),
      csmSentiment: off('account.csmSentiment', m.account.csmSentiment),
      nps: off('account.nps', m.account.nps),
      successPlanOnTrack: off('account.successPlanOnTrack', m.account.successPlanOnTrack),
      roiDocumented: off('account.roiDocumented', m.account.roiDocumented),
    },
    identity: Object.fromEntries(Object.entries(m.identity).map(([k, v]) => [k, off(`identity.${k}`, v)])) as SalesforceMapping['identity'],
    override,
    contact: {
      ...m.contact,
      champion: off('contact.champion', m.contact.champion),
      execSponsor: off('contact.execSponsor', m.contact.execSponsor),
      roleStartDate: off('contact.roleStartDate', m.contact.roleStartDate),
      left: off('contact.left', m.contact.left),
      leftDate: off('contact.leftDate', m.contact.leftDate),
      executiveSince: off('contact.executiveSince', m.contact.executiveSince),
    },
    activity: {
      ...m.activity,
      emailDirection: off('activity.emailDirection', m.activity.emailDirection),
      emailThread: off('activity.emailThread', m.activity.emailThread),
      meetingOutcome: off('activity.meetingOutcome', m.activity.meetingOutcome),
    },
  };
}
