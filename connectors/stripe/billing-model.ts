// Pure mapping from a customer's raw Stripe subscriptions and open invoices to the billing facts the
// signals need (MRR, paid seats, latest and open invoices, pending cancellation, booked schedule
// phases, renewal date) and each subscription's lifecycle facts (billing-lifecycle.ts). The facts are stored in state as they are, so they stay JSON and hold no
// judgement that depends on `asOf`: signals apply `asOf` later (billing-signals.ts).
import { fromStripeLifecycle, type SubscriptionLifecycle } from './billing-lifecycle.ts';
import { type RawInvoice, type RawPrice, type RawSubscription, refId } from './stripe-raw.ts';

export interface InvoiceFacts {
  id: string;
  status: RawInvoice['status'];
  created: number;
  /** When payment was due: the due date, or finalization for automatic charges (unix s). */
  dueAt: number;
  collectionMethod: RawInvoice['collection_method'];
  attempted: boolean;
  attemptCount: number;
  amountRemaining: number;
  /**
   * How the latest payment attempt stands, from the invoice's payments (InvoicePayment → its
   * PaymentIntent), read only for open, attempted, automatically charged invoices; undefined when
   * not read. A bank debit (ACH, SEPA, Bacs) is `processing` for days before it succeeds or fails.
   */
  payment?: PaymentAttempt;
}

/** `failed`: an attempt was declined or returned; `processing`: a debit in flight; `pending`: awaiting the customer (e.g. authentication) or a retry. */
export type PaymentAttempt = 'processing' | 'failed' | 'succeeded' | 'pending';

export interface SchedulePhaseFacts {
  start: number;
  /** Monthly amount of the phase in cents, when every price is known. */
  mrrCents: number | null;
  seats: number;
}

export interface ScheduleFacts {
  subscriptionId: string;
  currentMrrCents: number;
  currentSeats: number;
  phases: SchedulePhaseFacts[];
}

export interface CustomerBilling {
  customerId: string;
  subscriptionIds: string[];
  /** A subscription that is being paid for (active, past_due or unpaid). */
  live: boolean;
  mrrCents: number;
  seats: number;
  /** The newest latest_invoice among the customer's subscriptions; null when none was issued, undefined when unknown. */
  latestInvoice: InvoiceFacts | null | undefined;
  openInvoices: InvoiceFacts[];
  cancelPending: boolean;
  schedules: ScheduleFacts[];
  /** Earliest current period end of the live subscriptions (unix s). */
  renewalAt: number | null;
  /** Each subscription's lifecycle facts (status, end, billing period, yearly term); absent in facts stored before them. */
  lifecycle?: SubscriptionLifecycle[];
}

export interface BillingOptions {
  /** Products whose quantity counts as seats; all licensed items when empty. */
  seatProducts: readonly string[];
}

const LIVE = new Set(['active', 'past_due', 'unpaid']);
const PER_MONTH: Record<string, number | undefined> = { day: 365 / 12, week: 52 / 12, month: 1, year: 1 / 12 };

/** Cents per month for `quantity` units of `price` (0 for metered or tiered prices, whose amount is not fixed). */
export function monthlyCents(price: RawPrice, quantity: number): number {
  const r = price.recurring;
  if (!r || price.unit_amount === null || r.usage_type === 'metered') return 0;
  const per = PER_MONTH[r.interval];
  // An interval Stripe adds later has no known length: its amount is left out (and reported by the source).
  if (per === undefined) return 0;
  const perMonth = per / r.interval_count;
  return price.unit_amount * quantity * perMonth;
}

export const isSeat = (price: RawPrice, options: BillingOptions) =>
  price.recurring?.usage_type !== 'metered' && (options.seatProducts.length === 0 || options.seatProducts.includes(refId(price.product)));

export function fromStripeInvoice(inv: RawInvoice, payments?: ReadonlyMap<string, PaymentAttempt>): InvoiceFacts {
  const payment = payments?.get(inv.id);
  return {
    ...(payment ? { payment } : {}),
    id: inv.id,
    status: inv.status,
    created: inv.created,
    dueAt: inv.due_date ?? inv.status_transitions?.finalized_at ?? inv.created,
    collectionMethod: inv.collection_method,
    attempted: inv.attempted,
    attemptCount: inv.attempt_count,
    amountRemaining: inv.amount_remaining,
  };
}

function subscriptionTotals(sub: RawSubscription, options: BillingOptions) {
  let mrr = 0;
  let seats = 0;
  for (const item of sub.items.data) {
    const q = item.quantity ?? 1;
    mrr += monthlyCents(item.price, q);
    if (isSeat(item.price, options)) seats += q;
  }
  return { mrr, seats };
}

function scheduleFacts(sub: RawSubscription, prices: ReadonlyMap<string, RawPrice>, options: BillingOptions): ScheduleFacts | undefined {
  if (!sub.schedule || typeof sub.schedule === 'string') return undefined;
  const now = subscriptionTotals(sub, options);
  return {
    subscriptionId: sub.id,
    currentMrrCents: Math.round(now.mrr),
    currentSeats: now.seats,
    phases: sub.schedule.phases.map((ph) => {
      let mrr: number | null = 0;
      let seats = 0;
      for (const it of ph.items) {
        const price = typeof it.price === 'string' ? prices.get(it.price) : it.price;
        const q = it.quantity ?? 1;
        if (!price) mrr = null;
        else {
          if (mrr !== null) mrr += monthlyCents(price, q);
          if (isSeat(price, options)) seats += q;
        }
      }
      return { start: ph.start_date, mrrCents: mrr === null ? null : Math.round(mrr), seats };
    }),
  };
}

/**
 * One customer's billing facts from all of its subscriptions (any status) and its open invoices.
 * `prices` resolves prices that schedule phases name by id (every price seen in the portfolio).
 */
export function fromStripeSubscriptions(
  customerId: string,
  subs: readonly RawSubscription[],
  openInvoices: readonly RawInvoice[],
  prices: ReadonlyMap<string, RawPrice>,
  options: BillingOptions,
  payments?: ReadonlyMap<string, PaymentAttempt>,
): CustomerBilling {
  const live = subs.filter((s) => LIVE.has(s.status));
  let mrr = 0;
  let seats = 0;
  let renewalAt: number | null = null;
  for (const sub of live) {
    const t = subscriptionTotals(sub, options);
    mrr += t.mrr;
    seats += t.seats;
    const ends = sub.items.data.map((i) => i.current_period_end ?? sub.current_period_end).filter((e): e is number => e !== undefined);
    for (const e of ends) renewalAt = renewalAt === null ? e : Math.min(renewalAt, e);
  }
  // The latest invoice of the paying subscriptions, or of any when none is live (e.g. cancelled for non-payment).
  const candidates = live.length > 0 ? live : subs;
  let latest: InvoiceFacts | null | undefined = null;
  for (const sub of candidates) {
    if (sub.latest_invoice === null) continue;
    if (typeof sub.latest_invoice === 'string') {
      latest = latest ?? undefined;
      continue;
    }
    const facts = fromStripeInvoice(sub.latest_invoice, payments);
    if (!latest || facts.created > latest.created) latest = facts;
  }
  return {
    customerId,
    subscriptionIds: subs.map((s) => s.id),
    live: live.length > 0,
    mrrCents: Math.round(mrr),
    seats,
    latestInvoice: latest,
    openInvoices: openInvoices.filter((i) => i.status === 'open' && i.amount_remaining > 0).map((i) => fromStripeInvoice(i)),
    cancelPending: live.some((s) => s.cancel_at_period_end || s.cancel_at !== null),
    schedules: live.map((s) => scheduleFacts(s, prices, options)).filter((s): s is ScheduleFacts => s !== undefined),
    renewalAt,
    lifecycle: subs.map((s) => fromStripeLifecycle(s, openInvoices)),
  };
}
