// Writes scores back to Account fields: only the fields whose value changed, 200 records per sObject
// collections call with allOrNone=false, one outcome per row (written / unchanged / rejected with
// Salesforce's message / failed, to retry next run). A call that fails as a whole after its retries
// is split in halves to isolate the record that breaks it, within a small budget of extra calls.
import { chunk } from '../../lib/chunk.ts';
import { changedProperties, type ScoreProperties, type ScoreWrite, type WriteOutcome, type WriteReport } from '../shared/crm.ts';
import { ConfigError, DataError, QuotaExhaustedError } from '../shared/errors.ts';
import type { SalesforceClient } from './client.ts';
import { DRIVERS_LENGTH, FLAGS_LENGTH, MODEL_LENGTH, SCORE_FIELD } from './field-specs.ts';

const COLLECTION_SIZE = 200;
/** Per-record errors worth another try next run (not the record's fault). */
const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_RUNNING_TOO_LONG', 'SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION']);

/** The Account field values for the properties that changed. */
export function toSalesforceFields(values: ScoreProperties, keys: readonly (keyof ScoreProperties)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = values[key];
    let field: unknown = v;
    if (key === 'drivers') field = values.drivers.slice(0, DRIVERS_LENGTH);
    else if (key === 'flags') field = values.flags.slice(0, FLAGS_LENGTH) || null;
    else if (key === 'modelId') field = values.modelId.slice(0, MODEL_LENGTH);
    else if (key === 'completeness') field = Math.round(values.completeness * 100) / 100;
    else if (typeof v === 'string' && v === '') field = null;
    out[SCORE_FIELD[key]] = field;
  }
  return out;
}

interface Pending {
  index: number;
  row: ScoreWrite;
  record: Record<string, unknown>;
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; message?: string }[];
}

export async function writeSalesforceScores(
  client: SalesforceClient,
  rows: readonly ScoreWrite[],
  signal?: AbortSignal,
): Promise<WriteReport> {
  const outcomes: WriteOutcome[] = new Array(rows.length);
  const pending: Pending[] = [];
  rows.forEach((row, index) => {
    const keys = changedProperties(row.values, row.previous);
    if (keys.length === 0) outcomes[index] = { accountId: row.accountId, status: 'unchanged' };
    else pending.push({ index, row, record: { Id: row.accountId, ...toSalesforceFields(row.values, keys) } });
  });
  let calls = 0;
  let isolationCalls = 2 * Math.ceil(Math.log2(COLLECTION_SIZE)) * 2;
  const settle = (p: Pending, status: WriteOutcome['status'], reason?: string) => {
    outcomes[p.index] = {
      accountId: p.row.accountId,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(status === 'written' ? { written: p.row.values } : {}),
    };
  };

  const send = async (items: Pending[], isolating: boolean): Promise<void> => {
    let results: SaveResult[];
    try {
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
      results = (await client.call(
        () => {
          calls++;
          return client.conn.sobject('Account').update(
            items.map((p) => p.record as { Id: string }),
            { allOrNone: false },
          ) as Promise<unknown>;
        },
        { signal, ...(isolating ? { policy: { maxAttempts: 2 } } : {}) },
      )) as SaveResult[];
    } catch (err) {
      if (err instanceof ConfigError || err instanceof QuotaExhaustedError || signal?.aborted) throw err;
      const reason = (err as Error).message;
      if (items.length === 1 || isolationCalls < 2) {
        for (const p of items) settle(p, err instanceof DataError && items.length === 1 ? 'rejected' : 'failed', reason);
        return;
      }
      isolationCalls -= 2;
      const half = Math.ceil(items.length / 2);
      await send(items.slice(0, half), true);
      await send(items.slice(half), true);
      return;
    }
    items.forEach((p, i) => {
      const r = results[i];
      if (!r) settle(p, 'failed', 'no result for this record in the response');
      else if (r.success) settle(p, 'written');
      else {
        const e = r.errors?.[0];
        const reason = e ? `${e.statusCode}: ${e.message}` : 'rejected without a reason';
        settle(p, e?.statusCode && TRANSIENT_CODES.has(e.statusCode) ? 'failed' : 'rejected', reason);
      }
    });
  };

  for (const part of chunk(pending, COLLECTION_SIZE)) await send(part, false);
  return { outcomes, calls };
}
