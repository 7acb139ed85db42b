// Relationship and engagement signals from an account's contacts and engagements on the day
// `asOf` (nothing after it counts): champion status, executive sponsor engaged, engaged contacts
// (multi-threading), leadership change, email reply time, meeting attendance, last two-way touch.
// Pure: the source fetches, this decides. Absent data gives no key, never a zero.

import { DAY_MS } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { ContactRoles } from './contact-roles.ts';
import { type CallFact, type Conversation, conversations, type EmailFact, type MeetingFact } from './engagements.ts';

const HOUR_MS = 3_600_000;
/**
 * How far back engagements are read: the longest window a signal uses (meetings and sponsor
 * contact: 90 days). "Days since the last two-way touch" is therefore at most this: 90 reads as
 * "90 days or more".
 */
export const ENGAGEMENT_WINDOW_DAYS = 90;
/** Replies slower than 14 days (or none after 14 days) count as 336 hours. */
export const NO_REPLY_HOURS = 336;

/** A champion this connector saw associated with the account on an earlier run. */
export interface ChampionMemory {
  contactId: string;
  /** ISO date-time of the run's `asOf` when first seen. */
  firstSeen: string;
}

export interface AccountActivity {
  /** The company record's creation (contacts already there then are not leadership changes). */
  companyCreatedAt: number;
  /** Contacts associated with the company now, with their roles on the day. */
  contacts: ContactRoles[];
  emails: EmailFact[];
  meetings: MeetingFact[];
  calls: CallFact[];
  memory: ChampionMemory[];
}

const within = (at: number, asOf: number, days: number) => at <= asOf && at > asOf - days * DAY_MS;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function championStatus(a: AccountActivity, asOf: number, associated: ReadonlySet<string>): SignalValue {
  const current = a.contacts.filter((c) => c.championSince !== undefined && !c.left);
  if (current.length > 0) return current.some((c) => asOf - (c.championSince as number) >= 90 * DAY_MS) ? 'active' : 'new';
  const leftChampion = a.contacts.some((c) => c.everChampion && c.left);
  const dissociated = a.memory.some((m) => Date.parse(m.firstSeen) <= asOf && !associated.has(m.contactId));
  return leftChampion || dissociated ? 'departed' : 'none';
}

/** Median hours from our email to the customer's reply, over emails we sent in the last 30 days. */
function emailResponseHours(emails: readonly EmailFact[], asOf: number): number | undefined {
  const seen = emails.filter((e) => e.at <= asOf);
  const inbound = seen.filter((e) => e.direction === 'in').sort((x, y) => x.at - y.at);
  const samples: number[] = [];
  for (const out of seen) {
    if (out.direction !== 'out' || !within(out.at, asOf, 30)) continue;
    const reply = inbound.find(
      (r) =>
        r.at > out.at && (out.threadId && r.threadId ? r.threadId === out.threadId : r.addresses.some((a) => out.addresses.includes(a))),
    );
    if (reply) samples.push(Math.min(NO_REPLY_HOURS, (reply.at - out.at) / HOUR_MS));
    else if (asOf - out.at >= 14 * DAY_MS) samples.push(NO_REPLY_HOURS);
    // else: still waiting, too early to tell
  }
  return samples.length > 0 ? Math.round(median(samples) * 10) / 10 : undefined;
}

/** Attended / (attended + no-show) among meetings due in the last 90 days; canceled and rescheduled ones were not held. */
function meetingAttendance(meetings: readonly MeetingFact[], asOf: number): number | undefined {
  const due = meetings.filter((m) => within(m.at, asOf, 90) && (m.outcome === 'COMPLETED' || m.outcome === 'NO_SHOW'));
  if (due.length === 0) return undefined;
  return Math.round((due.filter((m) => m.outcome === 'COMPLETED').length / due.length) * 1000) / 1000;
}

function talkedWith(talks: readonly Conversation[], ids: ReadonlySet<string>, asOf: number, days: number): boolean {
  return talks.some((t) => within(t.at, asOf, days) && t.with.some((w) => ids.has(w)));
}

export interface ActivitySignals {
  signals: Record<string, SignalValue>;
  /** The champion memory to keep for later runs (undefined when unchanged). */
  memory: ChampionMemory[] | undefined;
}

export function activitySignals(a: AccountActivity, asOf: number): ActivitySignals {
  const out: Record<string, SignalValue> = {};
  const contactIdByEmail = new Map(a.contacts.flatMap((c) => (c.email ? [[c.email, c.id] as const] : [])));
  const talks = conversations(a.emails, a.meetings, a.calls, contactIdByEmail).filter((t) => t.at <= asOf);
  const associated = new Set(a.contacts.map((c) => c.id));
  const knownMemory = a.memory.filter((m) => Date.parse(m.firstSeen) <= asOf);

  if (a.contacts.length > 0 || knownMemory.length > 0) out['relationship.championStatus'] = championStatus(a, asOf, associated);
  if (a.contacts.length > 0) {
    const sponsors = new Set(a.contacts.filter((c) => c.sponsorSince !== undefined && !c.left).map((c) => c.id));
    out['relationship.execSponsorEngaged'] = talkedWith(talks, sponsors, asOf, 90);
    out['relationship.leadershipChange90d'] = a.contacts.some(
      (c) =>
        !c.left && c.executiveSince !== undefined && within(c.executiveSince, asOf, 90) && c.executiveSince > a.companyCreatedAt + DAY_MS,
    );
  }

  const anyActivity = [...a.emails, ...a.meetings, ...a.calls].some((e) => e.at <= asOf);
  if (anyActivity) {
    const engaged = new Set(talks.filter((t) => within(t.at, asOf, 30)).flatMap((t) => t.with));
    out['relationship.engagedContacts30d'] = engaged.size;
    const reply = emailResponseHours(a.emails, asOf);
    if (reply !== undefined) out['engagement.emailResponseHours'] = reply;
    const attendance = meetingAttendance(a.meetings, asOf);
    if (attendance !== undefined) out['engagement.meetingAttendance'] = attendance;
  }
  // Engagements are read for the window only: without a conversation in it, the last one was at least that long ago,
  // which is known once the account had contacts (or activity) for the whole window.
  const windowStart = asOf - ENGAGEMENT_WINDOW_DAYS * DAY_MS;
  if (talks.length > 0) out['engagement.daysSinceLastCsmTouch'] = Math.floor((asOf - Math.max(...talks.map((t) => t.at))) / DAY_MS);
  else if (anyActivity || (a.contacts.length > 0 && a.companyCreatedAt <= windowStart))
    out['engagement.daysSinceLastCsmTouch'] = ENGAGEMENT_WINDOW_DAYS;

  const memory = updatedMemory(a, asOf);
  return { signals: out, memory };
}

function updatedMemory(a: AccountActivity, asOf: number): ChampionMemory[] | undefined {
  const today = new Date(asOf).toISOString();
  const champions = new Set(a.contacts.filter((c) => c.championSince !== undefined && !c.left).map((c) => c.id));
  let changed = false;
  // Seen now: keep the earliest day seen (runs may be replayed out of order, e.g. backfills).
  const memory = a.memory.map((m) => {
    if (!champions.has(m.contactId) || Date.parse(m.firstSeen) <= asOf) return m;
    changed = true;
    return { contactId: m.contactId, firstSeen: today };
  });
  const known = new Set(memory.map((m) => m.contactId));
  for (const id of champions)
    if (!known.has(id)) {
      memory.push({ contactId: id, firstSeen: today });
      changed = true;
    }
  return changed ? memory : undefined;
}
