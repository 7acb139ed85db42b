// A seeded backtest fixture with a known, planted churn mechanism: each account has a latent health;
// churn odds depend on it alone, and only the `planted` signals reflect it (with noise). Every other
// signal is drawn from an unrelated latent of its own. Optionally, churners show a post-decision
// signal (billing.subscriptionChange = cancel_pending) in their last days, as real billing data does.

import type { OutcomeKind } from '../../lib/backtest/outcomes.ts';
import { DAY_MS, isoDay, parseInstant } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { AccountSnapshot } from '../../lib/signals/snapshot.ts';
import { seededRandom } from '../../lib/synthetic.ts';

export const DEFAULT_PLANTED: readonly string[] = [
  'engagement.meetingAttendance',
  'relationship.championStatus',
  'outcome.successPlanOnTrack',
];

export interface PlantedFixtureOptions {
  accounts?: number;
  /** Weekly snapshots per account (churned accounts stop at their churn date). */
  weeks?: number;
  seed?: number;
  /** The first snapshot's date. */
  start?: string;
  planted?: readonly string[];
  /** Churn log-odds per standard deviation of latent health. */
  strength?: number;
  /** Roughly the share of accounts that churn. */
  churnShare?: number;
  /** Noise (in standard deviations) between latent health and the planted signals. */
  noise?: number;
  /** Churners show cancel_pending in snapshots this many days before churning (0 = never). */
  decisionDays?: number;
  /** Chance that a signal is unknown in a snapshot. */
  missing?: number;
}

export interface FixtureOutcome {
  accountId: string;
  date: string;
  outcome: OutcomeKind;
}

export interface PlantedFixture {
  planted: readonly string[];
  outcomes: FixtureOutcome[];
  /** Snapshots week by week (all accounts for one date, then the next); the same sequence on every call. */
  snapshots(): Generator<AccountSnapshot>;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Each signal's value from a quantile q in (0,1): higher q = healthier. */
const valueFromQuantile: Record<string, (q: number) => SignalValue> = {
  'usage.trend14d': (q) => (q < 0.03 ? -1 : r2(q * 1.2 - 0.6)),
  'usage.daysSinceLastActive': (q) => (q < 0.01 ? 20 : Math.floor((1 - q) * 7)),
  'usage.licenseUtilization': (q) => r2(q * 1.1),
  'usage.featureAdoption': (q) => r2(q),
  'engagement.emailResponseHours': (q) => (q < 0.08 ? 336 : r2((1 - q) * 200)),
  'engagement.meetingAttendance': (q) => r2(q),
  'relationship.championStatus': (q) => (q < 0.15 ? 'departed' : q < 0.25 ? 'none' : q < 0.4 ? 'new' : 'active'),
  'relationship.execSponsorEngaged': (q) => q > 0.4,
  'relationship.engagedContacts30d': (q) => Math.floor(q * 7),
  'outcome.nps': (q) => Math.round(q * 10),
  'outcome.successPlanOnTrack': (q) => q > 0.35,
  'support.ticketVolumeRatio': (q) => r2((1 - q) * 3),
  'support.csat': (q) => Math.round(q * 5) / 5,
  'support.escalations90d': (q) => (q < 0.1 ? 2 : q < 0.25 ? 1 : 0),
  'support.activeEscalation': (q) => q < 0.03,
  'billing.paymentStatus': (q) => (q < 0.05 ? 'failed' : q < 0.15 ? 'late' : 'current'),
  'billing.subscriptionChange': (q) => (q < 0.15 ? 'downgrade' : q > 0.85 ? 'upgrade' : 'stable'),
  'growth.seatChange90d': (q) => (Math.abs(q - 0.5) < 0.15 ? 0 : r2((q - 0.5) * 0.6)),
};
export const FIXTURE_SIGNALS: readonly string[] = Object.keys(valueFromQuantile);

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error below 2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function normal(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

interface Account {
  id: string;
  /** Days since the contract started, at the first snapshot. */
  ageAtStart: number;
  health: number;
  /** An unrelated latent per non-planted signal. */
  others: Map<string, number>;
  outcomeAt: number;
  churned: boolean;
}

export function plantedFixture(options: PlantedFixtureOptions = {}): PlantedFixture {
  const count = options.accounts ?? 200;
  const weeks = options.weeks ?? 52;
  const seed = options.seed ?? 1;
  const parsedStart = parseInstant(options.start ?? '2025-01-06');
  if (parsedStart === undefined) throw new Error(`start ${options.start} is not an ISO date`);
  const start: number = parsedStart;
  const planted = options.planted ?? DEFAULT_PLANTED;
  const unknownKey = planted.find((k) => !(k in valueFromQuantile));
  if (unknownKey !== undefined) throw new Error(`the fixture cannot plant '${unknownKey}' (it generates ${FIXTURE_SIGNALS.join(', ')})`);
  const strength = options.strength ?? 2;
  const share = options.churnShare ?? 0.2;
  const noise = options.noise ?? 0.5;
  const decisionDays = options.decisionDays ?? 30;
  const missing = options.missing ?? 0.1;
  // Intercept so that the average churn probability is about `share` (probit approximation of a logistic-normal mean).
  const alpha = Math.log(share / (1 - share)) * Math.sqrt(1 + (Math.PI * strength * strength) / 8);

  const rnd = seededRandom(seed);
  const span = weeks * 7 - 1;
  const minLead = Math.min(100, span);
  const ages = seededRandom(seed + 104_729);
  const accounts: Account[] = [];
  const outcomes: FixtureOutcome[] = [];
  for (let i = 0; i < count; i++) {
    const health = normal(rnd);
    const others = new Map<string, number>();
    for (const key of FIXTURE_SIGNALS) if (!planted.includes(key)) others.set(key, normal(rnd));
    const churned = rnd() < 1 / (1 + Math.exp(-(alpha - strength * health)));
    const outcomeAt = start + (minLead + Math.floor(rnd() * (span - minLead + 1))) * DAY_MS;
    const id = `acct-${String(i).padStart(5, '0')}`;
    const outcome: OutcomeKind = churned ? 'churned' : health > 0.8 && rnd() < 0.6 ? 'expanded' : 'renewed';
    accounts.push({ id, ageAtStart: Math.floor(ages() * 1200), health, others, outcomeAt, churned });
    outcomes.push({ accountId: id, date: isoDay(outcomeAt), outcome });
  }

  function* snapshots(): Generator<AccountSnapshot> {
    const weekly = seededRandom(seed + 7919);
    for (let w = 0; w < weeks; w++) {
      const at = start + w * 7 * DAY_MS;
      for (const a of accounts) {
        if (a.churned && at > a.outcomeAt) continue;
        const signals: Record<string, SignalValue> = {};
        for (const key of FIXTURE_SIGNALS) {
          const latent = a.others.get(key) ?? a.health;
          const q = normalCdf(latent + noise * normal(weekly));
          if (weekly() < missing) continue;
          signals[key] = (valueFromQuantile[key] as (q: number) => SignalValue)(q);
        }
        const daysLeft = Math.round((a.outcomeAt - at) / DAY_MS);
        signals['commercial.daysToRenewal'] = daysLeft;
        signals['lifecycle.accountAgeDays'] = a.ageAtStart + w * 7;
        if (a.churned && decisionDays > 0 && daysLeft <= decisionDays) signals['billing.subscriptionChange'] = 'cancel_pending';
        yield { accountId: a.id, asOf: isoDay(at), signals };
      }
    }
  }

  return { planted, outcomes, snapshots };
}
