// The portfolio-wide read of a Stripe sync, page by page with a checkpoint after each: every
// subscription (status=all, latest invoice, schedule and customer expanded), then the open invoices, 100 a
// page. Each page's valid records are saved in the state under its page number and the checkpoint
// (list, `starting_after`, pages saved, rejections so far) after it, so a sync stopped by the
// deadline resumes at the next page; the pages kept are read back when the lists are done. A
// checkpoint of another `asOf` is ignored (the portfolio is read anew). Then the few reads that
// complete it (truncated item lists, the payments of open attempted invoices: billing-reads.ts).
import type Stripe from 'stripe';
import { formatIssues } from '../../lib/zod-issues.ts';
import { redactError } from '../shared/http-trace.ts';
import type { RejectedRecord, SourceContext, StateStore } from '../shared/source.ts';
import { type CustomerBilling, fromStripeSubscriptions, type PaymentAttempt } from './billing-model.ts';
import { completeItems, type KnownFailures, needsPaymentRead, readPaymentAttempts } from './billing-reads.ts';
import type { StripeConfig } from './config.ts';
import { createStripeClient, toStripeError } from './stripe-client.ts';
import { type RawInvoice, type RawPrice, type RawSubscription, rawInvoice, rawSubscription, refId, unknownValues } from './stripe-raw.ts';

export interface PortfolioRead {
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

/** Records that failed their schema: each reported, and its customer left unscored this run. */
export class Rejections {
  readonly rejected: RejectedRecord[] = [];
  readonly customers = new Map<string, string>();
  add(raw: unknown, kind: string, reason: string): void {
    const r = raw as { id?: unknown; customer?: unknown };
    const id = typeof r?.id === 'string' ? r.id : `(${kind} without id)`;
    this.rejected.push({ recordId: id, reason: `${kind}: ${reason}` });
    const cus = typeof r?.customer === 'string' ? r.customer : (r?.customer as { id?: unknown } | undefined)?.id;
    if (typeof cus === 'string') this.customers.set(cus, `Stripe ${kind} ${id} failed validation (${reason})`);
  }
}

/**
 * Completes what the lists read (truncated item lists paged, the payments of open attempted invoices
 * read) and maps it per customer; `records` grows by those calls.
 */
export async function completePortfolioRead(
  config: StripeConfig,
  client: Stripe,
  subs: RawSubscription[],
  invoices: readonly RawInvoice[],
  rejections: Rejections,
  records: number,
  state?: StateStore,
): Promise<PortfolioRead> {
  const calls = { items: 0, payments: 0 };
  for (const id of await completeItems(client, subs, rejections.rejected, calls)) {
    const sub = subs.find((s) => s.id === id);
    if (sub) rejections.customers.set(refId(sub.customer), `Stripe subscription ${id}: an item failed validation`);
  }
  const latest = subs.flatMap((s) => (s.latest_invoice && typeof s.latest_invoice !== 'string' ? [s.latest_invoice] : []));
  const attempted = latest.filter(needsPaymentRead);
  const known = (await state?.get<KnownFailures>(FAILURES_KEY)) ?? {};
  const payments = await readPaymentAttempts(client, attempted, rejections.rejected, calls, known);
  if (state) {
    // Only the failures of invoices still open and attempted are kept: a paid or voided invoice leaves.
    const failures: KnownFailures = {};
    for (const inv of attempted) if (payments.get(inv.id) === 'failed') failures[inv.id] = { attemptCount: inv.attempt_count };
    await state.put(FAILURES_KEY, failures);
  }
  return toPortfolioRead(config, subs, invoices, rejections, records + calls.items + calls.payments, payments);
}

/** Subscriptions and open invoices, grouped per customer and mapped to each customer's billing facts. */
function toPortfolioRead(
  config: StripeConfig,
  subs: readonly RawSubscription[],
  invoices: readonly RawInvoice[],
  rejections: Rejections,
  records: number,
  payments: ReadonlyMap<string, PaymentAttempt>,
): PortfolioRead {
  const customers: PortfolioRead['customers'] = new Map();
  const prices = new Map<string, RawPrice>();
  const subsBy = new Map<string, RawSubscription[]>();
  for (const s of subs) {
    for (const item of s.items.data) prices.set(item.price.id, item.price);
    const c = s.customer as string | { id: string; email?: unknown; name?: unknown };
    if (typeof c === 'object')
      customers.set(c.id, { email: typeof c.email === 'string' ? c.email : null, name: typeof c.name === 'string' ? c.name : null });
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
    if (rejections.customers.has(id)) continue;
    billing.set(id, fromStripeSubscriptions(id, list, invoicesBy.get(id) ?? [], prices, { seatProducts: config.seatProducts }, payments));
  }
  return {
    billing,
    customers,
    prices,
    rejected: rejections.rejected,
    rejectedCustomers: rejections.customers,
    records,
    warnings: subs.flatMap(unknownValues),
  };
}

type List = 'subscriptions' | 'invoices';

/** Where the portfolio read stands after its last saved page. */
export interface PortfolioCheckpoint {
  asOf: string;
  /** The list being read, or 'done' once both are. */
  list: List | 'done';
  /** The id of the last record of the last saved page of `list`; undefined at its start. */
  startingAfter: string | undefined;
  /** Pages saved (their keys are pageKey(0..pages-1)). */
  pages: number;
  records: number;
  rejected: RejectedRecord[];
  rejectedCustomers: Record<string, string>;
}

interface SavedPage {
  subscriptions: RawSubscription[];
  invoices: RawInvoice[];
}

export const PORTFOLIO_KEY = 'stripe:portfolio';
/** Invoices whose latest attempt was read as failed, with the attempt count it was read at. */
const FAILURES_KEY = 'stripe:payment-failures';
const pageKey = (n: number) => `stripe:portfolio:page:${n}`;

/** One page of a list, from `startingAfter`; `raw` holds the records as Stripe sent them. */
async function fetchPage(client: Stripe, ctx: SourceContext, list: List, startingAfter: string | undefined) {
  const after = startingAfter === undefined ? {} : { starting_after: startingAfter };
  try {
    if (list === 'subscriptions') {
      // https://docs.stripe.com/api/subscriptions/list (status=all includes canceled; expand: https://docs.stripe.com/api/expanding_objects)
      const page = await client.subscriptions.list({
        status: 'all',
        limit: 100,
        // The customer is expanded for matching accounts by its e-mail's domain (no extra call).
        expand: ['data.latest_invoice', 'data.schedule', 'data.customer'],
        ...after,
      });
      return { raw: page.data as unknown[], hasMore: page.has_more };
    }
    // https://docs.stripe.com/api/invoices/list
    const page = await client.invoices.list({ status: 'open', limit: 100, ...after });
    return { raw: page.data as unknown[], hasMore: page.has_more };
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw redactError(toStripeError(err));
  }
}

/** Reads the whole portfolio, resuming a read of the same `asOf` cut short; throws the abort reason when stopped. */
export async function readPortfolioPaged(config: StripeConfig, ctx: SourceContext): Promise<PortfolioRead> {
  const asOf = ctx.asOf.toISOString();
  const saved = await ctx.state.get<PortfolioCheckpoint>(PORTFOLIO_KEY);
  let at: PortfolioCheckpoint =
    saved?.asOf === asOf
      ? saved
      : { asOf, list: 'subscriptions', startingAfter: undefined, pages: 0, records: 0, rejected: [], rejectedCustomers: {} };
  if (at.pages > 0) ctx.log?.('stripe.portfolio_resumed', { list: at.list, pages: at.pages });
  const earlier = at.pages;
  const read: SavedPage[] = [];
  const client = createStripeClient(config, ctx.signal);
  while (at.list !== 'done') {
    const list: List = at.list;
    const { raw, hasMore } = await fetchPage(client, ctx, list, at.startingAfter);
    const rejections = new Rejections();
    const page: SavedPage = { subscriptions: [], invoices: [] };
    for (const r of raw) {
      const parsed = list === 'subscriptions' ? rawSubscription.safeParse(r) : rawInvoice.safeParse(r);
      if (!parsed.success) rejections.add(r, list === 'subscriptions' ? 'subscription' : 'invoice', formatIssues(parsed.error));
      else if (list === 'subscriptions') page.subscriptions.push(parsed.data as RawSubscription);
      else page.invoices.push(parsed.data as RawInvoice);
    }
    const last = (raw.at(-1) as { id?: unknown } | undefined)?.id;
    const next: List | 'done' = hasMore && typeof last === 'string' ? list : list === 'subscriptions' ? 'invoices' : 'done';
    // The page first, the checkpoint last: a sync stopped between them reads this page again.
    await ctx.state.put(pageKey(at.pages), page);
    read.push(page);
    at = {
      asOf,
      list: next,
      startingAfter: next === list ? (last as string) : undefined,
      pages: at.pages + 1,
      records: at.records + raw.length,
      rejected: [...at.rejected, ...rejections.rejected],
      rejectedCustomers: { ...at.rejectedCustomers, ...Object.fromEntries(rejections.customers) },
    };
    await ctx.state.put(PORTFOLIO_KEY, at);
    ctx.log?.('stripe.portfolio_page', { list, page: at.pages, records: raw.length });
    if (ctx.signal?.aborted) throw ctx.signal.reason;
  }
  const before = earlier > 0 ? await ctx.state.getMany<SavedPage>(Array.from({ length: earlier }, (_, i) => pageKey(i))) : new Map();
  const pages = [...Array.from({ length: earlier }, (_, i) => before.get(pageKey(i)) as SavedPage), ...read];
  const rejections = new Rejections();
  rejections.rejected.push(...at.rejected);
  for (const [cus, why] of Object.entries(at.rejectedCustomers)) rejections.customers.set(cus, why);
  try {
    return await completePortfolioRead(
      config,
      client,
      pages.flatMap((p) => p.subscriptions),
      pages.flatMap((p) => p.invoices),
      rejections,
      at.records,
      ctx.state,
    );
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw redactError(toStripeError(err));
  }
}
