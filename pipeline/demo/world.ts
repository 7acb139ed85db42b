// The demo portfolio: a deterministic world of accounts, each living one story over the simulated
// days (steady, slow usage decay, champion departure, payment failure, escalation, onboarding,
// expansion, renewal risk, and a noisy one-day dip that must not alert; some of them end in a churn
// or a contraction), and CRM records that are not customers. Vendor-neutral: the
// seeding code turns each day's happenings into HubSpot/Salesforce, Stripe, Zendesk and Mixpanel data.

import { addDays, daysBetween } from '../../lib/days.ts';
import { seededRandom } from '../../lib/synthetic.ts';

export type Story =
  | 'steady'
  | 'decay'
  | 'champion_left'
  | 'payment_failed'
  | 'escalation'
  | 'onboarding'
  | 'expansion'
  | 'renewal_risk'
  | 'one_day_dip';

export const STORY_MIX: [Story, number][] = [
  ['steady', 0.4],
  ['decay', 0.1],
  ['champion_left', 0.08],
  ['payment_failed', 0.08],
  ['escalation', 0.08],
  ['onboarding', 0.08],
  ['expansion', 0.08],
  ['renewal_risk', 0.05],
  ['one_day_dip', 0.05],
];

export const FEATURES = ['Report Created', 'Dashboard Shared', 'Alert Configured', 'Integration Connected'] as const;

export interface DemoAccount {
  index: number;
  key: string;
  name: string;
  domain: string;
  story: Story;
  segment: 'enterprise' | 'mid_market' | 'smb';
  seats: number;
  pricePerSeat: number;
  contractStart: string;
  renewalDate: string;
  /** The day the story's turn happens (departure, failure, escalation, dip...). */
  turnDay: string;
  nps: number;
  /** The day every subscription of the account ends (a churn), when its story ends so (world option `endings`). */
  churnOn?: string;
  /** The day the account cuts its seats by a fifth (a contraction), when its story does. */
  contractOn?: string;
  /** Set for a customer billed yearly: the day its current year ends and the next (paid) one begins. */
  renewOn?: string;
  /** A CSM's manual override entered in the CRM, when the story has one. */
  override?: { score: number; reason: string; expiresOn: string };
  identities: { stripeCustomerId: string; zendeskOrganizationId: string; mixpanelGroupKey: string };
  contacts: { key: string; name: string; email: string; title: string; champion?: boolean; execSponsor?: boolean; inRoleSince: string }[];
}

/** A CRM record that is not a customer: a prospect, a partner, or a customer who left before the demo began. */
export interface DemoOther {
  key: string;
  name: string;
  domain: string;
  stage: 'prospect' | 'partner' | 'former';
  /** For a former customer: the day its subscription ended (before the first simulated day). */
  endedOn?: string;
}

export interface DemoWorld {
  /** First and last simulated run days (inclusive). */
  firstDay: string;
  lastDay: string;
  /** Activity is generated from this day on, so the first run already has 90 days of past. */
  historyStart: string;
  accounts: DemoAccount[];
  /** CRM records outside the account scope (never scored). */
  others: DemoOther[];
  /** The customer whose CRM record is moved out of the scope by a data clean-up (not a churn), and the day. */
  cleanup?: { key: string; day: string };
}

const NAMES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Vandelay',
  'Massive',
  'Dunder',
  'Pied Piper',
  'Aperture',
];
const SUFFIX = [
  'Labs',
  'Systems',
  'Group',
  'Health',
  'Logistics',
  'Capital',
  'Foods',
  'Energy',
  'Media',
  'Robotics',
  'Retail',
  'Studios',
  'Analytics',
  'Freight',
  'Bank',
];

export interface WorldOptions {
  accounts?: number;
  days?: number;
  firstDay?: string;
  seed?: number;
  /** Explicit stories by account index (tests), instead of the mix. */
  stories?: Story[];
  /** Explicit turn days by account index, as offsets from the first day. */
  turnOffsets?: number[];
  /** Days after the first day until account 0's manual override expires (default 14). */
  overrideDays?: number;
  /** What the product sends as the Mixpanel group key: an id of its own (default) or the company's domain. */
  mixpanelGroupKeys?: 'ids' | 'domains';
  /** CRM records that are not customers: prospects and partners, and former customers (default none). */
  others?: { prospects: number; partners: number; former: number };
  /** Stories end as customers' do: some churn (every subscription canceled), some cut seats, steady enterprise customers renew a yearly plan (default off: tests keep their stories as they are). */
  endings?: boolean;
  /** Moves one steady customer out of the CRM's scope this many days after the first day, without churn evidence (default never). */
  cleanupOffset?: number;
}

/** When the story's customer leaves (every subscription ends): decay, payment failed (odd), renewal risk (odd). */
function churnDay(a: DemoAccount): string | undefined {
  // A decaying customer cancels six weeks into the decline (its usage starts falling early in the run).
  if (a.story === 'decay') return addDays(a.turnDay, 40);
  // Stripe's dunning cancels the subscription after its last retry (about three weeks).
  if (a.story === 'payment_failed' && a.index % 2 === 1) return addDays(a.turnDay, 21);
  // The cancellation set at the turn takes effect at the end of the period (the renewal date).
  if (a.story === 'renewal_risk' && a.index % 2 === 1) return a.renewalDate;
  return undefined;
}

/** Half of the customers whose champion leaves have cut their seats by a fifth in the first days (a contraction). */
const contractionDay = (a: DemoAccount, firstDay: string): string | undefined =>
  a.story === 'champion_left' && a.index % 2 === 1 ? addDays(firstDay, 3 + (a.index % 7)) : undefined;

export function buildWorld(options: WorldOptions = {}): DemoWorld {
  const count = options.accounts ?? 200;
  const days = options.days ?? 60;
  const firstDay = options.firstDay ?? '2026-09-01';
  const lastDay = addDays(firstDay, days - 1);
  const rnd = seededRandom(options.seed ?? 2026);
  const accounts: DemoAccount[] = [];
  for (let i = 0; i < count; i++) {
    let r = (i * 0.6180339887) % 1; // low-discrepancy: every story is represented, whatever the count
    let story: Story = 'steady';
    for (const [s, share] of STORY_MIX) {
      if (r < share) {
        story = s;
        break;
      }
      r -= share;
    }
    story = options.stories?.[i] ?? story;
    const name = `${NAMES[i % NAMES.length]} ${SUFFIX[Math.floor(i / NAMES.length) % SUFFIX.length]}${i >= NAMES.length * SUFFIX.length ? ` ${Math.floor(i / (NAMES.length * SUFFIX.length)) + 1}` : ''}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const segment = i % 5 === 0 ? 'enterprise' : i % 5 < 3 ? 'mid_market' : 'smb';
    const seats =
      segment === 'enterprise'
        ? 80 + Math.floor(rnd() * 120)
        : segment === 'mid_market'
          ? 20 + Math.floor(rnd() * 40)
          : 5 + Math.floor(rnd() * 10);
    const contractStart =
      story === 'onboarding' ? addDays(firstDay, -20 - Math.floor(rnd() * 10)) : addDays(firstDay, -200 - Math.floor(rnd() * 500));
    const renewalDate =
      story === 'renewal_risk' ? addDays(firstDay, 40 + Math.floor(rnd() * 25)) : addDays(firstDay, 120 + Math.floor(rnd() * 200));
    const offset = options.turnOffsets?.[i];
    const turnDay =
      offset !== undefined
        ? addDays(firstDay, offset)
        : story === 'one_day_dip'
          ? addDays(firstDay, 30)
          : addDays(firstDay, 12 + Math.floor(rnd() * 20));
    const since = addDays(firstDay, -300);
    accounts.push({
      index: i,
      key: `demo-${String(i).padStart(4, '0')}`,
      name,
      domain: `${slug}.example`,
      story,
      segment,
      seats,
      pricePerSeat: segment === 'enterprise' ? 60 : 40,
      contractStart,
      renewalDate,
      turnDay,
      nps: story === 'renewal_risk' ? 5 : story === 'steady' || story === 'expansion' ? 9 : 7,
      ...(i === 0
        ? {
            override: {
              score: 35,
              reason: 'Customer announced a re-org; renewal at risk',
              expiresOn: addDays(firstDay, options.overrideDays ?? 14),
            },
          }
        : {}),
      identities: {
        stripeCustomerId: `cus_demo${String(i).padStart(5, '0')}`,
        zendeskOrganizationId: String(360000 + i),
        mixpanelGroupKey: options.mixpanelGroupKeys === 'domains' ? `${slug}.example` : `acct-${slug}`,
      },
      contacts: [
        {
          key: 'champion',
          name: `Chris Champion ${i}`,
          email: `champion@${slug}.example`,
          title: 'Head of Operations',
          champion: true,
          inRoleSince: since,
        },
        {
          key: 'sponsor',
          name: `Sam Sponsor ${i}`,
          email: `sponsor@${slug}.example`,
          title: 'VP Operations',
          execSponsor: true,
          inRoleSince: since,
        },
        { key: 'user1', name: `Uma User ${i}`, email: `uma@${slug}.example`, title: 'Analyst', inRoleSince: since },
        { key: 'user2', name: `Ulf User ${i}`, email: `ulf@${slug}.example`, title: 'Analyst', inRoleSince: since },
      ],
    });
  }
  if (options.endings)
    for (const a of accounts) {
      if (a.story === 'decay' && options.turnOffsets?.[a.index] === undefined) a.turnDay = addDays(firstDay, 2 + ((a.index * 3) % 12));
      const churn = churnDay(a);
      const cut = contractionDay(a, firstDay);
      if (churn !== undefined) a.churnOn = churn;
      if (cut !== undefined) a.contractOn = cut;
      // Steady enterprise customers pay yearly; their year turns during the run (a renewal).
      if (a.story === 'steady' && a.segment === 'enterprise' && a.index > 0) a.renewOn = addDays(firstDay, 10 + ((a.index * 7) % 40));
    }
  const others: DemoOther[] = [];
  const o = options.others ?? { prospects: 0, partners: 0, former: 0 };
  const add = (stage: DemoOther['stage'], n: number, label: string) => {
    for (let i = 0; i < n; i++) {
      const name = `${label} ${NAMES[(i * 5 + others.length) % NAMES.length]} ${i + 1}`;
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      others.push({
        key: `${stage}-${String(i).padStart(3, '0')}`,
        name,
        domain: `${slug}.example`,
        stage,
        ...(stage === 'former' ? { endedOn: addDays(firstDay, -60 - i * 17) } : {}),
      });
    }
  };
  add('prospect', o.prospects, 'Prospect');
  add('partner', o.partners, 'Partner');
  add('former', o.former, 'Former');
  const steady = accounts.find((a) => a.story === 'steady' && a.index > 0);
  const cleanup =
    options.cleanupOffset !== undefined && steady ? { key: steady.key, day: addDays(firstDay, options.cleanupOffset) } : undefined;
  return { firstDay, lastDay, historyStart: addDays(firstDay, -90), accounts, others, ...(cleanup ? { cleanup } : {}) };
}

/** Share of seats active on `day` for the account's story (0..1). */
export function activeShare(a: DemoAccount, day: string): number {
  const base = 0.55 + ((a.index * 37) % 20) / 100; // 0.55..0.74
  const sinceTurn = daysBetween(a.turnDay, day);
  const sinceStart = daysBetween(a.contractStart, day);
  switch (a.story) {
    case 'decay':
      return sinceTurn <= 0 ? base : Math.max(0, base * (1 - sinceTurn * 0.035));
    case 'onboarding':
      return Math.min(base, 0.1 + sinceStart * 0.012);
    case 'expansion':
      return sinceTurn <= 0 ? base : Math.min(0.95, base + sinceTurn * 0.01);
    case 'champion_left':
      return sinceTurn <= 0 ? base : base * 0.85;
    default:
      return base;
  }
}

/** Which core features the account's users touch on `day` (adoption falls with decay). */
export function featuresUsed(a: DemoAccount, day: string): string[] {
  const share = activeShare(a, day);
  const n = share > 0.6 ? 4 : share > 0.45 ? 3 : share > 0.25 ? 2 : share > 0.05 ? 1 : 0;
  return FEATURES.slice(0, n);
}

export function seatsOn(a: DemoAccount, day: string): number {
  if (a.story === 'expansion' && day >= a.turnDay) return Math.round(a.seats * 1.25);
  if (a.contractOn !== undefined && day >= a.contractOn) return Math.max(1, Math.round(a.seats * 0.8));
  return a.seats;
}
