// Test kit for the Stripe source: a fake on a compressed clock (1 vendor second = 50 ms) and a source
// whose budget and retry waits are compressed the same way, plus a portfolio builder.

import type { AccountRef, SourceContext } from '../../../connectors/shared/source.ts';
import type { StripeConfigInput } from '../../../connectors/stripe/config.ts';
import type { SeedStripeSubscription } from '../../../connectors/stripe/fake/seed.ts';
import { type StripeFake, startStripeFake } from '../../../connectors/stripe/fake/server.ts';
import { createStripeSource } from '../../../connectors/stripe/stripe-source.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';

export const SCALE = 20;
export const WINDOW_MS = 1000 / SCALE;

export const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

export function startFake(): Promise<StripeFake> {
  return startStripeFake({ clockScale: SCALE });
}

export function sourceFor(fake: StripeFake, extra: Partial<StripeConfigInput> = {}) {
  return createStripeSource({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    rateLimit: { requests: 20, perMs: WINDOW_MS, safety: 0, perEndpoint: { perMs: WINDOW_MS } },
    retry: { baseDelayMs: 5, maxDelayMs: 40, maxTotalWaitMs: 5_000 },
    ...extra,
  });
}

export function context(asOf: Date, state = new MemoryStateStore()): SourceContext {
  return { asOf, state };
}

export const account = (accountId: string, stripeCustomerId?: string): AccountRef => ({
  accountId,
  identities: stripeCustomerId ? { stripeCustomerId } : {},
});

/** A $50/seat monthly plan. */
export const seatPrice = { id: 'price_seat_monthly', unitAmount: 5000, interval: 'month' as const, product: 'prod_seats' };

export function seatSubscription(customer: string, seats: number, extra: Partial<SeedStripeSubscription> = {}): SeedStripeSubscription {
  return { customer, items: [{ price: seatPrice, quantity: seats }], created: '2026-01-01T00:00:00Z', ...extra };
}

/** `n` customers `cus_p0000`… each with one paid subscription of 10 seats. */
export function seedPortfolio(fake: StripeFake, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const customer = `cus_p${String(i).padStart(4, '0')}`;
    const sub = fake.addSubscription(seatSubscription(customer, 10, { created: new Date(Date.UTC(2026, 0, 1) + i * 60_000) }));
    fake.addInvoice({ customer, subscription: sub, status: 'paid', amountDue: 50_000, created: '2026-05-01T00:00:00Z' });
    ids.push(customer);
  }
  return ids;
}
