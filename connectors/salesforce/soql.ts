// Building SOQL safely from ids and instants: ids are checked before they are inlined (no injection
// through an account id), instants are written as SOQL date-time literals, and id lists are cut so
// each query's URL stays inside Salesforce's limit of 16,384 bytes for the URI and headers together.

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const isSalesforceId = (value: string): boolean => ID.test(value);

/** `'001…', '001…'` for an IN clause; every id must pass isSalesforceId. */
export function soqlIdList(ids: readonly string[]): string {
  return ids
    .map((id) => {
      if (!ID.test(id)) throw new Error(`not a Salesforce id: ${id}`);
      return `'${id}'`;
    })
    .join(', ');
}

/** A SOQL date-time literal: 2026-05-01T12:00:00Z (unquoted). */
export const soqlDateTime = (d: Date | number): string => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Bytes the encoded `q=` parameter may take: 16,384 for URI and headers together, less the path
 * (`/services/data/vNN.0/query?q=`), the session header (a ~112-character id) and the other headers
 * jsforce sends, with room to spare. https://help.salesforce.com/s/articleView?id=000386264&type=1
 */
export const MAX_ENCODED_QUERY = 14_000;

/**
 * The queries `build(inList)` makes for `ids`, each with as many ids as keep its encoded form within
 * `budget` characters (and at most `maxIds`); none for no ids.
 */
export function queriesForIds(
  ids: readonly string[],
  build: (inList: string) => string,
  maxIds = 2_000,
  budget = MAX_ENCODED_QUERY,
): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < ids.length) {
    let end = Math.min(ids.length, start + maxIds);
    let soql = build(soqlIdList(ids.slice(start, end)));
    while (encodeURIComponent(soql).length > budget && end - start > 1) {
      end = start + Math.max(1, Math.floor((end - start) / 2));
      soql = build(soqlIdList(ids.slice(start, end)));
    }
    out.push(soql);
    start = end;
  }
  return out;
}
