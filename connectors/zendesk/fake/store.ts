// The Zendesk fake's store with its typed seeding API (organizations, tickets, satisfaction ratings,
// updates and deletions over simulated days) and read API (the raw JSON the fake serves). Ids are
// deterministic integers, so a seeded portfolio reads the same on every run.

import {
  buildOrganization,
  buildRating,
  buildTicket,
  isoSeconds,
  type SeedZendeskOrganization,
  type SeedZendeskRating,
  type SeedZendeskTicket,
  toUnix,
  type ZendeskJson,
  type ZendeskTicketPatch,
  type ZendeskTime,
} from './seed.ts';
import { buildSurveyResponse, type SeedSurveyResponse } from './survey.ts';

export interface ZendeskFakeSeed {
  organizations?: SeedZendeskOrganization[];
  tickets?: SeedZendeskTicket[];
}

const unixOf = (iso: unknown): number => Math.floor(Date.parse(String(iso)) / 1000);

export class ZendeskFakeData {
  readonly organizationsById = new Map<number, ZendeskJson>();
  readonly ticketsById = new Map<number, ZendeskJson>();
  readonly ratingsById = new Map<number, ZendeskJson>();
  /** Survey responses of the updated CSAT, by id. */
  readonly surveyResponsesById = new Map<string, ZendeskJson>();
  /** When each survey response was created (offered), unix s: what `filter[created_at_*]` compares. */
  readonly surveyOffered = new Map<string, number>();
  /** The fake's notion of now (unix s): exports hide changes from the last minute before it. Unset = no cutoff. */
  nowUnix: number | undefined;
  private readonly base: string;
  private nextOrg = 360_000_001;
  private nextTicket = 1;
  private nextRating = 7_000_001;

  constructor(base: string) {
    this.base = base;
  }

  seed(seed: ZendeskFakeSeed): void {
    for (const o of seed.organizations ?? []) this.addOrganization(o);
    for (const t of seed.tickets ?? []) this.addTicket(t);
  }

  setNow(at: ZendeskTime | undefined): void {
    this.nowUnix = at === undefined ? undefined : toUnix(at);
  }

  private stamp(given: ZendeskTime | undefined, previous: number): number {
    if (given !== undefined) return toUnix(given);
    return this.nowUnix ?? previous + 1;
  }

  addOrganization(o: SeedZendeskOrganization): number {
    const id = o.id ?? this.nextOrg++;
    if (this.organizationsById.has(id)) throw new Error(`zendesk fake: organization ${id} exists`);
    const created = o.createdAt === undefined ? (this.nowUnix ?? toUnix('2025-01-01T00:00:00Z')) : toUnix(o.createdAt);
    const updated = o.updatedAt === undefined ? created : toUnix(o.updatedAt);
    this.organizationsById.set(id, buildOrganization(this.base, id, o, created, updated));
    return id;
  }

  deleteOrganization(id: number, at?: ZendeskTime): void {
    const org = this.mustOrg(id);
    const when = this.stamp(at, unixOf(org.updated_at));
    org.deleted_at = isoSeconds(when);
    org.updated_at = isoSeconds(when);
  }

  addTicket(t: SeedZendeskTicket): number {
    const id = t.id ?? this.nextTicket++;
    if (this.ticketsById.has(id)) throw new Error(`zendesk fake: ticket ${id} exists`);
    const created = toUnix(t.createdAt);
    const ticket = buildTicket(this.base, id, t, created, t.updatedAt === undefined ? created : toUnix(t.updatedAt));
    this.ticketsById.set(id, ticket);
    if (t.satisfaction) this.rateTicket(id, t.satisfaction, false);
    return id;
  }

  /** Changes a ticket; it moves to the end of the incremental export (its updated_at changes). */
  updateTicket(id: number, patch: ZendeskTicketPatch): void {
    const t = this.mustTicket(id);
    if (patch.organizationId !== undefined) t.organization_id = patch.organizationId;
    if (patch.subject !== undefined) t.subject = patch.subject;
    if (patch.status !== undefined) t.status = patch.status;
    if (patch.priority !== undefined) t.priority = patch.priority;
    if (patch.tags !== undefined) t.tags = [...patch.tags];
    this.touch(t, this.stamp(patch.updatedAt, t.generated_timestamp as number));
  }

  deleteTicket(id: number, at?: ZendeskTime): void {
    const t = this.mustTicket(id);
    t.status = 'deleted';
    this.touch(t, this.stamp(at, t.generated_timestamp as number));
  }

  /** Records (or changes) the ticket's satisfaction rating; the ticket is updated at `rating.at`. Returns the rating id. */
  rateTicket(ticketId: number, rating: SeedZendeskRating, touchTicket = true): number {
    const t = this.mustTicket(ticketId);
    const existing = [...this.ratingsById.values()].find((r) => r.ticket_id === ticketId);
    const id = (existing?.id as number | undefined) ?? this.nextRating++;
    const json = buildRating(this.base, id, t, rating);
    if (existing && rating.offeredAt === undefined) json.created_at = existing.created_at;
    this.ratingsById.set(id, json);
    t.satisfaction_rating = { id, score: rating.score, comment: rating.comment ?? null, reason: null };
    const at = toUnix(rating.at);
    if (touchTicket || at > (t.generated_timestamp as number)) this.touch(t, at);
    return id;
  }

  /** Merges raw JSON into a stored object, e.g. to make a record malformed. */
  patchRaw(kind: 'ticket' | 'organization' | 'rating', id: number, patch: Record<string, unknown>): void {
    const map = kind === 'ticket' ? this.ticketsById : kind === 'organization' ? this.organizationsById : this.ratingsById;
    const obj = map.get(id);
    if (!obj) throw new Error(`zendesk fake: no ${kind} ${id}`);
    Object.assign(obj, patch);
  }

  private touch(t: ZendeskJson, at: number): void {
    t.updated_at = isoSeconds(at);
    t.generated_timestamp = at;
  }

  private mustTicket(id: number): ZendeskJson {
    const t = this.ticketsById.get(id);
    if (!t) throw new Error(`zendesk fake: no ticket ${id}`);
    return t;
  }

  private mustOrg(id: number): ZendeskJson {
    const o = this.organizationsById.get(id);
    if (!o) throw new Error(`zendesk fake: no organization ${id}`);
    return o;
  }

  ticket(id: number): ZendeskJson | undefined {
    return this.ticketsById.get(id);
  }
  organization(id: number): ZendeskJson | undefined {
    return this.organizationsById.get(id);
  }
  tickets(): ZendeskJson[] {
    return [...this.ticketsById.values()];
  }
  organizations(): ZendeskJson[] {
    return [...this.organizationsById.values()];
  }
  /**
   * Records a survey response (updated CSAT) to a ticket: `rating` on a `scale`-point scale, answered
   * at `at`. Returns its id. https://developer.zendesk.com/api-reference/ticketing/ticket-management/csat_survey_responses/
   */
  addSurveyResponse(r: SeedSurveyResponse): string {
    const id = r.id ?? `01J${String(this.surveyResponsesById.size + 1).padStart(23, '0')}`;
    this.surveyResponsesById.set(id, buildSurveyResponse(id, r));
    this.surveyOffered.set(id, toUnix(r.offeredAt ?? r.at));
    return id;
  }

  surveyResponses(): ZendeskJson[] {
    return [...this.surveyResponsesById.values()];
  }

  ratings(): ZendeskJson[] {
    return [...this.ratingsById.values()];
  }
}
