// Pure: a customer's billing facts plus our stored history → the billing signals of the scoring
// method (§2), as of `asOf`. Keys are left out when they cannot be known (no invoice facts, no
// history reaching 90 days back, a zero baseline), never filled with zeros.

import { addDays, DAY_S, isoDay } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { type BillingHistory, valueOn } from './billing-history.ts';
import type { CustomerBilling, InvoiceFacts } from './billing-model.ts';

export interface BillingSignalOptions {
  /** Billing owns the renewal date (`commercial.daysToRenewal` from the current period end). */
  renewalFromBilling: boolean;
}

const ratio = (now: number, before: number) => Math.round((now / before - 1) * 10_000) / 10_000;

/**
 * current / late / failed from the latest invoice at `asOfS` (unix s): late = a sent invoice past its
 * due date; failed = an automatic charge whose attempt actually failed. A bank debit in flight keeps
 * the invoice open and `attempted` for days (https://docs.stripe.com/invoicing/automatic-collection):
 * while its PaymentIntent is `processing` (or awaits the customer) the payer is current.
 */
export function paymentStatus(latest: InvoiceFacts | null, asOfS: number): 'current' | 'late' | 'failed' {
  if (latest === null) return 'current';
  if (latest.status === 'uncollectible') return 'failed';
  if (latest.status !== 'open' || latest.amountRemaining <= 0) return 'current';
  if (latest.collectionMethod === 'charge_automatically') {
    if (!latest.attempted || latest.attemptCount === 0) return 'current';
    // Payments unread (facts stored by an older version): an attempted, open charge counts as failed, as before.
    return latest.payment === undefined || latest.payment === 'failed' ? 'failed' : 'current';
  }
  return latest.dueAt < asOfS ? 'late' : 'current';
}

/** Days the oldest unpaid invoice issued by `asOfS` is past due; 0 when none is. */
export function daysOverdue(open: readonly InvoiceFacts[], asOfS: number): number {
  let worst = 0;
  for (const inv of open) {
    if (inv.created > asOfS || inv.dueAt >= asOfS) continue;
    worst = Math.max(worst, Math.floor((asOfS - inv.dueAt) / DAY_S));
  }
  return worst;
}

type Change = 'upgrade' | 'stable' | 'downgrade' | 'cancel_pending';

const compare = (now: { mrrCents: number; seats: number }, before: { mrrCents: number; seats: number }): Change => {
  if (now.mrrCents !== before.mrrCents) return now.mrrCents > before.mrrCents ? 'upgrade' : 'downgrade';
  if (now.seats !== before.seats) return now.seats > before.seats ? 'upgrade' : 'downgrade';
  return 'stable';
};

/**
 * cancel_pending when a paying subscription is set to cancel; else a booked schedule phase that
 * changes the amount (or seats); else the change since the start of the 90-day window as far as our
 * history reaches (backfilled from invoices on the first sync); unknown when it reaches no earlier day.
 */
export function subscriptionChange(b: CustomerBilling, history: BillingHistory | undefined, asOf: Date): Change | undefined {
  if (b.cancelPending) return 'cancel_pending';
  const asOfS = Math.floor(asOf.getTime() / 1000);
  for (const s of b.schedules) {
    const next = s.phases.filter((p) => p.start > asOfS).sort((x, y) => x.start - y.start)[0];
    if (!next) continue;
    const c = compare(
      { mrrCents: next.mrrCents ?? s.currentMrrCents, seats: next.seats },
      { mrrCents: s.currentMrrCents, seats: s.currentSeats },
    );
    if (c !== 'stable') return c;
  }
  const today = isoDay(asOf);
  if (!history || history.since >= today) return undefined;
  // The value at the window's start, or the first one we stored when history is shorter.
  const baseline = valueOn(history, addDays(today, -90)) ?? history.points[0];
  return baseline ? compare(b, baseline) : undefined;
}

export function toBillingSignals(
  b: CustomerBilling,
  history: BillingHistory | undefined,
  asOf: Date,
  options: BillingSignalOptions,
): Record<string, SignalValue> {
  const asOfS = Math.floor(asOf.getTime() / 1000);
  const out: Record<string, SignalValue> = {};
  if (b.latestInvoice !== undefined) out['billing.paymentStatus'] = paymentStatus(b.latestInvoice, asOfS);
  out['billing.daysOverdue'] = daysOverdue(b.openInvoices, asOfS);
  const change = subscriptionChange(b, history, asOf);
  if (change) out['billing.subscriptionChange'] = change;
  const before = valueOn(history, addDays(isoDay(asOf), -90));
  if (before && before.mrrCents > 0) out['billing.mrrChange90d'] = ratio(b.mrrCents, before.mrrCents);
  if (before && before.seats > 0) out['growth.seatChange90d'] = ratio(b.seats, before.seats);
  if (options.renewalFromBilling && b.renewalAt !== null) out['commercial.daysToRenewal'] = Math.floor((b.renewalAt - asOfS) / DAY_S);
  out['stripe.seats'] = b.seats;
  return out;
}
