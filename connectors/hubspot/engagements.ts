// Engagements (emails, meetings, calls: CRM objects v3) mapped into the facts the engagement and
// relationship signals need: when, which way, with which customer contacts, and whether it was a
// real two-way conversation (an inbound email, a completed meeting, a connected call).
import type { HubSpotConfig } from './config.ts';
import type { HubSpotObjectRaw, PropertyKind } from './raw-schemas.ts';
import { parseHubSpotTime } from './values.ts';

export interface EmailFact {
  id: string;
  at: number;
  direction: 'out' | 'in';
  threadId: string | undefined;
  /** Customer addresses: the recipients of an outbound email, the sender of an inbound one (lower case). */
  addresses: string[];
}

export interface MeetingFact {
  id: string;
  at: number;
  /** hs_meeting_outcome: SCHEDULED, COMPLETED, RESCHEDULED, NO_SHOW, CANCELED (or a custom value). */
  outcome: string | undefined;
  contactIds: string[];
}

export interface CallFact {
  id: string;
  at: number;
  connected: boolean;
  contactIds: string[];
}

/** A two-way interaction with the customer, with whom (contact ids, or `email:<address>` when unknown). */
export interface Conversation {
  at: number;
  with: string[];
}

export const emailPropertyKinds = (config: HubSpotConfig): Record<string, PropertyKind> => ({
  hs_timestamp: 'datetime',
  hs_email_direction: 'string',
  hs_email_from_email: 'string',
  hs_email_to_email: 'string',
  [config.engagement.emailThreadProperty]: 'string',
});
export const meetingPropertyKinds: Record<string, PropertyKind> = {
  hs_timestamp: 'datetime',
  hs_meeting_start_time: 'datetime',
  hs_meeting_outcome: 'string',
};
export const callPropertyKinds: Record<string, PropertyKind> = {
  hs_timestamp: 'datetime',
  hs_call_disposition: 'string',
  hs_call_status: 'string',
};

const addressList = (v: string | null | undefined): string[] =>
  (v ?? '')
    .split(/[;,]/)
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a.includes('@'));

/** An email engagement → who wrote to whom and when; undefined for forwarded or undated emails. */
export function fromHubSpotEmail(e: HubSpotObjectRaw, config: HubSpotConfig): EmailFact | undefined {
  const at = parseHubSpotTime(e.properties.hs_timestamp) ?? e.createdAt.getTime();
  const dir = e.properties.hs_email_direction;
  const direction = dir === 'EMAIL' ? 'out' : dir === 'INCOMING_EMAIL' ? 'in' : undefined;
  if (!direction) return undefined;
  const thread = e.properties[config.engagement.emailThreadProperty]?.trim();
  return {
    id: e.id,
    at,
    direction,
    threadId: thread ? thread : undefined,
    addresses: direction === 'out' ? addressList(e.properties.hs_email_to_email) : addressList(e.properties.hs_email_from_email),
  };
}

export function fromHubSpotMeeting(m: HubSpotObjectRaw, attendees: readonly string[]): MeetingFact {
  const at = parseHubSpotTime(m.properties.hs_meeting_start_time) ?? parseHubSpotTime(m.properties.hs_timestamp) ?? m.createdAt.getTime();
  const outcome = m.properties.hs_meeting_outcome?.trim().toUpperCase();
  return { id: m.id, at, outcome: outcome ? outcome : undefined, contactIds: [...attendees] };
}

export function fromHubSpotCall(c: HubSpotObjectRaw, contactIds: readonly string[], config: HubSpotConfig): CallFact {
  const at = parseHubSpotTime(c.properties.hs_timestamp) ?? c.createdAt.getTime();
  const disposition = c.properties.hs_call_disposition ?? '';
  return { id: c.id, at, connected: config.engagement.connectedCallDispositions.includes(disposition), contactIds: [...contactIds] };
}

/** The two-way conversations among an account's engagements: inbound emails, completed meetings, connected calls. */
export function conversations(
  emails: readonly EmailFact[],
  meetings: readonly MeetingFact[],
  calls: readonly CallFact[],
  contactIdByEmail: ReadonlyMap<string, string>,
): Conversation[] {
  const out: Conversation[] = [];
  for (const e of emails)
    if (e.direction === 'in') out.push({ at: e.at, with: e.addresses.map((a) => contactIdByEmail.get(a) ?? `email:${a}`) });
  for (const m of meetings) if (m.outcome === 'COMPLETED') out.push({ at: m.at, with: m.contactIds });
  for (const c of calls) if (c.connected) out.push({ at: c.at, with: c.contactIds });
  return out;
}
