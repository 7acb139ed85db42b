// Identity by domain through the whole run: a standard HubSpot portal holds no Stripe or Zendesk id,
// so the plan joins each account to the Stripe customer whose e-mail domain and the Zendesk
// organization whose domain_names are the company's domain. A free-mail customer and a domain two
// customers share never match, and the run lists each unmatched account and record with its reason.
import { afterEach, describe, expect, it } from 'vitest';
import { addPayingCustomer } from '../../pipeline/demo/seed-vendors.ts';
import { unmatchedCsv, unmatchedRows } from '../../pipeline/run/identity.ts';
import { formatSummary } from '../../pipeline/run/summary.ts';
import { type Harness, startHarness } from './harness.ts';

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

const world = { accounts: 5, days: 2 };

async function start(portal: 'plain' | 'customized'): Promise<Harness> {
  const h = await startHarness(world, { hubspotPortal: portal });
  harnesses.push(h);
  return h;
}

const pick = (signals: Record<string, unknown> | undefined, prefix: string) =>
  Object.fromEntries(Object.entries(signals ?? {}).filter(([k]) => k.startsWith(prefix)));

describe('a standard HubSpot portal without id properties', () => {
  it('given Stripe customers and Zendesk organizations on the companies domains, when a day runs, then every account gets the same billing and support signals as when the ids are mapped', async () => {
    const plain = await start('plain');
    const mapped = await start('customized');
    const [byDomain, byId] = [await plain.runDay(0), await mapped.runDay(0)];

    expect(byDomain.matchedByDomain).toEqual({ stripe: 5, zendesk: 5 });
    expect(byDomain.unclaimed).toEqual({ stripe: 0, zendesk: 0 });
    expect(byDomain.unmatched.stripe).toBe(0);
    expect(byDomain.unmatched.zendesk).toBe(0);
    expect(byId.matchedByDomain).toEqual({ stripe: 0, zendesk: 0 });
    for (const a of plain.world.accounts) {
      const [p] = await plain.store.history(plain.ids.get(a.key) as string, plain.dayOf(0), plain.dayOf(0));
      const [m] = await mapped.store.history(mapped.ids.get(a.key) as string, mapped.dayOf(0), mapped.dayOf(0));
      expect(Object.keys(pick(p?.signals, 'billing.')).length).toBeGreaterThan(2);
      expect(Object.keys(pick(p?.signals, 'support.')).length).toBeGreaterThan(2);
      expect(pick(p?.signals, 'billing.')).toEqual(pick(m?.signals, 'billing.'));
      expect(pick(p?.signals, 'support.')).toEqual(pick(m?.signals, 'support.'));
    }
    expect(formatSummary(byDomain)).toContain('identity: stripe 5 matched by domain, 0 records unclaimed; zendesk 5 matched by domain');
  });

  it('given a free-mail customer and a second customer on an account domain, when a day runs, then neither matches and each is listed with its reason', async () => {
    const h = await start('plain');
    const [first] = h.world.accounts;
    if (!first) throw new Error('world without accounts');
    addPayingCustomer(h.vendors, { id: 'cus_freemail', name: 'Pat Solo', email: 'pat.solo@gmail.com', seats: 1 }, h.state);
    addPayingCustomer(h.vendors, { id: 'cus_second', name: 'Second', email: `ap@${first.domain}`, seats: 2 }, h.state);

    const summary = await h.runDay(0);
    expect(summary.matchedByDomain.stripe).toBe(4);
    expect(summary.unmatched.stripe).toBe(1);
    expect(summary.unclaimed.stripe).toBe(3);

    const rows = await unmatchedRows(h.store, summary.runId);
    const firstId = h.ids.get(first.key) as string;
    expect(rows).toContainEqual({
      side: 'account',
      source: 'stripe',
      id: firstId,
      reason: expect.stringMatching(new RegExp(`^2 Stripe customers have the domain ${first.domain.replace('.', '\\.')} \\(`)),
    });
    expect(rows).toContainEqual({
      side: 'record',
      source: 'stripe',
      id: 'cus_freemail',
      reason:
        'Stripe customer cus_freemail (Pat Solo, pat.solo@gmail.com) uses the free-mail domain gmail.com, which never matches; map stripeCustomerId on its CRM account to join it',
    });
    expect(rows.filter((r) => r.side === 'record' && r.reason.includes('ambiguous')).map((r) => r.id)).toEqual(
      expect.arrayContaining(['cus_second', first.identities.stripeCustomerId]),
    );
    // The account without a customer still gets its CRM and support signals, and no billing ones.
    const [row] = await h.store.history(firstId, h.dayOf(0), h.dayOf(0));
    expect(pick(row?.signals, 'billing.')).toEqual({});
    expect(Object.keys(pick(row?.signals, 'support.')).length).toBeGreaterThan(2);

    const csv = unmatchedCsv(rows).split('\n');
    expect(csv[0]).toBe('side,source,id,reason');
    expect(csv).toContain(
      'record,stripe,cus_freemail,"Stripe customer cus_freemail (Pat Solo, pat.solo@gmail.com) uses the free-mail domain gmail.com, which never matches; map stripeCustomerId on its CRM account to join it"',
    );
  });
});
