// The benchmark's world: the demo portfolio (pipeline/demo/world.ts) seeded light, so that seeding
// 10,000 accounts takes seconds and the run, not the fakes, is measured. Per account: the company
// with two contacts and five weeks of emails and meetings, one subscription with one paid invoice
// (plus an open one for failed payments), two support tickets with ratings, and one active user a
// day. All of it is in the vendors before the first run and nothing is added later: the CRM,
// billing and support stop at day 1; usage runs through the last run's last complete day, so the
// usage windows read the same every day. Returns what the minimum-call formulas need
// (bench/pipeline-minimums.ts).
import type { HubSpotFake } from '../connectors/hubspot/fake/server.ts';
import type { MixpanelFake } from '../connectors/mixpanel/fake/server.ts';
import type { StripeFake } from '../connectors/stripe/fake/server.ts';
import type { ZendeskFake } from '../connectors/zendesk/fake/server.ts';
import { addDays } from '../lib/days.ts';
import { crmSeed } from '../pipeline/demo/seed-vendors.ts';
import { buildWorld, type DemoWorld, FEATURES, featuresUsed } from '../pipeline/demo/world.ts';

export interface BenchFakes {
  hubspot: HubSpotFake;
  stripe: StripeFake;
  zendesk: ZendeskFake;
  mixpanel: MixpanelFake;
}

/** What was seeded, in the units the minimum-call formulas count. */
export interface SeededCounts {
  accounts: number;
  hubspot: { companies: number; contacts: number; emails: number; meetings: number; calls: number };
  stripe: { subscriptions: number; openInvoices: number };
  /** Ratings as their created_at (unix s): a run reads those inside its window. */
  zendesk: { organizations: number; tickets: number; ratingTimes: number[] };
  mixpanel: { groups: number; events: number; coreFeatures: number };
}

export interface BenchWorld {
  world: DemoWorld;
  /** The run days (ISO), day 1 first. */
  days: string[];
  /** Every company id (the pipeline's account ids). */
  companyIds: string[];
  counts: SeededCounts;
}

const at = (day: string, hours = 9) => new Date(Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000).toISOString();
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function seedBenchWorld(f: BenchFakes, accounts: number, days: number): BenchWorld {
  const world = buildWorld({ accounts, days });
  const day1 = world.firstDay;
  const crmWorld = { ...world, historyStart: addDays(day1, -35), lastDay: day1 };
  const seeds = world.accounts.map((a) => crmSeed({ ...a, contacts: a.contacts.slice(0, 2) }, crmWorld));
  const ids = f.hubspot.seedAccounts(seeds);
  const hubspot = { companies: seeds.length, contacts: 0, emails: 0, meetings: 0, calls: 0 };
  for (const s of seeds) {
    hubspot.contacts += s.contacts?.length ?? 0;
    for (const x of s.activities ?? []) {
      if (x.kind === 'email') hubspot.emails++;
      else if (x.kind === 'meeting') hubspot.meetings++;
      else if (x.kind === 'call') hubspot.calls++;
    }
  }

  const stripe = { subscriptions: 0, openInvoices: 0 };
  const zendesk = { organizations: 0, tickets: 0, ratingTimes: [] as number[] };
  const usage: Parameters<MixpanelFake['seedDailyUsers']>[0][number][] = [];
  for (const a of world.accounts) {
    // Billing: one subscription, last month's paid invoice, an open invoice after a failed charge.
    const customer = a.identities.stripeCustomerId;
    f.stripe.addCustomer({ id: customer, name: a.name, email: `billing@${a.domain}`, created: at(a.contractStart) });
    const price = f.stripe.addPrice({ id: `price_${a.pricePerSeat}`, unitAmount: a.pricePerSeat * 100, interval: 'month' }, 1_700_000_000);
    const subscription = f.stripe.addSubscription({
      customer,
      items: [{ price, quantity: a.seats, created: at(a.contractStart) }],
      created: at(a.contractStart),
      currentPeriodStart: at(addDays(day1, -30)),
      currentPeriodEnd: at(a.renewalDate),
    });
    stripe.subscriptions++;
    const amount = a.seats * a.pricePerSeat * 100;
    const paid = { customer, subscription, amountDue: amount, attempted: true, attemptCount: 1 };
    f.stripe.addInvoice({
      ...paid,
      status: 'paid',
      amountPaid: amount,
      created: at(addDays(day1, -31), 2),
      paidAt: at(addDays(day1, -31), 3),
    });
    if (a.story === 'payment_failed') {
      f.stripe.addInvoice({ ...paid, status: 'open', created: at(addDays(day1, -3), 2), nextPaymentAttempt: at(addDays(day1, 3), 2) });
      stripe.openInvoices++;
    }

    // Support: two solved tickets (most rated), an open escalation for the escalation story.
    const org = Number(a.identities.zendeskOrganizationId);
    f.zendesk.addOrganization({ id: org, name: a.name, domainNames: [a.domain], createdAt: at(a.contractStart) });
    zendesk.organizations++;
    const tickets: [number, boolean][] = [
      [40 + (a.index % 7), a.index % 5 < 3],
      [10 + (a.index % 5), a.index % 2 === 0],
    ];
    for (const [ago, rated] of tickets) {
      const solved = at(addDays(day1, -ago + 2), 11);
      const score = a.index % 4 === 0 ? 'bad' : 'good';
      f.zendesk.addTicket({
        organizationId: org,
        subject: 'How do I export?',
        status: 'solved',
        priority: 'normal',
        createdAt: at(addDays(day1, -ago), 10),
        updatedAt: solved,
        ...(rated ? { satisfaction: { score, at: solved } } : {}),
      });
      zendesk.tickets++;
      if (rated) zendesk.ratingTimes.push(unix(solved));
    }
    if (a.story === 'escalation') {
      const opened = at(addDays(day1, -6), 7);
      f.zendesk.addTicket({ organizationId: org, subject: 'Production outage', status: 'open', priority: 'urgent', createdAt: opened });
      zendesk.tickets++;
    }

    // Usage: one active user every day of every run's 30-day window (a run reads up to the day
    // before its own), and the account's core features on two days inside all of them.
    const group = a.identities.mixpanelGroupKey;
    for (let d = -30; d <= days - 2; d++) usage.push({ group, day: addDays(day1, d), users: 1 });
    for (const feature of featuresUsed(a, day1))
      for (const d of [-20, -5]) usage.push({ group, day: addDays(day1, d), users: 1, event: feature });
  }
  f.mixpanel.seedDailyUsers(usage);

  return {
    world,
    days: Array.from({ length: days }, (_, i) => addDays(day1, i)),
    companyIds: [...ids.values()],
    counts: {
      accounts,
      hubspot,
      stripe,
      zendesk,
      mixpanel: { groups: world.accounts.length, events: usage.length, coreFeatures: FEATURES.length },
    },
  };
}
