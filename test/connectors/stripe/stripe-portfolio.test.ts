// The Stripe source reading a whole portfolio through the official client against the fake:
// pagination, the fixed call count, 429s and faults waited out without loss or duplicates,
// malformed records reported and skipped, and the trace free of the key.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../connectors/shared/errors.ts';
import { FakeClock, FakeHttpServer } from '../../../connectors/shared/fake/server.ts';
import { type StripeFake, startStripeFake } from '../../../connectors/stripe/fake/server.ts';
import { createStripeSource } from '../../../connectors/stripe/stripe-source.ts';
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

/** Vendor time that moves `step` ms each time the fake reads it (once per request its rate limit counts), never with the wall clock. */
class RequestStepClock extends FakeClock {
  private at = Date.UTC(2026, 0, 1);
  private readonly step: number;
  constructor(step: number) {
    super(1);
    this.step = step;
  }
  override now(): number {
    this.at += this.step;
    return this.at;
  }
}

describe('reading the portfolio', () => {
  it('given 250 subscriptions, when first synced, then three subscription pages, one open-invoice page and three invoice-history pages are read and every customer gets signals', async () => {
    const ids = seedPortfolio(fake, 250);
    const source = sourceFor(fake);
    const ctx = context(asOf);
    const report = await source.sync?.(ctx);
    const pages = fake.server.calls('GET', '/v1/subscriptions');
    expect(pages).toHaveLength(3);
    expect(pages[0]?.query).toContain('limit=100');
    expect(pages[0]?.query).toContain('expand[0]=data.latest_invoice');
    expect(pages[1]?.query).toContain('starting_after=');
    const open = fake.server.calls('GET', '/v1/invoices').filter((c) => c.query.includes('status=open'));
    const history = fake.server.calls('GET', '/v1/invoices').filter((c) => c.query.includes('created'));
    expect(open).toHaveLength(1);
    // the first run backfills history with one portfolio-wide list (250 invoices), not a call per customer
    expect(history).toHaveLength(3);
    expect(history[0]?.query).toContain('created[gte]=');
    expect(history[0]?.query).not.toContain('customer=');
    expect(report?.records).toBe(500);
    const result = await source.read(
      ids.map((id) => account(`crm-${id}`, id)),
      ctx,
    );
    expect(result.signals.size).toBe(250);
    expect(result.unmatched).toEqual([]);
    expect(result.signals.get('crm-cus_p0007')).toMatchObject({
      'billing.paymentStatus': 'current',
      'billing.daysOverdue': 0,
      'stripe.seats': 10,
    });
    // read answers from state: no more vendor calls
    expect(fake.server.log).toHaveLength(7);
  });

  it('given 429s on the second page, when synced, then they are waited out and no subscription is lost or duplicated', async () => {
    const ids = seedPortfolio(fake, 250);
    fake.server.inject({
      match: (r) => r.path === '/v1/subscriptions' && r.query.has('starting_after'),
      times: 2,
      fault: { kind: 'status', status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many' } } },
    });
    const source = sourceFor(fake);
    const ctx = context(asOf);
    const report = await source.sync?.(ctx);
    expect(fake.server.calls('GET', '/v1/subscriptions').filter((c) => c.status === 429)).toHaveLength(2);
    // 250 subscriptions and the 250 invoices read to backfill history
    expect(report?.records).toBe(500);
    const result = await source.read(
      ids.map((id) => account(id, id)),
      ctx,
    );
    expect(result.signals.size).toBe(250);
  });

  it("given a client budget above the fake's 25 req/s, when reading many customers, then the fake answers 429 and every one is still read", async () => {
    // Vendor time moves 17 ms each time the fake reads its clock (twice a request: the global and
    // the per-endpoint limit), whatever the machine's speed: about 29 requests fall in a vendor
    // second, so some beyond the 25th are refused, deterministically, and retried into the next.
    await fake.close();
    fake = await startStripeFake({ clock: new RequestStepClock(17) });
    const ids = seedPortfolio(fake, 40);
    const source = sourceFor(fake, {
      rateLimit: { requests: 1000, perMs: 5, perEndpoint: { requests: 1000, perMs: 5 } },
      retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 5_000 },
    });
    // no sync at this asOf: read fetches each customer (2 calls each = 80 calls, over the 25/s limit)
    const result = await source.read(
      ids.map((id) => account(id, id)),
      context(asOf),
    );
    expect(fake.server.log.filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(80);
    expect(fake.server.log.some((c) => c.status === 429)).toBe(true);
    expect(result.signals.size).toBe(40);
    expect(result.unmatched).toEqual([]);
  });

  it('given a 503, a dropped connection and a malformed body, when synced, then each is retried and the data is complete', async () => {
    seedPortfolio(fake, 120);
    fake.server.inject({ match: (r) => r.path === '/v1/subscriptions', times: 1, fault: { kind: 'status', status: 503 } });
    fake.server.inject({ match: (r) => r.query.has('starting_after'), times: 1, fault: { kind: 'drop' } });
    fake.server.inject({ match: (r) => r.path === '/v1/invoices', times: 1, fault: { kind: 'malformed' } });
    const report = await sourceFor(fake).sync?.(context(asOf));
    // 120 subscriptions and the 120 invoices read to backfill history
    expect(report?.records).toBe(240);
    expect(fake.server.calls('GET', '/v1/subscriptions').map((c) => c.status)).toEqual([503, 200, 0, 200]);
    // the malformed body came with a 200 and was read again
    expect(fake.server.calls('GET', '/v1/invoices').filter((c) => c.query.includes('status=open'))).toHaveLength(2);
  });

  it('given one malformed subscription, when synced, then it is reported with its id and reason, its customer is unmatched, and the rest are scored', async () => {
    const ids = seedPortfolio(fake, 3);
    const bad = fake.subscriptions().find((s) => s.customer === ids[1]);
    fake.patchRaw('subscription', String(bad?.id), { cancel_at_period_end: 'sometimes' });
    const source = sourceFor(fake);
    const ctx = context(asOf);
    const report = await source.sync?.(ctx);
    expect(report?.rejected).toEqual([{ recordId: bad?.id, reason: expect.stringContaining('cancel_at_period_end') }]);
    const result = await source.read(
      ids.map((id) => account(id, id)),
      ctx,
    );
    expect([...result.signals.keys()]).toEqual([ids[0], ids[2]]);
    expect(result.unmatched).toEqual([{ accountId: ids[1], reason: expect.stringContaining('failed validation') }]);
  });
});

describe('credentials and secrets', () => {
  it('given a wrong key, when synced, then a ConfigError says what to fix and does not contain the key', async () => {
    const wrongKey = 'sk_test_wrongKeyWrongKey123';
    const source = createStripeSource({ apiKey: wrongKey, baseUrl: fake.url });
    const err = await source.sync?.(context(asOf)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/API key was rejected \(401\).*STRIPE_API_KEY/);
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain(wrongKey);
  });

  it('given a base URL that is not the Stripe API, when synced, then a ConfigError points at baseUrl', async () => {
    const other = new FakeHttpServer();
    const url = await other.start();
    try {
      await expect(createStripeSource({ apiKey: fake.apiKey, baseUrl: url }).sync?.(context(asOf))).rejects.toThrow(/404.*baseUrl/);
      expect(() => createStripeSource({ apiKey: fake.apiKey, baseUrl: `${url}/stripe` })).toThrow(
        /baseUrl: expected scheme, host and port only/,
      );
    } finally {
      await other.stop();
    }
  });

  it('given a config without a key, when the source is created, then a ConfigError names the field', () => {
    expect(() => createStripeSource({ apiKey: 'nope' })).toThrow(/apiKey: expected a Stripe secret key/);
  });

  it('given HEALTHSCORE_HTTP_TRACE, when synced, then every exchange is traced and the key appears nowhere', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stripe-trace-')), 'trace.jsonl');
    const previous = process.env.HEALTHSCORE_HTTP_TRACE;
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    try {
      seedPortfolio(fake, 5);
      await sourceFor(fake).sync?.(context(asOf, new MemoryStateStore()));
      await createStripeSource({ apiKey: 'sk_test_anotherWrongKey42', baseUrl: fake.url })
        .sync?.(context(asOf))
        .catch(() => undefined);
    } finally {
      if (previous === undefined) delete process.env.HEALTHSCORE_HTTP_TRACE;
      else process.env.HEALTHSCORE_HTTP_TRACE = previous;
    }
    const text = readFileSync(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { vendor: string; status: number });
    // subscriptions, open invoices, the invoice-history backfill, then the 401
    expect(lines.length).toBe(4);
    expect(lines.every((l) => l.vendor === 'stripe')).toBe(true);
    expect(lines.map((l) => l.status)).toEqual([200, 200, 200, 401]);
    expect(text).not.toContain(fake.apiKey);
    expect(text).not.toContain('sk_test_anotherWrongKey42');
  });
});
