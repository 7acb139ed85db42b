// A Stripe sync checkpoints after every page of its portfolio read: stopped after page N (the
// deadline), it resumes at page N+1 when synced again (counted at the fake), and what it stores
// equals the signals of a sync that was never stopped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StripeFake } from '../../../connectors/stripe/fake/server.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { account, context, day, seedPortfolio, sourceFor, startFake } from './stripe-kit.ts';

let fake: StripeFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

const asOf = day('2026-06-01');
const subscriptionPages = () => fake.server.calls('GET', '/v1/subscriptions');

/** Every customer's signals after a sync into `state`. */
async function signalsOf(ids: string[], state: MemoryStateStore) {
  const result = await sourceFor(fake).read(
    ids.map((id) => account(id, id)),
    context(asOf, state),
  );
  return { signals: result.signals, unmatched: result.unmatched };
}

describe('a Stripe sync stopped mid-read', () => {
  it('given 250 subscriptions (3 pages) and a sync stopped after page 2, when synced again, then it reads only page 3 onwards and stores what an uninterrupted sync stores', async () => {
    const ids = seedPortfolio(fake, 250);
    const whole = new MemoryStateStore();
    const wholeReport = await sourceFor(fake).sync?.(context(asOf, whole));
    const expected = await signalsOf(ids, whole);
    expect(expected.signals.size).toBe(250);

    const state = new MemoryStateStore();
    const stop = new AbortController();
    const before = subscriptionPages().length;
    const stopped = sourceFor(fake).sync?.({
      ...context(asOf, state),
      signal: stop.signal,
      log: (event, detail) => {
        if (event === 'stripe.portfolio_page' && detail.page === 2) stop.abort(new Error('deadline'));
      },
    });
    await expect(stopped).rejects.toThrow('deadline');
    const firstTry = subscriptionPages().slice(before);
    expect(firstTry).toHaveLength(2);

    const events: string[] = [];
    const report = await sourceFor(fake).sync?.({ ...context(asOf, state), log: (event) => events.push(event) });
    const secondTry = subscriptionPages().slice(before + 2);
    // Page 3 only, after the last subscription of page 2; then the open invoices as usual.
    expect(secondTry).toHaveLength(1);
    expect(secondTry[0]?.query).toContain('starting_after=');
    expect(secondTry[0]?.query).not.toBe(firstTry[1]?.query);
    expect(events).toContain('stripe.portfolio_resumed');
    expect(report?.records).toBe(wholeReport?.records);
    expect(await signalsOf(ids, state)).toEqual(expected);
  });

  it('given a sync stopped after its last subscription page, when synced again, then no subscription page is read again', async () => {
    const ids = seedPortfolio(fake, 150);
    const state = new MemoryStateStore();
    const stop = new AbortController();
    const stopped = sourceFor(fake).sync?.({
      ...context(asOf, state),
      signal: stop.signal,
      log: (event, detail) => {
        if (event === 'stripe.portfolio_page' && detail.list === 'subscriptions' && detail.page === 2) stop.abort(new Error('deadline'));
      },
    });
    await expect(stopped).rejects.toThrow('deadline');
    expect(subscriptionPages()).toHaveLength(2);
    await sourceFor(fake).sync?.(context(asOf, state));
    expect(subscriptionPages()).toHaveLength(2);
    expect(fake.server.calls('GET', '/v1/invoices').filter((c) => c.query.includes('status=open'))).toHaveLength(1);
    expect((await signalsOf(ids, state)).signals.size).toBe(150);
  });

  it('given a checkpoint left by a sync at another instant, when synced, then the portfolio is read from its first page', async () => {
    seedPortfolio(fake, 150);
    const state = new MemoryStateStore();
    const stop = new AbortController();
    const stopped = sourceFor(fake).sync?.({
      ...context(day('2026-05-31'), state),
      signal: stop.signal,
      log: (event) => event === 'stripe.portfolio_page' && stop.abort(new Error('deadline')),
    });
    await expect(stopped).rejects.toThrow('deadline');
    await sourceFor(fake).sync?.(context(asOf, state));
    const pages = subscriptionPages();
    expect(pages).toHaveLength(3);
    expect(pages[1]?.query).not.toContain('starting_after=');
  });

  it('given a first sync stopped after page 2 of the invoice history, when synced again, then it reads history page 3 only, no subscription page, and stores what an uninterrupted sync stores', async () => {
    const ids = seedPortfolio(fake, 250);
    const history = () => fake.server.calls('GET', '/v1/invoices').filter((c) => c.query.includes('created'));
    const whole = new MemoryStateStore();
    await sourceFor(fake).sync?.(context(asOf, whole));
    const expected = await signalsOf(ids, whole);
    expect(history()).toHaveLength(3);

    const state = new MemoryStateStore();
    const stop = new AbortController();
    const stopped = sourceFor(fake).sync?.({
      ...context(asOf, state),
      signal: stop.signal,
      log: (event, detail) => {
        if (event === 'stripe.history_page' && detail.page === 2) stop.abort(new Error('deadline'));
      },
    });
    await expect(stopped).rejects.toThrow('deadline');
    expect(history()).toHaveLength(3 + 2);
    const subscriptionsBefore = subscriptionPages().length;

    await sourceFor(fake).sync?.(context(asOf, state));
    expect(subscriptionPages()).toHaveLength(subscriptionsBefore);
    const resumed = history().slice(5);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.query).toContain('starting_after=');
    expect(await signalsOf(ids, state)).toEqual(expected);
  });
});
