// What the run keeps per account and per run (the DynamoDB single-table layout of
// docs/architecture.md): the day's result, the account's state between runs, and run checkpoints.

import type { ScoreProperties } from '../../connectors/shared/crm.ts';
import type { AccountRef } from '../../connectors/shared/source.ts';
import type { SlackAlert } from '../../connectors/slack/webhook.ts';
import type { TierState } from '../../lib/history/confirmation.ts';
import type { OverrideStatus } from '../../lib/history/override.ts';
import type { SeasonalReading } from '../../lib/history/seasonal.ts';
import type { WhatChanged } from '../../lib/history/what-changed.ts';
import type { LifecycleOutcomeKind, LifecycleState } from '../../lib/lifecycle/lifecycle.ts';
import type { Driver, Tier } from '../../lib/scoring/engine.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';

/** One account's result for one day: the history row (pk ACCOUNT#id, sk SCORE#day). */
export interface DayRecord {
  accountId: string;
  day: string;
  /** The run that wrote the row: the day's latest run. */
  runId: string;
  /** That run's instant (absent on rows written when runs were days). */
  asOf?: string;
  score: number | null;
  tier: Tier;
  completeness: number;
  layers: Record<string, number>;
  drivers: Driver[];
  rules: string[];
  flags: string[];
  /** The signals the score was computed from (for audit and backtests). */
  signals: Record<string, SignalValue>;
  /** Sources whose signals were carried forward from an earlier day. */
  staleSources: string[];
  /** Sources that failed and had nothing recent enough to carry forward. */
  failedSources: string[];
  model: string;
  modelVersion: string;
  /** The model's score before a manual override. */
  modelScore: number | null;
  override: OverrideStatus;
  tierState: TierState;
  change7d: number | null;
  change30d: number | null;
  urgentDrop: number | null;
  /** Start (instant, or day on older rows) of the current streak of an urgent drop / a renewal_risk flag (alerts need it held). */
  urgentSince: string | null;
  renewalRiskSince: string | null;
  /** Set when the model read the usage trend against the same weeks last year. */
  seasonal?: SeasonalReading;
  /** Set when this run's model (id or version) differs from the previous run's and the tier moved with it: recorded, not alerted. */
  rebaseline?: { fromModel: string; toModel: string; fromTier: Tier; toTier: Tier };
  /** The last change of the score (vs the run before the one that changed it), carried while the score holds. */
  lastChange?: WhatChanged;
  /** What changed against the previous day's and 7 days ago's rows (absent when there was none). */
  changes?: { previousDay?: WhatChanged; week?: WhatChanged };
  /** Configured urgent events holding on this run, each with the start of its streak. */
  eventsSince?: Record<string, string>;
}

export interface CarriedSignals {
  day: string;
  signals: Record<string, SignalValue>;
}

/** The part of a day's result later days need (trend, confirmation, alert edges). */
export interface RecentDay {
  day: string;
  /** The run that produced it and its instant (absent on entries written when runs were days). */
  runId?: string;
  asOf?: string;
  /** The model that scored it (`id@version`): trends compare only scores of the same model. */
  model?: string;
  score: number | null;
  /** The model's own score (before a CSM override): trends and urgent drops are measured on it. */
  modelScore?: number | null;
  flags: string[];
  urgentDrop: number | null;
  urgentSince: string | null;
  renewalRiskSince: string | null;
  eventsSince?: Record<string, string>;
  tierState: TierState;
}

/** An alert claimed but not yet delivered on every channel; retried on the next runs. */
export interface PendingAlert {
  key: string;
  playbook: string;
  day: string;
  title: string;
  body: string;
  due: string;
  priority: 'high' | 'medium' | 'low';
  ownerId?: string;
  slack: SlackAlert;
  owes: ('task' | 'slack')[];
  attempts: number;
}

/** State kept between runs (pk ACCOUNT#id, sk STATE). */
export interface AccountState {
  accountId: string;
  /** The last 36 days' results, one per day (the day's latest run) plus the run before the latest, oldest first: trend and confirmation without a history query per account. */
  recent?: RecentDay[];
  /** The values last written to the CRM successfully. */
  crm?: ScoreProperties;
  /** Alerts whose delivery failed on some channel, retried next run. */
  pendingAlerts?: PendingAlert[];
  /** Each source's last successfully read signals, for carrying forward through an outage. */
  sources: Record<string, CarriedSignals>;
  /** Where the account stands as a customer (lib/lifecycle/lifecycle.ts); absent on states written before lifecycles. */
  lifecycle?: LifecycleState;
}

/** What happened to accounts' lifecycles in a batch (docs/scoring-method.md §4). */
export interface LifecycleCounts {
  /** Accounts that became customers the run tracks (first seen in scope, or back in scope). */
  started: number;
  churned: number;
  returned: number;
  /** Customers that left the scope without churn evidence: no longer scored, not an outcome. */
  leftScope: number;
  /** Churned accounts shown as churned with their frozen score (not scored, not in the tier counts). */
  frozen: number;
  /** Outcomes recorded, by kind. */
  outcomes: Record<string, number>;
}

export type BatchStatus = 'pending' | 'done';

export interface BatchSummary {
  scored: number;
  unknown: number;
  tiers: Record<Tier, number>;
  /** "from>to" → count of confirmed tier changes. */
  movements: Record<string, number>;
  unmatched: Record<string, number>;
  /** The accounts behind `unmatched`, each with its source's reason (absent on batches of older runs). */
  unmatchedAccounts?: { source: string; accountId: string; reason: string }[];
  rejected: { source: string; recordId: string; reason: string }[];
  failedSources: Record<string, string>;
  staleAccounts: number;
  writes: { written: number; unchanged: number; rejected: number; failed: number; calls: number };
  writeProblems: { accountId: string; status: string; reason: string }[];
  alerts: { accountId: string; playbook: string; key: string; task: boolean; slack: boolean }[];
  overrides: { applied: number; expired: number };
  /** Accounts whose tier moved only because the model changed (re-baselined: recorded, not alerted). */
  rebaselined?: number;
  dataErrors: { accountId: string; error: string }[];
  /** Vendor HTTP calls made while this batch ran, per vendor. */
  calls: Record<string, number>;
  rateLimited: Record<string, number>;
  /** In shadow mode: what a live run would have written and alerted (nothing was). */
  shadow?: ShadowCounts;
  /** Lifecycle changes and outcomes (absent on batches of older runs). */
  lifecycle?: LifecycleCounts;
}

export interface ShadowCounts {
  /** Accounts whose CRM values would have been written, and the property changes that makes. */
  writes: number;
  properties: number;
  alerts: { accountId: string; playbook: string; key: string; title: string }[];
}

export interface RunRecord {
  runId: string;
  day: string;
  asOf: string;
  startedAt: string;
  batches: number;
  accounts: number;
  /** Sources whose portfolio-wide sync failed this run, with the reason. */
  failedSources: Record<string, string>;
  syncs: Record<string, { records: number; rejected: number }>;
  crmRejected: { recordId: string; reason: string }[];
  /** Per source, configuration problems that leave signals empty (e.g. a mapped property the vendor lacks). */
  warnings?: Record<string, string[]>;
  /** Vendor calls and 429s of the planning step (listing and portfolio-wide syncs). */
  calls?: { calls: Record<string, number>; rateLimited: Record<string, number> };
  /** Set when a vendor's daily quota ended the run early. */
  stoppedBy?: string;
  /** The mode the run was planned in (absent: live). */
  mode?: 'live' | 'shadow';
  /** Per source, how many of its live records no CRM account claims (the list: pipeline/run/identity.ts). */
  unclaimed?: Record<string, number>;
  /** Per source, how many accounts the plan joined by domain. */
  matchedByDomain?: Record<string, number>;
  /** CRM records outside the account scope, not scored, by the reason (e.g. `lifecyclestage is "lead", not customer`). */
  outOfScope?: Record<string, number>;
}

/** What the run saw happen to a customer (docs/scoring-method.md §4): churn, renewal, expansion, contraction. */
export { OUTCOME_KINDS as RECORDED_OUTCOMES } from '../../lib/lifecycle/lifecycle.ts';
export type RecordedOutcomeKind = LifecycleOutcomeKind;

/** One outcome the run recorded, kept with the account's history (pk ACCOUNT#id, sk OUTCOME#date#kind). */
export interface RecordedOutcome {
  accountId: string;
  /** The day it happened (YYYY-MM-DD): the subscription's end, the new term's start, the change's first day. */
  date: string;
  kind: RecordedOutcomeKind;
  /** One sentence naming the records behind it. */
  evidence: string;
  /** The run that recorded it. */
  runId: string;
  /** For expanded / contracted: what moved, from what to what. */
  change?: { measure: 'mrr' | 'seats'; from: number; to: number };
}

export interface PlannedBatch {
  index: number;
  accounts: (AccountRef & {
    override?: { score: number; reason: string; expiresOn: string };
    /** Absent: in scope. Out-of-scope accounts are planned only when the run still tracks them as customers (to see them leave). */
    scope?: { in: boolean; reason?: string };
    churn?: { evidence: string; on?: string };
  })[];
}
