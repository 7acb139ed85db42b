// Portfolio views over stored history: tier counts per day and per week, top movers with their
// drivers, and each account's score series — for the terminal summary and the HTML report.
import type { Tier } from '../../lib/scoring/engine.ts';
import type { DayRecord } from '../store/records.ts';

export interface AccountSeries {
  accountId: string;
  name: string;
  points: { day: string; score: number | null; tier: Tier }[];
  latest: DayRecord;
  /** Set when the customer churned: the day; its score is frozen at `latest` and it has left the portfolio. */
  churnedOn?: string;
}

export interface AlertRow {
  accountId: string;
  name: string;
  day: string;
  playbook: string;
  title: string;
}

export interface Portfolio {
  days: string[];
  /** Confirmed tier counts per day. */
  tiersByDay: Record<string, Record<Tier, number>>;
  accounts: AccountSeries[];
}

/** `churned`: accounts that churned (account id → churn day), shown as churned and left out of the movers. */
export function buildPortfolio(records: Iterable<DayRecord>, names: Map<string, string>, churned = new Map<string, string>()): Portfolio {
  const byAccount = new Map<string, DayRecord[]>();
  const tiersByDay: Record<string, Record<Tier, number>> = {};
  for (const r of records) {
    const list = byAccount.get(r.accountId) ?? [];
    list.push(r);
    byAccount.set(r.accountId, list);
    tiersByDay[r.day] ??= { green: 0, yellow: 0, red: 0, unknown: 0 };
    (tiersByDay[r.day] as Record<Tier, number>)[r.tierState.confirmed]++;
  }
  const accounts: AccountSeries[] = [];
  for (const [accountId, list] of byAccount) {
    list.sort((a, b) => a.day.localeCompare(b.day));
    accounts.push({
      accountId,
      name: names.get(accountId) ?? accountId,
      points: list.map((r) => ({ day: r.day, score: r.score, tier: r.tierState.confirmed })),
      latest: list.at(-1) as DayRecord,
      ...(churned.has(accountId) ? { churnedOn: churned.get(accountId) as string } : {}),
    });
  }
  accounts.sort((a, b) => a.name.localeCompare(b.name));
  return { days: Object.keys(tiersByDay).sort(), tiersByDay, accounts };
}

export interface Mover {
  series: AccountSeries;
  from: number;
  to: number;
  change: number;
}

/** Accounts whose score moved most between the first and last day of the window. */
export function topMovers(p: Portfolio, n = 10): Mover[] {
  const movers: Mover[] = [];
  for (const s of p.accounts) {
    // A churned customer has left the portfolio: its last score is history, not a movement to act on.
    if (s.churnedOn !== undefined) continue;
    const scored = s.points.filter((x) => x.score !== null);
    const first = scored[0]?.score;
    const last = scored.at(-1)?.score;
    if (first == null || last == null) continue;
    movers.push({ series: s, from: first, to: last, change: last - first });
  }
  return movers.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.series.name.localeCompare(b.series.name)).slice(0, n);
}

/** Tier counts on the last day of each 7-day week of the window. */
export function weeklyTiers(p: Portfolio): { day: string; tiers: Record<Tier, number> }[] {
  const out: { day: string; tiers: Record<Tier, number> }[] = [];
  for (let i = p.days.length - 1; i >= 0; i -= 7) {
    const day = p.days[i] as string;
    out.unshift({ day, tiers: p.tiersByDay[day] as Record<Tier, number> });
  }
  return out;
}
