// Pure: one organization's stored tickets → the support signals of the scoring method (§2), as of
// `asOf`. A window our history does not fully cover gives no key (unknown), never a zero.
import { DAY_S } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { OrgState, StoredTicket } from './support-model.ts';

export interface SupportSignalOptions {
  escalation: { urgentPriority: boolean; tags: readonly string[] };
  sentiment: { positiveTags: readonly string[]; negativeTags: readonly string[]; windowDays: number };
  backfillDays: number;
}

const OPEN = new Set(['new', 'open', 'pending', 'hold']);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export const isEscalated = (t: StoredTicket, o: SupportSignalOptions['escalation']): boolean =>
  (o.urgentPriority && t.priority === 'urgent') || t.tags.some((tag) => o.tags.includes(tag));

/** The tickets as of `asOfS`: created by then, last changed by then, and within the kept horizon. */
export function ticketsAsOf(org: OrgState, asOfS: number, backfillDays: number): StoredTicket[] {
  const horizon = asOfS - backfillDays * DAY_S;
  return Object.values(org.tickets).filter((t) => t.createdAt <= asOfS && t.updatedAt <= asOfS && t.updatedAt >= horizon);
}

/** Satisfied share of the last five rated tickets; undefined when none was rated. */
export function csat(tickets: readonly StoredTicket[], asOfS: number): number | undefined {
  const rated = tickets
    .filter((t) => t.rating !== undefined && t.rating.ratedAt <= asOfS)
    .sort((a, b) => (b.rating?.ratedAt ?? 0) - (a.rating?.ratedAt ?? 0) || b.id - a.id)
    .slice(0, 5);
  if (rated.length === 0) return undefined;
  return round4(rated.filter((t) => t.rating?.score === 'good').length / rated.length);
}

/** From ratings and sentiment tags in the window; undefined without any recent ticket or rating. */
export function sentiment(
  tickets: readonly StoredTicket[],
  asOfS: number,
  o: SupportSignalOptions['sentiment'],
): 'positive' | 'neutral' | 'negative' | undefined {
  const from = asOfS - o.windowDays * DAY_S;
  let score = 0;
  let seen = false;
  for (const t of tickets) {
    if (t.rating && t.rating.ratedAt > from && t.rating.ratedAt <= asOfS) {
      seen = true;
      score += t.rating.score === 'good' ? 1 : -1;
    }
    if (t.updatedAt > from) {
      seen = true;
      if (t.tags.some((tag) => o.positiveTags.includes(tag))) score += 1;
      if (t.tags.some((tag) => o.negativeTags.includes(tag))) score -= 1;
    }
  }
  if (!seen) return undefined;
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}

/** `coveredFrom` (unix s): our ticket history is complete from then on. */
export function toSupportSignals(org: OrgState, asOf: Date, coveredFrom: number, o: SupportSignalOptions): Record<string, SignalValue> {
  const asOfS = Math.floor(asOf.getTime() / 1000);
  const tickets = ticketsAsOf(org, asOfS, o.backfillDays);
  const out: Record<string, SignalValue> = {};
  const created = (fromDaysAgo: number, toDaysAgo: number) =>
    tickets.filter((t) => t.createdAt > asOfS - fromDaysAgo * DAY_S && t.createdAt <= asOfS - toDaysAgo * DAY_S);

  // Last 30 days against the average 30-day volume of the 90 days before them (+1 ticket of smoothing when those had none).
  if (o.backfillDays >= 120 && coveredFrom <= asOfS - 120 * DAY_S) {
    const recent = created(30, 0).length;
    const prior = created(120, 30).length;
    out['support.ticketVolumeRatio'] = recent === 0 ? 0 : round4(recent / (Math.max(prior, 1) / 3));
  }
  if (coveredFrom <= asOfS - 90 * DAY_S) out['support.escalations90d'] = created(90, 0).filter((t) => isEscalated(t, o.escalation)).length;
  out['support.activeEscalation'] = tickets.some((t) => OPEN.has(t.status) && isEscalated(t, o.escalation));
  out['support.openTicketsAged'] = tickets.filter((t) => OPEN.has(t.status) && t.createdAt <= asOfS - 30 * DAY_S).length;
  const c = csat(tickets, asOfS);
  if (c !== undefined) out['support.csat'] = c;
  const s = sentiment(tickets, asOfS, o.sentiment);
  if (s) out['support.sentiment'] = s;
  return out;
}
