// The Stripe fake itself, driven by the official client with its own defaults: list objects and
// both pagination directions, expand on lists and retrieves, Stripe's error bodies (401, 400 unknown
// parameter, 404 resource_missing) and the 25 req/s test-mode limit.
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WaitOnlyClock } from '../../../connectors/shared/fake/server.ts';
import { type StripeFake, startStripeFake, takeStripeRuleViolations } from '../../../connectors/stripe/fake/server.ts';
import { seatPrice, seatSubscription, startFake } from './stripe-kit.ts';

let fake: StripeFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

const sdk = (key = fake.apiKey) => new Stripe(key, { host: fake.host, port: fake.port, protocol: fake.protocol, maxNetworkRetries: 0 });

describe('the Stripe fake', () => {
  it('given 3 subscriptions, when paged 2 at a time forwards and backwards, then Stripe list objects come back newest first', async () => {
    const [a, b, c] = ['cus_a', 'cus_b', 'cus_c'].map((cus, i) =>
      fake.addSubscription(seatSubscription(cus, 1, { created: `2026-0${i + 1}-01T00:00:00Z` })),
    );
    const first = await sdk().subscriptions.list({ limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/subscriptions' });
    expect(first.data.map((s) => s.id)).toEqual([c, b]);
    const second = await sdk().subscriptions.list({ limit: 2, starting_after: b as string });
    expect(second.data.map((s) => s.id)).toEqual([a]);
    expect(second.has_more).toBe(false);
    const back = await sdk().subscriptions.list({ limit: 2, ending_before: a as string });
    expect(back.data.map((s) => s.id)).toEqual([c, b]);
  });

  it('given a subscription with an invoice and a schedule, when expanded, then the objects replace their ids', async () => {
    const sub = fake.addSubscription(
      seatSubscription('cus_x', 5, { schedule: [{ start: '2026-07-01T00:00:00Z', items: [{ price: seatPrice.id, quantity: 3 }] }] }),
    );
    const inv = fake.addInvoice({
      customer: 'cus_x',
      subscription: sub,
      status: 'paid',
      amountDue: 25_000,
      created: '2026-05-01T00:00:00Z',
    });
    // Four levels at most (https://docs.stripe.com/expand): `data.` of a list counts as one.
    const list = await sdk().subscriptions.list({ expand: ['data.latest_invoice', 'data.schedule'] });
    const s = list.data[0] as unknown as { latest_invoice: { id: string; status: string }; schedule: { id: string } };
    expect(s.latest_invoice).toMatchObject({ id: inv, status: 'paid' });
    const schedule = await sdk().subscriptionSchedules.retrieve(s.schedule.id, { expand: ['phases.items.price'] });
    expect((schedule.phases[0]?.items[0]?.price as { unit_amount?: number } | undefined)?.unit_amount).toBe(5000);
    await expect(sdk().subscriptions.list({ expand: ['data.schedule.phases.items.price'] })).rejects.toThrow(/more than 4 levels/);
    expect(takeStripeRuleViolations()).toEqual(['expand-depth-4: GET /v1/subscriptions']);
    const one = await sdk().subscriptions.retrieve(sub, { expand: ['customer'] });
    expect((one.customer as { id: string }).id).toBe('cus_x');
  });

  it("given bad requests, when sent, then Stripe's error types and codes come back", async () => {
    await expect(sdk('sk_test_notTheRightKey99').subscriptions.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    await expect(sdk().subscriptions.retrieve('sub_missing')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      statusCode: 404,
    });
    await expect(sdk().subscriptions.list({ limit: 101 })).rejects.toMatchObject({ code: 'parameter_invalid_integer' });
    await expect(sdk().subscriptions.list({ expand: ['data.nothing'] })).rejects.toThrow(/cannot be expanded/);
    await expect(sdk().subscriptionItems.list({} as never)).rejects.toMatchObject({ code: 'parameter_missing', param: 'subscription' });
    expect(takeStripeRuleViolations()).toEqual([
      'list-limit-100: GET /v1/subscriptions',
      'subscription-items-need-subscription: GET /v1/subscription_items',
    ]);
  });

  it('given more than 25 requests in one second, when sent, then the fake answers 429 rate_limit', async () => {
    // vendor time stands still (Stripe sends no Retry-After, so it never moves): all 40 fall in one second
    await fake.close();
    fake = await startStripeFake({ clock: new WaitOnlyClock() });
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        sdk()
          .customers.list()
          .then(
            () => 200,
            (e: { statusCode?: number; code?: string }) => (e.code === 'rate_limit' ? e.statusCode : -1),
          ),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(25);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });
});
