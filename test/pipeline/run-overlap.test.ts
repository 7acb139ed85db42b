// Runs never overlap: a run due while the last one is still in progress (unfinished, within its
// timeout) is skipped with a log line, and the next one after the timeout runs as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../pipeline/run/summary.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
const logs: { event: string; detail: Record<string, unknown> }[] = [];
let skipped: RunSummary;
let next: RunSummary;
const at = (time: string) => new Date(`${h.dayOf(0)}T${time}:00Z`);

beforeAll(async () => {
  h = await startHarness({ accounts: 10, days: 1 });
  h.deps.cadence = { runTimeoutMinutes: 54 };
  h.deps.log = (event, detail) => logs.push({ event, detail });
  const controller = new AbortController();
  // The 05:00 run is still going (here: stopped after its first batch, as a killed process leaves it).
  await h.runDay(0, { asOf: at('05:00'), batchSize: 5 }, { signal: controller.signal, onBatch: () => controller.abort() });
  skipped = await h.runDay(0, { asOf: at('05:30'), batchSize: 5 });
  next = await h.runDay(0, { asOf: at('06:00'), batchSize: 5 });
});

afterAll(async () => {
  await h?.close();
});

describe('given a run still in progress', () => {
  it('when the next run is due within its timeout, then that run is skipped and says which run it waited for', async () => {
    expect(skipped).toMatchObject({
      runId: `${h.dayOf(0)}T05:30:00Z`,
      scored: 0,
      skipped: { inProgress: `${h.dayOf(0)}T05:00:00Z`, until: `${h.dayOf(0)}T05:54:00.000Z` },
    });
    expect(logs.filter((l) => l.event === 'run.skipped').map((l) => l.detail)).toEqual([
      expect.objectContaining({ runId: `${h.dayOf(0)}T05:30:00Z`, inProgress: `${h.dayOf(0)}T05:00:00Z` }),
    ]);
    expect(await h.store.getRun(`${h.dayOf(0)}T05:30:00Z`)).toBeUndefined();
  });

  it('when the next run is due after the timeout, then it runs and scores every account', async () => {
    expect(next).toMatchObject({ runId: `${h.dayOf(0)}T06:00:00Z`, complete: true, scored: 10 });
    expect(next.skipped).toBeUndefined();
    for (const id of h.ids.values()) expect((await h.store.history(id, h.dayOf(0), h.dayOf(0)))[0]?.runId).toBe(`${h.dayOf(0)}T06:00:00Z`);
  });
});
