// Loads the vendor-neutral seed (connectors/shared/fake/crm-seed.ts) into the fake HubSpot the way a
// real portal would hold it: company properties, contacts with hs_buying_role (or association
// labels), emails / meetings / calls / notes as engagement objects associated with the company and
// the contacts. Every value is stamped in property history at the date it became true, so runs
// "as of" past days see what the CRM said then.
import type { SeedAccount, SeedActivity, SeedContact } from '../../shared/fake/crm-seed.ts';
import type { HubSpotStore, ObjectType } from './store.ts';

/** How contacts' roles are held: the default contact properties, or company↔contact association labels. */
export type MarkerMode = 'properties' | 'labels';

export const seedLabels = { champion: 'Champion', execSponsor: 'Executive sponsor', left: 'Former employee' } as const;
const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
const NO_ANSWER = '73a0d17f-1163-4015-bdd5-ec830791da20';
const DEFAULT_BASE = Date.parse('2020-01-01T00:00:00Z');

const t = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
const minOf = (...xs: (number | undefined)[]) => {
  const ok = xs.filter((x): x is number => x !== undefined && !Number.isNaN(x));
  return ok.length > 0 ? Math.min(...ok) : undefined;
};
const day = (iso: string | undefined) => (iso === undefined ? undefined : iso.slice(0, 10));
const bool = (b: boolean | undefined) => (b === undefined ? undefined : String(b));

/**
 * What a portal holds besides HubSpot's standard properties: `plain` is a fresh portal (standard
 * properties only); `customized` adds the custom properties CS teams commonly create (segment,
 * renewal and contract dates, sentiment, NPS, the other systems' ids, a "left company" date), which
 * the seed fills and `seededPortalMapping` maps, and the CSM override properties an earlier setup made.
 */
export type PortalKind = 'plain' | 'customized';

/** The connector mapping that reads the custom properties a `customized` portal holds. */
export const seededPortalMapping = {
  company: {
    segment: 'customer_segment',
    renewalDate: 'renewal_date',
    contractStart: 'contract_start_date',
    csmSentiment: 'csm_sentiment',
    nps: 'nps_score',
    successPlanOnTrack: 'success_plan_on_track',
    roiDocumented: 'roi_documented',
    identities: {
      stripeCustomerId: 'stripe_customer_id',
      zendeskOrganizationId: 'zendesk_organization_id',
      mixpanelGroupKey: 'mixpanel_group_key',
    },
  },
  contact: { left: { kind: 'property', property: 'left_company_on' } },
} as const;

const CUSTOM_COMPANY_PROPERTIES = new Set([
  'customer_segment',
  'stripe_customer_id',
  'zendesk_organization_id',
  'mixpanel_group_key',
  'renewal_date',
  'contract_start_date',
  'nps_score',
  'success_plan_on_track',
  'roi_documented',
  'csm_sentiment',
]);

/** Installs HubSpot's standard properties (those the connector and the seed touch) and, for a customized portal, the custom ones. */
export function installSchema(store: HubSpotStore, portal: PortalKind = 'customized'): void {
  store.defineGroup('companies', { name: 'companyinformation', label: 'Company information', displayOrder: 0 });
  store.defineGroup('contacts', { name: 'contactinformation', label: 'Contact information', displayOrder: 0 });
  const std = { hubspotDefined: true };
  const define = (type: ObjectType, kind: 'string' | 'datetime' | 'date' | 'number', names: string[], standard = true) => {
    const fieldType = kind === 'string' ? 'text' : kind === 'number' ? 'number' : 'date';
    for (const name of names) store.defineProperty(type, { name, type: kind, fieldType, ...(standard ? std : {}) });
  };
  define('companies', 'string', ['name', 'domain', 'hubspot_owner_id', 'industry']);
  define('companies', 'datetime', ['createdate', 'hs_lastmodifieddate', 'hs_lifecyclestage_customer_date', 'closedate']);
  store.defineProperty('companies', {
    name: 'lifecyclestage',
    type: 'enumeration',
    fieldType: 'radio',
    options: opts('subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'),
    ...std,
  });
  define('contacts', 'string', ['email', 'firstname', 'lastname', 'jobtitle']);
  store.defineProperty('contacts', {
    name: 'hs_buying_role',
    type: 'enumeration',
    fieldType: 'checkbox',
    options: opts('BUDGET_HOLDER', 'CHAMPION', 'DECISION_MAKER', 'END_USER', 'EXECUTIVE_SPONSOR', 'INFLUENCER', 'OTHER'),
    ...std,
  });
  define('emails', 'datetime', ['hs_timestamp']);
  define('emails', 'string', ['hs_email_direction', 'hs_email_thread_id', 'hs_email_from_email', 'hs_email_to_email', 'hs_email_subject']);
  define('meetings', 'datetime', ['hs_timestamp', 'hs_meeting_start_time', 'hs_meeting_end_time']);
  define('meetings', 'string', ['hs_meeting_title', 'hs_meeting_outcome']);
  define('calls', 'datetime', ['hs_timestamp']);
  define('calls', 'string', ['hs_call_disposition', 'hs_call_status', 'hs_call_direction']);
  define('notes', 'datetime', ['hs_timestamp']);
  define('notes', 'string', ['hs_note_body']);
  define('tasks', 'datetime', ['hs_timestamp']);
  define('tasks', 'string', ['hs_task_subject', 'hs_task_body', 'hs_task_status', 'hs_task_priority', 'hs_task_type', 'hubspot_owner_id']);
  if (portal === 'plain') return;

  define('companies', 'string', ['customer_segment', 'stripe_customer_id', 'zendesk_organization_id', 'mixpanel_group_key'], false);
  define('companies', 'date', ['renewal_date', 'contract_start_date'], false);
  define('companies', 'number', ['nps_score'], false);
  for (const name of ['success_plan_on_track', 'roi_documented'])
    store.defineProperty('companies', { name, type: 'enumeration', fieldType: 'booleancheckbox', options: boolOptions });
  store.defineProperty('companies', {
    name: 'csm_sentiment',
    type: 'enumeration',
    fieldType: 'select',
    options: opts('green', 'yellow', 'red'),
  });
  define('contacts', 'date', ['left_company_on', 'role_start_date'], false);
  // The CSM override properties, as an earlier `healthscore setup` left them.
  define('companies', 'number', ['healthscore_override_score'], false);
  define('companies', 'string', ['healthscore_override_reason'], false);
  define('companies', 'date', ['healthscore_override_expires'], false);
}

const opts = (...values: string[]) => values.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false }));
const boolOptions = [
  { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
  { label: 'No', value: 'false', displayOrder: 1, hidden: false },
];

/** The instant a seeded account's standing facts are stamped at: its contract start, else its earliest date. */
function baseOf(a: SeedAccount): number {
  const dates = [
    a.modifiedAt,
    ...(a.contacts ?? []).flatMap((c) => [c.inRoleSince, c.executiveSince]),
    ...(a.activities ?? []).map((x) => x.at),
  ].map(t);
  return t(a.contractStart) ?? minOf(...dates) ?? DEFAULT_BASE;
}

/**
 * A seed account as the HubSpot fake loads it: the vendor-neutral fields plus the company's
 * `lifecyclestage` (an internal option value such as `lead`, `opportunity`, `other`; `''` leaves it
 * empty). Seeding defaults it to `customer`, so a seed that says nothing is a customer in scope; the
 * API's create path sets no default (HubSpot's does not either).
 */
export type HubSpotSeedAccount = SeedAccount & { lifecyclestage?: string };

export interface SeededAccount {
  companyId: string;
  contactIds: Map<string, string>;
}

export function seedAccount(
  store: HubSpotStore,
  a: HubSpotSeedAccount,
  mode: MarkerMode = 'properties',
  portal: PortalKind = 'customized',
): SeededAccount {
  const stages =
    store.properties
      .get('companies')
      ?.get('lifecyclestage')
      ?.options.map((o) => o.value) ?? [];
  if (a.lifecyclestage && !stages.includes(a.lifecyclestage))
    throw new Error(`fake hubspot: seed ${a.key}: lifecyclestage "${a.lifecyclestage}" is not an option (${stages.join(', ')})`);
  const base = baseOf(a);
  const owner = a.ownerEmail ? store.ownerId(a.ownerEmail) : undefined;
  const values: Record<string, string | undefined> = {
    name: a.name,
    domain: a.domain,
    lifecyclestage: a.lifecyclestage ?? 'customer',
    hs_lifecyclestage_customer_date: a.contractStart ? new Date(Date.parse(a.contractStart)).toISOString() : undefined,
    customer_segment: a.segment,
    hubspot_owner_id: owner,
    renewal_date: day(a.renewalDate),
    contract_start_date: day(a.contractStart),
    csm_sentiment: a.csmSentiment,
    nps_score: a.nps === undefined ? undefined : String(a.nps),
    success_plan_on_track: bool(a.successPlanOnTrack),
    roi_documented: bool(a.roiDocumented),
    stripe_customer_id: a.identities?.stripeCustomerId,
    zendesk_organization_id: a.identities?.zendeskOrganizationId,
    mixpanel_group_key: a.identities?.mixpanelGroupKey,
    healthscore_override_score: a.override ? String(a.override.score) : undefined,
    healthscore_override_reason: a.override?.reason,
    healthscore_override_expires: day(a.override?.expiresOn),
  };
  // A plain portal has no custom properties to hold those values.
  if (portal === 'plain') for (const name of CUSTOM_COMPANY_PROPERTIES) delete values[name];
  const company = store.create('companies', values, base);
  if (a.modifiedAt) company.updatedAt = Math.max(company.updatedAt, Date.parse(a.modifiedAt));
  const contactIds = new Map<string, string>();
  for (const c of a.contacts ?? []) contactIds.set(c.key, seedContact(store, company.id, c, base, mode, portal));
  const emailOf = new Map((a.contacts ?? []).map((c) => [c.key, c.email]));
  for (const x of a.activities ?? []) seedActivity(store, company.id, x, contactIds, emailOf, a.ownerEmail ?? 'csm@vendor.example');
  return { companyId: company.id, contactIds };
}

function seedContact(store: HubSpotStore, companyId: string, c: SeedContact, base: number, mode: MarkerMode, portal: PortalKind): string {
  const since = t(c.inRoleSince);
  const execSince = t(c.executiveSince);
  const created = minOf(since, execSince) ?? base;
  const [first, ...rest] = c.name.split(' ');
  const contact = store.create('contacts', { email: c.email, firstname: first, lastname: rest.join(' ') || undefined }, created, created);
  const title = c.title ?? (execSince !== undefined ? 'Executive' : undefined);
  if (title) store.set(contact, { jobtitle: title }, execSince ?? created);
  if (c.inRoleSince && portal === 'customized') store.set(contact, { role_start_date: day(c.inRoleSince) }, since ?? created);
  const labels: string[] = [];
  if (mode === 'properties') {
    const roles = [c.champion ? 'CHAMPION' : undefined, c.execSponsor ? 'EXECUTIVE_SPONSOR' : undefined].filter(Boolean).join(';');
    if (roles) store.set(contact, { hs_buying_role: roles }, since ?? created);
    if (c.leftOn && portal === 'customized') store.set(contact, { left_company_on: day(c.leftOn) }, t(c.leftOn) ?? created);
  } else {
    if (c.champion) labels.push(seedLabels.champion);
    if (c.execSponsor) labels.push(seedLabels.execSponsor);
    if (c.leftOn) labels.push(seedLabels.left);
  }
  store.associate('companies', companyId, 'contacts', contact.id, labels);
  return contact.id;
}

function seedActivity(
  store: HubSpotStore,
  companyId: string,
  x: SeedActivity,
  contactIds: ReadonlyMap<string, string>,
  emailOf: ReadonlyMap<string, string>,
  ourEmail: string,
): void {
  const at = Date.parse(x.at);
  const link = (type: ObjectType, id: string, contactKeys: readonly string[]) => {
    store.associate(type, id, 'companies', companyId);
    for (const k of contactKeys) {
      const contactId = contactIds.get(k);
      if (contactId) store.associate(type, id, 'contacts', contactId);
    }
  };
  const stamp = new Date(at).toISOString();
  if (x.kind === 'email') {
    const theirs = emailOf.get(x.contactKey) ?? '';
    const out = x.direction === 'outbound';
    const e = store.create(
      'emails',
      {
        hs_timestamp: stamp,
        hs_email_direction: out ? 'EMAIL' : 'INCOMING_EMAIL',
        hs_email_thread_id: x.threadId,
        hs_email_from_email: out ? ourEmail : theirs,
        hs_email_to_email: out ? theirs : ourEmail,
        hs_email_subject: out ? 'Checking in' : 'Re: Checking in',
      },
      at,
    );
    link('emails', e.id, [x.contactKey]);
  } else if (x.kind === 'meeting') {
    const m = store.create(
      'meetings',
      {
        hs_timestamp: stamp,
        hs_meeting_start_time: stamp,
        hs_meeting_end_time: new Date(at + 30 * 60_000).toISOString(),
        hs_meeting_title: 'Account review',
        hs_meeting_outcome: x.outcome.toUpperCase(),
      },
      at,
    );
    link('meetings', m.id, x.contactKeys);
  } else if (x.kind === 'call') {
    const c = store.create(
      'calls',
      {
        hs_timestamp: stamp,
        hs_call_disposition: x.connected ? CONNECTED : NO_ANSWER,
        hs_call_status: 'COMPLETED',
        hs_call_direction: 'OUTBOUND',
      },
      at,
    );
    link('calls', c.id, [x.contactKey]);
  } else {
    const n = store.create('notes', { hs_timestamp: stamp, hs_note_body: x.body }, at);
    link('notes', n.id, []);
  }
}
