// Raw Stripe API schemas (zod) for the objects the billing source reads, as Stripe documents them
// (nullable where Stripe says so; only the fields we use are required). A record failing these is
// reported with its id and skipped. Status-like fields are open strings, as the `stripe` package
// types them (`| OtherString`): Stripe may add a value in a compatible release, and a value we do not
// know is kept and reported (unknownValues), never a reason to drop the customer.
// https://docs.stripe.com/api/subscriptions/object
import * as z from 'zod';

const unix = z.number().int();
const ref = z.union([z.string(), z.object({ id: z.string() }).loose()]);

export const rawPrice = z
  .object({
    id: z.string(),
    unit_amount: z.number().int().nullable(),
    currency: z.string(),
    product: ref,
    recurring: z
      .object({
        interval: z.string(),
        interval_count: z.number().int().positive(),
        usage_type: z.string().optional(),
      })
      .loose()
      .nullable(),
  })
  .loose();

export const rawSubscriptionItem = z
  .object({
    id: z.string(),
    price: rawPrice,
    quantity: z.number().int().nonnegative().nullish(),
    created: unix,
    // Since API 2025-03-31 the billing period lives on the items:
    // https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end
    current_period_start: unix.optional(),
    current_period_end: unix.optional(),
  })
  .loose();

/** What the lifecycle reads of an invoice's lines: the service period each pays for, and its subscription. */
const rawLinePeriod = z
  .object({
    period: z.object({ start: unix, end: unix }).loose(),
    parent: z
      .object({ subscription_item_details: z.object({ subscription: z.string().nullable() }).loose().nullish() })
      .loose()
      .nullish(),
  })
  .loose();

// https://docs.stripe.com/api/invoices/object
export const rawInvoice = z
  .object({
    id: z.string(),
    customer: ref.nullable(),
    status: z.string().nullable(),
    amount_due: z.number().int(),
    amount_remaining: z.number().int(),
    attempted: z.boolean(),
    attempt_count: z.number().int().nonnegative(),
    collection_method: z.string(),
    created: unix,
    due_date: unix.nullable(),
    status_transitions: z.object({ finalized_at: unix.nullish() }).loose().nullish(),
    // The subscription an invoice bills (API 2025-03-31 moved it under `parent`).
    parent: z
      .object({ subscription_details: z.object({ subscription: ref.nullable() }).loose().nullish() })
      .loose()
      .nullish(),
    // Embedded first page of lines: an invoice's own period_start/period_end look back one period,
    // the lines' `period` is the service period (https://docs.stripe.com/api/invoices/object#invoice_object-period_start).
    lines: z
      .object({ data: z.array(rawLinePeriod) })
      .loose()
      .optional(),
  })
  .loose();

// https://docs.stripe.com/api/invoice-line-item/object (shape since API 2025-03-31: `parent`, `pricing`)
export const rawInvoiceLine = z
  .object({
    id: z.string(),
    amount: z.number().int(),
    quantity: z.number().int().nonnegative().nullable(),
    period: z.object({ start: unix, end: unix }).loose(),
    parent: z
      .object({
        type: z.string(),
        subscription_item_details: z.object({ proration: z.boolean(), subscription: z.string().nullable() }).loose().nullish(),
      })
      .loose()
      .nullable(),
    pricing: z
      .object({ price_details: z.object({ price: ref, product: z.string() }).loose().nullish() })
      .loose()
      .nullable(),
  })
  .loose();

/** An invoice read for the MRR/seat backfill: the fields above plus its embedded first page of lines. */
export const rawHistoryInvoice = rawInvoice.extend({
  lines: z.object({ data: z.array(rawInvoiceLine), has_more: z.boolean() }).loose(),
});

// https://docs.stripe.com/api/subscription_schedules/object
export const rawSchedule = z
  .object({
    id: z.string(),
    phases: z.array(
      z
        .object({
          start_date: unix,
          end_date: unix.nullable(),
          items: z.array(z.object({ price: z.union([z.string(), rawPrice]), quantity: z.number().int().nonnegative().nullish() }).loose()),
        })
        .loose(),
    ),
  })
  .loose();

export const rawSubscription = z
  .object({
    id: z.string(),
    object: z.literal('subscription'),
    customer: ref,
    status: z.string(),
    created: unix,
    cancel_at_period_end: z.boolean(),
    cancel_at: unix.nullable(),
    canceled_at: unix.nullable(),
    // If the subscription has ended, when: https://docs.stripe.com/api/subscriptions/object#subscription_object-ended_at
    ended_at: unix.nullable(),
    items: z.object({ data: z.array(rawSubscriptionItem), has_more: z.boolean() }).loose(),
    latest_invoice: z.union([z.string(), rawInvoice]).nullable(),
    schedule: z.union([z.string(), rawSchedule]).nullable(),
    // Before API 2025-03-31 the period was on the subscription.
    current_period_start: unix.optional(),
    current_period_end: unix.optional(),
  })
  .loose();

// https://docs.stripe.com/api/payment_intents/object (only what says how the last attempt went)
export const rawPaymentIntent = z
  .object({
    id: z.string(),
    status: z.string(),
    last_payment_error: z.object({ code: z.string().nullish(), type: z.string().nullish() }).loose().nullish(),
    payment_method_types: z.array(z.string()).optional(),
  })
  .loose();

// https://docs.stripe.com/api/invoice-payment/object (the pinned API has no `invoice.payment_intent`)
export const rawInvoicePayment = z
  .object({
    id: z.string(),
    created: unix,
    status: z.string(),
    payment: z.object({ type: z.string(), payment_intent: z.union([z.string(), rawPaymentIntent]).nullish() }).loose(),
  })
  .loose();

/** The values of Stripe's enums this version knows; anything else is kept and reported. */
export const KNOWN = {
  subscriptionStatus: ['active', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'trialing', 'paused'],
  invoiceStatus: ['draft', 'open', 'paid', 'uncollectible', 'void'],
  collectionMethod: ['charge_automatically', 'send_invoice'],
  interval: ['day', 'week', 'month', 'year'],
  usageType: ['licensed', 'metered'],
} as const;

/** "subscription sub_1 has status \"x\"…" notes for each value outside KNOWN (kept, never a rejection). */
export function unknownValues(sub: RawSubscription): string[] {
  const notes: string[] = [];
  const note = (what: string, value: string | null | undefined, known: readonly string[]) => {
    if (value != null && !known.includes(value))
      notes.push(`${what} has ${JSON.stringify(value)}, a value this version does not know (kept)`);
  };
  note(`subscription ${sub.id} status`, sub.status, KNOWN.subscriptionStatus);
  for (const item of sub.items.data) {
    note(`price ${item.price.id} recurring.interval`, item.price.recurring?.interval, KNOWN.interval);
    note(`price ${item.price.id} recurring.usage_type`, item.price.recurring?.usage_type, KNOWN.usageType);
  }
  if (sub.latest_invoice && typeof sub.latest_invoice !== 'string') {
    note(`invoice ${sub.latest_invoice.id} status`, sub.latest_invoice.status, KNOWN.invoiceStatus);
    note(`invoice ${sub.latest_invoice.id} collection_method`, sub.latest_invoice.collection_method, KNOWN.collectionMethod);
  }
  return notes;
}

export type RawPaymentIntent = z.infer<typeof rawPaymentIntent>;
export type RawInvoicePayment = z.infer<typeof rawInvoicePayment>;
export type RawPrice = z.infer<typeof rawPrice>;
export type RawSubscriptionItem = z.infer<typeof rawSubscriptionItem>;
export type RawInvoice = z.infer<typeof rawInvoice>;
export type RawInvoiceLine = z.infer<typeof rawInvoiceLine>;
export type RawHistoryInvoice = z.infer<typeof rawHistoryInvoice>;
export type RawSchedule = z.infer<typeof rawSchedule>;
export type RawSubscription = z.infer<typeof rawSubscription>;

export const refId = (r: string | { id: string }): string => (typeof r === 'string' ? r : r.id);
