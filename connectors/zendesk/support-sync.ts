// The three reads of a Zendesk sync, each page folded into state and checkpointed before the next:
// the organization export (which organizations exist), the cursor-based ticket export (only what
// changed since the stored cursor), and the received satisfaction ratings since the last run.

import type { z } from 'zod';
import { DAY_S } from '../../lib/days.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import { TransientError } from '../shared/errors.ts';
import type { RejectedRecord, SourceContext } from '../shared/source.ts';
import type { ZendeskConfig } from './config.ts';
import { recordOrganizations } from './org-directory.ts';
import { type CursorState, fromZendeskRating, fromZendeskTicket, type StoredTicket } from './support-model.ts';
import { CURSOR_KEY, PENDING_KEY, type PendingTicket, SupportStateWriter } from './support-state.ts';
import { getBody, type ZendeskClient } from './zendesk-client.ts';
import {
  idOf,
  type OrganizationExportPage,
  organizationExportPage,
  type RatingsPage,
  ratingsPage,
  rawOrganization,
  rawSatisfactionRating,
  rawTicket,
  type TicketExportPage,
  ticketExportPage,
} from './zendesk-raw.ts';

export interface SyncRun {
  client: ZendeskClient;
  config: ZendeskConfig;
  ctx: SourceContext;
  cursor: CursorState;
  asOfS: number;
  relevantTags: ReadonlySet<string>;
  rejected: RejectedRecord[];
  records: number;
}

/** A next-page URL Zendesk gave (on its own host) moved onto our base URL, keeping its path after /api/v2 and its query. */
export function onBase(url: string, endpointUri: string): string {
  const u = new URL(url);
  const i = u.pathname.indexOf('/api/v2/');
  return `${endpointUri}${i >= 0 ? u.pathname.slice(i + '/api/v2'.length) : u.pathname}${u.search}`;
}

const writer = (run: SyncRun) => new SupportStateWriter(run.ctx.state, run.asOfS - run.config.backfillDays * DAY_S);
const stopped = (run: SyncRun) => run.ctx.signal?.aborted === true;

function envelope<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new TransientError('zendesk', `${what}: the page did not have the documented shape`);
  return r.data;
}

/** https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-organization-export */
export async function syncOrganizations(run: SyncRun): Promise<void> {
  let resource: Parameters<typeof getBody>[1] = [
    'incremental',
    'organizations',
    { start_time: run.cursor.orgStartTime, per_page: run.config.pageSize },
  ];
  while (!stopped(run)) {
    const page: OrganizationExportPage = envelope(organizationExportPage, await getBody(run.client, resource), 'organization export');
    const w = writer(run);
    const orgs = page.organizations.flatMap((raw) => {
      run.records++;
      const r = rawOrganization.safeParse(raw);
      if (r.success) return [r.data];
      run.rejected.push({ recordId: `organization ${idOf(raw)}`, reason: formatIssues(r.error) });
      return [];
    });
    await w.loadOrgs(orgs.map((o) => o.id));
    for (const o of orgs) w.applyOrganization(o.id, o.name, Boolean(o.deleted_at));
    await recordOrganizations(
      run.ctx.state,
      orgs.map((o) => ({ id: o.id, name: o.name, domains: o.domain_names ?? [], deleted: Boolean(o.deleted_at) })),
    );
    await w.flush();
    if (page.end_time !== null) run.cursor.orgStartTime = page.end_time;
    await run.ctx.state.put(CURSOR_KEY, run.cursor);
    if (page.end_of_stream || !page.next_page) return;
    resource = onBase(page.next_page, run.config.endpointUri);
  }
}

type TicketVersion = { org: number | null; ticket: StoredTicket; deleted: boolean };

async function foldTickets(run: SyncRun, versions: TicketVersion[], w = writer(run)): Promise<void> {
  await w.loadIndex(versions.map((v) => v.ticket.id));
  await w.loadOrgs([...versions.map((v) => v.org), ...versions.map((v) => w.orgOfTicket(v.ticket.id))]);
  for (const v of versions) w.applyTicket(v.ticket, v.org, v.deleted);
  await w.flush();
}

/** https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based */
export async function syncTickets(run: SyncRun): Promise<void> {
  const pending = new Map(Object.entries((await run.ctx.state.get<Record<string, PendingTicket>>(PENDING_KEY)) ?? {}));
  // Versions dated after an earlier run's asOf are folded once this run has reached them.
  const due = [...pending.values()].filter((p) => p.ticket.updatedAt <= run.asOfS);
  if (due.length > 0) {
    await foldTickets(
      run,
      due.map((p) => ({ ...p, deleted: p.ticket.status === 'deleted' })),
    );
    for (const p of due) pending.delete(String(p.ticket.id));
  }
  const { endpointUri, pageSize } = run.config;
  // Whole URLs on our base: node-zendesk would add `page[size]=100` to a path it builds (this export
  // documents only `per_page`), and Zendesk's `after_url` names its own host, not a custom baseUrl.
  const at = (param: string) => `${endpointUri}/incremental/tickets/cursor.json?${param}&per_page=${pageSize}`;
  let resource = run.cursor.ticketCursor
    ? at(`cursor=${encodeURIComponent(run.cursor.ticketCursor)}`)
    : at(`start_time=${run.cursor.coveredFrom}`);
  while (!stopped(run)) {
    const page: TicketExportPage = envelope(ticketExportPage, await getBody(run.client, resource), 'ticket export');
    const w = writer(run);
    const ids = page.tickets.map((raw) => (raw as { id?: unknown })?.id).filter((id): id is number => typeof id === 'number');
    await w.loadIndex(ids);
    await w.loadOrgs(ids.map((id) => w.orgOfTicket(id)));
    const now: TicketVersion[] = [];
    for (const raw of page.tickets) {
      run.records++;
      const r = rawTicket.safeParse(raw);
      if (!r.success) {
        run.rejected.push({ recordId: `ticket ${idOf(raw)}`, reason: formatIssues(r.error) });
        continue;
      }
      const ticket = fromZendeskTicket(r.data, run.relevantTags, w.stored(r.data.id));
      const version = { org: r.data.organization_id, ticket, deleted: r.data.status === 'deleted' };
      if (ticket.updatedAt > run.asOfS) {
        const held = pending.get(String(ticket.id));
        if (!held || held.ticket.updatedAt <= ticket.updatedAt) pending.set(String(ticket.id), { org: version.org, ticket });
      } else now.push(version);
    }
    await foldTickets(run, now, w);
    await run.ctx.state.put(PENDING_KEY, Object.fromEntries(pending));
    run.cursor.ticketCursor = page.after_cursor ?? run.cursor.ticketCursor;
    await run.ctx.state.put(CURSOR_KEY, run.cursor);
    if (page.end_of_stream || !page.after_cursor) return;
    resource = at(`cursor=${encodeURIComponent(page.after_cursor)}`);
  }
}

/** https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/#list-satisfaction-ratings */
export async function syncRatings(run: SyncRun): Promise<void> {
  const from =
    run.cursor.ratingsThrough === null ? run.cursor.coveredFrom : run.cursor.ratingsThrough - run.config.ratingsLookbackDays * DAY_S;
  // The client asks for cursor pagination (page[size]=100) on this path; we follow links.next.
  let resource: Parameters<typeof getBody>[1] = ['satisfaction_ratings', { score: 'received', start_time: from, end_time: run.asOfS }];
  while (!stopped(run)) {
    const page: RatingsPage = envelope(ratingsPage, await getBody(run.client, resource), 'satisfaction ratings');
    const w = writer(run);
    const ratings = page.satisfaction_ratings.flatMap((raw) => {
      run.records++;
      const r = rawSatisfactionRating.safeParse(raw);
      if (r.success) return [r.data];
      run.rejected.push({ recordId: `satisfaction_rating ${idOf(raw)}`, reason: formatIssues(r.error) });
      return [];
    });
    await w.loadIndex(ratings.map((r) => r.ticket_id));
    await w.loadOrgs(ratings.map((r) => w.orgOfTicket(r.ticket_id)));
    for (const raw of ratings) {
      const rating = fromZendeskRating(raw);
      if (rating && rating.ratedAt <= run.asOfS) w.applyRating(raw.ticket_id, rating);
    }
    await w.flush();
    const next: string | null = page.links?.next ?? null;
    if (!next || page.meta?.has_more === false) break;
    resource = onBase(next, run.config.endpointUri);
  }
  if (!stopped(run)) {
    run.cursor.ratingsThrough = run.asOfS;
    await run.ctx.state.put(CURSOR_KEY, run.cursor);
  }
}
