// The Stripe billing source. `sync` reads the whole portfolio once per run through the official
// client (all subscriptions, 100 a page with a checkpoint after each, latest invoice, schedule and
// customer expanded; then the open invoices: portfolio-read.ts) — ⌈subscriptions/100⌉ + ⌈open
// invoices/100⌉ calls whatever the batch count — and stores each customer's facts plus its MRR/seat history in state. A customer without
// stored history has it backfilled from its invoices of the last 125 days (invoice-history-read.ts,
// billing-backfill.ts): on the first run one more portfolio-wide list, ⌈invoices/100⌉ pages.
// `read` answers a batch from state; without a sync at this `asOf` (e.g. a webhook rescoring one
// account) it reads just the batch's customers (two calls each, a third for one never seen).
// Beside the signals, `read` reports each joined account's lifecycle evidence (billing-lifecycle.ts).

import { addDays, isoDay } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import { type DomainRecord, emailDomain, type IdentityMatch, indexByDomain, matchByDomain } from '../shared/domain-match.ts';
import { redactError } from '../shared/http-trace.ts';
import type { AccountRef, SignalSource, SourceContext, SourceReadResult, SyncReport } from '../shared/source.ts';
import { emptyReadResult, IDENTITY } from '../shared/source.ts';
import { backfillHistory } from './billing-backfill.ts';
import { type BillingHistory, pruneHistory, recordDay } from './billing-history.ts';
import { toLifecycleEvidence } from './billing-lifecycle.ts';
import type { CustomerBilling } from './billing-model.ts';
import { toBillingSignals } from './billing-signals.ts';
import { parseStripeConfig, type StripeConfig, type StripeConfigInput } from './config.ts';
import { readInvoiceHistory } from './invoice-history-read.ts';
import { completePortfolioRead, type PortfolioRead, Rejections, readPortfolioPaged } from './portfolio-read.ts';
import { createStripeClient, toStripeError } from './stripe-client.ts';
import { type RawInvoice, type RawSubscription, rawInvoice, rawSubscription } from './stripe-raw.ts';

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

/** Reads one customer's subscriptions and open invoices and maps them (a read without the day's sync). */
async function readBilling(config: StripeConfig, ctx: SourceContext, customer: string): Promise<PortfolioRead> {
  const client = createStripeClient(config, ctx.signal);
  const subs: RawSubscription[] = [];
  const invoices: RawInvoice[] = [];
  const rejections = new Rejections();
  let records = 0;
  try {
    // https://docs.stripe.com/api/subscriptions/list (status=all includes canceled; expand: https://docs.stripe.com/api/expanding_objects)
    for await (const raw of client.subscriptions.list({
      status: 'all',
      limit: 100,
      expand: ['data.latest_invoice', 'data.schedule'],
      customer,
    })) {
      records++;
      const parsed = rawSubscription.safeParse(raw);
      if (parsed.success) subs.push(parsed.data);
      else rejections.add(raw, 'subscription', formatIssues(parsed.error));
    }
    // https://docs.stripe.com/api/invoices/list
    for await (const raw of client.invoices.list({ status: 'open', limit: 100, customer })) {
      records++;
      const parsed = rawInvoice.safeParse(raw);
      if (parsed.success) invoices.push(parsed.data);
      else rejections.add(raw, 'invoice', formatIssues(parsed.error));
    }
    return await completePortfolioRead(config, client, subs, invoices, rejections, records);
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw redactError(toStripeError(err));
  }
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
    // Page by page with a checkpoint after each (portfolio-read.ts): a sync stopped by the deadline resumes.
    const read = await readPortfolioPaged(config, ctx);
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
    const lifecycle: NonNullable<SourceReadResult['lifecycle']> = new Map();
    result.lifecycle = lifecycle;
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
      lifecycle.set(account.accountId, toLifecycleEvidence(state.billing.lifecycle, state.billing));
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
