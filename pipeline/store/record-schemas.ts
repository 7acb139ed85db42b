// What a stored item must hold to be read back as the record records.ts describes: each repository
// parses what DynamoDB returns with these (keys and TTL already stripped), so a row of the wrong
// shape fails with its key and the field at fault instead of travelling on as a cast. Optional
// fields are exactly optional (absent, never undefined), as the records are written.
import * as z from 'zod';
import type { LifecycleState } from '../../lib/lifecycle/lifecycle.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import {
  type AccountState,
  type BatchSummary,
  type DayRecord,
  type PlannedBatch,
  RECORDED_OUTCOMES,
  type RecordedOutcome,
  type RunRecord,
} from './records.ts';

const signalValue = z.union([z.number(), z.boolean(), z.string()]);
const tier = z.enum(['green', 'yellow', 'red', 'unknown']);
const signals = z.record(z.string(), signalValue);
const counts = z.record(z.string(), z.number());

const driver = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rule'), id: z.string(), impact: z.number().nullable(), text: z.string() }),
  z.object({ kind: z.literal('flag'), id: z.string(), impact: z.literal(0), text: z.string() }),
  z.object({ kind: z.literal('data'), id: z.literal('completeness'), impact: z.null(), text: z.string() }),
  z.object({ kind: z.literal('signal'), key: z.string(), value: signalValue, points: z.number(), impact: z.number(), text: z.string() }),
]);

const tierState = z.object({
  confirmed: tier,
  confirmedSince: z.string(),
  pending: tier.nullable(),
  pendingRuns: z.number(),
  pendingSince: z.string().exactOptional(),
});

const whatChanged = z.object({
  since: z.string(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  delta: z.number().nullable(),
  signals: z.array(z.object({ key: z.string(), from: signalValue.nullable(), to: signalValue.nullable(), points: z.number() })),
  rules: z.array(z.object({ id: z.string(), change: z.enum(['started', 'stopped', 'held']), text: z.string(), points: z.number() })),
  otherPoints: z.number(),
  model: z.object({ from: z.string(), to: z.string() }).nullable(),
  text: z.string(),
});

export const dayRecord = z.object({
  accountId: z.string(),
  day: z.string(),
  runId: z.string(),
  asOf: z.string().exactOptional(),
  score: z.number().nullable(),
  tier,
  completeness: z.number(),
  layers: counts,
  drivers: z.array(driver),
  rules: z.array(z.string()),
  flags: z.array(z.string()),
  signals,
  staleSources: z.array(z.string()),
  failedSources: z.array(z.string()),
  model: z.string(),
  modelVersion: z.string(),
  modelScore: z.number().nullable(),
  override: z.enum(['none', 'applied', 'expired']),
  tierState,
  change7d: z.number().nullable(),
  change30d: z.number().nullable(),
  urgentDrop: z.number().nullable(),
  urgentSince: z.string().nullable(),
  renewalRiskSince: z.string().nullable(),
  seasonal: z.object({ lastYearDay: z.string(), lastYear: z.number(), raw: z.number(), adjusted: z.number() }).exactOptional(),
  rebaseline: z.object({ fromModel: z.string(), toModel: z.string(), fromTier: tier, toTier: tier }).exactOptional(),
  lastChange: whatChanged.exactOptional(),
  changes: z.object({ previousDay: whatChanged.exactOptional(), week: whatChanged.exactOptional() }).exactOptional(),
  eventsSince: z.record(z.string(), z.string()).exactOptional(),
}) satisfies z.ZodType<DayRecord>;

const recentDay = z.object({
  day: z.string(),
  runId: z.string().exactOptional(),
  asOf: z.string().exactOptional(),
  model: z.string().exactOptional(),
  score: z.number().nullable(),
  modelScore: z.number().nullable().exactOptional(),
  flags: z.array(z.string()),
  urgentDrop: z.number().nullable(),
  urgentSince: z.string().nullable(),
  renewalRiskSince: z.string().nullable(),
  eventsSince: z.record(z.string(), z.string()).exactOptional(),
  tierState,
});

const scoreProperties = z.object({
  score: z.number().nullable(),
  tier: z.enum(['green', 'yellow', 'red', 'unknown', 'churned']),
  drivers: z.string(),
  change7d: z.number().nullable(),
  change30d: z.number().nullable(),
  completeness: z.number(),
  flags: z.string(),
  modelId: z.string(),
  lastChange: z.string(),
  updatedAt: z.string(),
});

const pendingAlert = z.object({
  key: z.string(),
  playbook: z.string(),
  day: z.string(),
  title: z.string(),
  body: z.string(),
  due: z.string(),
  priority: z.enum(['high', 'medium', 'low']),
  ownerId: z.string().exactOptional(),
  slack: z.object({
    title: z.string(),
    accountName: z.string(),
    score: z.number().nullable(),
    tier: z.string(),
    drivers: z.array(z.string()),
    change: z.string().exactOptional(),
    recordUrl: z.string(),
    due: z.string(),
  }),
  owes: z.array(z.enum(['task', 'slack'])),
  attempts: z.number(),
});

const measure = z.enum(['mrr', 'seats']);
const lifecycleState = z.object({
  status: z.enum(['customer', 'churned', 'left']),
  since: z.string(),
  churn: z.object({ on: z.string(), evidence: z.string(), by: z.enum(['crm', 'billing']) }).exactOptional(),
  returnedOn: z.string().exactOptional(),
  baseline: z.object({ mrrCents: z.number().exactOptional(), seats: z.number().exactOptional(), since: z.string() }).exactOptional(),
  pending: z.object({ measure, from: z.number(), to: z.number(), since: z.string(), periodDays: z.number() }).exactOptional(),
  term: z.object({ start: z.string(), months: z.number(), id: z.string().exactOptional() }).exactOptional(),
  renewalDate: z.string().exactOptional(),
  renewedOn: z.string().exactOptional(),
}) satisfies z.ZodType<LifecycleState>;

export const accountState = z.object({
  accountId: z.string(),
  recent: z.array(recentDay).exactOptional(),
  crm: scoreProperties.exactOptional(),
  pendingAlerts: z.array(pendingAlert).exactOptional(),
  sources: z.record(z.string(), z.object({ day: z.string(), signals })),
  lifecycle: lifecycleState.exactOptional(),
}) satisfies z.ZodType<AccountState>;

export const runRecord = z.object({
  runId: z.string(),
  day: z.string(),
  asOf: z.string(),
  startedAt: z.string(),
  batches: z.number(),
  accounts: z.number(),
  failedSources: z.record(z.string(), z.string()),
  syncs: z.record(z.string(), z.object({ records: z.number(), rejected: z.number() })),
  crmRejected: z.array(z.object({ recordId: z.string(), reason: z.string() })),
  warnings: z.record(z.string(), z.array(z.string())).exactOptional(),
  calls: z.object({ calls: counts, rateLimited: counts }).exactOptional(),
  stoppedBy: z.string().exactOptional(),
  mode: z.enum(['live', 'shadow']).exactOptional(),
  unclaimed: counts.exactOptional(),
  matchedByDomain: counts.exactOptional(),
  outOfScope: counts.exactOptional(),
}) satisfies z.ZodType<RunRecord>;

export const batchSummary = z.object({
  scored: z.number(),
  unknown: z.number(),
  tiers: z.object({ green: z.number(), yellow: z.number(), red: z.number(), unknown: z.number() }),
  movements: counts,
  unmatched: counts,
  unmatchedAccounts: z.array(z.object({ source: z.string(), accountId: z.string(), reason: z.string() })).exactOptional(),
  rejected: z.array(z.object({ source: z.string(), recordId: z.string(), reason: z.string() })),
  failedSources: z.record(z.string(), z.string()),
  staleAccounts: z.number(),
  writes: z.object({ written: z.number(), unchanged: z.number(), rejected: z.number(), failed: z.number(), calls: z.number() }),
  writeProblems: z.array(z.object({ accountId: z.string(), status: z.string(), reason: z.string() })),
  alerts: z.array(z.object({ accountId: z.string(), playbook: z.string(), key: z.string(), task: z.boolean(), slack: z.boolean() })),
  overrides: z.object({ applied: z.number(), expired: z.number() }),
  rebaselined: z.number().exactOptional(),
  dataErrors: z.array(z.object({ accountId: z.string(), error: z.string() })),
  calls: counts,
  rateLimited: counts,
  shadow: z
    .object({
      writes: z.number(),
      properties: z.number(),
      alerts: z.array(z.object({ accountId: z.string(), playbook: z.string(), key: z.string(), title: z.string() })),
    })
    .exactOptional(),
  lifecycle: z
    .object({
      started: z.number(),
      churned: z.number(),
      returned: z.number(),
      leftScope: z.number(),
      frozen: z.number(),
      outcomes: counts,
    })
    .exactOptional(),
}) satisfies z.ZodType<BatchSummary>;

const plannedAccount = z.object({
  accountId: z.string(),
  name: z.string().exactOptional(),
  domain: z.string().exactOptional(),
  segment: z.string().exactOptional(),
  ownerId: z.string().exactOptional(),
  identities: z.record(z.string(), z.string()),
  matchedByDomain: z.array(z.string()).exactOptional(),
  identityNotes: z.record(z.string(), z.string()).exactOptional(),
  override: z.object({ score: z.number(), reason: z.string(), expiresOn: z.string() }).exactOptional(),
  modifiedAt: z.string().exactOptional(),
  scope: z.object({ in: z.boolean(), reason: z.string().exactOptional() }).exactOptional(),
  churn: z.object({ evidence: z.string(), on: z.string().exactOptional() }).exactOptional(),
});

export const batchStatus = z.enum(['pending', 'done']);

export const plannedBatchItem = z.object({
  index: z.number(),
  accounts: z.array(plannedAccount),
  status: batchStatus,
  summary: batchSummary.exactOptional(),
}) satisfies z.ZodType<PlannedBatch>;

export const batchSummaryItem = plannedBatchItem.pick({ index: true, status: true, summary: true });

export const recordedOutcome = z.object({
  accountId: z.string(),
  date: z.string(),
  kind: z.enum(RECORDED_OUTCOMES),
  evidence: z.string(),
  runId: z.string(),
  change: z.object({ measure, from: z.number(), to: z.number() }).exactOptional(),
}) satisfies z.ZodType<RecordedOutcome>;

/** An alert claim as stored: its detail is free-form (what the claimer chose to record). */
export const alertItem = z.record(z.string(), z.unknown());

/** A key-value head or part: the JSON text, and how many parts it was split into. */
export const kvItem = z.object({ parts: z.number().exactOptional(), part: z.number().exactOptional(), value: z.string() });

/** Parses `item` (read under `key`), or fails naming the key and the fields at fault. */
export function parseItem<S extends z.ZodType>(schema: S, item: unknown, key: string): z.output<S> {
  const r = schema.safeParse(item);
  if (!r.success) throw new StoredItemError(key, r.error);
  return r.data;
}

export class StoredItemError extends Error {
  override name = 'StoredItemError';
  constructor(key: string, error: z.ZodError) {
    super(`stored item ${key} does not have the expected shape: ${formatIssues(error)}`);
  }
}
