// The account lifecycle in a batch (docs/scoring-method.md §4): after the signals are gathered and
// before the model scores, each account's evidence (the CRM's scope and churn field, the billing
// source's subscriptions, the CRM's renewal date) steps its lifecycle (lib/lifecycle/lifecycle.ts).
// Customers are scored; a churned account is shown as `churned` with its last score frozen, raises
// no alert and leaves the tier counts; a record outside the scope is left alone. The outcomes the
// step sees happen are returned for the store.
import type { ScoreProperties, ScoreWrite } from '../../connectors/shared/crm.ts';
import { ageSinceReturn, type DayEvidence, type LifecycleState, renewalDateOf, stepLifecycle } from '../../lib/lifecycle/lifecycle.ts';
import type { AccountState, LifecycleCounts, PlannedBatch, RecordedOutcome } from '../store/records.ts';
import type { AccountsPolicy } from './deps.ts';
import type { GatheredAccount } from './gather-signals.ts';

export const DEFAULT_CHANGE_SHARE = 0.1;

export interface LifecycleSplit {
  /** The accounts the model scores today. */
  score: PlannedBatch['accounts'];
  /** Churned accounts still listed: the CRM shows `churned` and the frozen score (a write only when it changes). */
  frozen: ScoreWrite[];
  outcomes: RecordedOutcome[];
}

type PlannedAccount = PlannedBatch['accounts'][number];

/** A state from before lifecycles were kept: an account with scores was a customer. */
function previousOf(state: AccountState | undefined): LifecycleState | undefined {
  if (state?.lifecycle) return state.lifecycle;
  const first = state?.recent?.[0];
  return first ? { status: 'customer', since: first.day } : undefined;
}

function evidenceOf(
  account: PlannedAccount,
  g: GatheredAccount | undefined,
  state: AccountState,
  previous: LifecycleState | undefined,
  day: string,
  crmSource: string,
  policy: AccountsPolicy,
): DayEvidence {
  const e: DayEvidence = { day, inScope: account.scope?.in !== false };
  if (!e.inScope && account.scope?.reason) e.scopeReason = account.scope.reason;
  if (account.churn) e.crmChurn = account.churn;
  if (g?.lifecycle) e.billing = g.lifecycle;
  // Without billing evidence this run (an outage), a tracked customer stays one: only evidence makes it leave.
  if (
    policy.requireLiveSubscription &&
    e.inScope &&
    g?.lifecycle?.live !== true &&
    !(g?.lifecycle === undefined && previous?.status === 'customer')
  ) {
    e.inScope = false;
    e.scopeReason = 'no live subscription';
  }
  // The CRM's own reading, read today (a billing source's period end is not a contract's renewal date).
  const crm = state.sources[crmSource];
  const days = crm?.day === day ? crm.signals['commercial.daysToRenewal'] : undefined;
  if (typeof days === 'number') e.renewalDate = renewalDateOf(day, days);
  return e;
}

/** What the CRM shows for a churned account: the lifecycle value, the churn date and evidence, the last score kept. */
export function churnedValues(state: AccountState, churn: NonNullable<LifecycleState['churn']>, asOf: Date): ScoreProperties | undefined {
  const last = state.crm;
  const lastDay = state.recent?.at(-1);
  if (!last && !lastDay) return undefined;
  return {
    score: last ? last.score : (lastDay?.score ?? null),
    tier: 'churned',
    drivers: `Churned on ${churn.on}: ${churn.evidence}`,
    change7d: null,
    change30d: null,
    completeness: last?.completeness ?? 0,
    flags: '',
    modelId: last?.modelId ?? lastDay?.model ?? '',
    lastChange: `${churn.on}: churned`,
    updatedAt: asOf.toISOString(),
  };
}

/** Steps every account's lifecycle; updates `states` and `counts`; says which accounts to score and which to show frozen. */
export function applyLifecycle(
  accounts: PlannedBatch['accounts'],
  gathered: Map<string, GatheredAccount>,
  states: Map<string, AccountState>,
  at: { day: string; runId: string; asOf: Date; crmSource: string },
  policy: AccountsPolicy,
  counts: LifecycleCounts,
): LifecycleSplit {
  const split: LifecycleSplit = { score: [], frozen: [], outcomes: [] };
  const options = { changeShare: policy.changeShare ?? DEFAULT_CHANGE_SHARE };
  for (const account of accounts) {
    const id = account.accountId;
    const state = states.get(id) ?? { accountId: id, sources: {} };
    states.set(id, state);
    const g = gathered.get(id);
    const previous = previousOf(state);
    const step = stepLifecycle(previous, evidenceOf(account, g, state, previous, at.day, at.crmSource, policy), options);
    if (step.state) state.lifecycle = step.state;
    else delete state.lifecycle;
    for (const o of step.outcomes) {
      split.outcomes.push({ accountId: id, runId: at.runId, ...o });
      counts.outcomes[o.kind] = (counts.outcomes[o.kind] ?? 0) + 1;
    }
    if (step.event === 'started') counts.started++;
    if (step.event === 'churned') {
      counts.churned++;
      // Nothing more is owed to a customer who has left.
      delete state.pendingAlerts;
    }
    if (step.event === 'left-scope') counts.leftScope++;
    if (step.event === 'returned') {
      counts.returned++;
      // A returning customer starts again: no trend or tier confirmation across the gap.
      state.recent = [];
    }
    if (step.action === 'score') {
      const age = ageSinceReturn(step.state, at.day);
      if (age !== undefined && g) {
        g.signals['lifecycle.accountAgeDays'] = age;
        g.origins['lifecycle.accountAgeDays'] = 'returned customer';
      }
      split.score.push(account);
    } else if (step.action === 'freeze' && step.state?.churn) {
      counts.frozen++;
      const values = churnedValues(state, step.state.churn, at.asOf);
      if (values) split.frozen.push({ accountId: id, values, previous: state.crm });
    }
  }
  return split;
}
