// The Stripe billing source. `sync` reads the whole portfolio once per run through the official
// client (all subscriptions, 100 per page with auto-pagination, latest invoice and schedule expanded;
// then the open invoices) — ⌈subscriptions/100⌉ + ⌈open invoices/100⌉ calls whatever the batch
// count — and stores each customer's facts plus its MRR/seat history in state. A customer without
// stored history has it backfilled from its invoices of the last 125 days (invoice-history-read.ts,
// billing-backfill.ts): on the first run one more portfolio-wide list, ⌈invoices/100⌉ pages.
// `read` answers a batch from state; without a sync at this `asOf` (e.g. a webhook rescoring one
// account) it reads just the batch's customers (two calls each, a third for one never seen).

import { addDays, isoDay } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import { type DomainRecord, emailDomain, type IdentityMatch, indexByDomain, matchByDomain } from '../shared/domain-match.ts';
import { redactError } from '../shared/http-trace.ts';
import type { AccountRef, RejectedRecord, SignalSource, SourceContext, SourceReadResult, SyncReport } from '../shared/source.ts';
import { emptyReadResult, IDENTITY } from '../shared/source.ts';
import { backfillHistory } from './billing-backfill.ts';
import { type BillingHistory, pruneHistory, recordDay } from './billing-history.ts';
import { type CustomerBilling, fromStripeSubscriptions, type PaymentAttempt } from './billing-model.ts';
import { completeItems, needsPaymentRead, readPaymentAttempts } from './billing-reads.ts';
import { toBillingSignals } from './billing-signals.ts';
import { parseStripeConfig, type StripeConfig, type StripeConfigInput } from './config.ts';
import { readInvoiceHistory } from './invoice-history-read.ts';
import { createStripeClient, toStripeError } from './stripe-client.ts';
import { type RawInvoice, type RawPrice, type RawSubscription, rawInvoice, rawSubscription, refId, unknownValues } from './stripe-raw.ts';

interface CustomerState {
  /** The `asOf` (ISO) of the read that produced `billing`. */
  asOf: string;
  billing: CustomerBilling;
  history: BillingHistory;
}

interface SyncMarker {
  asOf: string;
  customers: number;
  /** Customers left unscored this run because one of their records failed its schema. */
  rejectedCustomers: Record<string, string>;
}

const SYNC_KEY = 'stripe:sync';
const customerKey = (id: string) => `stripe:customer:${id}`;

interface PortfolioRead {
  billing: Map<string, CustomerBilling>;
  /** Each customer's e-mail and name, from the subscriptions' expanded customer (portfolio reads only). */
  customers: Map<string, { email: string | null; name: string | null }>;
  /** Every price seen on a subscription item, by id. */
  prices: Map<string, RawPrice>;
  rejected: RejectedRecord[];
  rejectedCustomers: Map<string, string>;
  records: number;
  /** Values Stripe sent that this version does not know (kept): reported, never a rejection. */
  warnings: string[];
}

/** Reads subscriptions and open invoices (all customers, or one) and maps them per customer. */
async function readBilling(config: StripeConfig, ctx: SourceContext, customer?: string): Promise<PortfolioRead> {
  const client = createStripeClient(config, ctx.signal);
  const only = customer === undefined ? {} : { customer };
  const subs: RawSubscription[] = [];
  const invoices: RawInvoice[] = [];
  const rejected: RejectedRecord[] = [];
  const rejectedCustomers = new Map<string, string>();
  const customers: PortfolioRead['customers'] = new Map();
  let records = 0;
  let payments = new Map<string, PaymentAttempt>();
  const reject = (raw: unknown, kind: string, reason: string) => {
    const r = raw as { id?: unknown; customer?: unknown };
    const id = typeof r?.id === 'string' ? r.id : `(${kind} without id)`;
    rejected.push({ recordId: id, reason: `${kind}: ${reason}` });
    const cus = typeof r?.customer === 'string' ? r.customer : (r?.customer as { id?: unknown } | undefined)?.id;
    if (typeof cus === 'string') rejectedCustomers.set(cus, `Stripe ${kind} ${id} failed validation (${reason})`);
  };
  try {
    // https://docs.stripe.com/api/subscriptions/list (status=all includes canceled; expand: https://docs.stripe.com/api/expanding_objects)
    for await (const raw of client.subscriptions.list({
      status: 'all',
      limit: 100,
      // The customer is expanded on the portfolio read only, for matching accounts by domain (no extra calls).
      expand: ['data.latest_invoice', 'data.schedule', ...(customer === undefined ? ['data.customer'] : [])],
      ...only,
    })) {
      records++;
      const parsed = rawSubscription.safeParse(raw);
      if (parsed.success) {
        subs.push(parsed.data);
        const c = parsed.data.customer as { id: string; email?: unknown; name?: unknown };
        if (typeof c === 'object')
          customers.set(c.id, { email: typeof c.email === 'string' ? c.email : null, name: typeof c.name === 'string' ? c.name : null });
      } else reject(raw, 'subscription', formatIssues(parsed.error));
    }
    // https://docs.stripe.com/api/invoices/list
    for await (const raw of client.invoices.list({ status: 'open', limit: 100, ...only })) {
      records++;
      const parsed = rawInvoice.safeParse(raw);
      if (parsed.success) invoices.push(parsed.data);
      else reject(raw, 'invoice', formatIssues(parsed.error));
    }
    const calls = { items: 0, payments: 0 };
    for (const id of await completeItems(client, subs, rejected, calls)) {
      const sub = subs.find((s) => s.id === id);
      if (sub) rejectedCustomers.set(refId(sub.customer), `Stripe subscription ${id}: an item failed validation`);
    }
    const latest = subs.flatMap((s) => (s.latest_invoice && typeof s.latest_invoice !== 'string' ? [s.latest_invoice] : []));
    payments = await readPaymentAttempts(client, latest.filter(needsPaymentRead), rejected, calls);
    records += calls.items + calls.payments;
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw redactError(toStripeError(err));
  }
  const prices = new Map<string, RawPrice>();
  const subsBy = new Map<string, RawSubscription[]>();
  for (const s of subs) {
    for (const item of s.items.data) prices.set(item.price.id, item.price);
    const id = refId(s.customer);
    subsBy.set(id, [...(subsBy.get(id) ?? []), s]);
  }
  const invoicesBy = new Map<string, RawInvoice[]>();
  for (const inv of invoices) {
    if (inv.customer === null) continue;
    const id = refId(inv.customer);
    invoicesBy.set(id, [...(invoicesBy.get(id) ?? []), inv]);
  }
  const billing = new Map<string, CustomerBilling>();
  for (const [id, list] of subsBy) {
    if (rejectedCustomers.has(id)) continue;
    billing.set(id, fromStripeSubscriptions(id, list, invoicesBy.get(id) ?? [], prices, { seatProducts: config.seatProducts }, payments));
  }
  return { billing, customers, prices, rejected, rejectedCustomers, records, warnings: subs.flatMap(unknownValues) };
}

/**
 * Stores today's facts and appends today's MRR and seats to each customer's history; a customer
 * without stored history first gets it backfilled from its recent invoices. Adds the invoices read
 * to `read` (records, rejected).
 */
async function storeBilling(config: StripeConfig, ctx: SourceContext, read: PortfolioRead): Promise<void> {
  const day = isoDay(ctx.asOf);
  const keys = [...read.billing.keys()].map(customerKey);
  const existing = await ctx.state.getMany<CustomerState>(keys);
  const unseen = new Set([...read.billing.keys()].filter((id) => !existing.get(customerKey(id))?.history));
  const options = { seatProducts: config.seatProducts };
  const past = await readInvoiceHistory(config, ctx, unseen, read.billing.size, read.prices, options);
  read.records += past.records;
  const known = new Set(read.rejected.map((r) => r.recordId));
  read.rejected.push(...past.rejected.filter((r) => !known.has(r.recordId)));
  const entries: [string, CustomerState][] = [];
  for (const [id, b] of read.billing) {
    const before = existing.get(customerKey(id))?.history ?? backfillHistory(past.snapshots.get(id) ?? [], ctx.asOf);
    const history = pruneHistory(recordDay(before, day, b.mrrCents, b.seats), addDays(day, -100));
    entries.push([customerKey(id), { asOf: ctx.asOf.toISOString(), billing: b, history }]);
  }
  await ctx.state.putMany(entries);
}

/** The portfolio's customers as domain-matchable records: every customer to match by, the live ones to list when unclaimed. */
function customerDirectory(read: PortfolioRead): { asOf?: string; all: DomainRecord[]; live: DomainRecord[] } {
  const all: DomainRecord[] = [];
  const live: DomainRecord[] = [];
  for (const [id, c] of read.customers) {
    const domain = emailDomain(c.email);
    const label = [c.name, c.email].filter(Boolean).join(', ');
    const r: DomainRecord = { id, domains: domain ? [domain] : [], ...(label ? { label } : {}) };
    all.push(r);
    if (read.billing.get(id)?.live) live.push(r);
  }
  return { all, live };
}

export function createStripeSource(input: StripeConfigInput): SignalSource {
  const config = parseStripeConfig(input);
  /** The last portfolio read's customers, kept for the plan's identity matching right after the sync. */
  let directory: ReturnType<typeof customerDirectory> | undefined;

  async function sync(ctx: SourceContext): Promise<SyncReport> {
    const read = await readBilling(config, ctx);
    await storeBilling(config, ctx, read);
    directory = { ...customerDirectory(read), asOf: ctx.asOf.toISOString() };
    const marker: SyncMarker = {
      asOf: ctx.asOf.toISOString(),
      customers: read.billing.size,
      rejectedCustomers: Object.fromEntries(read.rejectedCustomers),
    };
    await ctx.state.put(SYNC_KEY, marker);
    ctx.log?.('stripe.sync', { records: read.records, customers: read.billing.size, rejected: read.rejected.length });
    return {
      records: read.records,
      rejected: read.rejected,
      checkpoint: { asOf: marker.asOf, customers: marker.customers },
      ...(read.warnings.length > 0 ? { warnings: read.warnings } : {}),
    };
  }

  async function read(accounts: readonly AccountRef[], ctx: SourceContext): Promise<SourceReadResult> {
    const result = emptyReadResult();
    const asOf = ctx.asOf.toISOString();
    const marker = await ctx.state.get<SyncMarker>(SYNC_KEY);
    const rejectedCustomers = new Map(Object.entries(marker?.asOf === asOf ? marker.rejectedCustomers : {}));
    const ids = [...new Set(accounts.map((a) => a.identities[IDENTITY.stripeCustomerId]).filter((id): id is string => Boolean(id)))];
    if (marker?.asOf !== asOf) {
      for (const id of ids) {
        const one = await readBilling(config, ctx, id);
        await storeBilling(config, ctx, one);
        result.rejected.push(...one.rejected);
        for (const [cus, why] of one.rejectedCustomers) rejectedCustomers.set(cus, why);
      }
    }
    const states = await ctx.state.getMany<CustomerState>(ids.map(customerKey));
    for (const account of accounts) {
      const id = account.identities[IDENTITY.stripeCustomerId];
      if (!id) {
        const note = account.identityNotes?.[IDENTITY.stripeCustomerId];
        result.unmatched.push({ accountId: account.accountId, reason: note ?? 'no stripeCustomerId identity on the account' });
        continue;
      }
      const why = rejectedCustomers.get(id);
      const state = states.get(customerKey(id));
      if (why || !state || state.asOf !== asOf) {
        result.unmatched.push({ accountId: account.accountId, reason: why ?? `Stripe has no subscription for customer ${id}` });
        continue;
      }
      const signals: Record<string, SignalValue> = toBillingSignals(state.billing, state.history, ctx.asOf, config);
      result.signals.set(account.accountId, signals);
    }
    return result;
  }

  async function matchIdentities(accounts: readonly AccountRef[], ctx: SourceContext): Promise<IdentityMatch | undefined> {
    if (!config.matchByDomain || directory?.asOf !== ctx.asOf.toISOString()) return undefined;
    return matchByDomain({
      key: IDENTITY.stripeCustomerId,
      noun: 'Stripe customer',
      accounts,
      byDomain: indexByDomain(directory.all),
      records: directory.live,
    });
  }

  return { name: 'stripe', sync, read, matchIdentities };
}
