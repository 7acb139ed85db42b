// The Stripe fake's lists that belong to one parent object: an invoice's lines and a subscription's
// items, in the parent's order, paged with `limit` (1–100, 10 by default) and `starting_after`,
// as the parent embeds only their first ten.
import type { FakeRequest, FakeResponse } from '../../shared/fake/server.ts';
import { stripeError } from './rules.ts';
import type { StripeJson } from './seed.ts';
import type { StripeFakeData } from './store.ts';

function page(rows: StripeJson[], req: FakeRequest, allowed: string[], url: string): FakeResponse {
  for (const k of req.query.keys()) {
    const base = k.replace(/\[.*$/, '');
    if (!allowed.includes(base) && base !== 'expand')
      return stripeError(400, `Received unknown parameter: ${base}`, 'parameter_unknown', base);
  }
  const limit = req.query.has('limit') ? Number(req.query.get('limit')) : 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    return stripeError(400, 'This value must be between 1 and 100.', 'parameter_invalid_integer', 'limit');
  const after = req.query.get('starting_after');
  const i = after ? rows.findIndex((r) => r.id === after) : -1;
  if (after && i < 0) return stripeError(400, `No such object: '${after}'`, 'resource_missing', 'starting_after');
  const data = rows.slice(i + 1, i + 1 + limit).map((r) => structuredClone(r));
  return { status: 200, body: { object: 'list', data, has_more: rows.length > i + 1 + limit, url } };
}

const PAGING = ['limit', 'starting_after', 'ending_before'];

/** https://docs.stripe.com/api/invoices/invoice_lines */
export function invoiceLines(data: StripeFakeData, req: FakeRequest): FakeResponse {
  const id = req.params.id ?? '';
  const lines = data.invoiceLines.get(id);
  if (!lines) return stripeError(404, `No such invoice: '${id}'`, 'resource_missing', 'invoice');
  return page(lines, req, PAGING, `/v1/invoices/${id}/lines`);
}

/** https://docs.stripe.com/api/subscription_items/list (`subscription` is required) */
export function subscriptionItems(data: StripeFakeData, req: FakeRequest): FakeResponse {
  const sub = req.query.get('subscription');
  if (!sub) return stripeError(400, 'Missing required param: subscription.', 'parameter_missing', 'subscription');
  const items = data.items.get(sub);
  if (!items) return stripeError(400, `No such subscription: '${sub}'`, 'resource_missing', 'subscription');
  return page(items, req, [...PAGING, 'subscription'], '/v1/subscription_items');
}
