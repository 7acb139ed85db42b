// The Stripe fake's invoice line items, shaped as Stripe serves them since API 2025-03-31 (`parent`
// with subscription item details and the proration flag, `pricing` with the price id, `period`).
import { type SeedStripeInvoiceLine, toUnix } from './seed.ts';
import { asJson, type Stripe, type StripeJson } from './shape.ts';

/** `t` moved by `n` price intervals (calendar months and years, as Stripe bills). */
export function addInterval(t: number, interval: 'day' | 'week' | 'month' | 'year', n: number): number {
  const d = new Date(t * 1000);
  if (interval === 'day') d.setUTCDate(d.getUTCDate() + n);
  else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7 * n);
  else if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return Math.floor(d.getTime() / 1000);
}

export interface InvoiceLineContext {
  invoice: string;
  subscription: string | null;
  subscriptionItem: string | null;
  created: number;
}

/** A line item as Stripe serves it since API 2025-03-31 (`parent`, `pricing`). https://docs.stripe.com/api/invoice-line-item/object */
export function buildInvoiceLine(id: string, line: SeedStripeInvoiceLine, price: StripeJson, ctx: InvoiceLineContext): StripeJson {
  const quantity = line.quantity ?? 1;
  const unit = price.unit_amount as number;
  const amount = line.amount ?? unit * quantity;
  const recurring = price.recurring as { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number } | null;
  const start = line.periodStart === undefined ? ctx.created : toUnix(line.periodStart);
  const end =
    line.periodEnd === undefined
      ? recurring
        ? addInterval(start, recurring.interval, recurring.interval_count)
        : start
      : toUnix(line.periodEnd);
  const proration = line.proration ?? false;
  const parent =
    ctx.subscription === null
      ? {
          type: 'invoice_item_details',
          invoice_item_details: {
            invoice_item: `ii_${id.slice(3)}`,
            proration,
            proration_details: { credited_items: null },
            subscription: null,
          },
          subscription_item_details: null,
        }
      : {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: proration ? `ii_${id.slice(3)}` : null,
            proration,
            proration_details: { credited_items: null },
            subscription: ctx.subscription,
            subscription_item: ctx.subscriptionItem ?? `si_${id.slice(3)}`,
          },
        };
  return asJson<Stripe.InvoiceLineItem>({
    id,
    object: 'line_item',
    amount,
    currency: String(price.currency ?? 'usd'),
    description: `${quantity} × ${String(price.product)}`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: ctx.invoice,
    livemode: false,
    metadata: {},
    parent,
    period: { end, start },
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: { price: String(price.id), product: String(price.product) },
      unit_amount_decimal: String(proration ? amount / quantity : unit),
    },
    quantity,
    quantity_decimal: String(quantity),
    subtotal: amount,
    taxes: [],
  });
}
