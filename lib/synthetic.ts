// Deterministic synthetic snapshots (seeded PRNG) for benchmarks and examples: realistic mixes
// of every catalog signal, with some signals missing as in real portfolios.
import type { SignalValue } from './signals/catalog.ts';
import type { AccountSnapshot } from './signals/snapshot.ts';

/** mulberry32: a small, fast, seedable PRNG; the same seed always gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const r2 = (x: number) => Math.round(x * 100) / 100;

export function syntheticSnapshot(rnd: () => number, index: number, asOf = '2026-11-01'): AccountSnapshot {
  const s: Record<string, SignalValue> = {};
  const maybe = (p: number, key: string, value: () => SignalValue) => {
    if (rnd() < p) s[key] = value();
  };
  maybe(0.95, 'usage.trend14d', () => (rnd() < 0.04 ? -1 : r2(rnd() * 1.2 - 0.6)));
  maybe(0.95, 'usage.daysSinceLastActive', () => (rnd() < 0.04 ? 14 + Math.floor(rnd() * 30) : Math.floor(rnd() * 7)));
  maybe(0.9, 'usage.licenseUtilization', () => r2(rnd() * 1.1));
  maybe(0.9, 'usage.featureAdoption', () => r2(rnd()));
  maybe(0.85, 'engagement.emailResponseHours', () => (rnd() < 0.1 ? 336 : r2(rnd() * 200)));
  maybe(0.8, 'engagement.meetingAttendance', () => r2(rnd()));
  maybe(0.9, 'relationship.championStatus', () => pick(rnd, ['active', 'active', 'active', 'new', 'departed', 'none']));
  maybe(0.8, 'relationship.execSponsorEngaged', () => rnd() < 0.6);
  maybe(0.9, 'relationship.engagedContacts30d', () => Math.floor(rnd() * 8));
  maybe(0.6, 'outcome.nps', () => Math.floor(rnd() * 11));
  maybe(0.7, 'outcome.successPlanOnTrack', () => rnd() < 0.7);
  maybe(0.9, 'support.ticketVolumeRatio', () => r2(rnd() * 3));
  maybe(0.8, 'support.csat', () => pick(rnd, [0, 0.2, 0.4, 0.6, 0.8, 1]));
  maybe(0.9, 'support.escalations90d', () => (rnd() < 0.7 ? 0 : Math.floor(rnd() * 4)));
  maybe(0.9, 'support.activeEscalation', () => rnd() < 0.05);
  maybe(0.95, 'billing.paymentStatus', () => pick(rnd, ['current', 'current', 'current', 'current', 'late', 'failed']));
  maybe(0.9, 'billing.subscriptionChange', () => pick(rnd, ['stable', 'stable', 'stable', 'upgrade', 'downgrade', 'cancel_pending']));
  maybe(0.9, 'growth.seatChange90d', () => (rnd() < 0.5 ? 0 : r2(rnd() * 0.6 - 0.3)));
  maybe(0.9, 'commercial.daysToRenewal', () => Math.floor(rnd() * 365));
  return { accountId: `acct-${String(index).padStart(7, '0')}`, asOf, signals: s };
}

export function* syntheticSnapshots(count: number, seed = 42, asOf?: string): Generator<AccountSnapshot> {
  const rnd = seededRandom(seed);
  for (let i = 0; i < count; i++) yield syntheticSnapshot(rnd, i, asOf);
}
