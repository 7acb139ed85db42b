// The Stripe fake's store with its typed seeding API (customers, subscriptions with items, prices and
// schedules, invoices) and read API (the raw JSON objects the fake serves). Ids are deterministic
// (`cus_…`, `sub_…`, `in_…`), so a seeded portfolio reads the same on every run.
import { DAY_S } from '../../../lib/days.ts';
import { addInterval, buildInvoiceLine } from './invoice-lines.ts';
import { cancelSubscription, renewSubscription, setSubscriptionQuantity } from './lifecycle.ts';
import { buildInvoicePayment, buildPaymentIntent, defaultPayments, type SeedStripePayment } from './payments.ts';
import { buildSchedule } from './schedule.ts';
import {
  buildCustomer,
  buildInvoice,
  buildPrice,
  buildSubscription,
  buildSubscriptionItem,
  type SeedStripeCustomer,
  type SeedStripeInvoice,
  type SeedStripeInvoiceLine,
  type SeedStripeItem,
  type SeedStripeSubscription,
  type StripeJson,
  type StripeTime,
  toUnix,
} from './seed.ts';
import { asJson, type Stripe, type StripeShape } from './shape.ts';

export interface StripeFakeSeed {
  customers?: SeedStripeCustomer[];
  subscriptions?: SeedStripeSubscription[];
  invoices?: SeedStripeInvoice[];
}

/** What may change on a subscription later (the demo moves subscriptions through simulated days). */
export interface StripeSubscriptionPatch {
  status?: SeedStripeSubscription['status'];
  items?: SeedStripeItem[];
  currentPeriodStart?: SeedStripeSubscription['currentPeriodStart'];
  currentPeriodEnd?: SeedStripeSubscription['currentPeriodEnd'];
  cancelAtPeriodEnd?: boolean;
  cancelAt?: SeedStripeSubscription['cancelAt'];
  canceledAt?: SeedStripeSubscription['canceledAt'];
  endedAt?: SeedStripeSubscription['endedAt'];
  schedule?: SeedStripeSubscription['schedule'] | null;
}

export type StripeInvoicePatch = Partial<Omit<SeedStripeInvoice, 'id' | 'customer' | 'subscription' | 'lines'>>;

export class StripeFakeData {
  readonly collections = {
    customers: new Map<string, StripeJson>(),
    subscriptions: new Map<string, StripeJson>(),
    invoices: new Map<string, StripeJson>(),
    schedules: new Map<string, StripeJson>(),
    prices: new Map<string, StripeJson>(),
    paymentIntents: new Map<string, StripeJson>(),
    invoicePayments: new Map<string, StripeJson>(),
  };
  /** Every item of each subscription (the subscription object embeds the first ten). */
  readonly items = new Map<string, StripeJson[]>();
  private readonly seeds = new Map<string, SeedStripeSubscription>();
  private readonly invoiceSeeds = new Map<string, SeedStripeInvoice>();
  /** Every line of each invoice (the invoice object embeds the first ten). */
  readonly invoiceLines = new Map<string, StripeJson[]>();
  private counter = 0;
  private nowUnix: number | undefined;

  private nextId(prefix: string): string {
    this.counter++;
    return `${prefix}_${this.counter.toString(36).padStart(14, '0')}`;
  }

  /** The instant the API acts at (a cancellation's `canceled_at`); the wall clock unless set. */
  setNow(at: StripeTime | undefined): void {
    this.nowUnix = at === undefined ? undefined : toUnix(at);
  }

  now(): number {
    return this.nowUnix ?? Math.floor(Date.now() / 1000);
  }

  /** The seed a subscription is built from, as last updated. */
  subscriptionSeed(id: string): Readonly<SeedStripeSubscription> | undefined {
    return this.seeds.get(id);
  }

  /** Cancels a subscription now (or `at`), as `DELETE /v1/subscriptions/:id` does (fake/lifecycle.ts). */
  cancelSubscription(id: string, at?: StripeTime): void {
    cancelSubscription(this, id, at);
  }

  /** Renews a subscription's period with its invoice, paid unless `paid: false`; returns the invoice id (fake/lifecycle.ts). */
  renewSubscription(id: string, options?: { paid?: boolean }): string {
    return renewSubscription(this, id, options);
  }

  /** Sets one item's quantity (the first unless `item` says which) (fake/lifecycle.ts). */
  setSubscriptionQuantity(id: string, quantity: number, item?: number): void {
    setSubscriptionQuantity(this, id, quantity, item);
  }

  seed(seed: StripeFakeSeed): void {
    for (const c of seed.customers ?? []) this.addCustomer(c);
    for (const s of seed.subscriptions ?? []) this.addSubscription(s);
    for (const i of seed.invoices ?? []) this.addInvoice(i);
  }

  addCustomer(c: SeedStripeCustomer): string {
    const id = c.id ?? this.nextId('cus');
    this.collections.customers.set(id, buildCustomer(id, c, Math.floor(Date.now() / 1000)));
    return id;
  }

  /** Registers a price (or returns the id of an existing one). */
  addPrice(p: SeedStripeItem['price'], created = Math.floor(Date.now() / 1000)): string {
    if (typeof p === 'string') {
      if (!this.collections.prices.has(p)) throw new Error(`stripe fake: unknown price ${p}`);
      return p;
    }
    const id = p.id ?? this.nextId('price');
    if (!this.collections.prices.has(id)) this.collections.prices.set(id, buildPrice(id, p, created));
    return id;
  }

  /** Adds a subscription (and its customer if unknown); returns its id. */
  addSubscription(s: SeedStripeSubscription): string {
    const id = s.id ?? this.nextId('sub');
    if (this.collections.subscriptions.has(id)) throw new Error(`stripe fake: subscription ${id} exists`);
    if (!this.collections.customers.has(s.customer)) this.addCustomer({ id: s.customer });
    this.seeds.set(id, { ...s, id });
    this.rebuild(id);
    return id;
  }

  updateSubscription(id: string, patch: StripeSubscriptionPatch): void {
    const s = this.seeds.get(id);
    if (!s) throw new Error(`stripe fake: no subscription ${id}`);
    const next: SeedStripeSubscription = { ...s };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null && k === 'schedule') delete next.schedule;
      else (next as unknown as Record<string, unknown>)[k] = v;
    }
    this.seeds.set(id, next);
    this.rebuild(id);
  }

  /** One interval of the first item's price after `start` for a yearly price (Stripe bills calendar years); 30 days otherwise. */
  private defaultPeriodEnd(s: SeedStripeSubscription, start: number): number {
    const price = s.items[0]?.price;
    const r =
      typeof price === 'string'
        ? (this.collections.prices.get(price)?.recurring as { interval: string; interval_count: number } | undefined)
        : { interval: price?.interval ?? 'month', interval_count: price?.intervalCount ?? 1 };
    return r?.interval === 'year' ? addInterval(start, 'year', r.interval_count) : start + 30 * DAY_S;
  }

  private rebuild(id: string): void {
    const s = this.seeds.get(id) as SeedStripeSubscription;
    const previous = this.collections.subscriptions.get(id);
    const created = s.created === undefined ? ((previous?.created as number) ?? Math.floor(Date.now() / 1000)) : toUnix(s.created);
    const start = s.currentPeriodStart === undefined ? created : toUnix(s.currentPeriodStart);
    const period = { start, end: s.currentPeriodEnd === undefined ? this.defaultPeriodEnd(s, start) : toUnix(s.currentPeriodEnd) };
    const oldItems = this.items.get(id) ?? [];
    const items = s.items.map((item, n) => {
      const priceId = this.addPrice(item.price, created);
      const old = oldItems[n];
      const itemId = old && (old.price as StripeJson).id === priceId ? String(old.id) : this.nextId('si');
      const itemCreated = item.created === undefined ? ((old?.created as number) ?? created) : toUnix(item.created);
      const price = this.collections.prices.get(priceId) as StripeJson;
      return buildSubscriptionItem(itemId, id, price, item.quantity ?? 1, itemCreated, period);
    });
    let scheduleId: string | null = (previous?.schedule as string | null | undefined) ?? null;
    if (s.schedule) {
      scheduleId ??= this.nextId('sub_sched');
      const phases = s.schedule.map(
        (ph): StripeShape<Stripe.SubscriptionSchedule.Phase> => ({
          start_date: toUnix(ph.start),
          // Stripe always gives a phase its end (the pinned API types it as a number, never null).
          end_date: ph.end === undefined ? toUnix(ph.start) + 365 * DAY_S : toUnix(ph.end),
          items: ph.items.map((it) => ({
            price: this.addPrice(it.price, created),
            quantity: it.quantity ?? 1,
            metadata: {},
            tax_rates: [],
          })),
          proration_behavior: 'create_prorations',
          metadata: {},
        }),
      );
      this.collections.schedules.set(scheduleId, buildSchedule(scheduleId, id, s.customer, phases, created));
    } else if (scheduleId) {
      this.collections.schedules.delete(scheduleId);
      scheduleId = null;
    }
    this.items.set(id, items);
    const json = buildSubscription(id, s, items, created, period, scheduleId);
    json.latest_invoice = previous?.latest_invoice ?? null;
    this.collections.subscriptions.set(id, json);
  }

  /** Adds an invoice; if it belongs to a subscription and is its newest, it becomes `latest_invoice`. */
  addInvoice(i: SeedStripeInvoice): string {
    const id = i.id ?? this.nextId('in');
    if (!this.collections.customers.has(i.customer)) this.addCustomer({ id: i.customer });
    const sub = i.subscription ? this.collections.subscriptions.get(i.subscription) : undefined;
    if (i.subscription && !sub) throw new Error(`stripe fake: no subscription ${i.subscription}`);
    this.invoiceSeeds.set(id, { ...i, id });
    this.invoiceLines.set(id, this.buildLines(id, i, sub));
    const json = buildInvoice(id, i, this.invoiceLines.get(id));
    this.collections.invoices.set(id, json);
    this.rebuildPayments(id);
    if (sub) {
      const latest = typeof sub.latest_invoice === 'string' ? this.collections.invoices.get(sub.latest_invoice) : undefined;
      if (!latest || (latest.created as number) <= (json.created as number)) sub.latest_invoice = id;
    }
    return id;
  }

  /** The seed's lines, or for a subscription invoice one line per item of the subscription as it is now. */
  private buildLines(invoice: string, i: SeedStripeInvoice, sub: StripeJson | undefined): StripeJson[] {
    const created = toUnix(i.created);
    const subscription = i.subscription ?? null;
    const items = ((sub?.items as { data: StripeJson[] } | undefined)?.data ?? []) as StripeJson[];
    const seeded: [SeedStripeInvoiceLine, string | null][] =
      i.lines?.map((l) => [l, null]) ??
      items.map((it) => [{ price: String((it.price as StripeJson).id), quantity: it.quantity as number }, String(it.id)]);
    return seeded.map(([line, item]) => {
      const price = this.collections.prices.get(this.addPrice(line.price, created)) as StripeJson;
      const subscriptionItem = item ?? (items.find((it) => (it.price as StripeJson).id === price.id)?.id as string | undefined) ?? null;
      return buildInvoiceLine(this.nextId('il'), line, price, { invoice, subscription, subscriptionItem, created });
    });
  }

  updateInvoice(id: string, patch: StripeInvoicePatch): void {
    const i = this.invoiceSeeds.get(id);
    if (!i) throw new Error(`stripe fake: no invoice ${id}`);
    const next = { ...i, ...patch } as SeedStripeInvoice;
    this.invoiceSeeds.set(id, next);
    this.collections.invoices.set(id, buildInvoice(id, next, this.invoiceLines.get(id)));
    this.rebuildPayments(id);
  }

  /** The invoice's InvoicePayments and their PaymentIntents, from its seed (ids stay stable across updates). */
  private rebuildPayments(invoice: string): void {
    const i = this.invoiceSeeds.get(invoice) as SeedStripeInvoice;
    for (const [key, p] of this.collections.invoicePayments)
      if (p.invoice === invoice) {
        this.collections.invoicePayments.delete(key);
        this.collections.paymentIntents.delete(String((p.payment as { payment_intent: string }).payment_intent));
      }
    const seeds: SeedStripePayment[] = i.payments ?? defaultPayments(i.status ?? 'draft', i.attempted ?? false);
    const ctx = { invoice, customer: i.customer, amount: i.amountDue, created: toUnix(i.created) };
    seeds.forEach((p, n) => {
      const suffix = `${invoice.slice(3)}${n}`;
      const intent = p.id ?? `pi_${suffix}`;
      this.collections.paymentIntents.set(intent, asJson(buildPaymentIntent(intent, p, ctx)));
      this.collections.invoicePayments.set(`inpay_${suffix}`, asJson(buildInvoicePayment(`inpay_${suffix}`, intent, p, ctx)));
    });
  }

  /** A PaymentIntent as the fake serves it. */
  paymentIntent(id: string): StripeJson | undefined {
    return this.collections.paymentIntents.get(id);
  }

  /** Merges raw JSON into a stored object, e.g. to make a record malformed. */
  patchRaw(kind: 'customer' | 'subscription' | 'invoice', id: string, patch: Record<string, unknown>): void {
    const map =
      kind === 'customer'
        ? this.collections.customers
        : kind === 'subscription'
          ? this.collections.subscriptions
          : this.collections.invoices;
    const obj = map.get(id);
    if (!obj) throw new Error(`stripe fake: no ${kind} ${id}`);
    Object.assign(obj, patch);
  }

  customer(id: string): StripeJson | undefined {
    return this.collections.customers.get(id);
  }
  subscription(id: string): StripeJson | undefined {
    return this.collections.subscriptions.get(id);
  }
  invoice(id: string): StripeJson | undefined {
    return this.collections.invoices.get(id);
  }
  customers(): StripeJson[] {
    return [...this.collections.customers.values()];
  }
  subscriptions(): StripeJson[] {
    return [...this.collections.subscriptions.values()];
  }
  invoices(): StripeJson[] {
    return [...this.collections.invoices.values()];
  }
}
