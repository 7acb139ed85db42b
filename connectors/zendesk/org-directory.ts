// Every known Zendesk organization's name and `domain_names`, kept in state for matching CRM accounts
// by domain: 64 shards by organization id (`zendesk:org-directory:<n>`), each well under DynamoDB's
// 400 KB item size at 100,000 organizations. The organization export is incremental, so the
// directory is updated page by page and read whole by the plan's identity matching (one round trip).
import type { DomainRecord } from '../shared/domain-match.ts';
import type { StateStore } from '../shared/source.ts';

const SHARDS = 64;
const shardKey = (n: number) => `zendesk:org-directory:${n}`;

type Shard = Record<string, { name: string; domains: string[] }>;

export interface DirectoryEntry {
  id: number;
  name: string;
  domains: string[];
  deleted: boolean;
}

/** Records one export page's organizations (idempotent: a page read twice writes the same). */
export async function recordOrganizations(store: StateStore, orgs: readonly DirectoryEntry[]): Promise<void> {
  if (orgs.length === 0) return;
  const wanted = [...new Set(orgs.map((o) => o.id % SHARDS))];
  const found = await store.getMany<Shard>(wanted.map(shardKey));
  const shards = new Map(wanted.map((n) => [n, found.get(shardKey(n)) ?? {}]));
  for (const o of orgs) {
    const shard = shards.get(o.id % SHARDS) as Shard;
    if (o.deleted) delete shard[o.id];
    else shard[o.id] = { name: o.name, domains: o.domains };
  }
  await store.putMany([...shards].map(([n, s]): [string, unknown] => [shardKey(n), s]));
}

/** Every organization recorded so far, as records to match by domain. */
export async function readDirectory(store: StateStore): Promise<DomainRecord[]> {
  const found = await store.getMany<Shard>(Array.from({ length: SHARDS }, (_, n) => shardKey(n)));
  const out: DomainRecord[] = [];
  for (const shard of found.values()) {
    for (const [id, o] of Object.entries(shard)) out.push({ id, domains: o.domains, label: o.name });
  }
  return out.sort((a, b) => Number(a.id) - Number(b.id));
}
