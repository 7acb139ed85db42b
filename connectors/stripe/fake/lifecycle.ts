// What moves a subscription through its life in the Stripe fake: the API's cancellation
// (`DELETE /v1/subscriptions/:id`, https://docs.stripe.com/api/subscriptions/cancel) and the store
// helpers tests and the demo call for what Stripe does by itself (a period renewing with its invoice)
// or what a dashboard user does (a quantity change). Times are the seed's or the fake's `now()`.
import type { FakeRequest, FakeResponse } from '../../shared/fake/server.ts';
import { addInterval } from './invoice-lines.ts';
import { stripeError } from './rules.ts';
import { type StripeJson, type StripeTime, toUnix } from './seed.ts';
import type { StripeFakeData } from './store.ts';

type Interval = 'day' | 'week' | 'month' | 'year';

/** Thrown by a store helper asked to change a subscription that has ended. */
export class StripeFakeEndedError extends Error {}

const ENDED = new Set(['canceled', 'incomplete_expired']);

/** Cancels now (or `at`): status `canceled`, `canceled_at` and `ended_at` that instant. */
export function cancelSubscription(data: StripeFakeData, id: string, at?: StripeTime): void {
  const s = data.subscriptionSeed(id);
  if (!s) throw new Error(`stripe fake: no subscription ${id}`);
  if (ENDED.has(s.status ?? 'active')) throw new StripeFakeEndedError(`stripe fake: subscription ${id} has ended`);
  const when = at === undefined ? data.now() : toUnix(at);
  data.updateSubscription(id, { status: 'canceled', canceledAt: when, endedAt: when });
}

/**
 * What Stripe does when a subscription's period ends: the items' period moves one price interval
 * (from the first item's price) and an invoice for the new period is created, its lines paying for
 * that period, which becomes `latest_invoice`. Paid unless `paid: false`: then the invoice stays
 * open after a failed attempt and the subscription turns `past_due`. Returns the invoice id.
 */
export function renewSubscription(data: StripeFakeData, id: string, options: { paid?: boolean } = {}): string {
  const s = data.subscriptionSeed(id);
  const items = data.items.get(id);
  const first = items?.[0];
  if (!s || !first) throw new Error(`stripe fake: no subscription ${id}`);
  if (ENDED.has(s.status ?? 'active')) throw new StripeFakeEndedError(`stripe fake: subscription ${id} has ended`);
  // Stripe ends such a subscription at its period end instead of renewing it.
  if (s.cancelAtPeriodEnd)
    throw new StripeFakeEndedError(`stripe fake: subscription ${id} cancels at its period end: end it (status canceled, endedAt) instead`);
  const recurring = (first.price as StripeJson).recurring as { interval: Interval; interval_count: number };
  const start = first.current_period_end as number;
  const end = addInterval(start, recurring.interval, recurring.interval_count);
  const paid = options.paid ?? true;
  data.updateSubscription(id, { currentPeriodStart: start, currentPeriodEnd: end, ...(paid ? {} : { status: 'past_due' }) });
  const lines = (data.items.get(id) ?? []).map((it) => ({
    price: String((it.price as StripeJson).id),
    quantity: it.quantity as number,
    periodStart: start,
    periodEnd: end,
  }));
  const amount = lines.reduce((sum, l) => sum + (data.collections.prices.get(l.price)?.unit_amount as number) * l.quantity, 0);
  return data.addInvoice({
    customer: s.customer,
    subscription: id,
    status: paid ? 'paid' : 'open',
    amountDue: amount,
    created: start,
    attempted: true,
    attemptCount: 1,
    ...(paid ? { paidAt: start } : { nextPaymentAttempt: addInterval(start, 'day', 3) }),
    lines,
  });
}

/** Sets the quantity (seats) of one item (the first unless `item` says which), keeping its period and id. */
export function setSubscriptionQuantity(data: StripeFakeData, id: string, quantity: number, item = 0): void {
  const s = data.subscriptionSeed(id);
  if (!s?.items[item]) throw new Error(`stripe fake: subscription ${id} has no item ${item}`);
  if (ENDED.has(s.status ?? 'active')) throw new StripeFakeEndedError(`stripe fake: subscription ${id} has ended`);
  data.updateSubscription(id, { items: s.items.map((it, n) => (n === item ? { ...it, quantity } : it)) });
}

const CANCEL_PARAMS = ['cancellation_details', 'invoice_now', 'prorate', 'expand'];

/** `DELETE /v1/subscriptions/:id`: the canceled subscription; an ended one is gone to the API (404). */
export function cancelRequest(data: StripeFakeData, req: FakeRequest): FakeResponse {
  const id = req.params.id ?? '';
  const params = new URLSearchParams(req.body && !req.json ? req.body : '');
  for (const k of [...req.query.keys(), ...params.keys()]) {
    const base = k.replace(/\[.*$/, '');
    if (!CANCEL_PARAMS.includes(base)) return stripeError(400, `Received unknown parameter: ${base}`, 'parameter_unknown', base);
  }
  const s = data.subscriptionSeed(id);
  // Stripe answers a second cancellation as if the subscription did not exist (stripe/stripe-go#1887).
  if (!s || ENDED.has(s.status ?? 'active')) return stripeError(404, `No such subscription: '${id}'`, 'resource_missing', 'id');
  cancelSubscription(data, id);
  return { status: 200, body: structuredClone(data.subscription(id)) };
}
