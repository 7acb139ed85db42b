// Listing the portfolio: every company (GET companies, 100 per page, `after` cursor), or only those
// modified since a date (POST companies/search on hs_lastmodifieddate, 200 per page). Search stops
// paging at 10,000 results, so a long incremental read restarts its window at the last modified
// date it saw. Each page reports the records that failed their raw schema and keeps the rest.
// Every company is listed with its scope (account-lifecycle.ts); none is filtered out in the API, so
// the run sees a customer leave the scope.

import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/companies/index.js';
import { isoDay } from '../../lib/days.ts';
import type { AccountPage, CrmAccount, ListAccountsOptions, ManualOverride } from '../shared/crm.ts';
import type { RejectedRecord } from '../shared/source.ts';
import { churnOf, scopeOf } from './account-lifecycle.ts';
import type { HubSpotCaller } from './client.ts';
import type { HubSpotConfig } from './config.ts';
import { type HubSpotObjectRaw, type PropertyKind, parseRecord, typedObjectRaw } from './raw-schemas.ts';
import { parseHubSpotNumber, parseHubSpotTime } from './values.ts';

export const LIST_PAGE_SIZE = 100;
export const SEARCH_PAGE_SIZE = 200;
/** The search endpoints refuse to page past 10,000 results. */
export const SEARCH_RESULT_CAP = 10_000;

/** The company properties listing reads, with their HubSpot types. */
export function accountPropertyKinds(config: HubSpotConfig): Record<string, PropertyKind> {
  const c = config.company;
  const kinds: Record<string, PropertyKind> = {
    name: 'string',
    domain: 'string',
    hubspot_owner_id: 'string',
    hs_lastmodifieddate: 'datetime',
    [c.override.score]: 'number',
    [c.override.reason]: 'string',
    [c.override.expiresOn]: 'date',
  };
  if (c.segment) kinds[c.segment] = 'string';
  for (const p of Object.values(c.identities)) kinds[p] = 'string';
  if (c.scope !== false) kinds[c.scope.property] ??= 'string';
  if (c.churn) {
    kinds[c.churn.property] ??= 'string';
    if (c.churn.dateProperty) kinds[c.churn.dateProperty] ??= 'date';
  }
  return kinds;
}

/** The kinds a listed record must satisfy: all but the churn date, whose bad value drops only the date (account-lifecycle.ts). */
function listingSchemaKinds(config: HubSpotConfig): Record<string, PropertyKind> {
  const kinds = accountPropertyKinds(config);
  const date = config.company.churn?.dateProperty;
  if (date && date !== config.company.override.expiresOn) kinds[date] = 'string';
  return kinds;
}

const nonEmpty = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v.trim() === '' ? undefined : v);

/** A HubSpot company → the account the rest of the product knows (identity of record + join keys + override). */
export function fromHubSpotCompany(c: HubSpotObjectRaw, config: HubSpotConfig): CrmAccount {
  const p = c.properties;
  const identities: Record<string, string> = {};
  for (const [key, prop] of Object.entries(config.company.identities)) {
    const v = nonEmpty(p[prop]);
    if (v !== undefined) identities[key] = v.trim();
  }
  const account: CrmAccount = { accountId: c.id, identities };
  const name = nonEmpty(p.name);
  if (name) account.name = name;
  const domain = nonEmpty(p.domain);
  if (domain) account.domain = domain.toLowerCase();
  const segment = config.company.segment ? nonEmpty(p[config.company.segment]) : undefined;
  if (segment) account.segment = segment.toLowerCase();
  const owner = nonEmpty(p.hubspot_owner_id);
  if (owner) account.ownerId = owner;
  const modified = parseHubSpotTime(p.hs_lastmodifieddate) ?? c.updatedAt.getTime();
  account.modifiedAt = new Date(modified).toISOString();
  const override = overrideOf(c, config);
  if (override) account.override = override;
  const scope = scopeOf(p, config);
  if (scope) account.scope = scope;
  const { churn } = churnOf(c.id, p, config);
  if (churn) account.churn = churn;
  return account;
}

function overrideOf(c: HubSpotObjectRaw, config: HubSpotConfig): ManualOverride | undefined {
  const o = config.company.override;
  const score = parseHubSpotNumber(c.properties[o.score]);
  const reason = nonEmpty(c.properties[o.reason]);
  const expires = parseHubSpotTime(c.properties[o.expiresOn]);
  if (score === undefined || reason === undefined || expires === undefined) return undefined;
  return { score: Math.max(0, Math.min(100, score)), reason: reason.trim(), expiresOn: isoDay(expires) };
}

type Cursor = { m: 'list'; after: string } | { m: 'search'; since: number; after: string; skip: string[] };

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
  } catch {
    return { m: 'list', after: s };
  }
}

function parsePage(records: unknown[], config: HubSpotConfig, skip: ReadonlySet<string> = new Set()) {
  const schema = typedObjectRaw(listingSchemaKinds(config));
  const accounts: CrmAccount[] = [];
  const rejected: RejectedRecord[] = [];
  for (const raw of records) {
    const r = parseRecord(schema, raw, 'company');
    if (!r.ok) rejected.push(r.rejected);
    else if (!skip.has(r.value.id)) {
      accounts.push(fromHubSpotCompany(r.value, config));
      // A churn date that is not a date: the account is kept, the note says what was dropped.
      const { problem } = churnOf(r.value.id, r.value.properties, config);
      if (problem) rejected.push({ recordId: r.value.id, reason: problem });
    }
  }
  return { accounts, rejected };
}

export async function* listHubSpotAccounts(caller: HubSpotCaller, options: ListAccountsOptions = {}): AsyncIterable<AccountPage> {
  const config = caller.config;
  const properties = Object.keys(accountPropertyKinds(config));
  let cursor: Cursor | undefined = options.cursor
    ? decodeCursor(options.cursor)
    : options.modifiedSince
      ? { m: 'search', since: options.modifiedSince.getTime(), after: '0', skip: [] }
      : { m: 'list', after: '' };
  while (cursor) {
    if (cursor.m === 'list') {
      const after: string = cursor.after;
      const page = await caller.call(
        'list companies',
        // Docs: https://developers.hubspot.com/docs/guides/api/crm/objects/companies (retrieve companies, paging with `after`)
        (sdk) => sdk.crm.companies.basicApi.getPage(LIST_PAGE_SIZE, after || undefined, properties, undefined, undefined, false),
        { signal: options.signal },
      );
      const next: string | undefined = page.paging?.next?.after;
      cursor = next ? { m: 'list', after: next } : undefined;
      yield { ...parsePage(page.results, config), cursor: cursor && encodeCursor(cursor) };
      continue;
    }
    const { since, after, skip }: Extract<Cursor, { m: 'search' }> = cursor;
    // The SDK types `sorts` as strings, but HubSpot expects sort objects (hubspot-api-nodejs#559).
    const request = {
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(since) }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties,
      limit: SEARCH_PAGE_SIZE,
      after,
    } as unknown as PublicObjectSearchRequest;
    const page = await caller.call(
      'search companies modified since',
      // Docs: https://developers.hubspot.com/docs/guides/api/crm/search (filters, sorts, paging; 10,000 results max)
      (sdk) => sdk.crm.companies.searchApi.doSearch(request),
      { search: true, signal: options.signal },
    );
    const parsed = parsePage(page.results, config, new Set(skip));
    const next: string | undefined = page.paging?.next?.after;
    cursor = undefined;
    if (next && Number(next) + SEARCH_PAGE_SIZE <= SEARCH_RESULT_CAP) cursor = { m: 'search', since, after: next, skip };
    else if (next && page.results.length > 0) cursor = restartWindow(page.results as HubSpotObjectRaw[], since);
    yield { ...parsed, cursor: cursor && encodeCursor(cursor) };
  }
}

/** Past the 10,000-result cap: search again from the last modified date seen, skipping ids already given at that instant. */
function restartWindow(results: HubSpotObjectRaw[], since: number): Cursor {
  const times = results.map((r) => parseHubSpotTime(r.properties?.hs_lastmodifieddate) ?? since);
  const last = Math.max(since, ...times);
  const skip = results.filter((_r, i) => times[i] === last).map((r) => r.id);
  // Should 10,000 records share one instant, step past it rather than loop forever.
  return last === since ? { m: 'search', since: since + 1, after: '0', skip: [] } : { m: 'search', since: last, after: '0', skip };
}
