// The Salesforce connector's configuration: where the org is, how to authenticate, and which
// Account / Contact / Task / Event fields feed which signal (every org is customized), validated
// with zod, with defaults for everything but the org URL and the credentials (auth-config.ts).
import { z } from 'zod';
import { ConfigError } from '../shared/errors.ts';
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

const accountMapping = z.object({
  /** Picklist whose value becomes the segment ("Mid-Market" → mid_market). */
  segment: optionalField.default('Segment__c'),
  contractStart: optionalField.default('Contract_Start_Date__c'),
  renewalDate: optionalField.default('Renewal_Date__c'),
  /** Picklist with values green / yellow / red (any case). */
  csmSentiment: optionalField.default('CSM_Sentiment__c'),
  nps: optionalField.default('NPS_Score__c'),
  successPlanOnTrack: booleanField
    .nullable()
    .default({ field: 'Success_Plan_Status__c', trueValues: ['On Track'], falseValues: ['Off Track', 'At Risk'] }),
  roiDocumented: booleanField.nullable().default({ field: 'ROI_Documented__c', trueValues: ['Yes'], falseValues: ['No'] }),
});

const identityMapping = z.object({
  stripeCustomerId: optionalField.default('Stripe_Customer_Id__c'),
  zendeskOrganizationId: optionalField.default('Zendesk_Organization_Id__c'),
  mixpanelGroupKey: optionalField.default('Mixpanel_Group_Key__c'),
});

/** A CSM's manual score: all three fields must hold a value for the override to count. */
const overrideMapping = z.object({
  score: apiName.default('Health_Override_Score__c'),
  reason: apiName.default('Health_Override_Reason__c'),
  expiresOn: apiName.default('Health_Override_Expires__c'),
});

const contactMapping = z.object({
  champion: contactFlag.nullable().default({ field: 'Champion__c', value: true }),
  execSponsor: contactFlag.nullable().default({ field: 'Executive_Sponsor__c', value: true }),
  /** Date the contact took their role (a champion < 90 days in role is `new`); CreatedDate when empty. */
  roleStartDate: optionalField.default('Role_Start_Date__c'),
  /** Marks a contact who left the customer; the date field, when filled, says when. */
  left: contactFlag.nullable().default({ field: 'Left_Company__c', value: true }),
  leftDate: optionalField.default('Left_Company_Date__c'),
  /** Date a contact became an executive at the customer (a leadership change within 90 days). */
  executiveSince: optionalField.default('Executive_Since__c'),
});

const activityMapping = z.object({
  /** Emails are Tasks with TaskSubtype = 'Email'; this field says whether the customer sent or received it. */
  emailDirection: z
    .object({ field: apiName, inbound: z.string().min(1), outbound: z.string().min(1) })
    .default({ field: 'Email_Direction__c', inbound: 'Inbound', outbound: 'Outbound' }),
  /** Groups an email with its replies; without it, replies pair by contact. */
  emailThread: optionalField.default('Email_Thread_Id__c'),
  /** Meetings are Events; this field says whether the customer attended. */
  meetingOutcome: z
    .object({ field: apiName, attended: z.array(z.string().min(1)).min(1), noShow: z.array(z.string().min(1)).default([]) })
    .nullable()
    .default({ field: 'Meeting_Outcome__c', attended: ['Completed'], noShow: ['No Show'] }),
  /** Shared Activities on: meeting attendees come from EventWhoRelation; off: the Event's WhoId only. */
  sharedActivities: z.boolean().default(true),
  /** How far back activity is read (touch recency is reported up to this many days). */
  lookbackDays: z.number().int().min(90).max(730).default(180),
});

export const salesforceMappingSchema = z.object({
  account: accountMapping.prefault({}),
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
  /** Process-wide client budget: Salesforce allows 25 concurrent long-running requests and a daily allocation. */
  budget: z
    .object({
      limit: z.number().int().positive().default(100_000),
      windowMs: z.number().int().positive().default(86_400_000),
      concurrency: z.number().int().positive().default(25),
    })
    .prefault({}),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(10),
      baseDelayMs: z.number().int().min(0),
      maxDelayMs: z.number().int().min(0),
      maxTotalWaitMs: z.number().int().min(0),
    })
    .partial()
    .default({}),
  timeoutMs: z.number().int().positive().default(120_000),
  /** Share of the org's daily API allocation left for other integrations: we stop before using it. */
  quotaReserve: z.number().min(0).max(0.5).default(0.05),
  /** Record ids per `IN (...)` clause (keeps the query URL well under Salesforce's length limit). */
  idsPerQuery: z.number().int().min(1).max(500).default(200),
});

export const salesforceConfigSchema = salesforceConfigObject.superRefine((c, ctx) => {
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

export type SalesforceConfigInput = z.input<typeof salesforceConfigSchema>;
/** The parsed config with the secret merged into `auth` (what the client is built from). */
export type SalesforceConfig = Omit<z.output<typeof salesforceConfigSchema>, 'auth' | 'secret' | 'accessToken'> & { auth: SalesforceAuth };
export type SalesforceMapping = z.output<typeof salesforceMappingSchema>;

/** The mapping with every default (what the fake org's seeding writes to). */
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
  const issues = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(config)'}: ${i.message}`);
  throw new ConfigError('salesforce', `invalid configuration: ${issues.join('; ')}`);
}
