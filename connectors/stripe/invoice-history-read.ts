// Reads the recent invoices the MRR/seat backfill needs (billing-backfill.ts) for customers we hold
// no history of yet. One list over the whole portfolio (`created` in the window, 100 per page) when
// many customers are new, as on the first run after deployment; one list per customer when only a
// few are (a list page holds about 25 customers' invoices, so that is fewer calls). An invoice with
// more lines than it embeds has the rest read from its lines endpoint.
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
  const scopes: { customer?: string }[] = perCustomer(customers.size, allCustomers)
    ? [...customers].map((customer) => ({ customer }))
    : [{}];
  try {
    for (const scope of scopes) {
      // https://docs.stripe.com/api/invoices/list (created range; each invoice embeds its first lines)
      for await (const raw of client.invoices.list({ created, limit: 100, ...scope })) {
        out.records++;
        const parsed = rawHistoryInvoice.safeParse(raw);
        const customer = parsed.success && parsed.data.customer !== null ? refId(parsed.data.customer) : undefined;
        if (customer !== undefined && !customers.has(customer)) continue;
        if (!parsed.success || customer === undefined) {
          const id = (raw as { id?: unknown }).id;
          const reason = parsed.success ? 'no customer' : formatIssues(parsed.error);
          out.rejected.push({ recordId: typeof id === 'string' ? id : '(invoice without id)', reason: `invoice (history): ${reason}` });
          continue;
        }
        let lines: RawInvoiceLine[] = parsed.data.lines.data;
        if (parsed.data.lines.has_more) {
          lines = [];
          // https://docs.stripe.com/api/invoices/invoice_lines
          for await (const rawLine of client.invoices.listLineItems(parsed.data.id, { limit: 100 })) {
            const line = rawInvoiceLine.safeParse(rawLine);
            if (line.success) lines.push(line.data);
            else
              out.rejected.push({
                recordId: String((rawLine as { id?: unknown }).id),
                reason: `invoice line: ${formatIssues(line.error)}`,
              });
          }
        }
        const snaps = fromStripeInvoiceLines(parsed.data, lines, prices, options);
        if (snaps.length > 0) out.snapshots.set(customer, [...(out.snapshots.get(customer) ?? []), ...snaps]);
      }
    }
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    throw redactError(toStripeError(err));
  }
  return out;
}
