// The portfolio-wide read of a Stripe sync, page by page with a checkpoint after each: every
// subscription (status=all, latest invoice and schedule expanded), then the open invoices, 100 a
// page. Each page's valid records are saved in the state under its page number and the checkpoint
// (list, `starting_after`, pages saved, rejections so far) after it, so a sync stopped by the
// deadline resumes at the next page; the pages kept are read back when the lists are done. A
// checkpoint of another `asOf` is ignored (the portfolio is read anew).
import { formatIssues } from '../../lib/zod-issues.ts';
import type { RejectedRecord, SourceContext } from '../shared/source.ts';
import { type CustomerBilling, fromStripeSubscriptions } from './billing-model.ts';
import type { StripeConfig } from './config.ts';
import { createStripeClient, toStripeError } from './stripe-client.ts';
import { type RawInvoice, type RawPrice, type RawSubscription, rawInvoice, rawSubscription, refId } from './stripe-raw.ts';

export interface PortfolioRead {
  billing: Map<string, CustomerBilling>;
  /** Every price seen on a subscription item, by id. */
  prices: Map<string, RawPrice>;
  rejected: RejectedRecord[];
  rejectedCustomers: Map<string, string>;
  records: number;
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

/** Subscriptions and open invoices, grouped per customer and mapped to each customer's billing facts. */
export function toPortfolioRead(
  config: StripeConfig,
  subs: readonly RawSubscription[],
  invoices: readonly RawInvoice[],
  rejections: Rejections,
  records: number,
): PortfolioRead {
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
    if (rejections.customers.has(id)) continue;
    billing.set(id, fromStripeSubscriptions(id, list, invoicesBy.get(id) ?? [], prices, { seatProducts: config.seatProducts }));
  }
  return { billing, prices, rejected: rejections.rejected, rejectedCustomers: rejections.customers, records };
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
const pageKey = (n: number) => `stripe:portfolio:page:${n}`;

/** One page of a list, from `startingAfter`; `raw` holds the records as Stripe sent them. */
async function fetchPage(config: StripeConfig, ctx: SourceContext, list: List, startingAfter: string | undefined) {
  const client = createStripeClient(config, ctx.signal);
  const after = startingAfter === undefined ? {} : { starting_after: startingAfter };
  try {
    if (list === 'subscriptions') {
      // https://docs.stripe.com/api/subscriptions/list (status=all includes canceled; expand: https://docs.stripe.com/api/expanding_objects)
      const page = await client.subscriptions.list({
        status: 'all',
        limit: 100,
        expand: ['data.latest_invoice', 'data.schedule'],
        ...after,
      });
      return { raw: page.data as unknown[], hasMore: page.has_more };
    }
    // https://docs.stripe.com/api/invoices/list
    const page = await client.invoices.list({ status: 'open', limit: 100, ...after });
    return { raw: page.data as unknown[], hasMore: page.has_more };
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw toStripeError(err);
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
  while (at.list !== 'done') {
    const list: List = at.list;
    const { raw, hasMore } = await fetchPage(config, ctx, list, at.startingAfter);
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
  return toPortfolioRead(
    config,
    pages.flatMap((p) => p.subscriptions),
    pages.flatMap((p) => p.invoices),
    rejections,
    at.records,
  );
}
