// The Zendesk source's configuration: credentials (an admin's email and an API token), where the API
// is (subdomain or base URL), rate-limit budgets, retry policy, and the support-signal definitions
// (what counts as an escalation, which tags carry sentiment, how far the first run backfills).

import * as z from 'zod';
import { formatIssues } from '../../lib/zod-issues.ts';
import { ConfigError } from '../shared/errors.ts';
import { limitFields, limitSchema, type RenamedKey, safetyField, withRenamedKeys } from '../shared/rate-limit.ts';
import { completeRetryPolicy, type RetryPolicy, retryOverridesSchema } from '../shared/retry.ts';

/** Keys of earlier releases, still read (with a warning) for one release. */
export const zendeskRenamedKeys: readonly RenamedKey[] = [
  ['limits.planPerMinute', 'rateLimit.requests'],
  ['limits.incrementalPerMinute', 'rateLimit.incremental.requests'],
  ['limits.windowMs', 'rateLimit.perMs'],
  ['limits.windowMs', 'rateLimit.incremental.perMs'],
];

const tag = z
  .string()
  .min(1)
  .transform((t) => t.toLowerCase());

const zendeskConfigObject = z
  .object({
    /**
     * The API user's email; requests authenticate as `<username>/token`. It must be an admin: the
     * incremental exports, satisfaction ratings and survey responses are allowed for admins only.
     */
    username: z.email(),
    apiToken: z.string().min(8, 'expected a Zendesk API token'),
    /** `https://<subdomain>.zendesk.com/api/v2` unless `baseUrl` is given. */
    subdomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/i)
      .optional(),
    /** The API root ending in `/api/v2` (the fake: `http://127.0.0.1:<port>/api/v2`). */
    baseUrl: z.url().optional(),
    // Docs: https://developer.zendesk.com/api-reference/introduction/rate-limits/
    rateLimit: z
      .object({
        /** The plan's requests per minute (Team 200 … Enterprise 700). */
        ...limitFields({ requests: 200, perMs: 60_000 }),
        safety: safetyField(0.1),
        /** The incremental exports' own limit: 10 requests per minute. */
        incremental: limitSchema({ requests: 10, perMs: 60_000 }),
      })
      .prefault({}),
    retry: retryOverridesSchema,
    /** Per-attempt timeout of one HTTP exchange, in milliseconds. */
    timeoutMs: z.number().int().positive().default(30_000),
    escalation: z
      .object({
        /** Urgent priority makes a ticket an escalation. */
        urgentPriority: z.boolean().default(true),
        /** Any of these tags makes a ticket an escalation. */
        tags: z.array(tag).default(['escalated', 'escalation']),
      })
      .refine((e) => e.urgentPriority || e.tags.length > 0, 'an escalation needs urgent priority and/or at least one tag')
      .default({ urgentPriority: true, tags: ['escalated', 'escalation'] }),
    sentiment: z
      .object({
        positiveTags: z.array(tag).default(['sentiment_positive']),
        negativeTags: z.array(tag).default(['sentiment_negative']),
        /** Ratings and tagged tickets from this many days count as recent. */
        windowDays: z.number().int().positive().default(30),
      })
      .default({ positiveTags: ['sentiment_positive'], negativeTags: ['sentiment_negative'], windowDays: 30 }),
    /**
     * How far back the first run reads (and how long a ticket stays in state after its last update).
     * 120 days: `support.ticketVolumeRatio` compares the last 30 days with the 90 days before them.
     */
    backfillDays: z.number().int().min(90).default(120),
    /** Ratings are re-read this many days before the last sync, to catch surveys answered late. */
    ratingsLookbackDays: z.number().int().min(0).default(14),
    /**
     * Which CSAT the account runs: `legacy` satisfaction ratings, or the updated CSAT's `survey`
     * responses (Support Professional / Suite Growth and above; only one is active at a time).
     * `auto` probes survey responses on each sync and falls back to legacy.
     */
    csat: z.enum(['auto', 'legacy', 'survey']).default('auto'),
    /** On the survey's rating scale, the lowest rating counted as satisfied; the scale's top two points unless given. */
    csatSatisfiedFrom: z.number().int().positive().optional(),
    /** Records per incremental export page (at most 1,000). */
    pageSize: z.number().int().min(1).max(1000).default(1000),
    /** Accounts without a zendeskOrganizationId are joined to the organization whose `domain_names` hold the company's domain (unambiguous only). */
    matchByDomain: z.boolean().default(true),
  })
  .refine((c) => c.subdomain !== undefined || c.baseUrl !== undefined, { message: 'give subdomain or baseUrl', path: ['subdomain'] });

export const zendeskConfigSchema = withRenamedKeys(zendeskRenamedKeys, zendeskConfigObject);

export type ZendeskConfigInput = z.input<typeof zendeskConfigObject>;
export type ZendeskConfig = Omit<z.output<typeof zendeskConfigObject>, 'retry' | 'subdomain' | 'baseUrl'> & {
  endpointUri: string;
  retry: RetryPolicy;
};

/** Parses and completes the config; throws a ConfigError naming each bad field (never echoing the token). */
export function parseZendeskConfig(input: unknown): ZendeskConfig {
  const r = zendeskConfigSchema.safeParse(input);
  if (!r.success) {
    throw new ConfigError('zendesk', `invalid source config: ${formatIssues(r.error)}`);
  }
  const { subdomain, baseUrl, retry, ...rest } = r.data;
  return {
    ...rest,
    endpointUri: (baseUrl ?? `https://${subdomain}.zendesk.com/api/v2`).replace(/\/+$/, ''),
    retry: completeRetryPolicy(retry),
  };
}
