// `healthscore check` for Stripe, read-only. A restricted key's permissions cannot be listed, so each
// endpoint a run uses is tried once (one object each); the key's mode (live or test) is read from its
// prefix and the objects' `livemode`. Joins: the sample accounts resolved as the run resolves them —
// by the CRM's stripeCustomerId, else by the domain of the customers' e-mail (one portfolio read of
// the subscriptions, the run's own sync read).
import Stripe from 'stripe';
import type { CheckContext, InspectResult, Joins, VendorCheck } from '../shared/check.ts';
import { findingsFor, sampleJoins } from '../shared/check.ts';
import { type DomainRecord, emailDomain, indexByDomain, matchByDomain } from '../shared/domain-match.ts';
import { type AccountRef, IDENTITY } from '../shared/source.ts';
import { parseStripeConfig } from './config.ts';
import { createStripeClient, toStripeError } from './stripe-client.ts';

const finding = findingsFor('stripe');

/** Subscriptions being paid for (as the billing model counts them). */
const LIVE = new Set(['active', 'past_due', 'unpaid']);

/** "sk_live_…" → live; "rk_test_…" → test; anything else: unknown. */
export function keyMode(key: string): 'live' | 'test' | undefined {
  const m = /^(?:sk|rk)_(live|test)_/.exec(key);
  return m ? (m[1] as 'live' | 'test') : undefined;
}

/** The permission a restricted key lacks, as Stripe's 403 message names it ("Having the 'rak_subscription_read' permission…"). */
const missingPermission = (err: unknown): string | undefined => {
  const raw = err instanceof Stripe.errors.StripeError ? err.message : '';
  return /'(rak_[a-z_]+)' permission/.exec(raw)?.[1];
};

export function createStripeCheck(section: unknown): VendorCheck {
  const config = parseStripeConfig(section);

  async function inspect(ctx: CheckContext): Promise<InspectResult> {
    const out: InspectResult = { findings: [] };
    const client = createStripeClient(config, ctx.signal);
    const mode = keyMode(config.apiKey);
    const endpoints: [string, () => Promise<{ data: { livemode?: boolean }[] }>][] = [
      // https://docs.stripe.com/api/subscriptions/list
      ['GET /v1/subscriptions', () => client.subscriptions.list({ status: 'all', limit: 1 })],
      // https://docs.stripe.com/api/invoices/list
      ['GET /v1/invoices', () => client.invoices.list({ status: 'open', limit: 1 })],
    ];
    let livemode: boolean | undefined;
    for (const [name, call] of endpoints) {
      try {
        const page = await call();
        livemode ??= page.data[0]?.livemode;
        out.findings.push(finding('access', 'ok', `the key in ${ctx.secretName} reads ${name}`));
      } catch (err) {
        const permission = missingPermission(err);
        const message = permission
          ? `the restricted key in ${ctx.secretName} may not call ${name}: grant it ${permission} (read) in the Stripe dashboard`
          : `${toStripeError(err).message} (${name})`;
        out.findings.push(finding('access', 'fail', message));
      }
    }
    if (livemode === false || mode === 'test')
      out.findings.push(
        finding(
          'access',
          'note',
          `the key in ${ctx.secretName} is a test-mode key: runs read test data (right for a trial; a deployment needs a live key, sk_live_… / rk_live_…)`,
        ),
      );
    else if (mode === undefined && livemode === undefined)
      out.findings.push(finding('access', 'note', `the key's mode (live or test) could not be told from ${ctx.secretName}`));
    return out;
  }

  async function joins(sample: readonly AccountRef[], ctx: CheckContext): Promise<Joins> {
    const client = createStripeClient(config, ctx.signal);
    const customers = new Map<string, DomainRecord>();
    const live = new Set<string>();
    try {
      for await (const sub of client.subscriptions.list({ status: 'all', limit: 100, expand: ['data.customer'] })) {
        const c = sub.customer;
        if (typeof c === 'string' || c.deleted) continue;
        const domain = emailDomain(c.email);
        const label = [c.name, c.email].filter(Boolean).join(', ');
        customers.set(c.id, { id: c.id, domains: domain ? [domain] : [], ...(label ? { label } : {}) });
        if (LIVE.has(sub.status)) live.add(c.id);
      }
    } catch (err) {
      throw toStripeError(err);
    }
    const byDomain = matchByDomain({
      key: IDENTITY.stripeCustomerId,
      noun: 'Stripe customer',
      accounts: config.matchByDomain ? sample : sample.filter((a) => a.identities[IDENTITY.stripeCustomerId]),
      byDomain: config.matchByDomain ? indexByDomain([...customers.values()]) : new Map(),
      records: [...customers.values()].filter((c) => live.has(c.id)),
    });
    const accounts = sampleJoins(
      sample,
      IDENTITY.stripeCustomerId,
      (id) => (customers.has(id) ? undefined : `Stripe has no subscription for customer ${id}`),
      config.matchByDomain ? byDomain : undefined,
    );
    return { accounts, unclaimed: byDomain.unclaimed };
  }

  return { inspect, joins };
}
