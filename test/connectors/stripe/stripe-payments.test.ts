// Payment state as Stripe reports it, through the official client against the fake: a bank debit in
// flight is not a failed payment, a declined card is; payments are read only for the few open,
// attempted invoices; a subscription's truncated item list is paged; a status Stripe adds later is
// kept and reported while the customer is still scored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StripeFake } from '../../../connectors/stripe/fake/server.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { account, context, day, seatSubscription, seedPortfolio, sourceFor, startFake } from './stripe-kit.ts';

let fake: StripeFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

/** An open, automatically charged invoice Stripe has attempted once (50,000 cents unless given). */
function openAttemptedInvoice(
  customer: string,
  subscription: string,
  created: string,
  extra: Partial<Parameters<StripeFake['addInvoice']>[0]> = {},
) {
  return fake.addInvoice({
    customer,
    subscription,
    status: 'open',
    amountDue: 50_000,
    created,
    attempted: true,
    attemptCount: 1,
    ...extra,
  });
}

async function syncAndRead(customer: string, at: Date, state = new MemoryStateStore()) {
  const source = sourceFor(fake);
  const ctx = context(at, state);
  const report = await source.sync?.(ctx);
  const result = await source.read([account('acct', customer)], ctx);
  return { signals: result.signals.get('acct'), result, report };
}

describe('a bank debit in flight', () => {
  it('given an ACH debit processing for three days, when read each day, then current; when it then fails, then failed', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_ach', 10));
    const ach = { id: 'pi_ach', method: 'us_bank_account' as const, created: '2026-05-29T02:00:00Z' };
    const invoice = openAttemptedInvoice('cus_ach', sub, '2026-05-29T01:00:00Z', { payments: [{ ...ach, status: 'processing' }] });
    const state = new MemoryStateStore();
    for (const d of ['2026-05-29', '2026-05-30', '2026-05-31', '2026-06-01']) {
      const { signals } = await syncAndRead('cus_ach', day(d), state);
      expect(signals?.['billing.paymentStatus'], d).toBe('current');
    }
    fake.updateInvoice(invoice, { payments: [{ ...ach, status: 'requires_payment_method', failureCode: 'insufficient_funds' }] });
    const { signals } = await syncAndRead('cus_ach', day('2026-06-02'), state);
    expect(signals?.['billing.paymentStatus']).toBe('failed');
    expect(fake.paymentIntent('pi_ach')).toMatchObject({ status: 'requires_payment_method', payment_method_types: ['us_bank_account'] });
  });

  it('given a SEPA debit that succeeded while the invoice is still open, when read, then current', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_sepa', 4));
    openAttemptedInvoice('cus_sepa', sub, '2026-05-28T00:00:00Z', {
      amountDue: 20_000,
      payments: [{ method: 'sepa_debit', status: 'succeeded' }],
    });
    expect((await syncAndRead('cus_sepa', day('2026-06-01'))).signals?.['billing.paymentStatus']).toBe('current');
  });
});

describe('a card that was declined', () => {
  it('given a card invoice with one failed attempt, when read, then failed', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_card', 10));
    openAttemptedInvoice('cus_card', sub, '2026-05-30T00:00:00Z', {
      payments: [{ method: 'card', status: 'requires_payment_method', failureCode: 'card_declined' }],
    });
    expect((await syncAndRead('cus_card', day('2026-06-01'))).signals?.['billing.paymentStatus']).toBe('failed');
  });

  it('given a declined attempt read on one day, when synced on the next days, then its payments are not read again until Stripe attempts the invoice again', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_declined', 10));
    const card = { id: 'pi_card', method: 'card' as const, created: '2026-05-30T01:00:00Z' };
    const invoice = openAttemptedInvoice('cus_declined', sub, '2026-05-30T00:00:00Z', {
      payments: [{ ...card, status: 'requires_payment_method', failureCode: 'card_declined' }],
    });
    const state = new MemoryStateStore();
    const reads = () => fake.server.calls('GET', '/v1/invoice_payments').length;
    for (const d of ['2026-06-01', '2026-06-02', '2026-06-03']) {
      expect((await syncAndRead('cus_declined', day(d), state)).signals?.['billing.paymentStatus'], d).toBe('failed');
    }
    expect(reads()).toBe(1);
    // Stripe's retry succeeds as a debit in flight: a new attempt, so the payments are read again.
    fake.updateInvoice(invoice, { attemptCount: 2, payments: [{ ...card, status: 'processing' }] });
    expect((await syncAndRead('cus_declined', day('2026-06-04'), state)).signals?.['billing.paymentStatus']).toBe('current');
    expect(reads()).toBe(2);
  });
});

describe('what payment state costs', () => {
  it('given 50 paying customers and 2 open attempted invoices, when synced, then payments are read for those 2 invoices only', async () => {
    const ids = seedPortfolio(fake, 50);
    for (const customer of ids.slice(0, 2)) {
      const sub = String(fake.subscriptions().find((s) => s.customer === customer)?.id);
      openAttemptedInvoice(customer, sub, '2026-05-31T00:00:00Z');
    }
    const source = sourceFor(fake);
    const ctx = context(day('2026-06-01'));
    await source.sync?.(ctx);
    const calls = fake.server.calls('GET', '/v1/invoice_payments');
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => new URLSearchParams(c.query).get('expand[0]'))).toEqual([
      'data.payment.payment_intent',
      'data.payment.payment_intent',
    ]);
    const result = await source.read(
      ids.slice(0, 3).map((id) => account(id, id)),
      ctx,
    );
    expect(ids.slice(0, 3).map((id) => result.signals.get(id)?.['billing.paymentStatus'])).toEqual(['failed', 'failed', 'current']);
  });
});

describe('a subscription with more items than it embeds', () => {
  it('given 20 items (Stripe’s maximum) behind a truncated embedded list, when synced, then seats and MRR count all 20', async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({
      price: { id: `price_addon_${i + 1}`, unitAmount: 1000 * (i + 1), interval: 'month' as const, product: `prod_${i + 1}` },
      quantity: i + 1,
    }));
    fake.addSubscription({ customer: 'cus_wide', items, created: '2026-01-01T00:00:00Z' });
    const embedded = fake.subscriptions()[0]?.items as { data: unknown[]; has_more: boolean };
    expect([embedded.data.length, embedded.has_more]).toEqual([10, true]);
    const state = new MemoryStateStore();
    const { signals } = await syncAndRead('cus_wide', day('2026-06-01'), state);
    // Seats 1 + 2 + … + 20 = 210; MRR Σ 1,000 × i × i cents for i = 1…20 = 1,000 × 2,870 = 2,870,000 cents.
    expect(signals?.['stripe.seats']).toBe(210);
    const stored = await state.get<{ billing: { mrrCents: number; seats: number } }>('stripe:customer:cus_wide');
    expect(stored?.billing).toMatchObject({ mrrCents: 2_870_000, seats: 210 });
    expect(fake.server.calls('GET', '/v1/subscription_items')).toHaveLength(1);
  });
});

describe('a value Stripe adds later', () => {
  it('given a subscription status this version does not know, when synced, then the customer is scored and the value reported', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_new', 8));
    fake.addInvoice({ customer: 'cus_new', subscription: sub, status: 'paid', amountDue: 40_000, created: '2026-05-01T00:00:00Z' });
    fake.patchRaw('subscription', sub, { status: 'on_hold_by_bank' });
    const { signals, report, result } = await syncAndRead('cus_new', day('2026-06-01'));
    expect(report?.rejected).toEqual([]);
    expect(report?.warnings).toEqual([`subscription ${sub} status has "on_hold_by_bank", a value this version does not know (kept)`]);
    expect(result.unmatched).toEqual([]);
    expect(signals).toMatchObject({ 'billing.paymentStatus': 'current', 'billing.daysOverdue': 0 });
  });
});
