// `run --dry-run`'s view of a write: the Account fields writeScores would send (the same change
// detection and formatting), beside the values Salesforce holds now, read by SOQL 200 ids at a time.
// Read calls only.
import { chunk } from '../../lib/chunk.ts';
import { type ScoreWrite, type WritePreview, writePreviews } from '../shared/crm.ts';
import type { SalesforceClient } from './client.ts';
import { SCORE_FIELD } from './field-specs.ts';
import { isSalesforceId, soqlIdList } from './soql.ts';
import { toSalesforceFields } from './writer.ts';

export async function previewSalesforceWrites(
  client: SalesforceClient,
  rows: readonly ScoreWrite[],
  signal?: AbortSignal,
): Promise<WritePreview[]> {
  const current = new Map<string, Record<string, unknown>>();
  const ids = rows.map((r) => r.accountId).filter(isSalesforceId);
  for (const part of chunk([...new Set(ids)], 200)) {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
    const soql = `SELECT Id, ${Object.values(SCORE_FIELD).join(', ')} FROM Account WHERE Id IN (${soqlIdList(part)})`;
    for (const r of await client.queryAll(soql, signal)) current.set(String(r.Id), r);
  }
  return writePreviews(rows, current, (key) => SCORE_FIELD[key], toSalesforceFields);
}
