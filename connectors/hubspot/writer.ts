// Writes scores back: only the properties that changed since the last successful write, 100
// companies per batch update. One outcome per row: written, unchanged, rejected (HubSpot's reason:
// a 207 per-record error, or the record a batch-level 400 was isolated to by splitting) or failed
// (retry next run). A rejected record never stops the batch; auth, scope and daily-quota errors stop
// the write (the caller keeps its checkpoint).

import type { SimplePublicObjectBatchInput } from '@hubspot/api-client/lib/codegen/crm/companies/index.js';
import { chunk } from '../../lib/chunk.ts';
import { CRM_TIERS, changedProperties, type ScoreProperties, type ScoreWrite, type WriteOutcome, type WriteReport } from '../shared/crm.ts';
import { ConfigError, QuotaExhaustedError, RateLimitedError, TransientError } from '../shared/errors.ts';
import type { HubSpotCaller } from './client.ts';
import { scorePropertyNames } from './config.ts';
import { HubSpotRequestError, HubSpotServerError } from './errors.ts';
import { batchErrorRaw } from './raw-schemas.ts';

/**
 * How many times one write may split a refused batch: one bad record among 100 takes 7 halvings, so
 * this isolates two; past it the rest fails for the next run. With fewer attempts for the halves, a
 * portal that refuses everything (an outage answering 500, a deleted option) costs a bounded number of calls.
 */
const MAX_SPLITS = 16;
const SPLIT_ATTEMPTS = 2;

function hubSpotValue(key: keyof ScoreProperties, values: ScoreProperties): string {
  const v = values[key];
  return v === null ? '' : String(v);
}

/** Score values → the HubSpot company properties to send (only `keys`). */
export function toHubSpotProperties(values: ScoreProperties, keys: readonly (keyof ScoreProperties)[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [scorePropertyNames[k], hubSpotValue(k, values)]));
}

/** HubSpot's message, and for a tier option the portal lacks (e.g. `churned` before setup added it) what to do. */
function rejectionReason(err: HubSpotRequestError): string {
  const message = err.body.message ?? err.message;
  const tierOption =
    message.includes(`"name":"${scorePropertyNames.tier}"`) &&
    CRM_TIERS.some((t) => message.includes(`${t} was not one of the allowed options`));
  return tierOption ? `${message} — run setup to add the missing option to ${scorePropertyNames.tier}` : message;
}

interface Pending {
  row: ScoreWrite;
  properties: Record<string, string>;
  /** The row's position in the input, for the report. */
  index: number;
}

export async function writeHubSpotScores(caller: HubSpotCaller, rows: readonly ScoreWrite[], signal?: AbortSignal): Promise<WriteReport> {
  const outcomes = new Map<number, WriteOutcome>();
  const lastIndex = new Map(rows.map((r, i) => [r.accountId, i]));
  const pending: Pending[] = [];
  for (const [index, row] of rows.entries()) {
    const keys = changedProperties(row.values, row.previous);
    if (lastIndex.get(row.accountId) !== index)
      outcomes.set(index, { accountId: row.accountId, status: 'failed', reason: 'the same account appears again later in this write' });
    else if (keys.length === 0) outcomes.set(index, { accountId: row.accountId, status: 'unchanged' });
    else pending.push({ row, properties: toHubSpotProperties(row.values, keys), index });
  }

  let calls = 0;
  let splitsLeft = MAX_SPLITS;
  const settle = (p: Pending, outcome: Omit<WriteOutcome, 'accountId'>) =>
    outcomes.set(p.index, { accountId: p.row.accountId, ...outcome });

  async function writeBatch(batch: Pending[], isSplit = false): Promise<void> {
    const inputs: SimplePublicObjectBatchInput[] = batch.map((p) => ({ id: p.row.accountId, properties: p.properties }));
    try {
      const res = await caller.call(
        'update companies',
        (sdk) => {
          calls++;
          // Docs: https://developers.hubspot.com/docs/guides/api/crm/objects/companies (update companies in batches, 100 per call)
          return sdk.crm.companies.batchApi.update({ inputs });
        },
        { signal, ...(isSplit ? { maxAttempts: SPLIT_ATTEMPTS } : {}) },
      );
      const written = new Set(res.results.map((r) => r.id));
      const rejected = new Map<string, string>();
      for (const e of 'errors' in res ? (res.errors ?? []) : []) {
        const parsed = batchErrorRaw.safeParse(e);
        if (!parsed.success) continue;
        const why = [parsed.data.category, parsed.data.message].filter(Boolean).join(': ');
        for (const id of parsed.data.context?.ids ?? []) rejected.set(id, why);
      }
      for (const p of batch) {
        const id = p.row.accountId;
        if (rejected.has(id)) settle(p, { status: 'rejected', reason: rejected.get(id) ?? '' });
        else if (written.has(id)) settle(p, { status: 'written', written: p.row.values });
        else settle(p, { status: 'failed', reason: 'HubSpot did not confirm this record in its batch response' });
      }
    } catch (err) {
      if (err instanceof ConfigError || err instanceof QuotaExhaustedError) throw err;
      if (err instanceof HubSpotRequestError) {
        if (/PROPERTY_DOESNT_EXIST/.test(err.body.message ?? ''))
          throw new ConfigError('hubspot', `the Health score properties are missing on companies: run setup first (${err.message})`, {
            cause: err,
          });
        if (batch.length === 1) return void settle(batch[0] as Pending, { status: 'rejected', reason: rejectionReason(err) });
        return splitOrFail(batch, err);
      }
      if (err instanceof TransientError || err instanceof RateLimitedError) {
        // A 500 from HubSpot's own handler may come from one record: isolate it. Gateways, timeouts
        // and rate limits say nothing about the records: the batch is retried on the next run.
        if (err instanceof HubSpotServerError && err.status === 500 && batch.length > 1) return splitOrFail(batch, err);
        for (const p of batch) settle(p, { status: 'failed', reason: err.message });
        return;
      }
      throw err;
    }
  }

  async function splitOrFail(batch: Pending[], err: Error): Promise<void> {
    if (splitsLeft <= 0) {
      for (const p of batch) settle(p, { status: 'failed', reason: `not isolated within ${MAX_SPLITS} splits: ${err.message}` });
      return;
    }
    splitsLeft--;
    const half = Math.ceil(batch.length / 2);
    await writeBatch(batch.slice(0, half), true);
    await writeBatch(batch.slice(half), true);
  }

  for (const batch of chunk(pending, caller.config.writeBatchSize)) await writeBatch(batch);
  return { outcomes: rows.map((_r, i) => outcomes.get(i) as WriteOutcome), calls };
}
