// `run --dry-run`'s view of a write: the Account fields writeScores would send (the same change
// detection and formatting), beside the values Salesforce holds now, read by SOQL 200 ids at a time.
// Read calls only.
import { changedProperties, type PropertyChange, type ScoreWrite, type WritePreview } from '../shared/crm.ts';
import type { SalesforceClient } from './client.ts';
import { SCORE_FIELD } from './setup.ts';
import { chunk, isSalesforceId, soqlIdList } from './soql.ts';
import { toSalesforceFields } from './writer.ts';

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export async function previewSalesforceWrites(
  client: SalesforceClient,
  rows: readonly ScoreWrite[],
  signal?: AbortSignal,
): Promise<WritePreview[]> {
  const current = new Map<string, Record<string, unknown>>();
  const ids = rows.map((r) => r.accountId).filter(isSalesforceId);
  for (const part of chunk([...new Set(ids)], 200)) {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
    const found = await client.queryAll(
      `SELECT Id, ${Object.values(SCORE_FIELD).join(', ')} FROM Account WHERE Id IN (${soqlIdList(part)})`,
      signal,
    );
    for (const r of found) current.set(String(r.Id), r);
  }
  return rows.map((row) => {
    const keys = changedProperties(row.values, row.previous);
    const outgoing = toSalesforceFields(row.values, keys);
    const now = current.get(row.accountId) ?? {};
    const changes: PropertyChange[] = keys.map((key) => {
      const property = SCORE_FIELD[key];
      return { key, property, from: text(now[property]), to: text(outgoing[property]) };
    });
    return { accountId: row.accountId, changes };
  });
}
