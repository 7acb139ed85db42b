// The batched reads the source is built from: CRM objects by id (100 per call, 50 when property
// history is asked for) and associations (v4, up to 1,000 ids per call, following each id's own
// paging), so a batch of accounts costs a few calls per object type, never calls per account.

import { chunk } from '../../lib/chunk.ts';
import type { RejectedRecord } from '../shared/source.ts';
import type { HubSpotCaller } from './client.ts';
import { type AssociationResultRaw, associationResultRaw, batchErrorRaw, parseRecord } from './raw-schemas.ts';

/** Batch read inputs per call (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/objects/batch/get-objects). */
export const BATCH_READ_SIZE = 100;
/** With `propertiesWithHistory`, HubSpot takes at most 50 inputs (400 VALIDATION_ERROR above). */
export const HISTORY_BATCH_READ_SIZE = 50;
export const ASSOCIATION_BATCH_SIZE = 1000;

export interface BatchReadResult {
  /** Each returned record, unparsed (callers parse with their own typed schema). */
  records: unknown[];
  /** Ids HubSpot said it does not have (deleted, merged or never existed). */
  missing: string[];
}

/** Reads objects by id with the given properties (and their history). */
export async function batchRead(
  caller: HubSpotCaller,
  objectType: string,
  ids: readonly string[],
  properties: readonly string[],
  propertiesWithHistory: readonly string[],
  signal?: AbortSignal,
): Promise<BatchReadResult> {
  const unique = [...new Set(ids)];
  const pages = await Promise.all(
    chunk(unique, propertiesWithHistory.length > 0 ? HISTORY_BATCH_READ_SIZE : BATCH_READ_SIZE).map((part) =>
      caller.call(
        `read ${objectType}`,
        // Docs: https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/objects/batch/get-objects
        (sdk) =>
          sdk.crm.objects.batchApi.read(objectType, {
            inputs: part.map((id) => ({ id })),
            properties: [...properties],
            propertiesWithHistory: [...propertiesWithHistory],
          }),
        { signal },
      ),
    ),
  );
  const records: unknown[] = [];
  const missing: string[] = [];
  for (const page of pages) {
    records.push(...page.results);
    for (const e of 'errors' in page ? (page.errors ?? []) : []) {
      const err = batchErrorRaw.safeParse(e);
      if (err.success && err.data.category === 'OBJECT_NOT_FOUND') missing.push(...(err.data.context?.ids ?? []));
    }
  }
  return { records, missing };
}

export interface Associated {
  toId: string;
  /** The association labels (USER_DEFINED / INTEGRATOR_DEFINED types with a label). */
  labels: string[];
}

/** Associations from each id to `toType` (v4 batch read), following per-id paging; bad rows are reported. */
export async function readAssociations(
  caller: HubSpotCaller,
  fromType: string,
  toType: string,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<{ byId: Map<string, Associated[]>; rejected: RejectedRecord[] }> {
  const byId = new Map<string, Associated[]>();
  const rejected: RejectedRecord[] = [];
  let pending: { id: string; after?: string }[] = [...new Set(ids)].map((id) => ({ id }));
  while (pending.length > 0) {
    const next: { id: string; after: string }[] = [];
    const pages = await Promise.all(
      chunk(pending, ASSOCIATION_BATCH_SIZE).map((inputs) =>
        caller.call(
          `read ${fromType}→${toType} associations`,
          // Docs: https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4 (batch read)
          (sdk) => sdk.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs }),
          { signal },
        ),
      ),
    );
    for (const page of pages) {
      for (const raw of page.results) {
        const r = parseRecord(associationResultRaw, raw, `${fromType}→${toType} association`);
        if (!r.ok) {
          rejected.push(r.rejected);
          continue;
        }
        const row: AssociationResultRaw = r.value;
        const list = byId.get(row._from.id) ?? [];
        for (const t of row.to) list.push({ toId: t.toObjectId, labels: t.associationTypes.flatMap((a) => (a.label ? [a.label] : [])) });
        byId.set(row._from.id, list);
        const after = row.paging?.next?.after;
        if (after) next.push({ id: row._from.id, after });
      }
      // Ids without associations come back as per-id errors (NO_ASSOCIATIONS_FOUND): simply none.
    }
    pending = next;
  }
  return { byId, rejected };
}
