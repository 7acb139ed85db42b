// The Stripe fake's payments: each invoice's InvoicePayments and their PaymentIntents, as the pinned
// API serves them (an invoice has no `payment_intent` field; its `payments` list maps it to one).
// Builders are typed with the `stripe` package's own types (StripeShape), so a field Stripe does not
// have, or a value of the wrong type, fails to compile. A seed says how each attempt stands; without
// one, an open attempted invoice has one declined card payment and a paid invoice one that succeeded.
import type Stripe from 'stripe';
import type { StripeTime } from './seed.ts';
import { toUnix } from './seed.ts';
import type { StripeShape } from './shape.ts';

export type SeedPaymentMethod = 'card' | 'us_bank_account' | 'sepa_debit' | 'bacs_debit';

/** One payment attempt on an invoice, as its PaymentIntent reports it. https://docs.stripe.com/payments/paymentintents/lifecycle */
export interface SeedStripePayment {
  id?: string;
  /** Card, or a bank debit (ACH, SEPA, Bacs) that stays `processing` for days before it settles or fails. */
  method?: SeedPaymentMethod;
  /** The PaymentIntent's status; `requires_payment_method` after a declined or returned attempt. */
  status: Stripe.PaymentIntent.Status;
  /** The decline or return code of a failed attempt (`card_declined`, `insufficient_funds`, …). */
  failureCode?: Stripe.PaymentIntent.LastPaymentError.Code;
  created?: StripeTime;
}

export interface PaymentContext {
  invoice: string;
  customer: string;
  amount: number;
  created: number;
}

/** https://docs.stripe.com/api/payment_intents/object */
export function buildPaymentIntent(id: string, p: SeedStripePayment, ctx: PaymentContext): StripeShape<Stripe.PaymentIntent> {
  const method = p.method ?? 'card';
  const created = p.created === undefined ? ctx.created : toUnix(p.created);
  return {
    id,
    object: 'payment_intent',
    amount: ctx.amount,
    amount_capturable: 0,
    amount_received: p.status === 'succeeded' ? ctx.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: p.status === 'canceled' ? created : null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: null,
    confirmation_method: 'automatic',
    created,
    currency: 'usd',
    customer: ctx.customer,
    description: null,
    last_payment_error:
      p.failureCode !== undefined
        ? {
            type: method === 'card' ? 'card_error' : 'invalid_request_error',
            code: p.failureCode,
            message: `The payment failed (${p.failureCode}).`,
          }
        : null,
    latest_charge: null,
    livemode: false,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: `pm_${id.slice(3)}`,
    payment_method_options: null,
    payment_method_types: [method],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: p.status,
    transfer_group: null,
  };
}

/** https://docs.stripe.com/api/invoice-payment/object */
export function buildInvoicePayment(
  id: string,
  intent: string,
  p: SeedStripePayment,
  ctx: PaymentContext,
): StripeShape<Stripe.InvoicePayment> {
  const created = p.created === undefined ? ctx.created : toUnix(p.created);
  const paid = p.status === 'succeeded';
  return {
    id,
    object: 'invoice_payment',
    amount_paid: paid ? ctx.amount : null,
    amount_requested: ctx.amount,
    created,
    currency: 'usd',
    invoice: ctx.invoice,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: intent },
    status: paid ? 'paid' : p.status === 'canceled' ? 'canceled' : 'open',
    status_transitions: { canceled_at: p.status === 'canceled' ? created : null, paid_at: paid ? created : null },
  };
}

/** The payments an invoice has when its seed names none. */
export function defaultPayments(status: string, attempted: boolean): SeedStripePayment[] {
  if (status === 'paid') return [{ status: 'succeeded' }];
  if (status === 'open' && attempted) return [{ status: 'requires_payment_method', failureCode: 'card_declined' }];
  return [];
}
