// The Salesforce connector's configuration: where the org is, how to authenticate, and which
// Account / Contact / Task / Event fields feed which signal (every org is customized), validated
// with zod, with defaults for everything but the org URL and the credentials (auth-config.ts).

import * as z from 'zod';
import { DAY_MS } from '../../lib/days.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import { ConfigError } from '../shared/errors.ts';
import { limitFields, type RenamedKey, safetyField, withRenamedKeys } from '../shared/rate-limit.ts';
import { retryOverridesSchema } from '../shared/retry.ts';
import { resolveSalesforceAuth, type SalesforceAuth, salesforceAuthSchema } from './auth-config.ts';

const apiName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce API field name such as Champion__c (no spaces, no object prefix)');
/** A field name, or null to switch the signal off for an org that does not track it. */
const optionalField = apiName.nullable();

/** How a contact is marked: a checkbox (value true) or a picklist value (also found inside a multi-select). */
const contactFlag = z.object({ field: apiName, value: z.union([z.boolean(), z.string().min(1)]).default(true) });

/** A yes/no signal read from a picklist or text field; values are compared case-insensitively. */
const booleanField = z.object({
  field: apiName,
  trueValues: z.array(z.string().min(1)).min(1, 'list at least one value that means yes'),
  falseValues: z.array(z.string().min(1)).default([]),
});

// A standard org has none of the custom fields CS teams add, so every custom field is opt-in (null
// by default) and the defaults read Salesforce's own objects: contact roles on opportunities (and on
// the account, where Contacts to Multiple Accounts is on), Tasks and Events with their standard
// fields (email direction from Enhanced Email's EmailMessage), renewal and start from contracts.
const accountMapping = z.object({
  /** Picklist whose value becomes the segment ("Mid-Market" → mid_market). */
  segment: optionalField.default(null),
  /** A date field for the start of the relationship; by default the earliest activated Contract's StartDate. */
  contractStart: optionalField.default(null),
  /** A date field for the renewal; by default taken from `renewal` below. */
  renewalDate: optionalField.default(null),
  /** Picklist with values green / yellow / red (any case). */
  csmSentiment: optionalField.default(null),
  nps: optionalField.default(null),
  successPlanOnTrack: booleanField.nullable().default(null),
  roiDocumented: booleanField.nullable().default(null),
});

/** Where the renewal date comes from when no renewal field is mapped. */
const renewalMapping = z.object({
  /** `contract`: the EndDate of the account's activated Contract in force; `opportunity`: the nearest open renewal Opportunity's CloseDate. */
  from: z.enum(['contract', 'opportunity']).default('contract'),
  /** Opportunity Type values that mean a renewal (the standard picklist has none: add yours). */
  opportunityTypes: z.array(z.string().min(1)).min(1).default(['Renewal']),
});

const identityMapping = z.object({
  stripeCustomerId: optionalField.default(null),
  zendeskOrganizationId: optionalField.default(null),
  mixpanelGroupKey: optionalField.default(null),
});

/** A CSM's manual score: all three fields must hold a value for the override to count (setup creates them). */
const overrideMapping = z.object({
  score: apiName.default('Health_Override_Score__c'),
  reason: apiName.default('Health_Override_Reason__c'),
  expiresOn: apiName.default('Health_Override_Expires__c'),
});

/** Contact roles (OpportunityContactRole.Role, AccountContactRelation.Roles) that mark champions and sponsors. */
const roleMapping = z.object({
  /** The standard Role picklist has no "Champion": Decision Maker is the closest standard value; add Champion if your org uses it. */
  champion: z.array(z.string().min(1)).default(['Champion', 'Decision Maker']),
  execSponsor: z.array(z.string().min(1)).default(['Executive Sponsor', 'Economic Buyer', 'Economic Decision Maker']),
});

const contactMapping = z.object({
  /** Roles read from Salesforce's own contact roles; custom flags below are added to them when mapped. */
  roles: roleMapping.prefault({}),
  champion: contactFlag.nullable().default(null),
  execSponsor: contactFlag.nullable().default(null),
  /** Date the contact took their role (a champion < 90 days in role is `new`); the role's CreatedDate otherwise. */
  roleStartDate: optionalField.default(null),
  /** Marks a contact who left the customer; the date field, when filled, says when. */
  left: contactFlag.nullable().default(null),
  leftDate: optionalField.default(null),
  /** Date a contact became an executive at the customer (a leadership change within 90 days). */
  executiveSince: optionalField.default(null),
});

const activityMapping = z.object({
  /**
   * Emails are Tasks with TaskSubtype = 'Email'. Their direction comes from Enhanced Email's
   * EmailMessage.Incoming where the org has it; this custom Task field is for orgs without it.
   */
  emailDirection: z
    .object({ field: apiName, inbound: z.string().min(1), outbound: z.string().min(1) })
    .nullable()
    .default(null),
  /** Groups an email with its replies (EmailMessage.ThreadIdentifier is used where present); without it, replies pair by contact. */
  emailThread: optionalField.default(null),
  /** Meetings are Events; this custom field says whether the customer attended (meeting attendance is unknown without it). */
  meetingOutcome: z
    .object({ field: apiName, attended: z.array(z.string().min(1)).min(1), noShow: z.array(z.string().min(1)).default([]) })
    .nullable()
    .default(null),
  /** Shared Activities on: meeting attendees come from EventWhoRelation; off: the Event's WhoId only. */
  sharedActivities: z.boolean().default(true),
  /** How far back activity is read (touch recency is reported up to this many days). */
  lookbackDays: z.number().int().min(90).max(730).default(180),
});

/**
 * Which Accounts are customers the product scores: those whose `field` holds one of `values`
 * (compared case-insensitively). The default reads the standard Account Type picklist, whose customer
 * values in a new org are "Customer - Direct" and "Customer - Channel". `null` scores every Account.
 */
const scopeMapping = z.object({
  field: apiName.default('Type'),
  values: z
    .array(z.string().min(1))
    .min(1, 'list at least one value that marks a customer')
    .default(['Customer - Direct', 'Customer - Channel']),
});

/**
 * Opt-in: an Account field whose value says the customer has left (e.g. Type = "Former Customer", a
 * value an admin adds), and optionally a date or date-time field saying when.
 */
const churnMapping = z.object({
  field: apiName,
  values: z.array(z.string().min(1)).min(1, 'list at least one value that marks a former customer'),
  dateField: optionalField.default(null),
});

export const salesforceMappingSchema = z.object({
  scope: scopeMapping.nullable().prefault({}),
  churn: churnMapping.nullable().default(null),
  account: accountMapping.prefault({}),
  renewal: renewalMapping.prefault({}),
  identity: identityMapping.prefault({}),
  override: overrideMapping.nullable().prefault({}),
  contact: contactMapping.prefault({}),
  activity: activityMapping.prefault({}),
});

const salesforceConfigObject = z.object({
  /** The org URL (My Domain); with an OAuth flow the token response's instance_url is used instead. */
  instanceUrl: z.url({ error: 'instanceUrl must be the org URL, e.g. https://acme.my.salesforce.com' }).optional(),
  /** How to authenticate (auth-config.ts); a bare `accessToken` (below) when absent. */
  auth: salesforceAuthSchema.optional(),
  /** The Salesforce secret as stored (a JSON object with named keys, or a bare access token); merged into `auth`. */
  secret: z.string().min(1).optional(),
  /** Shorthand for `auth: { flow: accessToken }` with this token (a quick trial: it expires). */
  accessToken: z.string().min(1, 'accessToken is empty: set an OAuth access token or session id of the integration user').optional(),
  /** REST / Metadata API version; always sent, so a Salesforce release never changes what we parse. */
  version: z
    .string()
    .regex(/^\d{2,3}\.0$/, 'version must look like "62.0"')
    .default('62.0'),
  /** Where people open records; derived from instanceUrl (my.salesforce.com → lightning.force.com) when absent. */
  lightningUrl: z.url().optional(),
  mapping: salesforceMappingSchema.prefault({}),
  /**
   * Process-wide client budget: the org's daily request allocation (100,000 and more per licence)
   * and 25 concurrent long-running requests. No safety share by default: quotaReserve keeps part of
   * the allocation for other integrations.
   */
  rateLimit: z.object({ ...limitFields({ requests: 100_000, perMs: DAY_MS, concurrency: 25 }), safety: safetyField(0) }).prefault({}),
  retry: retryOverridesSchema,
  /** Per-request timeout, in milliseconds. */
  timeoutMs: z.number().int().positive().default(120_000),
  /** Share of the org's daily API allocation left for other integrations: we stop before using it. */
  quotaReserve: z.number().min(0).max(0.5).default(0.05),
  /** Record ids per `IN (...)` clause (keeps the query URL well under Salesforce's length limit). */
  idsPerQuery: z.number().int().min(1).max(500).default(200),
});

/** Keys of earlier releases, still read (with a warning) for one release. */
export const salesforceRenamedKeys: readonly RenamedKey[] = [
  ['budget.limit', 'rateLimit.requests'],
  ['budget.windowMs', 'rateLimit.perMs'],
  ['budget.concurrency', 'rateLimit.concurrency'],
];

const salesforceConfigChecked = salesforceConfigObject.superRefine((c, ctx) => {
  const flow = c.auth?.flow ?? 'accessToken';
  if (flow === 'accessToken' && !c.instanceUrl)
    ctx.addIssue({
      code: 'custom',
      path: ['instanceUrl'],
      message: 'instanceUrl is required with an access token: the org URL, e.g. https://acme.my.salesforce.com',
    });
  if (c.accessToken && c.auth && c.auth.flow !== 'accessToken')
    ctx.addIssue({ code: 'custom', path: ['accessToken'], message: `remove accessToken: salesforce.auth uses the ${c.auth.flow} flow` });
});

export const salesforceConfigSchema = withRenamedKeys(salesforceRenamedKeys, salesforceConfigChecked);

export type SalesforceConfigInput = z.input<typeof salesforceConfigObject>;
/** The parsed config with the secret merged into `auth` (what the client is built from). */
export type SalesforceConfig = Omit<z.output<typeof salesforceConfigSchema>, 'auth' | 'secret' | 'accessToken'> & { auth: SalesforceAuth };
export type SalesforceMapping = z.output<typeof salesforceMappingSchema>;
export type SalesforceMappingInput = z.input<typeof salesforceMappingSchema>;

/** The mapping with every default: Salesforce's standard objects and fields only. */
export const defaultSalesforceMapping: SalesforceMapping = salesforceMappingSchema.parse({});

/** Validates the config; a bad one throws a ConfigError naming each wrong path. */
export function parseSalesforceConfig(input: unknown): SalesforceConfig {
  const result = salesforceConfigSchema.safeParse(input);
  if (result.success) {
    const { auth, secret, accessToken, ...rest } = result.data;
    const settings = auth ?? { flow: 'accessToken' as const, ...(accessToken ? { accessToken } : {}) };
    if (settings.flow === 'accessToken' && accessToken && !settings.accessToken) settings.accessToken = accessToken;
    return { ...rest, auth: resolveSalesforceAuth(settings, secret) };
  }
  throw new ConfigError('salesforce', `invalid configuration: ${formatIssues(result.error, { root: '(config)' })}`);
}
