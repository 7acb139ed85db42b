// Pure: what a customer's subscriptions say of its commercial life. `fromStripeLifecycle` keeps, per
// subscription, the facts stored with the customer's billing facts (status, when it ended, its
// shortest billing period, its current yearly term and whether the invoice that opened it is paid);
// `toLifecycleEvidence` turns the stored facts into the source's LifecycleEvidence at read, so a
// resumed or partial run reads them the same way. The rules, with Stripe's docs: README "Lifecycle".
import { isoDay } from '../../lib/days.ts';
import type { LifecycleEvidence } from '../shared/source.ts';
import { type RawInvoice, type RawSubscription, refId } from './stripe-raw.ts';

export interface SubscriptionLifecycle {
  id: string;
  status: string;
  /** When it ended (unix s): `ended_at`, else `canceled_at`; null while it has not ended. */
  endedAt: number | null;
  /** Its shortest item billing period in days (day 1, week 7, month 30, year 365, × interval_count); null when none is known. */
  periodDays: number | null;
  /** Its current term when paying and billed yearly or longer (unix s start); null otherwise. */
  term: { start: number; months: number; paid: boolean } | null;
}

/** Paying now: the statuses that carry MRR (billing-model.ts). */
const PAYING = new Set(['active', 'past_due', 'unpaid']);
/** Not paying yet, but not ended: a trial turns `active` by itself when it ends. */
const TRIAL = 'trialing';
/** Ended: canceled (immediately, or at the end of its period). */
const ENDED = 'canceled';
/** Never started (its first payment never succeeded): neither live nor a churn. */
const NEVER_STARTED = 'incomplete_expired';

const DAYS: Record<string, number | undefined> = { day: 1, week: 7, month: 30, year: 365 };

const isLive = (status: string) => PAYING.has(status) || status === TRIAL;

/** The invoice's subscription (API 2025-03-31: `parent.subscription_details.subscription`). */
const subscriptionOf = (inv: RawInvoice) => {
  const s = inv.parent?.subscription_details?.subscription;
  return s ? refId(s) : undefined;
};

/**
 * Whether the invoice that opened the period starting at `start` is paid. The latest invoice opened
 * it when one of its lines pays for a service period starting then (an invoice's own period looks
 * back one period; its lines' `period` is the service period): then it is paid when its status is
 * `paid`. A later latest invoice (e.g. a mid-term update) means the opener was earlier: paid when
 * the subscription is `active` and no invoice of it is open. No invoice since `start`: not paid.
 */
function openingInvoicePaid(sub: RawSubscription, start: number, openInvoices: readonly RawInvoice[]): boolean {
  const latest = sub.latest_invoice;
  if (!latest || typeof latest === 'string') return false;
  const opens = latest.lines?.data.some(
    (l) => l.period.start === start && (l.parent?.subscription_item_details?.subscription ?? sub.id) === sub.id,
  );
  if (opens) return latest.status === 'paid';
  if (latest.created < start) return false;
  return sub.status === 'active' && !openInvoices.some((i) => i.status === 'open' && subscriptionOf(i) === sub.id);
}

function termOf(sub: RawSubscription, openInvoices: readonly RawInvoice[]): SubscriptionLifecycle['term'] {
  if (!PAYING.has(sub.status)) return null;
  let best: { start: number; months: number } | undefined;
  for (const item of sub.items.data) {
    const r = item.price.recurring;
    if (!r) continue;
    const months = r.interval === 'year' ? 12 * r.interval_count : r.interval === 'month' ? r.interval_count : 0;
    // The period is on the item since API 2025-03-31, on the subscription before.
    const start = item.current_period_start ?? sub.current_period_start;
    if (months < 12 || start === undefined) continue;
    if (!best || months > best.months) best = { start, months };
  }
  return best ? { ...best, paid: openingInvoicePaid(sub, best.start, openInvoices) } : null;
}

/** One subscription's lifecycle facts; `openInvoices` are its customer's open invoices. */
export function fromStripeLifecycle(sub: RawSubscription, openInvoices: readonly RawInvoice[]): SubscriptionLifecycle {
  const periods = sub.items.data
    .map((i) => (i.price.recurring ? (DAYS[i.price.recurring.interval] ?? 0) * i.price.recurring.interval_count : 0))
    .filter((d) => d > 0);
  return {
    id: sub.id,
    status: sub.status,
    endedAt: sub.ended_at ?? (sub.status === ENDED ? sub.canceled_at : null),
    periodDays: periods.length > 0 ? Math.min(...periods) : null,
    term: termOf(sub, openInvoices),
  };
}

const list = (subs: readonly SubscriptionLifecycle[], text: (s: SubscriptionLifecycle) => string) =>
  `Stripe subscription${subs.length > 1 ? 's' : ''} ${subs.map(text).join(', ')}`;

/**
 * The customer's lifecycle evidence from its stored facts: live when a subscription is paying or in
 * a trial; not live (with the day the last one ended) when every subscription it had ended, never
 * counting one that never started; absent when it cannot tell (e.g. only `incomplete` or `paused`).
 */
export function toLifecycleEvidence(
  subs: readonly SubscriptionLifecycle[] | undefined,
  facts: { mrrCents: number; seats: number },
): LifecycleEvidence {
  const out: LifecycleEvidence = { mrrCents: facts.mrrCents, seats: facts.seats };
  const all = subs ?? [];
  const paying = all.filter((s) => PAYING.has(s.status));
  const periods = paying.map((s) => s.periodDays).filter((d): d is number => d !== null);
  if (periods.length > 0) out.periodDays = Math.min(...periods);
  // The most recent term: each yearly subscription's renewal moves it.
  const term = paying
    .filter((s) => s.term !== null)
    .sort((a, b) => (b.term?.start ?? 0) - (a.term?.start ?? 0) || a.id.localeCompare(b.id))[0];
  if (term?.term) out.term = { start: isoDay(term.term.start * 1000), months: term.term.months, paid: term.term.paid, id: term.id };
  const live = all.filter((s) => isLive(s.status));
  const ended = all.filter((s) => s.status === ENDED && s.endedAt !== null).sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
  const counted = all.filter((s) => s.status !== NEVER_STARTED);
  if (live.length > 0) {
    out.live = true;
    out.evidence = `${list(live, (s) => `${s.id} (${s.status})`)} live`;
  } else if (ended.length > 0 && ended.length === counted.length) {
    out.live = false;
    out.endedOn = isoDay((ended.at(-1)?.endedAt ?? 0) * 1000);
    out.evidence = `${list(ended, (s) => `${s.id} ended ${isoDay((s.endedAt ?? 0) * 1000)}`)}; none live`;
  } else if (counted.length === 0 && all.length > 0) {
    out.evidence = `${list(all, (s) => `${s.id} (${s.status})`)} never started; none live`;
  } else if (all.length > 0) {
    out.evidence = `${list(all, (s) => `${s.id} (${s.status})`)}: none live, not all ended`;
  }
  return out;
}
