// The support facts kept in state between runs, and the pure mappers that fold Zendesk records into
// them. Per organization we keep each ticket's latest version in compact form (times, status,
// priority, only the tags the signals look at, its satisfaction rating), so `read` can compute every
// support signal as of any `asOf` without calling Zendesk.
import type { RawSatisfactionRating, RawTicket } from './zendesk-raw.ts';
import { unixOf } from './zendesk-raw.ts';

export interface StoredRating {
  id: number;
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
  }
  return t;
}

/** A received rating from the ratings list, with its exact time; undefined for offered/unoffered. */
export function fromZendeskRating(raw: RawSatisfactionRating): StoredRating | undefined {
  if (!RECEIVED.has(raw.score)) return undefined;
  return { id: raw.id, score: raw.score as 'good' | 'bad', ratedAt: unixOf(raw.updated_at) };
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
