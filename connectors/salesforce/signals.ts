// Catalog signals for one account from its clean Salesforce data, as of a given instant: nothing
// dated after `asOf` counts (runs are simulated over many days and backtests depend on it), and a
// signal with no data behind it is left out (unknown), never reported as zero.

import { DAY_MS } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { SfRow } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import { type CleanContact, dayStart, type Interaction, yesNo } from './mappers.ts';

const NO_REPLY_HOURS = 336;
const utcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** An account's commercial records from standard objects: activated contracts and open renewal opportunities. */
export interface Commercial {
  contracts: { start?: string; end?: string }[];
  /** Close dates of the account's renewal opportunities (Type in mapping.renewal.opportunityTypes) not yet closed. */
  renewalCloseDates: string[];
}

/** The renewal day: the mapped field, else the end of the activated contract in force, or the nearest renewal opportunity. */
function renewalDay(row: SfRow, m: SalesforceMapping, c: Commercial, today: number): number | undefined {
  const field = m.account.renewalDate ? row[m.account.renewalDate] : undefined;
  if (typeof field === 'string') return dayStart(field);
  if (m.renewal.from === 'opportunity') {
    const upcoming = c.renewalCloseDates.map(dayStart).filter((d) => d >= today);
    return upcoming.length > 0 ? Math.min(...upcoming) : undefined;
  }
  const inForce = c.contracts
    .filter((k) => k.start && k.end && dayStart(k.start) <= today && dayStart(k.end) >= today)
    .map((k) => dayStart(k.end as string));
  return inForce.length > 0 ? Math.max(...inForce) : undefined;
}

/** The first day of the relationship: the mapped field, else the earliest activated contract's start. */
function startDay(row: SfRow, m: SalesforceMapping, c: Commercial): number | undefined {
  const field = m.account.contractStart ? row[m.account.contractStart] : undefined;
  if (typeof field === 'string') return dayStart(field);
  const starts = c.contracts.flatMap((k) => (k.start ? [dayStart(k.start)] : []));
  return starts.length > 0 ? Math.min(...starts) : undefined;
}

/** Signals read from the Account and its contracts: renewal, account age, CSM sentiment, NPS, success plan, ROI. */
export function accountFieldSignals(
  row: SfRow,
  m: SalesforceMapping,
  asOf: Date,
  commercial: Commercial = { contracts: [], renewalCloseDates: [] },
): Record<string, SignalValue> {
  const a = m.account;
  const out: Record<string, SignalValue> = {};
  const today = utcDay(asOf.getTime());
  const renewal = renewalDay(row, m, commercial, today);
  if (renewal !== undefined) out['commercial.daysToRenewal'] = Math.round((renewal - today) / DAY_MS);
  const start = startDay(row, m, commercial);
  if (start !== undefined && start <= today) out['lifecycle.accountAgeDays'] = Math.round((today - start) / DAY_MS);
  const sentiment = a.csmSentiment ? row[a.csmSentiment] : undefined;
  if (typeof sentiment === 'string' && ['green', 'yellow', 'red'].includes(sentiment.trim().toLowerCase()))
    out['relationship.csmSentiment'] = sentiment.trim().toLowerCase();
  const nps = a.nps ? row[a.nps] : undefined;
  if (typeof nps === 'number' && nps >= 0 && nps <= 10) out['outcome.nps'] = nps;
  const plan = a.successPlanOnTrack ? yesNo(row[a.successPlanOnTrack.field], a.successPlanOnTrack) : undefined;
  if (plan !== undefined) out['outcome.successPlanOnTrack'] = plan;
  const roi = a.roiDocumented ? yesNo(row[a.roiDocumented.field], a.roiDocumented) : undefined;
  if (roi !== undefined) out['outcome.roiDocumented'] = roi;
  return out;
}

const isTwoWay = (i: Interaction): boolean =>
  i.kind === 'email' ? i.direction === 'inbound' : i.kind === 'call' ? i.connected : i.outcome === 'attended' || i.outcome === 'held';

const contactsOf = (i: Interaction): string[] => (i.kind === 'meeting' ? i.contactIds : i.contactId ? [i.contactId] : []);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * Median hours the customer took to answer our emails sent in the last 30 days. Consecutive emails
 * of ours wait together for the next reply; one unanswered for 14 days counts as 336 hours; one sent
 * less than 14 days ago with no reply yet is still pending and left out.
 */
export function emailResponseHours(emails: readonly Interaction[], asOf: number): number | undefined {
  const threads = new Map<string, Interaction[]>();
  for (const e of emails) {
    if (e.kind !== 'email' || e.at > asOf) continue;
    const key = e.thread ?? (e.contactId ? `contact:${e.contactId}` : 'account');
    threads.set(key, [...(threads.get(key) ?? []), e]);
  }
  const samples: number[] = [];
  const since = asOf - 30 * DAY_MS;
  for (const thread of threads.values()) {
    thread.sort((a, b) => a.at - b.at);
    let waiting: number | undefined;
    for (const e of thread) {
      if (e.kind !== 'email') continue;
      if (e.direction === 'outbound') waiting ??= e.at;
      else if (waiting !== undefined) {
        if (waiting > since) samples.push(Math.min(NO_REPLY_HOURS, (e.at - waiting) / 3_600_000));
        waiting = undefined;
      }
    }
    if (waiting !== undefined && waiting > since && asOf - waiting >= 14 * DAY_MS) samples.push(NO_REPLY_HOURS);
  }
  return samples.length > 0 ? Math.round(median(samples) * 10) / 10 : undefined;
}

/** Whether champions and sponsors can be read at all (a mapped flag, or contact roles the org has). */
export interface RolesReadable {
  champion: boolean;
  execSponsor: boolean;
}

/** Relationship and engagement signals from contacts and interactions (all of one account). */
export function relationshipSignals(
  allContacts: readonly CleanContact[],
  allInteractions: readonly Interaction[],
  m: SalesforceMapping,
  asOfDate: Date,
  readable: RolesReadable = { champion: m.contact.champion !== null, execSponsor: m.contact.execSponsor !== null },
): Record<string, SignalValue> {
  const asOf = asOfDate.getTime();
  const out: Record<string, SignalValue> = {};
  const contacts = allContacts.filter((c) => c.createdAt <= asOf);
  const interactions = allInteractions.filter((i) => i.at <= asOf && i.at > asOf - m.activity.lookbackDays * DAY_MS);
  const hasLeft = (c: CleanContact) => (c.leftAt !== undefined ? c.leftAt <= asOf : c.leftFlag);
  const twoWay = interactions.filter(isTwoWay);
  const within = (days: number) => twoWay.filter((i) => i.at > asOf - days * DAY_MS);

  if (contacts.length > 0) {
    if (readable.champion) {
      const champions = contacts.filter((c) => c.champion);
      const inRole = champions.filter((c) => !hasLeft(c) && c.roleStart <= asOf);
      if (inRole.length > 0) out['relationship.championStatus'] = inRole.some((c) => asOf - c.roleStart >= 90 * DAY_MS) ? 'active' : 'new';
      else out['relationship.championStatus'] = champions.some(hasLeft) ? 'departed' : 'none';
    }
    if (readable.execSponsor) {
      const sponsors = new Set(contacts.filter((c) => c.execSponsor && !hasLeft(c)).map((c) => c.id));
      out['relationship.execSponsorEngaged'] = within(90).some((i) => contactsOf(i).some((id) => sponsors.has(id)));
    }
    if (m.contact.executiveSince)
      out['relationship.leadershipChange90d'] = contacts.some(
        (c) => c.executiveSince !== undefined && c.executiveSince <= asOf && c.executiveSince > asOf - 90 * DAY_MS,
      );
  }
  if (contacts.length > 0 || interactions.length > 0) out['relationship.engagedContacts30d'] = new Set(within(30).flatMap(contactsOf)).size;

  const reply = emailResponseHours(interactions, asOf);
  if (reply !== undefined) out['engagement.emailResponseHours'] = reply;

  const meetings = interactions.filter(
    (i) => i.kind === 'meeting' && i.at > asOf - 90 * DAY_MS && (i.outcome === 'attended' || i.outcome === 'no_show'),
  );
  if (meetings.length > 0)
    out['engagement.meetingAttendance'] =
      Math.round((meetings.filter((i) => i.kind === 'meeting' && i.outcome === 'attended').length / meetings.length) * 1000) / 1000;

  if (interactions.length > 0) {
    const last = Math.max(...twoWay.map((i) => i.at));
    // No two-way touch within the lookback: report the lookback as a floor ("at least this long").
    out['engagement.daysSinceLastCsmTouch'] = twoWay.length > 0 ? Math.floor((asOf - last) / DAY_MS) : m.activity.lookbackDays;
  }
  return out;
}
