// Folds Zendesk records into the per-organization state kept between runs. One key per organization
// (`zendesk:org:<id>`), a sharded ticket→organization index (so a ticket that moves organization
// leaves the old one), and pending versions dated after `asOf` (folded once a run reaches them).
// Folding is idempotent and order-free: a version older than the stored one is ignored.
import type { StateStore } from '../shared/source.ts';
import { emptyOrg, type OrgState, pruneOrg, type StoredRating, type StoredTicket } from './support-model.ts';

export const CURSOR_KEY = 'zendesk:cursor';
export const PENDING_KEY = 'zendesk:pending';
export const orgKey = (id: number | string) => `zendesk:org:${id}`;
const SHARDS = 64;
const shardKey = (n: number) => `zendesk:ticket-index:${n}`;
const shardOf = (ticketId: number) => ticketId % SHARDS;

export interface PendingTicket {
  org: number | null;
  ticket: StoredTicket;
}

export async function getMany<T>(store: StateStore, keys: string[]): Promise<Map<string, T>> {
  return keys.length === 0 ? new Map() : store.getMany<T>(keys);
}

async function putMany(store: StateStore, entries: [string, unknown][]): Promise<void> {
  if (entries.length > 0) await store.putMany(entries);
}

/** A working set of state for one page of records: load, fold, flush. */
export class SupportStateWriter {
  private readonly store: StateStore;
  private readonly horizon: number;
  private readonly orgs = new Map<number, OrgState>();
  private readonly shards = new Map<number, Record<string, number>>();
  private readonly dirtyOrgs = new Set<number>();
  private readonly dirtyShards = new Set<number>();

  /** Tickets not updated since `horizon` (unix s) leave the state. */
  constructor(store: StateStore, horizon: number) {
    this.store = store;
    this.horizon = horizon;
  }

  async loadIndex(ticketIds: Iterable<number>): Promise<void> {
    const wanted = [...new Set([...ticketIds].map(shardOf))].filter((n) => !this.shards.has(n));
    const found = await getMany<Record<string, number>>(this.store, wanted.map(shardKey));
    for (const n of wanted) this.shards.set(n, found.get(shardKey(n)) ?? {});
  }

  /** The organization the index holds `ticketId` under (load its shard first). */
  orgOfTicket(ticketId: number): number | undefined {
    return this.shards.get(shardOf(ticketId))?.[ticketId];
  }

  async loadOrgs(orgIds: Iterable<number | null | undefined>): Promise<void> {
    const wanted = [...new Set([...orgIds].filter((id): id is number => typeof id === 'number'))].filter((id) => !this.orgs.has(id));
    const found = await getMany<OrgState>(this.store, wanted.map(orgKey));
    for (const id of wanted) this.orgs.set(id, found.get(orgKey(id)) ?? emptyOrg(id));
  }

  private org(id: number): OrgState {
    const o = this.orgs.get(id);
    if (!o) throw new Error(`zendesk state: organization ${id} not loaded`);
    return o;
  }

  private setIndex(ticketId: number, org: number | undefined): void {
    const shard = this.shards.get(shardOf(ticketId));
    if (!shard) throw new Error(`zendesk state: index shard for ticket ${ticketId} not loaded`);
    if (org === undefined) delete shard[ticketId];
    else shard[ticketId] = org;
    this.dirtyShards.add(shardOf(ticketId));
  }

  /** The stored version of a ticket (load its shard and organization first). */
  stored(ticketId: number): StoredTicket | undefined {
    const org = this.orgOfTicket(ticketId);
    return org === undefined ? undefined : this.orgs.get(org)?.tickets[ticketId];
  }

  /** Folds one ticket version (load the index for it and the organizations old and new first). */
  applyTicket(ticket: StoredTicket, orgId: number | null, deleted: boolean): void {
    const previousOrg = this.orgOfTicket(ticket.id);
    const previous = previousOrg === undefined ? undefined : this.org(previousOrg).tickets[ticket.id];
    if (previous && previous.updatedAt > ticket.updatedAt) return;
    if (previousOrg !== undefined) {
      delete this.org(previousOrg).tickets[ticket.id];
      this.dirtyOrgs.add(previousOrg);
    }
    if (deleted || orgId === null || ticket.updatedAt < this.horizon) {
      if (previousOrg !== undefined) this.setIndex(ticket.id, undefined);
      return;
    }
    this.org(orgId).tickets[ticket.id] = ticket;
    this.dirtyOrgs.add(orgId);
    if (previousOrg !== orgId) this.setIndex(ticket.id, orgId);
  }

  /** Sets the rating of a stored ticket; false when the ticket is not in state. */
  applyRating(ticketId: number, rating: StoredRating): boolean {
    const org = this.orgOfTicket(ticketId);
    const t = org === undefined ? undefined : this.org(org).tickets[ticketId];
    if (org === undefined || !t) return false;
    t.rating = rating;
    this.dirtyOrgs.add(org);
    return true;
  }

  /** Records an organization from the organization export (loaded first). */
  applyOrganization(id: number, name: string, deleted: boolean): void {
    const o = this.org(id);
    o.known = !deleted;
    o.name = name;
    this.dirtyOrgs.add(id);
  }

  /** Prunes the changed organizations and writes everything changed; the working set is then empty. */
  async flush(): Promise<void> {
    const dropped: number[] = [];
    for (const id of this.dirtyOrgs) dropped.push(...pruneOrg(this.org(id), this.horizon));
    await this.loadIndex(dropped);
    for (const t of dropped) this.setIndex(t, undefined);
    await putMany(this.store, [
      ...[...this.dirtyOrgs].map((id): [string, unknown] => [orgKey(id), this.org(id)]),
      ...[...this.dirtyShards].map((n): [string, unknown] => [shardKey(n), this.shards.get(n)]),
    ]);
    this.orgs.clear();
    this.shards.clear();
    this.dirtyOrgs.clear();
    this.dirtyShards.clear();
  }
}
