// Billing signals with exact expected values, read through the official client from the fake:
// payment status from the latest invoice, days overdue, subscription change (cancellation, booked
// schedule, history), 90-day MRR and seat changes from our own stored history, renewal, unmatched accounts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StripeFake } from '../../../connectors/stripe/fake/server.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { account, context, day, seatPrice, seatSubscription, sourceFor, startFake } from './stripe-kit.ts';

let fake: StripeFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

const asOf = day('2026-06-01');

async function signalsOf(customer: string, at = asOf, state = new MemoryStateStore(), extra = {}) {
  const source = sourceFor(fake, extra);
  const ctx = context(at, state);
  await source.sync?.(ctx);
  const result = await source.read([account('acct', customer)], ctx);
  return { signals: result.signals.get('acct'), result };
}

describe('payment status', () => {
  it('given a latest invoice whose automatic charge failed, when read, then billing.paymentStatus is failed', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_fail', 10));
    fake.addInvoice({ customer: 'cus_fail', subscription: sub, status: 'paid', amountDue: 50_000, created: '2026-04-20T00:00:00Z' });
    fake.addInvoice({
      customer: 'cus_fail',
      subscription: sub,
      status: 'open',
      amountDue: 50_000,
      created: '2026-05-20T00:00:00Z',
      attempted: true,
      attemptCount: 2,
    });
    const { signals } = await signalsOf('cus_fail');
    expect(signals?.['billing.paymentStatus']).toBe('failed');
    expect(signals?.['billing.daysOverdue']).toBe(12);
  });

  it('given an unpaid send_invoice invoice due 10 days before asOf, when read, then late and 10 days overdue', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_late', 4));
    fake.addInvoice({
      customer: 'cus_late',
      subscription: sub,
      status: 'open',
      amountDue: 20_000,
      created: '2026-05-01T00:00:00Z',
      collectionMethod: 'send_invoice',
      dueDate: '2026-05-22T12:00:00Z',
    });
    const { signals } = await signalsOf('cus_late');
    expect(signals).toMatchObject({ 'billing.paymentStatus': 'late', 'billing.daysOverdue': 10 });
  });

  it('given a just-finalized invoice whose automatic charge has not been attempted yet, when read, then current', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_pending', 4));
    fake.addInvoice({ customer: 'cus_pending', subscription: sub, status: 'open', amountDue: 20_000, created: '2026-06-01T11:00:00Z' });
    const { signals } = await signalsOf('cus_pending');
    expect(signals).toMatchObject({ 'billing.paymentStatus': 'current', 'billing.daysOverdue': 0 });
  });

  it('given a paid latest invoice, when read, then current with 0 days overdue', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_ok', 4));
    fake.addInvoice({ customer: 'cus_ok', subscription: sub, status: 'paid', amountDue: 20_000, created: '2026-05-20T00:00:00Z' });
    const { signals } = await signalsOf('cus_ok');
    expect(signals).toMatchObject({ 'billing.paymentStatus': 'current', 'billing.daysOverdue': 0, 'stripe.seats': 4 });
  });
});

describe('subscription change', () => {
  it('given cancel_at_period_end, when read, then billing.subscriptionChange is cancel_pending', async () => {
    fake.addSubscription(seatSubscription('cus_cancel', 10, { cancelAtPeriodEnd: true }));
    const { signals } = await signalsOf('cus_cancel');
    expect(signals?.['billing.subscriptionChange']).toBe('cancel_pending');
  });

  it('given a schedule that books 6 seats from next month, when read, then downgrade', async () => {
    fake.addSubscription(
      seatSubscription('cus_sched', 10, {
        schedule: [
          { start: '2026-01-01T00:00:00Z', end: '2026-07-01T00:00:00Z', items: [{ price: seatPrice.id, quantity: 10 }] },
          { start: '2026-07-01T00:00:00Z', items: [{ price: seatPrice.id, quantity: 6 }] },
        ],
      }),
    );
    const { signals } = await signalsOf('cus_sched');
    expect(signals?.['billing.subscriptionChange']).toBe('downgrade');
  });

  it('given no history yet, when first read, then subscriptionChange and the 90-day changes are unknown (absent)', async () => {
    fake.addSubscription(seatSubscription('cus_new', 10));
    const { signals } = await signalsOf('cus_new');
    expect(signals).not.toHaveProperty('billing.subscriptionChange');
    expect(signals).not.toHaveProperty('billing.mrrChange90d');
    expect(signals).not.toHaveProperty('growth.seatChange90d');
  });
});

describe('90-day changes from our own history', () => {
  it('given 10 seats stored 90 days ago and 15 now, when read, then seats and MRR up 50% and an upgrade', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_grow', 10));
    const state = new MemoryStateStore();
    const first = await signalsOf('cus_grow', day('2026-03-03'), state);
    expect(first.signals?.['stripe.seats']).toBe(10);
    fake.updateSubscription(sub, { items: [{ price: seatPrice.id, quantity: 15 }] });
    // 30 days later: a change inside the window is visible, the 90-day ratio is not yet
    const mid = await signalsOf('cus_grow', day('2026-04-02'), state);
    expect(mid.signals?.['billing.subscriptionChange']).toBe('upgrade');
    expect(mid.signals).not.toHaveProperty('growth.seatChange90d');
    const { signals } = await signalsOf('cus_grow', asOf, state);
    expect(signals).toMatchObject({
      'stripe.seats': 15,
      'growth.seatChange90d': 0.5,
      'billing.mrrChange90d': 0.5,
      'billing.subscriptionChange': 'upgrade',
    });
  });

  it('given the same seats across 90 days and a yearly plan added, when read, then MRR change counts the yearly price monthly and seats stay flat', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_addon', 10));
    const state = new MemoryStateStore();
    await signalsOf('cus_addon', day('2026-03-03'), state);
    fake.updateSubscription(sub, {
      items: [
        { price: seatPrice.id, quantity: 10 },
        { price: { id: 'price_support_yearly', unitAmount: 120_000, interval: 'year', product: 'prod_support' }, quantity: 1 },
      ],
    });
    const { signals } = await signalsOf('cus_addon', asOf, state, { seatProducts: ['prod_seats'] });
    // 10 × $50 = $500/month, plus $1,200/year = $100/month → +20%
    expect(signals).toMatchObject({ 'billing.mrrChange90d': 0.2, 'growth.seatChange90d': 0, 'stripe.seats': 10 });
  });
});

describe('renewal and identity', () => {
  it('given billing owns the renewal date, when read, then daysToRenewal counts to the current period end; otherwise absent', async () => {
    fake.addSubscription(
      seatSubscription('cus_renew', 10, { currentPeriodStart: '2025-07-15T12:00:00Z', currentPeriodEnd: '2026-07-15T12:00:00Z' }),
    );
    const owned = await signalsOf('cus_renew', asOf, new MemoryStateStore(), { renewalFromBilling: true });
    expect(owned.signals?.['commercial.daysToRenewal']).toBe(44);
    const notOwned = await signalsOf('cus_renew');
    expect(notOwned.signals).not.toHaveProperty('commercial.daysToRenewal');
  });

  it('given an account without a Stripe id and one Stripe does not know, when read, then both are unmatched and get no keys', async () => {
    fake.addSubscription(seatSubscription('cus_known', 3));
    const source = sourceFor(fake);
    const ctx = context(asOf);
    await source.sync?.(ctx);
    const result = await source.read([account('a-known', 'cus_known'), account('a-none'), account('a-ghost', 'cus_ghost')], ctx);
    expect([...result.signals.keys()]).toEqual(['a-known']);
    expect(result.unmatched).toEqual([
      { accountId: 'a-none', reason: 'no stripeCustomerId identity on the account' },
      { accountId: 'a-ghost', reason: 'Stripe has no subscription for customer cus_ghost' },
    ]);
  });
});
