// Reads the recent invoices the MRR/seat backfill needs (billing-backfill.ts) for customers we hold
// no history of yet. One list over the whole portfolio (`created` in the window, 100 per page) when
// many customers are new, as on the first run after deployment; one list per customer when only a
// few are (a list page holds about 25 customers' invoices, so that is fewer calls). An invoice with
// more lines than it embeds has the rest read from its lines endpoint. The portfolio-wide list keeps
// a checkpoint after every page, so a first sync stopped by the deadline resumes at the next page.
import { DAY_S } from '../../lib/days.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import { redactError } from '../shared/http-trace.ts';
import type { RejectedRecord, SourceContext } from '../shared/source.ts';
import { fromStripeInvoiceLines, type InvoiceSnapshot } from './billing-backfill.ts';
import type { BillingOptions } from './billing-model.ts';
import type { StripeConfig } from './config.ts';
import { createStripeClient, toStripeError } from './stripe-client.ts';
import { type RawInvoiceLine, type RawPrice, rawHistoryInvoice, rawInvoiceLine, refId } from './stripe-raw.ts';

/**
 * How far back invoices are read: the 90-day window plus one monthly billing cycle and a few days,
 * so the invoice in force 90 days ago (issued up to a month earlier) is among them. Annual plans
 * invoiced more than this ago have no backfilled baseline (their 90-day changes stay unknown).
 */
export const BACKFILL_DAYS = 125;
/** Invoices per customer in the window, about: one per month. */
const INVOICES_PER_CUSTOMER = Math.ceil(BACKFILL_DAYS / 30);

export interface InvoiceHistoryRead {
  snapshots: Map<string, InvoiceSnapshot[]>;
  rejected: RejectedRecord[];
  records: number;
}

/** Per-customer lists only while they cost fewer calls than one portfolio-wide list would. */
export function perCustomer(newCustomers: number, allCustomers: number): boolean {
  return newCustomers <= Math.ceil((allCustomers * INVOICES_PER_CUSTOMER) / 100);
}

/** The invoices created in the window ending at `asOf` of `customers`, as snapshots per customer. */
export async function readInvoiceHistory(
  config: StripeConfig,
  ctx: SourceContext,
  customers: ReadonlySet<string>,
  allCustomers: number,
  prices: ReadonlyMap<string, RawPrice>,
  options: BillingOptions,
): Promise<InvoiceHistoryRead> {
  const out: InvoiceHistoryRead = { snapshots: new Map(), rejected: [], records: 0 };
  if (customers.size === 0) return out;
  const client = createStripeClient(config, ctx.signal);
  const asOfS = Math.floor(ctx.asOf.getTime() / 1000);
  const created = { gte: asOfS - BACKFILL_DAYS * DAY_S, lte: asOfS };
  const fold = (raw: unknown, into: InvoiceHistoryRead) => foldInvoice(client, raw, customers, prices, options, into);
  try {
    if (!perCustomer(customers.size, allCustomers)) return await readPortfolioWide(client, ctx, created, fold);
    // A few new customers: a list each (a stopped sync reads these few again).
    for (const customer of customers) {
      // https://docs.stripe.com/api/invoices/list (created range; each invoice embeds its first lines)
      for await (const raw of client.invoices.list({ created, limit: 100, customer })) await fold(raw, out);
    }
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw redactError(toStripeError(err));
  }
  return out;
}

type Client = ReturnType<typeof createStripeClient>;

/** One invoice of the window: its snapshots added to `out` when it is a wanted customer's, or reported when it fails its schema. */
async function foldInvoice(
  client: Client,
  raw: unknown,
  customers: ReadonlySet<string>,
  prices: ReadonlyMap<string, RawPrice>,
  options: BillingOptions,
  out: InvoiceHistoryRead,
): Promise<void> {
  out.records++;
  const parsed = rawHistoryInvoice.safeParse(raw);
  const customer = parsed.success && parsed.data.customer !== null ? refId(parsed.data.customer) : undefined;
  if (customer !== undefined && !customers.has(customer)) return;
  if (!parsed.success || customer === undefined) {
    const id = (raw as { id?: unknown }).id;
    const reason = parsed.success ? 'no customer' : formatIssues(parsed.error);
    out.rejected.push({ recordId: typeof id === 'string' ? id : '(invoice without id)', reason: `invoice (history): ${reason}` });
    return;
  }
  let lines: RawInvoiceLine[] = parsed.data.lines.data;
  if (parsed.data.lines.has_more) {
    lines = [];
    // https://docs.stripe.com/api/invoices/invoice_lines
    for await (const rawLine of client.invoices.listLineItems(parsed.data.id, { limit: 100 })) {
      const line = rawInvoiceLine.safeParse(rawLine);
      if (line.success) lines.push(line.data);
      else out.rejected.push({ recordId: String((rawLine as { id?: unknown }).id), reason: `invoice line: ${formatIssues(line.error)}` });
    }
  }
  const snaps = fromStripeInvoiceLines(parsed.data, lines, prices, options);
  if (snaps.length > 0) out.snapshots.set(customer, [...(out.snapshots.get(customer) ?? []), ...snaps]);
}

/** Where the portfolio-wide history read stands after its last saved page. */
interface HistoryCheckpoint {
  asOf: string;
  /** The id of the last invoice of the last saved page; undefined at the start. */
  startingAfter: string | undefined;
  pages: number;
  done: boolean;
}

interface HistoryPage {
  snapshots: [string, InvoiceSnapshot[]][];
  rejected: RejectedRecord[];
  records: number;
}

export const HISTORY_KEY = 'stripe:history';
const historyPageKey = (n: number) => `stripe:history:page:${n}`;

/**
 * The portfolio-wide list, page by page with a checkpoint after each (like portfolio-read.ts): each
 * page's snapshots are saved under its number, so a sync stopped by the deadline resumes at the
 * next page and the saved pages are read back at the end.
 */
async function readPortfolioWide(
  client: Client,
  ctx: SourceContext,
  created: { gte: number; lte: number },
  fold: (raw: unknown, into: InvoiceHistoryRead) => Promise<void>,
): Promise<InvoiceHistoryRead> {
  const asOf = ctx.asOf.toISOString();
  const saved = await ctx.state.get<HistoryCheckpoint>(HISTORY_KEY);
  let at: HistoryCheckpoint = saved?.asOf === asOf ? saved : { asOf, startingAfter: undefined, pages: 0, done: false };
  const earlier = at.pages;
  if (earlier > 0) ctx.log?.('stripe.history_resumed', { pages: earlier });
  const read: HistoryPage[] = [];
  while (!at.done) {
    const after = at.startingAfter === undefined ? {} : { starting_after: at.startingAfter };
    // https://docs.stripe.com/api/invoices/list (created range; each invoice embeds its first lines)
    const list = await client.invoices.list({ created, limit: 100, ...after });
    const into: InvoiceHistoryRead = { snapshots: new Map(), rejected: [], records: 0 };
    for (const raw of list.data) await fold(raw, into);
    const page: HistoryPage = { snapshots: [...into.snapshots], rejected: into.rejected, records: into.records };
    const last = list.data.at(-1)?.id;
    const done = !list.has_more || last === undefined;
    // The page first, the checkpoint last: a sync stopped between them reads this page again.
    await ctx.state.put(historyPageKey(at.pages), page);
    read.push(page);
    at = { asOf, startingAfter: done ? undefined : last, pages: at.pages + 1, done };
    await ctx.state.put(HISTORY_KEY, at);
    ctx.log?.('stripe.history_page', { page: at.pages, records: list.data.length });
    if (ctx.signal?.aborted) throw ctx.signal.reason;
  }
  const before =
    earlier > 0 ? await ctx.state.getMany<HistoryPage>(Array.from({ length: earlier }, (_, i) => historyPageKey(i))) : new Map();
  const out: InvoiceHistoryRead = { snapshots: new Map(), rejected: [], records: 0 };
  for (const page of [...Array.from({ length: earlier }, (_, i) => before.get(historyPageKey(i)) as HistoryPage), ...read]) {
    out.records += page.records;
    out.rejected.push(...page.rejected);
    for (const [customer, snaps] of page.snapshots) out.snapshots.set(customer, [...(out.snapshots.get(customer) ?? []), ...snaps]);
  }
  return out;
}
