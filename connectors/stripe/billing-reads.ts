// The two follow-up reads of a billing sync, each only where the portfolio list left something out:
// the rest of a subscription's items when its embedded `items` list is truncated (`has_more`), and
// the payments of the few latest invoices that are open, automatically charged and attempted — the
// only ones whose payment state decides `billing.paymentStatus` (a bank debit in flight is not a
// failure). One call per such subscription or invoice; none for a portfolio that pays on time.
import type Stripe from 'stripe';
import { formatIssues } from '../../lib/zod-issues.ts';
import type { RejectedRecord } from '../shared/source.ts';
import type { PaymentAttempt } from './billing-model.ts';
import {
  type RawInvoice,
  type RawInvoicePayment,
  type RawSubscription,
  type RawSubscriptionItem,
  rawInvoicePayment,
  rawSubscriptionItem,
} from './stripe-raw.ts';

export interface FollowUpCalls {
  items: number;
  payments: number;
}

/** Replaces each truncated embedded `items` list with the full list (https://docs.stripe.com/api/subscription_items/list). */
export async function completeItems(
  client: Stripe,
  subs: RawSubscription[],
  rejected: RejectedRecord[],
  calls: FollowUpCalls,
): Promise<Set<string>> {
  const failed = new Set<string>();
  for (const sub of subs) {
    if (!sub.items.has_more) continue;
    const items: RawSubscriptionItem[] = [];
    calls.items++;
    for await (const raw of client.subscriptionItems.list({ subscription: sub.id, limit: 100 })) {
      const parsed = rawSubscriptionItem.safeParse(raw);
      if (parsed.success) items.push(parsed.data);
      else {
        rejected.push({ recordId: String((raw as { id?: unknown }).id), reason: `subscription item: ${formatIssues(parsed.error)}` });
        failed.add(sub.id);
      }
    }
    sub.items = { ...sub.items, data: items, has_more: false };
  }
  return failed;
}

/** An invoice whose payment state decides the status: open with an amount left, charged automatically, attempted. */
export const needsPaymentRead = (inv: RawInvoice): boolean =>
  inv.status === 'open' &&
  inv.amount_remaining > 0 &&
  inv.collection_method === 'charge_automatically' &&
  inv.attempted &&
  inv.attempt_count > 0;

/**
 * How the latest attempt on one invoice stands, from its payments' PaymentIntents: any debit still
 * `processing` wins (the customer has paid, the bank has not settled); else the newest payment says.
 * https://docs.stripe.com/payments/paymentintents/lifecycle
 */
export function fromInvoicePayments(payments: readonly RawInvoicePayment[]): PaymentAttempt | undefined {
  const intents = [...payments]
    .sort((a, b) => b.created - a.created)
    .map((p) => p.payment.payment_intent)
    .filter((pi) => pi !== null && pi !== undefined && typeof pi !== 'string');
  if (intents.some((pi) => pi.status === 'processing')) return 'processing';
  const latest = intents[0];
  if (!latest) return undefined;
  if (latest.status === 'succeeded') return 'succeeded';
  if (latest.status === 'canceled') return 'failed';
  if (latest.status === 'requires_payment_method') return latest.last_payment_error ? 'failed' : 'pending';
  return 'pending';
}

/** A failed attempt as an earlier run read it: it stands until Stripe attempts the invoice again. */
export type KnownFailures = Record<string, { attemptCount: number }>;

/**
 * The payment state of each invoice given, one list call each
 * (https://docs.stripe.com/api/invoice-payment/list) — except an invoice whose attempt an earlier run
 * read as failed and that Stripe has not attempted since (same `attempt_count`): a declined attempt
 * stays declined, while a debit in flight or an attempt awaiting the customer is read again.
 */
export async function readPaymentAttempts(
  client: Stripe,
  invoices: readonly RawInvoice[],
  rejected: RejectedRecord[],
  calls: FollowUpCalls,
  known: KnownFailures = {},
): Promise<Map<string, PaymentAttempt>> {
  const out = new Map<string, PaymentAttempt>();
  for (const inv of invoices) {
    if (out.has(inv.id)) continue;
    if (known[inv.id]?.attemptCount === inv.attempt_count) {
      out.set(inv.id, 'failed');
      continue;
    }
    const payments: RawInvoicePayment[] = [];
    calls.payments++;
    for await (const raw of client.invoicePayments.list({ invoice: inv.id, limit: 100, expand: ['data.payment.payment_intent'] })) {
      const parsed = rawInvoicePayment.safeParse(raw);
      if (parsed.success) payments.push(parsed.data);
      else rejected.push({ recordId: String((raw as { id?: unknown }).id), reason: `invoice payment: ${formatIssues(parsed.error)}` });
    }
    const state = fromInvoicePayments(payments);
    if (state) out.set(inv.id, state);
  }
  return out;
}
