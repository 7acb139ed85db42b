// The support facts kept in state between runs, and the pure mappers that fold Zendesk records into
// them. Per organization we keep each ticket's latest version in compact form (times, status,
// priority, only the tags the signals look at, its satisfaction rating), so `read` can compute every
// support signal as of any `asOf` without calling Zendesk.
import type { RawSatisfactionRating, RawSurveyResponse, RawTicket } from './zendesk-raw.ts';
import { unixOf } from './zendesk-raw.ts';

export interface StoredRating {
  /** The legacy rating's id, or the survey response's (a string). */
  id: number | string;
  score: 'good' | 'bad';
  /** When the customer answered (unix s). */
  ratedAt: number;
}

export interface StoredTicket {
  id: number;
  createdAt: number;
  updatedAt: number;
  status: RawTicket['status'];
  priority: RawTicket['priority'];
  /** Only the tags the escalation and sentiment definitions name (lower case). */
  tags: string[];
  rating?: StoredRating;
}

export interface OrgState {
  id: number;
  /** Seen in Zendesk's organization export and not deleted. */
  known: boolean;
  name?: string;
  tickets: Record<string, StoredTicket>;
}

export interface CursorState {
  /** Where the first run's ticket export started (unix s): history is complete from here on. */
  coveredFrom: number;
  /** The cursor after the last ticket export page read; null before the first page. */
  ticketCursor: string | null;
  /** start_time for the next organization export page (unix s). */
  orgStartTime: number;
  /** The asOf (unix s) up to which satisfaction ratings were read; null before the first run. */
  ratingsThrough: number | null;
  lastAsOf: string | null;
  /** The CSAT this account ran at the last sync (config `csat`, or what `auto` detected). */
  csatMode?: 'legacy' | 'survey';
  /** The sync at `asOf` could not read CSAT (e.g. 403): its key follows the failed-source rule that run. */
  csatFailure?: { asOf: string; reason: string };
}

const RECEIVED = new Set(['good', 'bad']);

/** One ticket as we store it; keeps the known rating time when the rating did not change. */
export function fromZendeskTicket(raw: RawTicket, relevantTags: ReadonlySet<string>, previous?: StoredTicket): StoredTicket {
  const updatedAt = unixOf(raw.updated_at);
  const t: StoredTicket = {
    id: raw.id,
    createdAt: unixOf(raw.created_at),
    updatedAt,
    status: raw.status,
    priority: raw.priority,
    tags: raw.tags.map((x) => x.toLowerCase()).filter((x) => relevantTags.has(x)),
  };
  const sr = raw.satisfaction_rating;
  if (sr && RECEIVED.has(sr.score)) {
    const id = sr.id ?? previous?.rating?.id ?? 0;
    const same = previous?.rating && previous.rating.id === id && previous.rating.score === sr.score;
    t.rating = { id, score: sr.score as 'good' | 'bad', ratedAt: same ? (previous.rating as StoredRating).ratedAt : updatedAt };
  } else if (typeof previous?.rating?.id === 'string') {
    // A survey response (updated CSAT) is not on the ticket: a later change to the ticket keeps it.
    t.rating = previous.rating;
  }
  return t;
}

/** A received rating from the ratings list, with its exact time; undefined for offered/unoffered. */
export function fromZendeskRating(raw: RawSatisfactionRating): StoredRating | undefined {
  if (!RECEIVED.has(raw.score)) return undefined;
  return { id: raw.id, score: raw.score as 'good' | 'bad', ratedAt: unixOf(raw.updated_at) };
}

/**
 * The ticket ids a survey response rates, with the rating mapped onto good/bad: satisfied from
 * `satisfiedFrom`, else the scale's top two points (the scale's top from the question's options,
 * 5 when the response does not carry them). Undefined without a CSAT rating answer.
 */
export function fromZendeskSurveyResponse(
  raw: RawSurveyResponse,
  satisfiedFrom: number | undefined,
): { ticketIds: number[]; rating: StoredRating } | undefined {
  const answer = raw.answers.find(
    (a) =>
      a.type === 'rating_scale' && a.rating !== undefined && (a.question?.sub_type ?? 'customer_satisfaction') === 'customer_satisfaction',
  );
  const at = answer?.updated_at ?? answer?.created_at;
  if (!answer || answer.rating === undefined || !at) return undefined;
  const top = Math.max(...(answer.question?.options ?? []).map((o) => o.rating), 0) || 5;
  const score = answer.rating >= (satisfiedFrom ?? top - 1) ? 'good' : 'bad';
  const ticketIds = raw.subjects.filter((s) => s.type === 'ticket' && /^\d+$/.test(s.id)).map((s) => Number(s.id));
  return { ticketIds, rating: { id: raw.id, score, ratedAt: unixOf(at) } };
}

export function emptyOrg(id: number): OrgState {
  return { id, known: false, tickets: {} };
}

/** Drops tickets not updated since `horizon`; returns the ids dropped. */
export function pruneOrg(org: OrgState, horizon: number): number[] {
  const dropped: number[] = [];
  for (const [key, t] of Object.entries(org.tickets)) {
    if (t.updatedAt < horizon) {
      delete org.tickets[key];
      dropped.push(t.id);
    }
  }
  return dropped;
}
