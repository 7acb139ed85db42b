// Building SOQL safely from ids and instants: ids are checked before they are inlined (no injection
// through an account id), instants are written as SOQL date-time literals, lists are chunked so a
// query URL stays well under Salesforce's length limit.

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

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
