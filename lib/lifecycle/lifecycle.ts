// An account's commercial life around the model (docs/scoring-method.md §4): whether it is a
// customer the run scores, a customer who has left (churned: frozen, silent), or a record that left
// the scope without evidence (no longer scored, not a churn). One pure step per run turns the day's
// evidence (the CRM's scope and churn field, a billing source's subscriptions, the CRM's renewal
// date) into the next state, what the run does with the account, and the outcomes to record:
// churned, renewed (terms of a year or more), expanded and contracted (a change of MRR, or of seats,
// of at least `changeShare` held for a billing period).
import { addDays, daysBetween } from '../days.ts';

/** What a billing source knows of the account's subscriptions (connectors/shared/source.ts re-exports it). */
export interface LifecycleEvidence {
  /**
   * true: the account is paying now (a live subscription). false: every subscription it had has
   * ended (canceled, and past its period) with none live: churn evidence. Absent: the source cannot tell.
   */
  live?: boolean;
  /** When `live` is false: the day (YYYY-MM-DD) the last subscription ended. */
  endedOn?: string;
  /** One sentence naming the records behind `live` (e.g. "Stripe subscription sub_1 canceled on 2026-10-03, none live"). */
  evidence?: string;
  /** Monthly recurring revenue now, in the currency's minor unit (cents), of the live subscriptions. */
  mrrCents?: number;
  /** Paid seats now. */
  seats?: number;
  /** Length in days of the shortest billing period among the live subscriptions (a change must hold this long to count). */
  periodDays?: number;
  /**
   * The current term of a live contract or subscription whose term is a year or more: it started
   * on `start` (YYYY-MM-DD), lasts `months`, and `paid` tells whether the invoice that opened it is paid.
   * A renewal is a new term starting while the customer stays live.
   */
  term?: { start: string; months: number; paid: boolean; id?: string };
}

export const OUTCOME_KINDS = ['churned', 'renewed', 'expanded', 'contracted'] as const;
export type LifecycleOutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface LifecycleOutcome {
  /** The day it happened: the subscription's end, the new term's start, the change's first day. */
  date: string;
  kind: LifecycleOutcomeKind;
  evidence: string;
  change?: { measure: 'mrr' | 'seats'; from: number; to: number };
}

export interface LifecycleState {
  /** customer: scored. churned: left with evidence (frozen). left: left the scope without evidence (not scored). */
  status: 'customer' | 'churned' | 'left';
  /** The day the status began. */
  since: string;
  /** When churned: the day, what says so, and whose evidence it is (a billing outage must not bring a CRM churn back, nor the reverse). */
  churn?: { on: string; evidence: string; by: 'crm' | 'billing' };
  /** Set when a churned customer came back: the account's age counts from this day. */
  returnedOn?: string;
  /** MRR and seats the next change is measured against, and since when they hold. */
  baseline?: { mrrCents?: number; seats?: number; since: string };
  /** A change past the share, not yet held for a billing period. */
  pending?: { measure: 'mrr' | 'seats'; from: number; to: number; since: string; periodDays: number };
  /** The paid term last seen (a later start is a renewal). */
  term?: { start: string; months: number; id?: string };
  /** The CRM's renewal date last seen. */
  renewalDate?: string;
  /** The day of the last renewal recorded (a second source's renewal near it is the same one). */
  renewedOn?: string;
}

export interface DayEvidence {
  day: string;
  /** The CRM's scope rule (and, when configured, a live subscription) holds. */
  inScope: boolean;
  /** Why not, when `inScope` is false. */
  scopeReason?: string;
  /** A configured CRM field says the customer left. */
  crmChurn?: { evidence: string; on?: string };
  /** The billing source's evidence; absent when it has none this run (no customer joined, or the source failed). */
  billing?: LifecycleEvidence;
  /** The CRM's renewal date (YYYY-MM-DD), when it holds one. */
  renewalDate?: string;
}

export interface LifecycleOptions {
  /** The least relative change of MRR or seats that counts as an expansion / contraction (0.1 = 10 %). */
  changeShare: number;
}

/** score: the model scores it. freeze: it shows `churned` with its last score (no row, no alert). skip: nothing at all. */
export type LifecycleAction = 'score' | 'freeze' | 'skip';

export interface LifecycleStep {
  /** The state to keep; undefined: the account was never a customer the run tracked. */
  state: LifecycleState | undefined;
  action: LifecycleAction;
  /** What happened to the account this run, for the summary. */
  event?: 'started' | 'churned' | 'returned' | 'left-scope';
  outcomes: LifecycleOutcome[];
}

/** Days a renewal from the CRM's date and one from the billing term may lie apart and still be the same renewal. */
const SAME_RENEWAL_DAYS = 45;

/** Churn evidence of the day: the CRM's field first (it is what a person set), then the billing source's. */
function churnOf(e: DayEvidence): LifecycleState['churn'] {
  if (e.crmChurn) return { on: e.crmChurn.on ?? e.day, evidence: `CRM: ${e.crmChurn.evidence}`, by: 'crm' };
  if (e.billing?.live === false)
    return { on: e.billing.endedOn ?? e.day, evidence: e.billing.evidence ?? 'every subscription has ended, none is live', by: 'billing' };
  return undefined;
}

/** The MRR and seats a billing reading gives, as the baseline from `since`. */
function baselineOf(b: LifecycleEvidence, since: string): NonNullable<LifecycleState['baseline']> {
  return { ...(b.mrrCents !== undefined ? { mrrCents: b.mrrCents } : {}), ...(b.seats !== undefined ? { seats: b.seats } : {}), since };
}

function startCustomer(e: DayEvidence, extra: Partial<LifecycleState> = {}): LifecycleState {
  const s: LifecycleState = { status: 'customer', since: e.day, ...extra };
  const b = e.billing;
  if (b && (b.mrrCents !== undefined || b.seats !== undefined)) s.baseline = baselineOf(b, e.day);
  if (b?.term?.paid) s.term = { start: b.term.start, months: b.term.months, ...(b.term.id ? { id: b.term.id } : {}) };
  // A renewal date already past when first seen happened before the run watched: not an outcome.
  if (e.renewalDate !== undefined && e.renewalDate > e.day) s.renewalDate = e.renewalDate;
  return s;
}

/**
 * One run's step for one account. `previous` is the state kept from the last run (undefined for an
 * account never tracked). An account seen for the first time already churned is frozen without an
 * outcome: the run did not see it happen.
 */
export function stepLifecycle(previous: LifecycleState | undefined, e: DayEvidence, options: LifecycleOptions): LifecycleStep {
  const churn = churnOf(e);
  if (!previous || previous.status === 'left') {
    if (!e.inScope) return { state: previous, action: 'skip', outcomes: [] };
    if (churn) return { state: { status: 'churned', since: e.day, churn }, action: 'skip', outcomes: [] };
    return { state: startCustomer(e), action: 'score', event: 'started', outcomes: [] };
  }
  if (previous.status === 'churned') {
    // Back only on the evidence that churned it turning: a billing source that read nothing this run (an outage) is not a return.
    const cleared = previous.churn?.by === 'crm' ? e.billing?.live !== false : e.billing?.live === true;
    const back = !churn && e.inScope && cleared;
    if (back) return { state: startCustomer(e, { returnedOn: e.day }), action: 'score', event: 'returned', outcomes: [] };
    return { state: previous, action: e.inScope || churn ? 'freeze' : 'skip', outcomes: [] };
  }
  // A customer until now.
  if (churn) {
    const state: LifecycleState = { status: 'churned', since: e.day, churn };
    return { state, action: 'freeze', event: 'churned', outcomes: [{ date: churn.on, kind: 'churned', evidence: churn.evidence }] };
  }
  if (!e.inScope) return { state: { status: 'left', since: e.day }, action: 'skip', event: 'left-scope', outcomes: [] };
  const state: LifecycleState = { ...previous };
  const outcomes = [...renewals(state, e), ...changes(state, e, options)];
  return { state, action: 'score', outcomes };
}

/** A new paid billing term of a year or more, or the CRM's renewal date passing, while the customer stays live. */
function renewals(state: LifecycleState, e: DayEvidence): LifecycleOutcome[] {
  const out: LifecycleOutcome[] = [];
  const near = (day: string) => state.renewedOn !== undefined && Math.abs(daysBetween(state.renewedOn, day)) <= SAME_RENEWAL_DAYS;
  const term = e.billing?.term;
  if (term?.paid && term.months >= 12) {
    const before = state.term;
    if (before && term.start > before.start && !near(term.start)) {
      out.push({
        date: term.start,
        kind: 'renewed',
        evidence: `a new ${term.months}-month term${term.id ? ` of ${term.id}` : ''} started on ${term.start} and is paid (the last began ${before.start})`,
      });
      state.renewedOn = term.start;
    }
    state.term = { start: term.start, months: term.months, ...(term.id ? { id: term.id } : {}) };
  }
  const date = state.renewalDate;
  if (date !== undefined && date <= e.day && e.billing?.live !== false && !near(date)) {
    out.push({ date, kind: 'renewed', evidence: `the CRM's renewal date ${date} passed with the customer live` });
    state.renewedOn = date;
  }
  // A date that passed is used once; the CRM's next one (or none) replaces it.
  if (e.renewalDate !== undefined && e.renewalDate > e.day) state.renewalDate = e.renewalDate;
  else if (date !== undefined && date <= e.day) delete state.renewalDate;
  return out;
}

/** An MRR change (seats when MRR is unknown) of at least the share, held for one billing period, against the baseline. */
function changes(state: LifecycleState, e: DayEvidence, options: LifecycleOptions): LifecycleOutcome[] {
  const b = e.billing;
  if (b?.live !== true) return [];
  const measure: 'mrr' | 'seats' | undefined =
    b.mrrCents !== undefined && (state.baseline?.mrrCents ?? 0) > 0
      ? 'mrr'
      : b.seats !== undefined && (state.baseline?.seats ?? 0) > 0
        ? 'seats'
        : undefined;
  if (!measure || !state.baseline) {
    // Nothing to measure against yet (a first reading, or a zero): this reading is the baseline.
    state.baseline = baselineOf(b, e.day);
    delete state.pending;
    return [];
  }
  const from = (measure === 'mrr' ? state.baseline.mrrCents : state.baseline.seats) as number;
  const to = (measure === 'mrr' ? b.mrrCents : b.seats) as number;
  const ratio = to / from - 1;
  if (Math.abs(ratio) < options.changeShare) {
    delete state.pending;
    return [];
  }
  const up = ratio > 0;
  const pending = state.pending;
  if (!pending || pending.measure !== measure || pending.to > pending.from !== up) {
    state.pending = { measure, from, to, since: e.day, periodDays: b.periodDays ?? 30 };
    return [];
  }
  if (daysBetween(pending.since, e.day) < pending.periodDays) {
    state.pending = { ...pending, to };
    return [];
  }
  delete state.pending;
  state.baseline = baselineOf(b, pending.since);
  const what = measure === 'mrr' ? `MRR ${money(from)} → ${money(to)}` : `seats ${from} → ${to}`;
  return [
    {
      date: pending.since,
      kind: up ? 'expanded' : 'contracted',
      evidence: `${what} (${up ? '+' : '−'}${Math.round(Math.abs(ratio) * 100)} %) since ${pending.since}, held ${daysBetween(pending.since, e.day)} days`,
      change: { measure, from, to },
    },
  ];
}

const money = (cents: number) => (cents / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });

/** The account's age for a customer who came back: days since the return (the onboarding model reads it). */
export function ageSinceReturn(state: LifecycleState | undefined, day: string): number | undefined {
  return state?.status === 'customer' && state.returnedOn !== undefined ? Math.max(0, daysBetween(state.returnedOn, day)) : undefined;
}

/** The renewal date a "days to renewal" reading of `day` points at. */
export const renewalDateOf = (day: string, daysToRenewal: number): string => addDays(day, daysToRenewal);
