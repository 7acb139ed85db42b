// The Zendesk fake's data shapes: the typed seeds tests and the demo use, and builders for JSON shaped
// like Zendesk's own ticket, organization and satisfaction rating objects
// (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#json-format).
// Times in a seed are whatever the seed says.

export type ZendeskTime = string | Date | number;

/** Unix seconds from an ISO string, a Date, or unix seconds. */
export function toUnix(t: ZendeskTime): number {
  if (typeof t === 'number') return Math.floor(t);
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`zendesk fake: not a time: ${String(t)}`);
  return Math.floor(ms / 1000);
}

/** Zendesk writes times as ISO 8601 without milliseconds. */
export const isoSeconds = (unix: number): string => new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type TicketPriority = 'urgent' | 'high' | 'normal' | 'low';
export type RatingScore = 'good' | 'bad' | 'offered';

export interface SeedZendeskOrganization {
  id?: number;
  name: string;
  externalId?: string;
  domainNames?: string[];
  tags?: string[];
  createdAt?: ZendeskTime;
  updatedAt?: ZendeskTime;
}

export interface SeedZendeskRating {
  score: RatingScore;
  /** When the customer answered (or the survey was offered, for `offered`). */
  at: ZendeskTime;
  /** When the survey was offered; `at` unless given. */
  offeredAt?: ZendeskTime;
  comment?: string;
}

export interface SeedZendeskTicket {
  id?: number;
  organizationId: number | null;
  subject?: string;
  status?: TicketStatus;
  priority?: TicketPriority | null;
  tags?: string[];
  createdAt: ZendeskTime;
  /** `createdAt` unless given. */
  updatedAt?: ZendeskTime;
  requesterId?: number;
  /** A satisfaction rating on the ticket (it also appears in the satisfaction ratings list). */
  satisfaction?: SeedZendeskRating;
}

export interface ZendeskTicketPatch {
  organizationId?: number | null;
  subject?: string;
  status?: TicketStatus;
  priority?: TicketPriority | null;
  tags?: string[];
  /** The fake's `now`, or one second after the previous update, unless given. */
  updatedAt?: ZendeskTime;
}

export type ZendeskJson = Record<string, unknown>;

export function buildOrganization(base: string, id: number, o: SeedZendeskOrganization, created: number, updated: number): ZendeskJson {
  return {
    url: `${base}/api/v2/organizations/${id}.json`,
    id,
    name: o.name,
    shared_tickets: false,
    shared_comments: false,
    external_id: o.externalId ?? null,
    created_at: isoSeconds(created),
    updated_at: isoSeconds(updated),
    domain_names: o.domainNames ?? [],
    details: '',
    notes: '',
    group_id: null,
    tags: o.tags ?? [],
    organization_fields: {},
    deleted_at: null,
  };
}

export function buildTicket(base: string, id: number, t: SeedZendeskTicket, created: number, updated: number): ZendeskJson {
  const requester = t.requesterId ?? 9_000_000 + id;
  return {
    url: `${base}/api/v2/tickets/${id}.json`,
    id,
    external_id: null,
    via: { channel: 'email', source: { from: {}, to: {}, rel: null } },
    created_at: isoSeconds(created),
    updated_at: isoSeconds(updated),
    generated_timestamp: updated,
    type: null,
    subject: t.subject ?? `Ticket ${id}`,
    raw_subject: t.subject ?? `Ticket ${id}`,
    description: 'Seeded ticket',
    priority: t.priority ?? null,
    status: t.status ?? 'open',
    recipient: null,
    requester_id: requester,
    submitter_id: requester,
    assignee_id: null,
    organization_id: t.organizationId,
    group_id: null,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: t.tags ?? [],
    custom_fields: [],
    satisfaction_rating: { score: 'unoffered' },
    sharing_agreement_ids: [],
    custom_status_id: 1,
    fields: [],
    followup_ids: [],
    ticket_form_id: null,
    brand_id: 1,
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  };
}

export function buildRating(base: string, id: number, ticket: ZendeskJson, r: SeedZendeskRating): ZendeskJson {
  return {
    url: `${base}/api/v2/satisfaction_ratings/${id}.json`,
    id,
    assignee_id: ticket.assignee_id ?? null,
    group_id: ticket.group_id ?? null,
    requester_id: ticket.requester_id,
    ticket_id: ticket.id,
    score: r.score,
    created_at: isoSeconds(toUnix(r.offeredAt ?? r.at)),
    updated_at: isoSeconds(toUnix(r.at)),
    comment: r.comment ?? null,
    reason: null,
    reason_id: null,
  };
}
