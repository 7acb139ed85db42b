// The HubSpot connector's configuration: credentials, endpoints, the rate budget and, because every
// portal is customized, which property (or association label) feeds which signal. Validated with
// zod; defaults follow HubSpot's standard properties where one exists (hs_buying_role) and plain
// custom property names otherwise.

import * as z from 'zod';
import { formatIssues } from '../../lib/zod-issues.ts';
import { ConfigError } from '../shared/errors.ts';
import { limitFields, limitSchema, type RenamedKey, safetyField, withRenamedKeys } from '../shared/rate-limit.ts';
import { retryOverridesSchema } from '../shared/retry.ts';

/** Keys of earlier releases, still read (with a warning) for one release. The old limits already had the margin taken off. */
export const hubSpotRenamedKeys: readonly RenamedKey[] = [
  ['rateLimit.limit', 'rateLimit.requests', ['rateLimit.safety', 0]],
  ['rateLimit.windowMs', 'rateLimit.perMs'],
  ['rateLimit.searchLimit', 'rateLimit.search.requests', ['rateLimit.search.safety', 0]],
  ['rateLimit.searchWindowMs', 'rateLimit.search.perMs'],
  ['requestTimeoutMs', 'timeoutMs'],
];

/** How a contact is marked (champion, executive sponsor, left): a contact property or a company↔contact association label. */
const markerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('property'),
    property: z.string().min(1),
    /** For a multi-select (e.g. hs_buying_role): the option that marks. Absent: any value but "" / "false" marks. */
    value: z.string().min(1).optional(),
  }),
  z.object({ kind: z.literal('associationLabel'), label: z.string().min(1) }),
]);
export type ContactMarker = z.infer<typeof markerSchema>;

const propertyName = z.string().regex(/^[a-z0-9_]+$/, 'a HubSpot internal property name (lower case, digits, underscores), not its label');

const validRegex = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** HubSpot's own customer stage: a standard portal's `lifecyclestage` option `customer`. */
export const DEFAULT_SCOPE = { property: 'lifecyclestage', values: ['customer'] } as const;

/**
 * Which companies are customers the product scores: those whose `property` holds one of `values`
 * (internal option values, compared without regard to case). `false` scores every company. Every
 * company is still listed, with its scope, so the run sees a customer leave the scope.
 */
const scopeSchema = z
  .union([
    z.literal(false),
    z.object({
      property: propertyName.default(DEFAULT_SCOPE.property),
      values: z
        .array(z.string().trim().min(1))
        .min(1, 'at least one value')
        .default([...DEFAULT_SCOPE.values]),
    }),
  ])
  .default({ property: DEFAULT_SCOPE.property, values: [...DEFAULT_SCOPE.values] });
export type HubSpotScopeConfig = z.infer<typeof scopeSchema>;

/** Opt-in: a company property whose value says the customer has left, and optionally the date property saying when. */
const churnSchema = z.object({
  property: propertyName,
  values: z.array(z.string().trim().min(1)).min(1, 'at least one value'),
  dateProperty: propertyName.optional(),
});
export type HubSpotChurnConfig = z.infer<typeof churnSchema>;

// A plain portal has none of the custom properties a CS team usually adds (renewal date, NPS,
// sentiment, the other systems' ids): each is opt-in, and a mapped property the portal lacks is
// reported by name (portal-check.ts) rather than silently read as empty.
const companySchema = z.object({
  /** Which companies are scored (default: lifecyclestage is customer); `false`: every company. */
  scope: scopeSchema,
  /** None by default: churn evidence then comes from billing only. */
  churn: churnSchema.optional(),
  /** The account segment (chooses the model in a model set). */
  segment: propertyName.optional(),
  renewalDate: propertyName.optional(),
  /** When the customer relationship started; HubSpot's own "Became a Customer Date" by default. */
  contractStart: propertyName.optional().default('hs_lifecyclestage_customer_date'),
  csmSentiment: propertyName.optional(),
  /** Which option values of the sentiment property mean green / yellow / red (compared case-insensitively). */
  csmSentimentValues: z
    .object({
      green: z.array(z.string()).default(['green']),
      yellow: z.array(z.string()).default(['yellow']),
      red: z.array(z.string()).default(['red']),
    })
    .prefault({}),
  nps: propertyName.optional(),
  successPlanOnTrack: propertyName.optional(),
  roiDocumented: propertyName.optional(),
  /**
   * AccountRef.identities key → company property holding that system's id, e.g.
   * `{ stripeCustomerId: stripe_customer_id }`. None by default: the company's `domain` is always
   * passed to the sources for matching by domain.
   */
  identities: z.record(z.string(), propertyName).default({}),
  override: z
    .object({
      score: propertyName.default('healthscore_override_score'),
      reason: propertyName.default('healthscore_override_reason'),
      expiresOn: propertyName.default('healthscore_override_expires'),
    })
    .prefault({}),
});

const contactSchema = z.object({
  champion: markerSchema.default({ kind: 'property', property: 'hs_buying_role', value: 'CHAMPION' }),
  execSponsor: markerSchema.default({ kind: 'property', property: 'hs_buying_role', value: 'EXECUTIVE_SPONSOR' }),
  /**
   * A date property (the day they left) or a label; a champion who left is `departed`. None by
   * default (no standard property says it): a champion dissociated from the company still reads as
   * departed, from the champions remembered between runs.
   */
  left: markerSchema.optional(),
  /** Optional date property saying since when a contact holds their role; otherwise taken from the marker's history. */
  roleSinceProperty: propertyName.optional(),
  /** Job titles that make a contact an executive (for leadership changes), case-insensitive. */
  executiveTitlePattern: validRegex.default(
    '\\b(chief|ceo|cfo|cto|coo|cro|cio|cmo|president|vp|svp|evp|vice president|head of|founder|executive|managing director)\\b',
  ),
  /** Titles excluded even when they match the pattern. */
  executiveTitleExclude: validRegex.default('\\b(assistant|coordinator|intern)\\b'),
});

const engagementSchema = z.object({
  /** hs_call_disposition values that mean the call connected (HubSpot's default "Connected" outcome). */
  connectedCallDispositions: z.array(z.string()).default(['f240bbac-87c9-4f6e-bf70-924b57d47db7']),
  /** The email property grouping a conversation; replies are matched by sender when it is empty. */
  emailThreadProperty: propertyName.default('hs_email_thread_id'),
});

const hubSpotConfigObject = z.object({
  /** A private app access token (or OAuth access token). Never logged. */
  accessToken: z.string({ error: 'accessToken is required: a HubSpot private app token' }).min(1, 'accessToken is empty'),
  basePath: z.url().default('https://api.hubapi.com'),
  /** The portal (Hub) id, for links to records. */
  portalId: z
    .union([z.string().regex(/^\d+$/, 'the numeric Hub ID shown in HubSpot account settings'), z.number().int().positive()], {
      error: 'portalId is required: the numeric Hub ID, used for record links',
    })
    .transform(String),
  appBaseUrl: z.url().default('https://app.hubspot.com'),
  // Docs: https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details
  rateLimit: z
    .object({
      /** Requests per window for the whole process: HubSpot allows 100 (Free/Starter) or 190 (Pro/Enterprise) per 10 s. */
      ...limitFields({ requests: 100, perMs: 10_000 }),
      safety: safetyField(0.1),
      /** The search endpoints allow 5 requests per second per token. */
      search: limitSchema({ requests: 5, perMs: 1_000 }, 0.1),
    })
    .prefault({}),
  retry: retryOverridesSchema,
  /** A request without an answer after this long (milliseconds) is abandoned and retried like a dropped connection. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Records per batch update (HubSpot's maximum is 100). */
  writeBatchSize: z.number().int().min(1).max(100).default(100),
  company: companySchema.prefault({}),
  contact: contactSchema.prefault({}),
  engagement: engagementSchema.prefault({}),
});

export const hubSpotConfigSchema = withRenamedKeys(hubSpotRenamedKeys, hubSpotConfigObject);

export type HubSpotConfig = z.infer<typeof hubSpotConfigObject>;
export type HubSpotConfigInput = z.input<typeof hubSpotConfigObject>;

/** Validates the config, throwing a ConfigError that names every bad path (never the token's value). */
export function parseHubSpotConfig(input: unknown): HubSpotConfig {
  const r = hubSpotConfigSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError('hubspot', `invalid configuration: ${formatIssues(r.error)}`);
}

/** The properties the connector creates on companies and writes the score into. */
export const scorePropertyNames = {
  score: 'healthscore_score',
  tier: 'healthscore_tier',
  drivers: 'healthscore_drivers',
  change7d: 'healthscore_change_7d',
  change30d: 'healthscore_change_30d',
  completeness: 'healthscore_completeness',
  flags: 'healthscore_flags',
  modelId: 'healthscore_model',
  lastChange: 'healthscore_last_change',
  updatedAt: 'healthscore_updated_at',
} as const;

export const scorePropertyGroup = { name: 'healthscore', label: 'Health score' } as const;
