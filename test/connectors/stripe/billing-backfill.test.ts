// The first run after deployment: history backfilled from the invoices Stripe holds, through the
// official client against the fake, so subscription change and the 90-day changes are known on day 1
// from a handful of portfolio-wide list pages.
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
const monthly = ['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01'];

/** A subscription of `seats` seats with a paid invoice on each of `days` (lines from the subscription). */
function steadyCustomer(customer: string, seats: number, days = monthly): string {
  const sub = fake.addSubscription(seatSubscription(customer, seats, { created: '2026-01-01T00:00:00Z' }));
  for (const d of days)
    fake.addInvoice({ customer, subscription: sub, status: 'paid', amountDue: seats * 5000, created: `${d}T02:00:00Z` });
  return sub;
}

async function firstRun(customer: string, at = asOf) {
  const source = sourceFor(fake);
  const ctx = context(at, new MemoryStateStore());
  const report = await source.sync?.(ctx);
  const result = await source.read([account('acct', customer)], ctx);
  return { signals: result.signals.get('acct'), report };
}

const historyCalls = () => fake.server.calls('GET', '/v1/invoices').filter((c) => c.query.includes('created'));

describe('backfilling history on the first run', () => {
  it('given 4 months of steady invoices, when synced for the first time, then stable with 0 MRR and seat change', async () => {
    steadyCustomer('cus_steady', 10);
    const { signals } = await firstRun('cus_steady');
    expect(signals).toMatchObject({
      'billing.subscriptionChange': 'stable',
      'billing.mrrChange90d': 0,
      'growth.seatChange90d': 0,
      'stripe.seats': 10,
    });
  });

  it('given invoices showing 10 seats until a 15-seat invoice 40 days ago, when synced for the first time, then an upgrade of 50%', async () => {
    const sub = fake.addSubscription(seatSubscription('cus_up', 15, { created: '2026-01-01T00:00:00Z' }));
    for (const d of ['2026-02-01', '2026-03-01', '2026-04-01'])
      fake.addInvoice({
        customer: 'cus_up',
        subscription: sub,
        status: 'paid',
        amountDue: 50_000,
        created: `${d}T02:00:00Z`,
        lines: [{ price: seatPrice.id, quantity: 10 }],
      });
    // the seat increase on 2026-04-22 re-anchored the cycle: the new period's charge and a proration credit
    fake.addInvoice({
      customer: 'cus_up',
      subscription: sub,
      status: 'paid',
      amountDue: 60_000,
      created: '2026-04-22T10:00:00Z',
      lines: [
        { price: seatPrice.id, quantity: 15 },
        { price: seatPrice.id, quantity: 10, amount: -15_000, proration: true },
      ],
    });
    fake.addInvoice({ customer: 'cus_up', subscription: sub, status: 'paid', amountDue: 75_000, created: '2026-05-22T02:00:00Z' });
    const { signals } = await firstRun('cus_up');
    expect(signals).toMatchObject({
      'billing.subscriptionChange': 'upgrade',
      'billing.mrrChange90d': 0.5,
      'growth.seatChange90d': 0.5,
      'stripe.seats': 15,
    });
  });

  it('given invoices only from the last 60 days, when synced for the first time, then subscription change is known but the 90-day changes are absent', async () => {
    steadyCustomer('cus_young', 8, ['2026-04-02', '2026-05-02']);
    const { signals } = await firstRun('cus_young');
    expect(signals?.['billing.subscriptionChange']).toBe('stable');
    expect(signals).not.toHaveProperty('billing.mrrChange90d');
    expect(signals).not.toHaveProperty('growth.seatChange90d');
  });

  it('given a voided invoice and a draft showing other seats, when synced for the first time, then they are ignored', async () => {
    const sub = steadyCustomer('cus_void', 10);
    for (const status of ['void', 'draft'] as const)
      fake.addInvoice({
        customer: 'cus_void',
        subscription: sub,
        status,
        amountDue: 10_000,
        created: '2026-04-10T02:00:00Z',
        lines: [{ price: seatPrice.id, quantity: 2 }],
      });
    const { signals } = await firstRun('cus_void');
    expect(signals).toMatchObject({ 'billing.subscriptionChange': 'stable', 'growth.seatChange90d': 0 });
  });

  it('given invoices created after asOf, when a past day is synced, then they are not read and do not count', async () => {
    const sub = steadyCustomer('cus_pit', 10, ['2026-01-01', '2026-02-01', '2026-03-01']);
    fake.addInvoice({
      customer: 'cus_pit',
      subscription: sub,
      status: 'paid',
      amountDue: 10_000,
      created: '2026-03-20T02:00:00Z',
      lines: [{ price: seatPrice.id, quantity: 2 }],
    });
    const at = day('2026-03-15');
    const { signals } = await firstRun('cus_pit', at);
    expect(signals).toMatchObject({ 'billing.subscriptionChange': 'stable', 'stripe.seats': 10 });
    expect(historyCalls()[0]?.query).toContain(`created[lte]=${Math.floor(at.getTime() / 1000)}`);
  });

  it('given an invoice with more lines than it embeds, when backfilled, then the rest are read from its lines endpoint', async () => {
    const sub = steadyCustomer('cus_many', 12, ['2026-02-01', '2026-03-01']);
    fake.addInvoice({
      customer: 'cus_many',
      subscription: sub,
      status: 'paid',
      amountDue: 60_000,
      created: '2026-04-01T02:00:00Z',
      lines: Array.from({ length: 12 }, () => ({ price: seatPrice.id, quantity: 1 })),
    });
    const { signals } = await firstRun('cus_many');
    expect(fake.server.log.filter((c) => c.path.endsWith('/lines'))).toHaveLength(1);
    expect(signals).toMatchObject({ 'billing.subscriptionChange': 'stable', 'growth.seatChange90d': 0 });
  });
});

describe('the cost of the backfill', () => {
  it('given 120 customers with 4 months of invoices, when first synced, then the history is a few list pages and later days read none', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `cus_c${String(i).padStart(4, '0')}`);
    for (const id of ids) steadyCustomer(id, 5);
    const source = sourceFor(fake);
    const state = new MemoryStateStore();
    await source.sync?.(context(asOf, state));
    const firstDay = fake.server.log.length;
    console.log(
      `first sync of 120 customers (480 invoices): ${firstDay} Stripe calls, ${historyCalls().length} of them invoice-history pages`,
    );
    // 480 invoices in the window = 5 pages of 100; besides them 2 subscription pages and 1 open-invoice page
    expect(historyCalls()).toHaveLength(5);
    expect(historyCalls().every((c) => !c.query.includes('customer='))).toBe(true);
    expect(firstDay).toBe(2 + 1 + 5);
    const result = await source.read(
      ids.map((id) => account(id, id)),
      context(asOf, state),
    );
    expect([...result.signals.values()].every((s) => s['billing.subscriptionChange'] === 'stable' && s['billing.mrrChange90d'] === 0)).toBe(
      true,
    );

    // day 2: one new customer is backfilled with one call of its own, the others from state
    steadyCustomer('cus_newcomer', 3);
    await source.sync?.(context(day('2026-06-02'), state));
    const second = historyCalls().slice(5);
    expect(second).toHaveLength(1);
    expect(second[0]?.query).toContain('customer=cus_newcomer');
  });
});
