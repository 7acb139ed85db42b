// The Stripe fake's data: the typed seed shapes tests and the demo use, and the builders that turn
// them into JSON shaped like Stripe's own objects, typed with the `stripe` package's types
// (StripeShape: a field Stripe lacks does not compile). Times in a seed are whatever the seed says.
import type { SeedStripePayment } from './payments.ts';
import { asJson, type Stripe, type StripeJson } from './shape.ts';

export type { StripeJson };

export type StripeTime = string | Date | number;

/** Unix seconds from an ISO string, a Date, or unix seconds. */
export function toUnix(t: StripeTime): number {
  if (typeof t === 'number') return Math.floor(t);
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`stripe fake: not a time: ${String(t)}`);
  return Math.floor(ms / 1000);
}

export interface SeedStripePrice {
  id?: string;
  /** Cents per unit per interval. */
  unitAmount: number;
  currency?: string;
  interval?: 'day' | 'week' | 'month' | 'year';
  intervalCount?: number;
  product?: string;
  usageType?: 'licensed' | 'metered';
}

export interface SeedStripeItem {
  price: SeedStripePrice | string;
  /** Seats. */
  quantity?: number;
  created?: StripeTime;
}

export interface SeedStripeCustomer {
  id?: string;
  name?: string;
  email?: string;
  created?: StripeTime;
}

/** Stripe's statuses (an open string in the `stripe` types: a status Stripe adds later is one too). */
export type StripeSubscriptionStatus = Stripe.Subscription.Status;

export interface SeedStripeSchedulePhase {
  start: StripeTime;
  end?: StripeTime;
  items: SeedStripeItem[];
}

export interface SeedStripeSubscription {
  id?: string;
  customer: string;
  status?: StripeSubscriptionStatus;
  items: SeedStripeItem[];
  created?: StripeTime;
  currentPeriodStart?: StripeTime;
  /** The renewal date when billing owns it. */
  currentPeriodEnd?: StripeTime;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: StripeTime | null;
  /** When cancellation was asked (for `cancel_at_period_end`, the request, not the end). */
  canceledAt?: StripeTime | null;
  /** When a canceled subscription ended; `canceledAt` unless given (an immediate cancellation). */
  endedAt?: StripeTime | null;
  /** Phases of a subscription schedule attached to the subscription (e.g. a booked downgrade). */
  schedule?: SeedStripeSchedulePhase[];
}

export type StripeInvoiceStatus = Stripe.Invoice.Status;

/** One line of an invoice: a subscription item's charge for a period (or a proration of one). */
export interface SeedStripeInvoiceLine {
  /** A registered price id or a new price. */
  price: SeedStripePrice | string;
  quantity?: number;
  /** Cents; the price's unit amount × quantity unless given (prorations give their own). */
  amount?: number;
  proration?: boolean;
  /** The period the line pays for; the invoice's creation and one price interval later unless given. */
  periodStart?: StripeTime;
  periodEnd?: StripeTime;
}

export interface SeedStripeInvoice {
  id?: string;
  customer: string;
  /** The invoice becomes the subscription's `latest_invoice` unless an invoice created later already is. */
  subscription?: string;
  status: StripeInvoiceStatus;
  /** Cents. */
  amountDue: number;
  amountPaid?: number;
  created: StripeTime;
  /** Only for `send_invoice` collection; automatic charges are due when finalized. */
  dueDate?: StripeTime | null;
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  /** A payment was attempted (a failed automatic charge leaves the invoice open with attempts). */
  attempted?: boolean;
  attemptCount?: number;
  nextPaymentAttempt?: StripeTime | null;
  paidAt?: StripeTime | null;
  /** The invoice's lines; for a subscription invoice without lines, one per subscription item as it is when the invoice is added. */
  lines?: SeedStripeInvoiceLine[];
  /** Its payment attempts; without them an open attempted invoice has one declined card payment, a paid one a card payment that succeeded. */
  payments?: SeedStripePayment[];
}

/** How many items a subscription embeds in `items`; the rest are read from /v1/subscription_items. */
export const EMBEDDED_ITEMS = 10;

export function buildCustomer(id: string, c: SeedStripeCustomer, now: number): StripeJson {
  return asJson<Stripe.Customer>({
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created: c.created === undefined ? now : toUnix(c.created),
    currency: 'usd',
    default_source: null,
    delinquent: false,
    description: null,
    email: c.email ?? null,
    invoice_prefix: id.slice(-8).toUpperCase(),
    livemode: false,
    metadata: {},
    name: c.name ?? null,
    phone: null,
    preferred_locales: [],
    tax_exempt: 'none',
    test_clock: null,
  });
}

export function buildPrice(id: string, p: SeedStripePrice, created: number): StripeJson {
  return asJson<Stripe.Price>({
    id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: p.currency ?? 'usd',
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: p.product ?? 'prod_healthscore',
    recurring: {
      interval: p.interval ?? 'month',
      interval_count: p.intervalCount ?? 1,
      meter: null,
      usage_type: p.usageType ?? 'licensed',
      trial_period_days: null,
    },
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'recurring',
    unit_amount: p.unitAmount,
    unit_amount_decimal: String(p.unitAmount),
  });
}

export function buildSubscriptionItem(
  id: string,
  subscription: string,
  price: StripeJson,
  quantity: number,
  created: number,
  period: { start: number; end: number },
): StripeJson {
  return asJson<Stripe.SubscriptionItem>({
    id,
    object: 'subscription_item',
    created,
    discounts: [],
    metadata: {},
    price,
    quantity,
    subscription,
    tax_rates: [],
    current_period_start: period.start,
    current_period_end: period.end,
    billing_thresholds: null,
  });
}

/** `ended_at`: set once a subscription is canceled (https://docs.stripe.com/api/subscriptions/object#subscription_object-ended_at). */
function endedAt(s: SeedStripeSubscription): number | null {
  if (s.status !== 'canceled') return null;
  const at = s.endedAt ?? s.canceledAt;
  return at ? toUnix(at) : null;
}

export function buildSubscription(
  id: string,
  s: SeedStripeSubscription,
  items: StripeJson[],
  created: number,
  period: { start: number; end: number },
  scheduleId: string | null,
): StripeJson {
  return asJson<Stripe.Subscription>({
    id,
    object: 'subscription',
    application: null,
    automatic_tax: { enabled: false, liability: null, disabled_reason: null },
    billing_cycle_anchor: period.start,
    cancel_at: s.cancelAt ? toUnix(s.cancelAt) : null,
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    canceled_at: s.canceledAt ? toUnix(s.canceledAt) : null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
    created,
    currency: 'usd',
    customer: s.customer,
    days_until_due: null,
    default_payment_method: null,
    description: null,
    discounts: [],
    ended_at: endedAt(s),
    items: {
      object: 'list',
      data: items.slice(0, EMBEDDED_ITEMS) as never,
      has_more: items.length > EMBEDDED_ITEMS,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: {},
    pending_setup_intent: null,
    pending_update: null,
    schedule: scheduleId,
    start_date: created,
    status: s.status ?? 'active',
    test_clock: null,
    trial_end: null,
    trial_start: null,
  });
}

/** How many lines an invoice embeds in `lines`; the rest are read from /v1/invoices/:id/lines. */
export const EMBEDDED_LINES = 10;

export function buildInvoice(id: string, i: SeedStripeInvoice, lines: StripeJson[] = []): StripeJson {
  const created = toUnix(i.created);
  const paid = i.status === 'paid' ? (i.amountPaid ?? i.amountDue) : (i.amountPaid ?? 0);
  const finalized = i.status === 'draft' ? null : created;
  return asJson<Stripe.Invoice>({
    id,
    object: 'invoice',
    account_country: 'US',
    amount_due: i.amountDue,
    amount_paid: paid,
    amount_remaining: Math.max(0, i.amountDue - paid),
    attempt_count: i.attemptCount ?? (i.attempted ? 1 : 0),
    attempted: i.attempted ?? false,
    auto_advance: i.status === 'open',
    billing_reason: i.subscription ? 'subscription_cycle' : 'manual',
    collection_method: i.collectionMethod ?? 'charge_automatically',
    created,
    currency: 'usd',
    customer: i.customer,
    due_date: i.dueDate ? toUnix(i.dueDate) : null,
    effective_at: finalized,
    lines: {
      object: 'list',
      data: lines.slice(0, EMBEDDED_LINES),
      has_more: lines.length > EMBEDDED_LINES,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: i.nextPaymentAttempt ? toUnix(i.nextPaymentAttempt) : null,
    number: null,
    parent: i.subscription
      ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: null, subscription: i.subscription } }
      : null,
    period_end: created,
    period_start: created,
    status: i.status,
    status_transitions: {
      finalized_at: finalized,
      marked_uncollectible_at: i.status === 'uncollectible' ? created : null,
      paid_at: i.status === 'paid' ? (i.paidAt ? toUnix(i.paidAt) : created) : null,
      voided_at: i.status === 'void' ? created : null,
    },
    subtotal: i.amountDue,
    total: i.amountDue,
  });
}
