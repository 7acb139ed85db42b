// Turns the demo world into vendor data: the CRM (accounts, people, activity, dated so the CRM
// source sees them as of each run), and day by day what billing, support and product analytics
// would have recorded. Each simulated day is applied before that day's run.
import type { HubSpotSeedAccount } from '../../connectors/hubspot/fake/seed.ts';
import type { SalesforceSeedAccount } from '../../connectors/salesforce/fake/seed.ts';
import type { SeedAccount, SeedActivity } from '../../connectors/shared/fake/crm-seed.ts';
import { addDays, DAY_S, daysBetween } from '../../lib/days.ts';
import type { LocalVendors } from './local-vendors.ts';
import { activeShare, type DemoAccount, type DemoOther, type DemoWorld, featuresUsed, seatsOn } from './world.ts';

/** An instant `hours` after midnight (UTC) of `day`; may fall on a later day. */
const at = (day: string, hours = 9) => new Date(Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000).toISOString();

/** The CRM's view of an account: identities, people and the activity history up to the last day. */
export function crmSeed(a: DemoAccount, world: DemoWorld): SeedAccount {
  const activities: SeedActivity[] = [];
  const quietAfter = a.story === 'champion_left' ? a.turnDay : undefined;
  for (let d = world.historyStart; d <= world.lastDay; d = addDays(d, 7)) {
    const day = addDays(d, a.index % 7);
    if (day > world.lastDay) break;
    const thread = `t-${a.key}-${day}`;
    activities.push({ kind: 'email', at: at(day), direction: 'outbound', contactKey: 'champion', threadId: thread });
    const silent = quietAfter !== undefined && day >= quietAfter;
    const slow = a.story === 'decay' && day >= a.turnDay;
    if (!silent)
      activities.push({ kind: 'email', at: at(day, slow ? 9 + 20 : 14), direction: 'inbound', contactKey: 'champion', threadId: thread });
    if (daysBetween(world.historyStart, day) % 14 === a.index % 2) {
      const noShow = silent || (slow && a.index % 2 === 0);
      activities.push({
        kind: 'meeting',
        at: at(day, 15),
        contactKeys: ['champion', 'user1', ...(a.index % 3 === 0 ? ['sponsor'] : [])],
        outcome: noShow ? 'no_show' : 'completed',
      });
    }
  }
  const contacts = a.contacts.map((c) => ({
    ...c,
    ...(c.key === 'champion' && a.story === 'champion_left' ? { leftOn: a.turnDay } : {}),
  }));
  return {
    key: a.key,
    name: a.name,
    domain: a.domain,
    segment: a.segment,
    ownerEmail: `csm${a.index % 6}@healthscore.example`,
    contractStart: a.contractStart,
    renewalDate: a.renewalDate,
    csmSentiment: a.story === 'steady' || a.story === 'expansion' ? 'green' : 'yellow',
    nps: a.nps,
    successPlanOnTrack: a.story !== 'decay',
    roiDocumented: a.story === 'expansion',
    identities: a.identities,
    ...(a.override ? { override: a.override } : {}),
    contacts,
    activities,
    modifiedAt: at(world.historyStart),
  };
}

export interface SeedState {
  subscriptions: Map<string, string>;
  failedInvoices: Map<string, string>;
  openEscalations: Map<string, number>;
  prices: Map<string, string>;
  /** Normal tickets awaiting their solve day, and whether the customer rates them good. */
  toSolve: Map<number, { on: string; good: boolean }>;
  /** Seed key → CRM record id. */
  crmIds: Map<string, string>;
}

/** Everything that exists before the first simulated day: CRM, customers and subscriptions, support history, usage history. */
export function seedWorld(v: LocalVendors, world: DemoWorld): { state: SeedState; crmIds: Map<string, string> } {
  const seeds = [...world.accounts.map((a) => crmSeed(a, world)), ...world.others.map(otherSeed)];
  const crmIds = v.hubspot ? v.hubspot.seedAccounts(seeds) : (v.salesforce?.seedAccounts(seeds) ?? new Map<string, string>());
  const state: SeedState = {
    subscriptions: new Map(),
    failedInvoices: new Map(),
    openEscalations: new Map(),
    prices: new Map(),
    toSolve: new Map(),
    crmIds,
  };
  for (const a of world.accounts) {
    v.stripe.addCustomer({ id: a.identities.stripeCustomerId, name: a.name, email: `billing@${a.domain}`, created: at(a.contractStart) });
    const yearly = a.renewOn !== undefined;
    const priceKey = priceOf(a);
    if (!state.prices.has(priceKey))
      state.prices.set(
        priceKey,
        v.stripe.addPrice(
          { id: priceKey, unitAmount: a.pricePerSeat * 100 * (yearly ? 12 : 1), interval: yearly ? 'year' : 'month' },
          1_700_000_000,
        ),
      );
    const sub = v.stripe.addSubscription({
      customer: a.identities.stripeCustomerId,
      items: [{ price: priceKey, quantity: a.seats, created: at(a.contractStart) }],
      created: at(a.contractStart),
      currentPeriodStart: at(yearly ? addDays(a.renewOn as string, -365) : world.historyStart),
      currentPeriodEnd: at(a.renewOn ?? a.renewalDate),
    });
    state.subscriptions.set(a.key, sub);
    v.zendesk.addOrganization({
      id: Number(a.identities.zendeskOrganizationId),
      name: a.name,
      domainNames: [a.domain],
      createdAt: at(a.contractStart),
    });
  }
  for (const o of world.others) if (o.stage === 'former' && o.endedOn) addFormerCustomer(v, o, o.endedOn, state);
  // Support history: the incremental export's first run backfills it.
  for (let d = addDays(world.firstDay, -120); d < world.firstDay; d = addDays(d, 1)) supportDay(v, world, d, state);
  for (let d = addDays(world.firstDay, -45); d < world.firstDay; d = addDays(d, 1)) usageDay(v, world, d);
  // Four months of invoices: enough for Stripe's first sync to know the 90-day changes on day one.
  for (let d = addDays(world.firstDay, -130); d < world.firstDay; d = addDays(d, 1)) billingDay(v, world, d, state);
  return { state, crmIds };
}

function usageDay(v: LocalVendors, world: DemoWorld, day: string): void {
  const seeds: Parameters<LocalVendors['mixpanel']['seedDailyUsers']>[0][number][] = [];
  for (const a of world.accounts) {
    if (day < a.contractStart || (a.churnOn !== undefined && day >= a.churnOn)) continue;
    const users = Math.round(seatsOn(a, day) * activeShare(a, day));
    if (users === 0) continue;
    seeds.push({ group: a.identities.mixpanelGroupKey, day, users });
    for (const feature of featuresUsed(a, day))
      seeds.push({ group: a.identities.mixpanelGroupKey, day, users: Math.max(1, Math.round(users * 0.3)), event: feature });
  }
  v.mixpanel.seedDailyUsers(seeds);
}

function supportDay(v: LocalVendors, world: DemoWorld, day: string, state: SeedState): void {
  for (const a of world.accounts) {
    const org = Number(a.identities.zendeskOrganizationId);
    const sinceTurn = daysBetween(a.turnDay, day);
    const troubled = (a.story === 'decay' || a.story === 'renewal_risk') && sinceTurn >= 0;
    // Every 10 days normally (a steady 3 per 30 days: volume ratio exactly 1), every 4 when troubled.
    if ((daysBetween(world.historyStart, day) + a.index) % (troubled ? 4 : 10) === 0) {
      const id = v.zendesk.addTicket({
        organizationId: org,
        subject: `How do I ${['export', 'share', 'configure', 'connect'][a.index % 4]}?`,
        status: 'open',
        priority: 'normal',
        createdAt: at(day, 10),
      });
      state.toSolve.set(id, { on: addDays(day, 2), good: troubled ? a.index % 3 === 0 : a.index % 5 !== 0 });
    }
    if ((a.story === 'escalation' || a.story === 'one_day_dip') && sinceTurn === 0 && !state.openEscalations.has(a.key)) {
      const id = v.zendesk.addTicket({
        organizationId: org,
        subject: 'Production outage - data not syncing',
        status: 'open',
        priority: 'urgent',
        tags: ['escalation'],
        createdAt: at(day, 7),
      });
      state.openEscalations.set(a.key, id);
    }
    const escalation = state.openEscalations.get(a.key);
    const solveAfter = a.story === 'one_day_dip' ? 1 : 10;
    if (escalation !== undefined && sinceTurn === solveAfter) {
      v.zendesk.updateTicket(escalation, { status: 'solved', updatedAt: at(day, 6) });
      v.zendesk.rateTicket(escalation, { score: a.story === 'one_day_dip' ? 'good' : 'bad', at: at(day, 7) });
      state.openEscalations.delete(a.key);
    }
  }
  // Normal tickets are solved two days after they were opened, and most are rated.
  for (const [id, t] of state.toSolve) {
    if (t.on !== day) continue;
    v.zendesk.updateTicket(id, { status: 'solved', updatedAt: at(day, 11) });
    v.zendesk.rateTicket(id, { score: t.good ? 'good' : 'bad', at: at(day, 12) });
    state.toSolve.delete(id);
  }
}

function billingDay(v: LocalVendors, world: DemoWorld, day: string, state: SeedState): void {
  for (const a of world.accounts) {
    const sub = state.subscriptions.get(a.key) as string;
    const customer = a.identities.stripeCustomerId;
    const amount = seatsOn(a, day) * a.pricePerSeat * 100;
    if (a.churnOn !== undefined && day >= a.churnOn) {
      if (day === a.churnOn) v.stripe.cancelSubscription(sub, at(day, 8));
      continue;
    }
    if (a.contractOn === day) v.stripe.setSubscriptionQuantity(sub, seatsOn(a, day));
    // A yearly plan's new year begins, invoiced and paid that day.
    if (a.renewOn === day) v.stripe.renewSubscription(sub);
    if (day.endsWith('-01') && day >= a.contractStart)
      v.stripe.addInvoice({
        customer,
        subscription: sub,
        status: 'paid',
        amountDue: amount,
        amountPaid: amount,
        created: at(day, 2),
        attempted: true,
        attemptCount: 1,
        paidAt: at(day, 3),
      });
    if (a.story === 'payment_failed' && day === a.turnDay) {
      const id = v.stripe.addInvoice({
        customer,
        subscription: sub,
        status: 'open',
        amountDue: amount,
        created: at(day, 2),
        attempted: true,
        attemptCount: 1,
        nextPaymentAttempt: at(addDays(day, 3), 2),
      });
      state.failedInvoices.set(a.key, id);
      if (a.index % 2 === 1)
        v.stripe.updateSubscription(sub, {
          items: [{ price: `price_${a.pricePerSeat}`, quantity: Math.max(1, Math.round(a.seats * 0.7)) }],
        });
    }
    const failed = state.failedInvoices.get(a.key);
    if (failed && a.index % 2 === 0 && daysBetween(a.turnDay, day) === 10) {
      v.stripe.updateInvoice(failed, { status: 'paid', amountPaid: amount, paidAt: at(day, 4), attemptCount: 3 });
      state.failedInvoices.delete(a.key);
    }
    if (a.story === 'expansion' && day === a.turnDay)
      v.stripe.updateSubscription(sub, { items: [{ price: `price_${a.pricePerSeat}`, quantity: seatsOn(a, day) }] });
    if (a.story === 'renewal_risk' && a.index % 2 === 1 && day === a.turnDay) v.stripe.updateSubscription(sub, { cancelAtPeriodEnd: true });
  }
}

/** Where each CRM's standard scope reads what a record is: HubSpot's lifecycle stage, Salesforce's Account Type. */
const STAGES: Record<DemoOther['stage'], { lifecyclestage: string; accountType: string }> = {
  prospect: { lifecyclestage: 'lead', accountType: 'Prospect' },
  partner: { lifecyclestage: 'other', accountType: 'Technology Partner' },
  former: { lifecyclestage: 'other', accountType: 'Former Customer' },
};

/** A CRM record that is not a customer: no people, no activity, only its stage (and a former customer's churn date). */
function otherSeed(o: DemoOther): HubSpotSeedAccount & SalesforceSeedAccount {
  return {
    key: o.key,
    name: o.name,
    domain: o.domain,
    ...STAGES[o.stage],
    ...(o.endedOn ? { churnedOn: o.endedOn } : {}),
    contacts: [],
    activities: [],
  };
}

/** A data clean-up: the CRM record of a customer is marked as not one (HubSpot lifecycle stage Other, Salesforce Type Other). */
function moveOutOfScope(v: LocalVendors, crmId: string): void {
  if (v.hubspot) v.hubspot.setProperties('companies', crmId, { lifecyclestage: 'other' });
  else v.salesforce?.edit('Account', crmId, { Type: 'Other' });
}

/** The Stripe price an account pays per seat (a yearly one for customers billed yearly). */
const priceOf = (a: DemoAccount) => `price_${a.pricePerSeat}${a.renewOn !== undefined ? '_year' : ''}`;

/** A customer who left before the demo: its Stripe customer with the subscription that ended then. */
function addFormerCustomer(v: LocalVendors, o: DemoOther, endedOn: string, state: SeedState): void {
  const id = `cus_${o.key.replace(/-/g, '')}`;
  const created = at(addDays(endedOn, -400));
  v.stripe.addCustomer({ id, name: o.name, email: `billing@${o.domain}`, created });
  const price = state.prices.values().next().value as string;
  const sub = v.stripe.addSubscription({
    customer: id,
    items: [{ price, quantity: 10, created }],
    created,
    currentPeriodStart: at(addDays(endedOn, -30)),
    currentPeriodEnd: at(endedOn),
  });
  v.stripe.cancelSubscription(sub, at(endedOn, 8));
}

/** What happened on `day` in billing, support and usage; applied before that day's run. */
export function applyDay(v: LocalVendors, world: DemoWorld, day: string, state: SeedState): void {
  v.zendesk.setNow(at(day, 23));
  if (world.cleanup?.day === day) moveOutOfScope(v, state.crmIds.get(world.cleanup.key) as string);
  billingDay(v, world, day, state);
  supportDay(v, world, day, state);
  usageDay(v, world, day);
}

/** Renewals, churns and expansions that "happened" after the simulated window, for backtests. */
export function demoOutcomes(
  world: DemoWorld,
  crmIds: Map<string, string>,
): { accountId: string; date: string; outcome: 'renewed' | 'churned' | 'expanded' }[] {
  return world.accounts.map((a) => {
    const churned =
      a.story === 'decay' ||
      (a.story === 'champion_left' && a.index % 2 === 1) ||
      (a.story === 'payment_failed' && a.index % 2 === 1) ||
      (a.story === 'renewal_risk' && a.index % 2 === 1);
    const outcome = churned ? 'churned' : a.story === 'expansion' ? 'expanded' : 'renewed';
    return { accountId: crmIds.get(a.key) ?? a.key, date: addDays(world.lastDay, 30 + (a.index % 16)), outcome };
  });
}

/**
 * A paying customer who signed up with a personal address: matching by domain must never join it
 * (gmail.com says nothing about the company), so the run lists it as unclaimed with that reason.
 */
export function addFreeMailCustomer(v: LocalVendors, state: SeedState): void {
  addPayingCustomer(v, { id: 'cus_demo_freemail', name: 'Robin Freelance', email: 'robin.freelance@gmail.com', seats: 1 }, state);
}

/** A customer paying for `seats` on a live monthly subscription, with the demo's first price (or one of its own). */
export function addPayingCustomer(v: LocalVendors, c: { id: string; name: string; email: string; seats: number }, state?: SeedState): void {
  const created = 1_700_000_000;
  v.stripe.addCustomer({ id: c.id, name: c.name, email: c.email, created });
  const price =
    state?.prices.values().next().value ?? v.stripe.addPrice({ id: `price_${c.id}`, unitAmount: 1000, interval: 'month' }, created);
  v.stripe.addSubscription({
    customer: c.id,
    items: [{ price, quantity: c.seats, created }],
    created,
    currentPeriodStart: created,
    currentPeriodEnd: created + 10 * 365 * DAY_S,
  });
}
