// What a portfolio-wide sync costs, said before it starts: `run --dry-run` still runs them (the
// scores need them), and an admin previewing against real accounts should know the bill first.
// The figures are the vendors' documented limits (docs/architecture.md).

const stripe = "Stripe: customers, subscriptions and invoices listed 100 per request, within Stripe's read limit (20 a second by default)";

const COSTS: Record<string, { fresh: string; stored: string }> = {
  stripe: { fresh: stripe, stored: stripe },
  zendesk: {
    fresh:
      'Zendesk incremental export (organizations, tickets, satisfaction ratings): no stored cursor, so a 90-day backfill — about 1 request per 1,000 records, at 10 requests a minute',
    stored: 'Zendesk incremental export: from the stored cursor, only what changed since the last run — a few requests at 10 a minute',
  },
  mixpanel: {
    fresh: 'Mixpanel: a fixed handful of segmentation queries for the whole portfolio, out of the 60 an hour the Query API allows',
    stored: 'Mixpanel: a fixed handful of segmentation queries for the whole portfolio, out of the 60 an hour the Query API allows',
  },
};

/** Requests a minute a source's sync is held to, where that is what sets its duration. */
const PER_MINUTE: Record<string, number> = { zendesk: 10 };

/** What the last real run's planning step spent on a source, from the table. */
export interface LastSync {
  day: string;
  records: number;
  requests: number;
}

/** One line saying what `source`'s sync will cost, with or without the state a deployed table keeps. */
export function describeSyncCost(source: string, storedState: boolean, last?: LastSync): string {
  const c = COSTS[source];
  const base = !c ? `${source}: portfolio-wide sync (read calls only)` : storedState ? c.stored : c.fresh;
  if (!last) return base;
  const rate = PER_MINUTE[source];
  const minutes = rate ? `, about ${Math.ceil(last.requests / rate)} min at ${rate} a minute` : '';
  return `${base}; the last run (${last.day}) read ${last.records} records in ${last.requests} requests${minutes}`;
}
