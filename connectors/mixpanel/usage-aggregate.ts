// Per-group usage aggregates, the one thing a Mixpanel sync keeps for the batches of a run. Built
// either from the segmentation reports (Mixpanel did the counting) or from the raw export (we count
// distinct users ourselves); both give the same numbers for the same events.
import type { SegmentSeries, UsageRecord } from './raw-schemas.ts';

/** What a run keeps per group key (stored under `mixpanel:group:<key>`). */
export interface GroupUsage {
  /** The last complete day these aggregates run to (inclusive), as a day index of the project's calendar. */
  day: number;
  /** The last day any user of the group sent an active event, when one is known. */
  lastActiveDay?: number;
  /** Sums of daily active users (DAU) over the last 14 days, the 14 before them, and the last 30. */
  dauLast14: number;
  dauPrior14: number;
  dauLast30: number;
  /** Distinct users active over the last 30 days: one 30-day unique count, never a sum of days. */
  activeUsers30d: number;
  /** Core features with at least one event from the group in the last 30 days. */
  featuresUsed: string[];
}

export interface Windows {
  endDay: number;
  lookbackDays: number;
}

const inRange = (day: number, from: number, to: number) => day >= from && day <= to;

function fromDaily(endDay: number, daily: ReadonlyMap<number, number>): Omit<GroupUsage, 'activeUsers30d' | 'featuresUsed'> {
  const u: Omit<GroupUsage, 'activeUsers30d' | 'featuresUsed'> = { day: endDay, dauLast14: 0, dauPrior14: 0, dauLast30: 0 };
  for (const [day, users] of daily) {
    if (users <= 0 || day > endDay) continue;
    if (u.lastActiveDay === undefined || day > u.lastActiveDay) u.lastActiveDay = day;
    if (inRange(day, endDay - 13, endDay)) u.dauLast14 += users;
    else if (inRange(day, endDay - 27, endDay - 14)) u.dauPrior14 += users;
    if (inRange(day, endDay - 29, endDay)) u.dauLast30 += users;
  }
  return u;
}

/**
 * The value of a one-bucket report (`interval` = the whole 30-day range), whatever date Mixpanel
 * keys the bucket by: the only value, or when a report splits the range, the largest (distinct
 * users cannot be summed across buckets; the largest is the count they cannot be below).
 */
function bucketValue(series: ReadonlyMap<number, number> | undefined): number {
  if (!series) return 0;
  return Math.max(0, ...series.values());
}

/**
 * Joins the segmentation reports of a run: `daily` (unique users per day per group),
 * `monthly` (unique users over the 30-day bucket starting `endDay - 29`), and per core feature the
 * same 30-day unique report.
 */
export function usageFromSegmentation(
  w: Windows,
  daily: SegmentSeries,
  monthly: SegmentSeries,
  features: ReadonlyMap<string, SegmentSeries>,
): Map<string, GroupUsage> {
  const groups = new Set([...daily.keys(), ...monthly.keys(), ...[...features.values()].flatMap((s) => [...s.keys()])]);
  const out = new Map<string, GroupUsage>();
  for (const g of groups) {
    const used = [...features].filter(([, s]) => bucketValue(s.get(g)) > 0).map(([name]) => name);
    out.set(g, {
      ...fromDaily(w.endDay, daily.get(g) ?? new Map()),
      activeUsers30d: bucketValue(monthly.get(g)),
      featuresUsed: used,
    });
  }
  return out;
}

/** Counts distinct users per group and day from raw export records, as Mixpanel's `unique` would. */
export class ExportUsageAggregator {
  private readonly w: Windows;
  private readonly active: ReadonlySet<string>;
  private readonly features: ReadonlySet<string>;
  private readonly groups = new Map<string, { daily: Map<number, Set<string>>; users30: Set<string>; features: Set<string> }>();

  constructor(w: Windows, activeEvents: readonly string[], coreFeatures: readonly string[]) {
    this.w = w;
    this.active = new Set(activeEvents);
    this.features = new Set(coreFeatures);
  }

  add(r: UsageRecord): void {
    const { endDay, lookbackDays } = this.w;
    if (!inRange(r.day, endDay - lookbackDays + 1, endDay)) return;
    const isActive = this.active.has(r.event);
    const isFeature = this.features.has(r.event) && r.day >= endDay - 29;
    if (!isActive && !isFeature) return;
    for (const g of r.groups) {
      let acc = this.groups.get(g);
      if (!acc) {
        acc = { daily: new Map(), users30: new Set(), features: new Set() };
        this.groups.set(g, acc);
      }
      if (isActive) {
        const day = acc.daily.get(r.day) ?? new Set<string>();
        day.add(r.distinctId);
        acc.daily.set(r.day, day);
        if (r.day >= endDay - 29) acc.users30.add(r.distinctId);
      }
      if (isFeature) acc.features.add(r.event);
    }
  }

  result(): Map<string, GroupUsage> {
    const out = new Map<string, GroupUsage>();
    for (const [g, acc] of this.groups) {
      const daily = new Map([...acc.daily].map(([day, users]) => [day, users.size]));
      const featuresUsed = [...this.features].filter((f) => acc.features.has(f));
      out.set(g, { ...fromDaily(this.w.endDay, daily), activeUsers30d: acc.users30.size, featuresUsed });
    }
    return out;
  }
}
