// Lifecycle evidence from Stripe with exact expected values, read through the official client from
// the fake: a subscription canceled through the SDK (DELETE /v1/subscriptions/:id) is churn evidence,
// a live one outweighs an ended one, cancel_at_period_end stays live until it ends, a yearly term
// and its renewal (paid or not), a monthly plan without a term, billing periods, MRR and seats.
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StripeFake } from '../../../connectors/stripe/fake/server.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { account, context, day, seatSubscription, sourceFor, startFake } from './stripe-kit.ts';

let fake: StripeFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

const sdk = () => new Stripe(fake.apiKey, { host: fake.host, port: fake.port, protocol: fake.protocol, maxNetworkRetries: 0 });

async function lifecycleOf(customer: string, iso = '2026-06-01', state = new MemoryStateStore()) {
  const source = sourceFor(fake);
  const ctx = context(day(iso), state);
  await source.sync?.(ctx);
  const result = await source.read([account('acct', customer)], ctx);
  return result.lifecycle?.get('acct');
}

/** A $1,200/seat yearly plan. */
const yearlyPrice = { id: 'price_seat_yearly', unitAmount: 120_000, interval: 'year' as const, product: 'prod_seats' };

function yearly(customer: string, seats: number, start = '2025-07-15T00:00:00Z') {
  const sub = fake.addSubscription({
    customer,
    items: [{ price: yearlyPrice, quantity: seats }],
    created: start,
    currentPeriodStart: start,
  });
  fake.addInvoice({ customer, subscription: sub, status: 'paid', amountDue: 120_000 * seats, created: start });
  return sub;
}

describe('churn evidence', () => {
  it('given a subscription canceled through the SDK, when read, then not live, ended that day, named in the evidence', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_gone', 5));
    fake.setNow('2026-05-20T15:00:00Z');
    const canceled = await sdk().subscriptions.cancel(sub);
    expect(canceled).toMatchObject({ id: sub, status: 'canceled', canceled_at: 1_779_289_200, ended_at: 1_779_289_200 });
    expect(await lifecycleOf('cus_gone')).toEqual({
      live: false,
      endedOn: '2026-05-20',
      evidence: `Stripe subscription ${sub} ended 2026-05-20; none live`,
      mrrCents: 0,
      seats: 0,
    });
  });

  it('given a subscription already canceled, when canceled again through the SDK, then Stripe’s 404 resource_missing', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_twice', 5));
    await sdk().subscriptions.cancel(sub);
    await expect(sdk().subscriptions.cancel(sub)).rejects.toMatchObject({
      statusCode: 404,
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      message: `No such subscription: '${sub}'`,
    });
  });

  it('given two canceled subscriptions, when read, then ended on the later end day, both named', async () => {
    const a = fake.addSubscription(seatSubscription('cus_two', 2, { status: 'canceled', canceledAt: '2026-03-02T10:00:00Z' }));
    const b = fake.addSubscription(seatSubscription('cus_two', 3, { status: 'canceled', canceledAt: '2026-04-10T10:00:00Z' }));
    expect(await lifecycleOf('cus_two')).toMatchObject({
      live: false,
      endedOn: '2026-04-10',
      evidence: `Stripe subscriptions ${a} ended 2026-03-02, ${b} ended 2026-04-10; none live`,
    });
  });

  it('given one canceled and one active subscription, when read, then live, with the active one’s MRR, seats and period', async () => {
    fake.addSubscription(seatSubscription('cus_mixed', 2, { status: 'canceled', canceledAt: '2026-03-02T10:00:00Z' }));
    const active = fake.addSubscription(seatSubscription('cus_mixed', 4));
    expect(await lifecycleOf('cus_mixed')).toEqual({
      live: true,
      evidence: `Stripe subscription ${active} (active) live`,
      mrrCents: 20_000,
      seats: 4,
      periodDays: 30,
    });
  });

  it('given cancel_at_period_end, when read before the period ends, then live; once Stripe ends it, not live from the period end', async () => {
    const sub = fake.addSubscription(
      seatSubscription('cus_leaving', 6, { currentPeriodStart: '2026-05-10T00:00:00Z', currentPeriodEnd: '2026-06-10T00:00:00Z' }),
    );
    fake.updateSubscription(sub, { cancelAtPeriodEnd: true, canceledAt: '2026-05-25T09:00:00Z' });
    expect(await lifecycleOf('cus_leaving')).toMatchObject({ live: true, mrrCents: 30_000, seats: 6 });
    expect(() => fake.renewSubscription(sub)).toThrow(
      `stripe fake: subscription ${sub} cancels at its period end: end it (status canceled, endedAt) instead`,
    );
    fake.updateSubscription(sub, { status: 'canceled', endedAt: '2026-06-10T00:00:00Z' });
    expect(await lifecycleOf('cus_leaving', '2026-06-11')).toEqual({
      live: false,
      endedOn: '2026-06-10',
      evidence: `Stripe subscription ${sub} ended 2026-06-10; none live`,
      mrrCents: 0,
      seats: 0,
    });
  });

  it('given a subscription whose first payment never succeeded beside a canceled one, when read, then the canceled one alone decides', async () => {
    const gone = fake.addSubscription(seatSubscription('cus_retry', 2, { status: 'canceled', canceledAt: '2026-04-01T00:00:00Z' }));
    fake.addSubscription(seatSubscription('cus_retry', 2, { status: 'incomplete_expired' }));
    expect(await lifecycleOf('cus_retry')).toMatchObject({
      live: false,
      endedOn: '2026-04-01',
      evidence: `Stripe subscription ${gone} ended 2026-04-01; none live`,
    });
  });

  it('given only a subscription that never started, or one still incomplete, when read, then live is unknown', async () => {
    const never = fake.addSubscription(seatSubscription('cus_never', 2, { status: 'incomplete_expired' }));
    expect(await lifecycleOf('cus_never')).toEqual({
      evidence: `Stripe subscription ${never} (incomplete_expired) never started; none live`,
      mrrCents: 0,
      seats: 0,
    });
    fake.addSubscription(seatSubscription('cus_pending', 2, { status: 'canceled', canceledAt: '2026-04-01T00:00:00Z' }));
    fake.addSubscription(seatSubscription('cus_pending', 2, { status: 'incomplete' }));
    const pending = await lifecycleOf('cus_pending');
    expect(pending?.live).toBeUndefined();
    expect(pending?.endedOn).toBeUndefined();
  });

  it('given only a trial, when read, then live (a trial has not ended) with no MRR and no billing period', async () => {
    const trial = fake.addSubscription(seatSubscription('cus_trial', 3, { status: 'trialing' }));
    expect(await lifecycleOf('cus_trial')).toEqual({
      live: true,
      evidence: `Stripe subscription ${trial} (trialing) live`,
      mrrCents: 0,
      seats: 0,
    });
  });
});

describe('terms, periods, MRR and seats', () => {
  it('given a yearly subscription whose opening invoice is paid, when read, then its term from the item’s period start, paid', async () => {
    const sub = yearly('cus_year', 5);
    expect(await lifecycleOf('cus_year')).toEqual({
      live: true,
      evidence: `Stripe subscription ${sub} (active) live`,
      mrrCents: 50_000,
      seats: 5,
      periodDays: 365,
      term: { start: '2025-07-15', months: 12, paid: true, id: sub },
    });
  });

  it('given a yearly subscription renewed by the fake, when read, then the new term’s start, paid; unpaid when the renewal charge failed', async () => {
    const sub = yearly('cus_renew', 5);
    const state = new MemoryStateStore();
    expect((await lifecycleOf('cus_renew', '2026-07-14', state))?.term).toEqual({ start: '2025-07-15', months: 12, paid: true, id: sub });
    const invoice = fake.renewSubscription(sub);
    const latest = await sdk().subscriptions.retrieve(sub, { expand: ['latest_invoice'] });
    expect(latest.latest_invoice).toMatchObject({ id: invoice, status: 'paid', amount_paid: 600_000 });
    expect(latest.items.data[0]).toMatchObject({ current_period_start: 1_784_073_600, current_period_end: 1_815_609_600 });
    expect((await lifecycleOf('cus_renew', '2026-07-16', state))?.term).toEqual({ start: '2026-07-15', months: 12, paid: true, id: sub });
    fake.renewSubscription(sub, { paid: false });
    expect(await lifecycleOf('cus_renew', '2027-07-16', state)).toMatchObject({
      live: true,
      term: { start: '2027-07-15', months: 12, paid: false, id: sub },
    });
  });

  it('given a mid-term update invoice after the opening one, when read, then paid from the subscription: active with no open invoice of it', async () => {
    const sub = yearly('cus_update', 5);
    const proration = {
      price: 'price_seat_yearly',
      quantity: 2,
      proration: true,
      periodStart: '2026-01-10T00:00:00Z',
      periodEnd: '2026-07-15T00:00:00Z',
    };
    fake.addInvoice({
      customer: 'cus_update',
      subscription: sub,
      status: 'paid',
      amountDue: 108_000,
      created: '2026-01-10T00:00:00Z',
      lines: [proration],
    });
    expect((await lifecycleOf('cus_update'))?.term).toEqual({ start: '2025-07-15', months: 12, paid: true, id: sub });
    const open = yearly('cus_update_open', 5);
    const opener = fake.invoices().find((i) => i.customer === 'cus_update_open')?.id as string;
    fake.updateInvoice(opener, { status: 'open', attempted: true });
    fake.addInvoice({
      customer: 'cus_update_open',
      subscription: open,
      status: 'paid',
      amountDue: 108_000,
      created: '2026-01-10T00:00:00Z',
      lines: [proration],
    });
    expect((await lifecycleOf('cus_update_open'))?.term).toEqual({ start: '2025-07-15', months: 12, paid: false, id: open });
  });

  it('given a subscription billed every 12 months, when read, then a 12-month term and a 360-day period', async () => {
    const start = '2026-02-01T00:00:00Z';
    const price = { id: 'price_annual_by_month', unitAmount: 60_000, interval: 'month' as const, intervalCount: 12 };
    const sub = fake.addSubscription({
      customer: 'cus_12m',
      items: [{ price, quantity: 1 }],
      created: start,
      currentPeriodStart: start,
      currentPeriodEnd: '2027-02-01T00:00:00Z',
    });
    fake.addInvoice({ customer: 'cus_12m', subscription: sub, status: 'paid', amountDue: 60_000, created: start });
    expect(await lifecycleOf('cus_12m')).toMatchObject({
      periodDays: 360,
      mrrCents: 5_000,
      term: { start: '2026-02-01', months: 12, paid: true, id: sub },
    });
  });

  it('given a monthly subscription, when read, then a 30-day period and no term (monthly renewals are not outcomes)', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_month', 8));
    fake.addInvoice({ customer: 'cus_month', subscription: sub, status: 'paid', amountDue: 40_000, created: '2026-05-01T00:00:00Z' });
    const evidence = await lifecycleOf('cus_month');
    expect(evidence).toEqual({
      live: true,
      evidence: `Stripe subscription ${sub} (active) live`,
      mrrCents: 40_000,
      seats: 8,
      periodDays: 30,
    });
  });

  it('given a monthly and a weekly subscription, when read, then the shortest period: 7 days', async () => {
    fake.addSubscription(seatSubscription('cus_weeks', 1));
    fake.addSubscription({
      customer: 'cus_weeks',
      items: [{ price: { unitAmount: 1_000, interval: 'week', intervalCount: 2 }, quantity: 1 }],
    });
    expect((await lifecycleOf('cus_weeks'))?.periodDays).toBe(14);
  });

  it('given a quantity change, when read the next day, then the new MRR and seats', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_grow', 10));
    const state = new MemoryStateStore();
    expect(await lifecycleOf('cus_grow', '2026-06-01', state)).toMatchObject({ mrrCents: 50_000, seats: 10 });
    fake.setSubscriptionQuantity(sub, 12);
    expect(await lifecycleOf('cus_grow', '2026-06-02', state)).toMatchObject({ live: true, mrrCents: 60_000, seats: 12, periodDays: 30 });
  });

  it('given a read without the day’s sync (a webhook rescoring one account), when read, then the same evidence as after a sync', async () => {
    const sub = yearly('cus_webhook', 2);
    const source = sourceFor(fake);
    const read = await source.read([account('acct', 'cus_webhook')], context(day('2026-06-01')));
    expect(read.lifecycle?.get('acct')).toEqual(await lifecycleOf('cus_webhook'));
    expect(read.lifecycle?.get('acct')?.term).toEqual({ start: '2025-07-15', months: 12, paid: true, id: sub });
  });
});

describe('the fake’s cancellation endpoint', () => {
  it('given documented parameters, when canceled through the SDK, then canceled; given one Stripe lacks, then 400 parameter_unknown', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_params', 1));
    await expect(sdk().subscriptions.cancel(sub, { bogus: true } as never)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'bogus',
    });
    expect(fake.subscription(sub)?.status).toBe('active');
    const canceled = await sdk().subscriptions.cancel(sub, { prorate: true, invoice_now: false });
    expect(canceled.status).toBe('canceled');
    expect(fake.server.calls('DELETE').map((c) => c.status)).toEqual([400, 200]);
  });
});
