// The Mixpanel usage source's configuration (zod): where the project lives (region or explicit base
// URLs), the service account, which events mean "active" and which are core features, the group-key
// property that joins events to accounts, and the vendor limits the client budgets against.
import * as z from 'zod';
import { isTimeZone } from '../../lib/zoned-days.ts';
import { limitFields, limitSchema, type RenamedKey, safetyField, withRenamedKeys } from '../shared/rate-limit.ts';
import { retryOverridesSchema } from '../shared/retry.ts';

/** Mixpanel's hosts per data residency: the Query API and the raw export live on different hosts. */
export const MIXPANEL_HOSTS = {
  us: { query: 'https://mixpanel.com/api/query', export: 'https://data.mixpanel.com/api/2.0' },
  eu: { query: 'https://eu.mixpanel.com/api/query', export: 'https://data-eu.mixpanel.com/api/2.0' },
  in: { query: 'https://in.mixpanel.com/api/query', export: 'https://data-in.mixpanel.com/api/2.0' },
} as const;

/** Keys of earlier releases, still read (with a warning) for one release. */
export const mixpanelRenamedKeys: readonly RenamedKey[] = [
  ['limits.queriesPerHour', 'rateLimit.requests'],
  ['limits.queryConcurrency', 'rateLimit.concurrency'],
  ['limits.queryWindowMs', 'rateLimit.perMs'],
  ['limits.exportsPerHour', 'rateLimit.export.requests'],
  ['limits.exportWindowMs', 'rateLimit.export.perMs'],
  ['limits.exportsPerSecond', 'rateLimit.exportPerSecond.requests'],
  ['limits.exportSecondMs', 'rateLimit.exportPerSecond.perMs'],
  ['limits.safetyMargin', 'rateLimit.safety'],
];

// Docs: https://docs.mixpanel.com/reference/rate-limits (Query API: 5 concurrent, 60 an hour; raw export: 60 an hour, 3 a second)
const rateLimitSchema = z
  .object({
    /** The Query API: 60 queries per rolling hour, 5 at once. */
    ...limitFields({ requests: 60, perMs: 3_600_000, concurrency: 5 }),
    /** Share of each limit kept free for other users of the project (dashboards, people). */
    safety: safetyField(0.1),
    /** The raw export: 60 per hour… */
    export: limitSchema({ requests: 60, perMs: 3_600_000 }),
    /** …and 3 per second. */
    exportPerSecond: limitSchema({ requests: 3, perMs: 1000 }),
  })
  .prefault({});

const mixpanelConfigObject = z.object({
  region: z.enum(['us', 'eu', 'in']).default('us'),
  /** Overrides the region's Query API base URL (e.g. a fake server's `/api/query`). */
  queryBaseUrl: z.url().optional(),
  /** Overrides the region's raw export base URL (e.g. a fake server's `/api/2.0`). */
  exportBaseUrl: z.url().optional(),
  serviceAccount: z.object({ username: z.string().min(1), secret: z.string().min(1) }),
  projectId: z.union([z.string().regex(/^\d+$/), z.int().positive()]).transform(String),
  /** For projects with data views. */
  workspaceId: z
    .union([z.string().regex(/^\d+$/), z.int().positive()])
    .transform(String)
    .optional(),
  /** The event property whose value is the account's group key (AccountRef.identities.mixpanelGroupKey). */
  groupKeyProperty: z.string().min(1).default('company_id'),
  /**
   * Accounts without a mixpanelGroupKey use the company's domain ("acme.com") as their group key: right
   * for products that send the company's domain in `groupKeyProperty`, harmless otherwise (no events match).
   */
  groupKeyFromDomain: z.boolean().default(true),
  /** Events that mean a user was active. One event is read by segmentation; several need the export. */
  activeEvents: z.array(z.string().min(1)).min(1),
  /** Core features (event names) for usage.featureAdoption. */
  coreFeatures: z.array(z.string().min(1)).default([]),
  /** Above this many segment values (Mixpanel returns at most 10,000) the run reads the raw export. */
  exportThreshold: z.int().min(1).max(10_000).default(10_000),
  /**
   * The project's time zone (Project settings → Timezone), IANA name. Mixpanel counts days in it:
   * segmentation dates and buckets are local days, and the last complete day is the local one.
   */
  timezone: z.string().refine(isTimeZone, 'expected an IANA time zone name such as America/Los_Angeles').default('UTC'),
  /**
   * How the raw export reads `from_date`/`to_date`: in UTC (projects created since 1 January 2023),
   * or in the project's time zone (older projects, whose export `time` is also local).
   */
  exportDates: z.enum(['utc', 'project']).default('utc'),
  /** Days of daily activity read per run; bounds how far back usage.daysSinceLastActive can see. */
  lookbackDays: z.int().min(30).max(365).default(90),
  rateLimit: rateLimitSchema,
  retry: retryOverridesSchema,
  /** Per-attempt timeout until Mixpanel answers (a query's whole body; an export's first byte), in milliseconds. */
  timeoutMs: z.int().positive().default(60_000),
});

export const mixpanelConfigSchema = withRenamedKeys(mixpanelRenamedKeys, mixpanelConfigObject);

export type MixpanelConfigInput = z.input<typeof mixpanelConfigObject>;
export type MixpanelConfig = z.output<typeof mixpanelConfigObject>;

export function resolveBaseUrls(config: MixpanelConfig): { query: string; export: string } {
  const hosts = MIXPANEL_HOSTS[config.region];
  const trim = (u: string) => u.replace(/\/+$/, '');
  return { query: trim(config.queryBaseUrl ?? hosts.query), export: trim(config.exportBaseUrl ?? hosts.export) };
}
