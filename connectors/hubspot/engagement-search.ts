// Engagements (emails, meetings, calls) of a batch of companies within the signals' window, read
// with CRM search so the cost follows the engagements in the window, never the portal's years of
// history: one search per object type filters on the associated company and on `hs_timestamp`,
// 200 records a page, properties included. Search results carry no associations, so the caller
// reads engagement → company links (v4 batch, 1,000 ids a call) for the ids found.
//
// Filtering on `associations.company` is documented with EQ; IN (many companies in one filter) is
// what other integrators use but HubSpot does not document it. The first IN request a portal refuses
// with a 400 naming the operator or the association filter switches this process, for that portal,
// to EQ in OR-ed filter groups (5 companies a request, each group within the 6-filter and 18-filter
// limits), and logs it once; any other 400 is an error like any other.
// Docs: https://developers.hubspot.com/docs/api-reference/search/guide (associations, limits)

import type { PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { chunk } from '../../lib/chunk.ts';
import type { HubSpotCaller } from './client.ts';
import { HubSpotRequestError } from './errors.ts';

export const SEARCH_PAGE_LIMIT = 200;
/** HubSpot refuses to page past 10,000 results of one query. */
export const SEARCH_RESULT_CAP = 10_000;
/** HubSpot refuses a search request body over 3,000 characters. */
export const SEARCH_BODY_LIMIT = 3_000;
/** At most 5 filter groups, 6 filters per group, 18 filters in all. */
export const SEARCH_MAX_GROUPS = 5;
/** Companies per IN filter: our own cap (HubSpot documents none), kept well inside the body limit. */
export const COMPANIES_PER_IN_FILTER = 100;

interface Filter {
  propertyName: string;
  operator: 'IN' | 'EQ' | 'GTE' | 'LTE';
  value?: string;
  values?: string[];
}

interface Window {
  /** Inclusive lower bound (ms). */
  from: number;
  /** Inclusive upper bound (ms). */
  to: number;
}

/** Portals (API host and Hub id) this process found refusing IN on associations: EQ groups are used for them. */
const inRefused = new Set<string>();
const portalOf = (caller: HubSpotCaller) => `${caller.config.basePath}|${caller.config.portalId}`;
/** A 400 that is about IN on the association pseudo-property, not about anything else in the request. */
const refusesAssociationIn = (err: unknown) =>
  err instanceof HubSpotRequestError && err.status === 400 && /\bIN\b|associations\./.test(err.message);

/** An `hs_timestamp` value (ISO date-time or epoch milliseconds) as epoch ms, or NaN. */
const instantOf = (v: string | null | undefined): number => {
  if (v === null || v === undefined || v === '') return Number.NaN;
  return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
};

function requestFor(companies: readonly string[], window: Window, properties: readonly string[], after: string, useIn: boolean) {
  const time: Filter[] = [
    { propertyName: 'hs_timestamp', operator: 'GTE', value: String(window.from) },
    { propertyName: 'hs_timestamp', operator: 'LTE', value: String(window.to) },
  ];
  const filterGroups = useIn
    ? [{ filters: [{ propertyName: 'associations.company', operator: 'IN', values: [...companies] }, ...time] }]
    : companies.map((id) => ({ filters: [{ propertyName: 'associations.company', operator: 'EQ', value: id }, ...time] }));
  // The SDK types `sorts` as strings; HubSpot takes sort objects (hubspot-api-nodejs#559).
  return {
    filterGroups,
    sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }],
    properties: [...properties],
    limit: SEARCH_PAGE_LIMIT,
    after,
  } as unknown as PublicObjectSearchRequest;
}

interface Found {
  id: string;
  properties?: Record<string, string | null>;
}

/** Every record of `type` in the window for one group of companies, paging past the 10,000 cap by restarting at the last timestamp seen. */
async function searchGroup(
  caller: HubSpotCaller,
  type: string,
  companies: readonly string[],
  window: Window,
  properties: readonly string[],
  useIn: boolean,
  signal: AbortSignal | undefined,
): Promise<unknown[]> {
  const seen = new Set<string>();
  const out: unknown[] = [];
  let from = window.from;
  let after = '0';
  for (;;) {
    const request = requestFor(companies, { from, to: window.to }, properties, after, useIn);
    const page = await caller.call(
      `search ${type} of ${companies.length} companies`,
      // Docs: https://developers.hubspot.com/docs/api-reference/search/guide
      (sdk) => sdk.crm.objects.searchApi.doSearch(type, request),
      { search: true, signal },
    );
    let last = from;
    let dated = false;
    for (const r of page.results as Found[]) {
      const at = instantOf(r.properties?.hs_timestamp);
      if (!Number.isNaN(at)) {
        last = Math.max(last, at);
        dated = true;
      }
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
    }
    const next = page.paging?.next?.after;
    if (!next) return out;
    if (Number(next) + SEARCH_PAGE_LIMIT <= SEARCH_RESULT_CAP) {
      after = next;
      continue;
    }
    // The 10,000th result: search again from the last instant seen (ids already given are skipped).
    // Should a whole page share one instant, step past it rather than loop; a page without a readable
    // timestamp cannot be restarted from, so what was read is what there is.
    if (!dated) return out;
    from = last > from ? last : from + 1;
    after = '0';
  }
}

/** Groups of companies per request: IN lists sized to the body limit, or up to five EQ groups. */
function companyGroups(companyIds: readonly string[], properties: readonly string[], useIn: boolean): string[][] {
  if (!useIn) return chunk(companyIds, SEARCH_MAX_GROUPS);
  let size = COMPANIES_PER_IN_FILTER;
  const probe = (ids: readonly string[]) =>
    JSON.stringify(requestFor(ids, { from: Date.now(), to: Date.now() }, properties, String(SEARCH_RESULT_CAP), true)).length;
  while (size > 1 && chunk(companyIds, size).some((ids) => probe(ids) > SEARCH_BODY_LIMIT)) size = Math.ceil(size / 2);
  return chunk(companyIds, size);
}

/**
 * The records of `type` (emails, meetings, calls) associated with any of `companyIds` whose
 * `hs_timestamp` lies in the window, with `properties`.
 */
export async function searchEngagements(
  caller: HubSpotCaller,
  type: string,
  companyIds: readonly string[],
  window: Window,
  properties: readonly string[],
  signal?: AbortSignal,
  log?: (event: string, detail: Record<string, unknown>) => void,
): Promise<unknown[]> {
  const ids = [...new Set(companyIds)];
  if (ids.length === 0) return [];
  const portal = portalOf(caller);
  if (!inRefused.has(portal)) {
    try {
      const pages = await Promise.all(
        companyGroups(ids, properties, true).map((g) => searchGroup(caller, type, g, window, properties, true, signal)),
      );
      return pages.flat();
    } catch (err) {
      if (!refusesAssociationIn(err)) throw err;
      if (!inRefused.has(portal)) {
        inRefused.add(portal);
        log?.('hubspot.search_in_refused', {
          type,
          error: (err as Error).message,
          fallback: 'associations.company EQ, 5 companies per request',
        });
      }
    }
  }
  const pages = await Promise.all(
    companyGroups(ids, properties, false).map((g) => searchGroup(caller, type, g, window, properties, false, signal)),
  );
  return pages.flat();
}
