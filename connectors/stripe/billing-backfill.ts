// Pure: seeds a customer's MRR/seat history from its recent invoices, so the first run after
// deployment already knows what a second run would (subscription change, 90-day MRR and seat
// changes) instead of every score moving on day 2.
//
// The approximation: a subscription invoice's recurring lines are the subscription as it stood when
// the invoice was created, and that holds for the period the lines pay for. So the MRR and seats at
// a day are, per subscription, those of its newest invoice created by that day whose paid period
// (plus a few days' grace for a late renewal invoice) still runs; summed over the customer's
// subscriptions. Proration lines are left out (they pay for a change, not a period); so are drafts
// and voided invoices, one-off invoice items and invoices created after `asOf`. A line's price is
// priced like the live subscription is (unit amount × quantity per month, metered = 0) when the
// portfolio holds it; else its amount spread over its period, its quantity counting as seats.
import { addDays, DAY_S, isoDay } from '../../lib/days.ts';
import { type BillingHistory, recordDay } from './billing-history.ts';
import { type BillingOptions, isSeat, monthlyCents } from './billing-model.ts';
import { type RawHistoryInvoice, type RawInvoiceLine, type RawPrice, refId } from './stripe-raw.ts';

/** What one invoice shows about one subscription's recurring charge. */
export interface InvoiceSnapshot {
  subscription: string;
  /** When the invoice was created (unix s). */
  created: number;
  /** End of the period its recurring lines pay for (unix s). */
  paidUntil: number;
  mrrCents: number;
  seats: number;
}

const MONTH_S = (365.25 / 12) * DAY_S;
/** A renewal invoice may come a little after the period it follows ends. */
const GRACE_S = 3 * DAY_S;
const COUNTED = new Set(['open', 'paid', 'uncollectible']);

function lineTotals(line: RawInvoiceLine, prices: ReadonlyMap<string, RawPrice>, options: BillingOptions) {
  const q = line.quantity ?? 1;
  const details = line.pricing?.price_details;
  const price = details ? prices.get(refId(details.price)) : undefined;
  if (price) return { mrr: monthlyCents(price, q), seats: isSeat(price, options) ? q : 0 };
  const months = (line.period.end - line.period.start) / MONTH_S;
  const mrr = months > 0 ? line.amount / Math.max(1, Math.round(months)) : line.amount;
  const seatProduct =
    options.seatProducts.length === 0 || (details !== null && details !== undefined && options.seatProducts.includes(details.product));
  return { mrr, seats: seatProduct ? q : 0 };
}

/**
 * The recurring charge per subscription that one invoice shows (none for drafts, voided invoices and
 * invoices with only prorations or one-off items). `lines` is every line of the invoice.
 */
export function fromStripeInvoiceLines(
  inv: RawHistoryInvoice,
  lines: readonly RawInvoiceLine[],
  prices: ReadonlyMap<string, RawPrice>,
  options: BillingOptions,
): InvoiceSnapshot[] {
  if (inv.status === null || !COUNTED.has(inv.status)) return [];
  const bySub = new Map<string, InvoiceSnapshot>();
  for (const line of lines) {
    const sub = line.parent?.subscription_item_details;
    if (!sub || sub.proration || sub.subscription === null) continue;
    const t = lineTotals(line, prices, options);
    const snap = bySub.get(sub.subscription) ?? {
      subscription: sub.subscription,
      created: inv.created,
      paidUntil: line.period.end,
      mrrCents: 0,
      seats: 0,
    };
    snap.mrrCents += t.mrr;
    snap.seats += t.seats;
    snap.paidUntil = Math.max(snap.paidUntil, line.period.end);
    bySub.set(sub.subscription, snap);
  }
  return [...bySub.values()];
}

/** MRR and seats in force at the start of `day` from the snapshots created by then. */
function valueAt(snapshots: readonly InvoiceSnapshot[], day: string) {
  const start = Date.parse(`${day}T00:00:00Z`) / 1000;
  const end = start + DAY_S;
  const latest = new Map<string, InvoiceSnapshot>();
  for (const s of snapshots) {
    if (s.created >= end) continue;
    const prev = latest.get(s.subscription);
    if (!prev || s.created >= prev.created) latest.set(s.subscription, s);
  }
  let mrr = 0;
  let seats = 0;
  for (const s of latest.values()) {
    if (s.paidUntil + GRACE_S <= start) continue;
    mrr += s.mrrCents;
    seats += s.seats;
  }
  return { mrrCents: Math.round(mrr), seats };
}

/**
 * A customer's history before `asOf`'s day as its invoices show it, or undefined when no invoice
 * created by `asOf` shows a recurring charge. Days: each invoice's creation and each lapse of a paid
 * period not followed by a newer invoice. The caller records today's observed values on top.
 */
export function backfillHistory(snapshots: readonly InvoiceSnapshot[], asOf: Date): BillingHistory | undefined {
  const asOfS = Math.floor(asOf.getTime() / 1000);
  const today = isoDay(asOf);
  const known = snapshots.filter((s) => s.created <= asOfS);
  const days = new Set<string>();
  for (const s of known) {
    days.add(isoDay(new Date(s.created * 1000)));
    days.add(addDays(isoDay(new Date((s.paidUntil + GRACE_S) * 1000)), 1));
  }
  let history: BillingHistory | undefined;
  for (const day of [...days].sort()) {
    if (day >= today) break;
    const v = valueAt(known, day);
    history = recordDay(history, day, v.mrrCents, v.seats);
  }
  return history;
}
