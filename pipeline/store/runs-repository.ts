// A run's record and plan (pk RUN#id): the run (sk RUN), and each batch with its accounts, its
// status and, once done, its summary (sk BATCH#nnnnnn): the checkpoint a resumed run skips by. All
// of it expires after RUN_RETENTION_DAYS.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchSummaryItem, parseItem, plannedBatchItem, runRecord } from './record-schemas.ts';
import type { BatchStatus, BatchSummary, PlannedBatch, RunRecord } from './records.ts';
import { keyOf, strip, type Table } from './table.ts';

/** Run plans and checkpoints are kept this long: long enough to resume and to audit a run. */
const RUN_RETENTION_DAYS = 35;

const batchKey = (index: number) => `BATCH#${String(index).padStart(6, '0')}`;

export type StoredBatch = PlannedBatch & { status: BatchStatus; summary?: BatchSummary };

export class RunsRepository {
  private readonly table: Table;

  constructor(table: Table) {
    this.table = table;
  }

  async saveRun(run: RunRecord): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { pk: `RUN#${run.runId}`, sk: 'RUN', expiresAt: this.table.expiry(RUN_RETENTION_DAYS), ...run },
      }),
    );
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const r = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: { pk: `RUN#${runId}`, sk: 'RUN' } }));
    return r.Item ? parseItem(runRecord, strip(r.Item), keyOf(r.Item)) : undefined;
  }

  async savePlan(runId: string, batches: readonly PlannedBatch[]): Promise<void> {
    const expiresAt = this.table.expiry(RUN_RETENTION_DAYS);
    await this.table.batchWrite(batches.map((b) => ({ pk: `RUN#${runId}`, sk: batchKey(b.index), status: 'pending', expiresAt, ...b })));
  }

  async loadBatch(runId: string, index: number): Promise<StoredBatch | undefined> {
    const r = await this.table.doc.send(new GetCommand({ TableName: this.table.name, Key: { pk: `RUN#${runId}`, sk: batchKey(index) } }));
    return r.Item ? parseItem(plannedBatchItem, strip(r.Item), keyOf(r.Item)) : undefined;
  }

  /** Every batch of a run's plan with its accounts, in order (the plan reads them back to join identities). */
  async planBatches(runId: string): Promise<StoredBatch[]> {
    const out: StoredBatch[] = [];
    for await (const item of this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
      ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':b': 'BATCH#' },
    }))
      out.push(parseItem(plannedBatchItem, strip(item), keyOf(item)));
    return out.sort((a, b) => a.index - b.index);
  }

  /** Checkpoint: the batch is done; a resumed run skips it. */
  async markBatchDone(runId: string, batch: PlannedBatch, summary: BatchSummary): Promise<void> {
    await this.table.doc.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          pk: `RUN#${runId}`,
          sk: batchKey(batch.index),
          expiresAt: this.table.expiry(RUN_RETENTION_DAYS),
          ...batch,
          status: 'done',
          summary,
        },
      }),
    );
  }

  async batchSummaries(runId: string): Promise<{ index: number; status: BatchStatus; summary?: BatchSummary }[]> {
    const out: { index: number; status: BatchStatus; summary?: BatchSummary }[] = [];
    for await (const item of this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
      ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':b': 'BATCH#' },
      ProjectionExpression: '#i, #s, summary',
      ExpressionAttributeNames: { '#i': 'index', '#s': 'status' },
    }))
      out.push(parseItem(batchSummaryItem, item, `RUN#${runId} batch ${String(item.index)}`));
    return out;
  }
}
