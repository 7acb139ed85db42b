// The floor each vendor's figures are compared with: the fewest calls a run can make, given the
// portfolio and the page and batch sizes the vendors document, and the least vendor time those calls
// take under the vendors' documented rate limits. The sizes and limits are the vendors' (see
// /work/shared/docs/architecture.md), not our connectors' settings, so a connector that pages smaller
// or budgets with a safety margin shows up as a ratio above 1.
import { DAY_S } from '../lib/days.ts';
import type { SeededCounts } from './pipeline-seed.ts';

/** Documented page and batch sizes. */
export const SIZES = {
  hubspotListPage: 100,
  /** With `propertiesWithHistory` (companies and contacts), HubSpot takes 50 inputs a call. */
  hubspotHistoryBatchRead: 50,
  hubspotSearchPage: 200,
  hubspotAssociationsBatch: 1000,
  hubspotBatchUpdate: 100,
  stripeListPage: 100,
  zendeskExportPage: 1000,
  zendeskRatingsPage: 100,
  /** A segmentation report returns at most 10,000 segment values; at that many it may be truncated. */
  mixpanelSegmentLimit: 10_000,
} as const;

/** Documented rate limits: `limit` calls per rolling `windowMs` of vendor time. */
export const LIMITS = {
  hubspot: { limit: 100, windowMs: 10_000 }, // private apps, Free/Starter: 100 per 10 s
  stripe: { limit: 25, windowMs: 1000 }, // test mode: 25 reads per second (live: 100)
  zendeskPlan: { limit: 200, windowMs: 60_000 }, // Team plan: 200 per minute, every request
  zendeskIncremental: { limit: 10, windowMs: 60_000 }, // incremental exports: 10 per minute
  mixpanelQuery: { limit: 60, windowMs: 3_600_000 }, // Query API: 60 per rolling hour
  mixpanelExport: { limit: 3, windowMs: 1000 }, // raw export: 3 per second (and 60 per hour)
  slack: { limit: 1, windowMs: 1000 }, // incoming webhook: about one message per second
} as const;

export type Limits = { [K in keyof typeof LIMITS]: { limit: number; windowMs: number } };

/** The budgets the benchmark's connectors run with (as each vendor's fake/local.ts sets them): the limits less each connector's margin. */
export const CONNECTOR_BUDGETS: Limits = {
  hubspot: { limit: 90, windowMs: 10_000 },
  stripe: { limit: 20, windowMs: 1000 },
  zendeskPlan: { limit: 180, windowMs: 60_000 }, // 90% of the plan's limit
  zendeskIncremental: { limit: 9, windowMs: 60_000 }, // one below the export limit
  mixpanelQuery: { limit: 54, windowMs: 3_600_000 }, // 10% margin
  mixpanelExport: { limit: 2, windowMs: 1000 }, // 10% margin, rounded down
  slack: { limit: 1, windowMs: 1000 },
};

/** Connector windows the minimum takes as given: the first Zendesk run backfills 120 days, later runs re-read 14 days of ratings. */
const ZENDESK_BACKFILL_S = 120 * DAY_S;
const ZENDESK_RATINGS_LOOKBACK_S = 14 * DAY_S;

/**
 * A rolling window of L calls per W lets the first L calls go at once and each further L one
 * window later, so n calls cannot finish in less than (⌈n/L⌉ − 1) × W.
 */
export function minWallMs(calls: number, l: { limit: number; windowMs: number }): number {
  return calls <= 0 ? 0 : (Math.ceil(calls / l.limit) - 1) * l.windowMs;
}

const pages = (records: number, size: number) => Math.ceil(records / size);
/** A list or export answers at least one page, even an empty one. */
const atLeastOne = (records: number, size: number) => Math.max(1, pages(records, size));

export interface VendorMinimum {
  calls: number;
  wallMs: number;
  /** The minimum per endpoint, in the order a run makes the calls. */
  parts: [string, number][];
}

/**
 * The least vendor time `byEndpoint` calls take under `limits`. HubSpot, Stripe and Slack: one
 * window over every call. Zendesk: the exports at 10 per minute and every call at 200 per minute,
 * whichever takes longer. Mixpanel: the queries at 60 per hour, the exports at 3 per second.
 */
export function wallFor(vendor: string, byEndpoint: Record<string, number>, limits: Limits): number {
  const all = Object.values(byEndpoint).reduce((a, b) => a + b, 0);
  const of = (...labels: string[]) => labels.reduce((a, l) => a + (byEndpoint[l] ?? 0), 0);
  switch (vendor) {
    case 'hubspot':
      return minWallMs(all, limits.hubspot);
    case 'stripe':
      return minWallMs(all, limits.stripe);
    case 'zendesk':
      return Math.max(minWallMs(of('organization export', 'ticket export'), limits.zendeskIncremental), minWallMs(all, limits.zendeskPlan));
    case 'mixpanel':
      return Math.max(minWallMs(of('segmentation reports'), limits.mixpanelQuery), minWallMs(of('raw export'), limits.mixpanelExport));
    default:
      return minWallMs(all, limits.slack);
  }
}

/** What the run itself decided, which the minimum cannot know in advance. */
export interface DayOutcome {
  asOf: Date;
  /** The previous run's asOf; none for the first (backfilling) run. Zendesk re-reads ratings from 14 days before it. */
  previousAsOf?: Date;
  /** Companies whose score properties had to be written. */
  companiesWritten: number;
  tasksCreated: number;
  slackMessages: number;
}

function finish(vendor: string, parts: [string, number][]): VendorMinimum {
  return { calls: parts.reduce((n, [, c]) => n + c, 0), wallMs: wallFor(vendor, Object.fromEntries(parts), LIMITS), parts };
}

/**
 * HubSpot: list the companies (100 a page); then for every company its record with property history
 * (batch read, 50 ids a call) and its contact associations (v4 batch read, 1,000 ids a call); the
 * contacts with history (50 a call); the emails, meetings and calls of the engagement window (search,
 * 200 a page; the demo's engagements all fall in it) and the companies each belongs to (v4, 1,000 a
 * call); who attended the meetings and calls (v4, 1,000 a call); the changed companies written 100 per
 * batch update; one create per alert task.
 */
export function hubspotMinimum(c: SeededCounts['hubspot'], day: DayOutcome): VendorMinimum {
  const historyReads = (n: number) => (n === 0 ? 0 : pages(n, SIZES.hubspotHistoryBatchRead));
  const searches = (n: number) => (n === 0 ? 0 : pages(n, SIZES.hubspotSearchPage));
  const assoc = (n: number) => (n === 0 ? 0 : pages(n, SIZES.hubspotAssociationsBatch));
  const parts: [string, number][] = [
    ['list companies', atLeastOne(c.companies, SIZES.hubspotListPage)],
    ['read companies', historyReads(c.companies)],
    ['associations company→contacts', assoc(c.companies)],
    ['read contacts', historyReads(c.contacts)],
    ['search emails, meetings, calls', searches(c.emails) + searches(c.meetings) + searches(c.calls)],
    ['associations email/meeting/call→companies', assoc(c.emails) + assoc(c.meetings) + assoc(c.calls)],
    ['associations meeting/call→contacts', assoc(c.meetings) + assoc(c.calls)],
    ['update companies', pages(day.companiesWritten, SIZES.hubspotBatchUpdate)],
    ['create tasks', day.tasksCreated],
  ];
  return finish('hubspot', parts);
}

/** Stripe: every subscription (100 a page, latest invoice expanded) and the open invoices (100 a page). */
export function stripeMinimum(c: SeededCounts['stripe']): VendorMinimum {
  const parts: [string, number][] = [
    ['list subscriptions', atLeastOne(c.subscriptions, SIZES.stripeListPage)],
    ['list open invoices', atLeastOne(c.openInvoices, SIZES.stripeListPage)],
  ];
  return finish('stripe', parts);
}

/**
 * Zendesk: the organization and ticket exports (1,000 a page; day 2 finds nothing new: one page
 * each) and the satisfaction ratings created inside the run's window (100 a page).
 */
export function zendeskMinimum(c: SeededCounts['zendesk'], day: DayOutcome): VendorMinimum {
  const asOf = Math.floor(day.asOf.getTime() / 1000);
  const first = day.previousAsOf === undefined;
  const from = day.previousAsOf ? Math.floor(day.previousAsOf.getTime() / 1000) - ZENDESK_RATINGS_LOOKBACK_S : asOf - ZENDESK_BACKFILL_S;
  const ratings = c.ratingTimes.filter((t) => t >= from && t <= asOf).length;
  const exports: [string, number][] = [
    ['organization export', first ? atLeastOne(c.organizations, SIZES.zendeskExportPage) : 1],
    ['ticket export', first ? atLeastOne(c.tickets, SIZES.zendeskExportPage) : 1],
  ];
  return finish('zendesk', [...exports, ['satisfaction ratings', atLeastOne(ratings, SIZES.zendeskRatingsPage)]]);
}

/**
 * Mixpanel: a fixed number per run, never per account. Below the segment limit, the connector's
 * segmentation reports: daily uniques, 30-day uniques, and one per core feature. At or above it a
 * report may be truncated, so one raw export.
 */
export function mixpanelMinimum(c: SeededCounts['mixpanel']): VendorMinimum {
  if (c.groups >= SIZES.mixpanelSegmentLimit) return finish('mixpanel', [['raw export', 1]]);
  return finish('mixpanel', [['segmentation reports', 2 + c.coreFeatures]]);
}

/** Slack: one webhook message per alert. */
export function slackMinimum(day: DayOutcome): VendorMinimum {
  return finish('slack', [['webhook messages', day.slackMessages]]);
}

export function minimums(c: SeededCounts, day: DayOutcome): Record<string, VendorMinimum> {
  return {
    hubspot: hubspotMinimum(c.hubspot, day),
    stripe: stripeMinimum(c.stripe),
    zendesk: zendeskMinimum(c.zendesk, day),
    mixpanel: mixpanelMinimum(c.mixpanel),
    slack: slackMinimum(day),
  };
}

/**
 * The floor of a run that syncs before it scores, as the pipeline does (plan: list the CRM and run
 * every source's sync, overlapped at best; then the batches): the slowest plan-phase vendor plus the
 * slowest batch-phase vendor. The CRM's listing is in the plan, its reads and writes in the batches.
 */
export function planThenBatchesFloorMs(min: Record<string, VendorMinimum>): number {
  const hubspot = Object.fromEntries(min.hubspot?.parts ?? []);
  const { 'list companies': list = 0, ...batchParts } = hubspot;
  const plan = Math.max(
    wallFor('hubspot', { 'list companies': list }, LIMITS),
    min.stripe?.wallMs ?? 0,
    min.zendesk?.wallMs ?? 0,
    min.mixpanel?.wallMs ?? 0,
  );
  return plan + Math.max(wallFor('hubspot', batchParts, LIMITS), min.slack?.wallMs ?? 0);
}
