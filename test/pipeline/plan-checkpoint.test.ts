// The plan's CRM listing checkpoints after every page: a plan stopped after page N lists only the
// pages after N when planned again (counted at the HubSpot fake), and its batches equal those of a
// plan that was never stopped. A cursor the CRM refuses on resume starts the listing over.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeHttpServer } from '../../connectors/shared/fake/server.ts';
import { planRun } from '../../pipeline/run/plan.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LIST = '/crm/v3/objects/companies';

/** Each planned batch's account ids, in order. */
async function plannedBatches(harness: Harness, runId: string, count: number): Promise<string[][]> {
  const out: string[][] = [];
  for (let i = 0; i < count; i++) out.push(((await harness.store.loadBatch(runId, i))?.accounts ?? []).map((a) => a.accountId));
  return out;
}

/** Plans day `day` uninterrupted (runs one hour apart never block each other here), returning its batches. */
async function uninterrupted(harness: Harness, day: number): Promise<string[][]> {
  const plan = await planRun(harness.deps, harness.options(day, { batchSize: 30 }));
  return plannedBatches(harness, plan.runId, plan.batches.length);
}

function server(harness: Harness): FakeHttpServer {
  const s = harness.vendors.hubspot?.server;
  if (!s) throw new Error('the harness runs HubSpot');
  return s;
}

describe('the plan lists the CRM page by page', () => {
  it('given 250 companies (3 pages) and a plan stopped after page 2, when planned again, then it asks only for page 3 and the batches equal an uninterrupted plan', async () => {
    h = await startHarness({ accounts: 250, days: 3 });
    const harness = h;
    harness.deps.cadence = { runTimeoutMinutes: 1 };
    const expected = await uninterrupted(harness, 0);
    expect(expected.flat()).toHaveLength(250);

    const fake = server(harness);
    const before = fake.calls('GET', LIST).length;
    const stop = new AbortController();
    harness.deps.log = (event, detail) => {
      if (event === 'plan.listing_page' && detail.page === 2) stop.abort(new Error('deadline'));
    };
    const options = harness.options(1, { batchSize: 30 });
    await expect(planRun(harness.deps, options, stop.signal)).rejects.toThrow('deadline');
    const firstTry = fake.calls('GET', LIST).slice(before);
    expect(firstTry).toHaveLength(2);
    expect(await harness.store.getRun(planRunId(options.asOf))).toBeUndefined();

    const events: string[] = [];
    harness.deps.log = (event) => events.push(event);
    const plan = await planRun(harness.deps, options);
    const secondTry = fake.calls('GET', LIST).slice(before + 2);
    expect(secondTry).toHaveLength(1);
    // Page 3 is asked for with the cursor page 2 returned.
    expect(secondTry[0]?.query).toContain('after=');
    expect(secondTry[0]?.query).not.toBe(firstTry[0]?.query);
    expect(events).toContain('plan.listing_resumed');
    expect(plan.batches).toHaveLength(expected.length);
    expect(await plannedBatches(harness, plan.runId, plan.batches.length)).toEqual(expected);
    expect(await harness.store.getRun(plan.runId)).toMatchObject({ accounts: 250, batches: 9 });
  });

  it('given a stopped plan whose saved cursor the CRM refuses on resume, when planned again, then the listing starts over and the batches equal an uninterrupted plan', async () => {
    h = await startHarness({ accounts: 250, days: 3 });
    const harness = h;
    harness.deps.cadence = { runTimeoutMinutes: 1 };
    const expected = await uninterrupted(harness, 0);
    const fake = server(harness);
    const stop = new AbortController();
    harness.deps.log = (event, detail) => {
      if (event === 'plan.listing_page' && detail.page === 1) stop.abort(new Error('deadline'));
    };
    const options = harness.options(1, { batchSize: 30 });
    await expect(planRun(harness.deps, options, stop.signal)).rejects.toThrow('deadline');
    delete harness.deps.log;
    fake.inject({
      match: (r) => r.path === LIST && r.query.has('after'),
      times: 1,
      fault: { kind: 'status', status: 400, body: { status: 'error', category: 'VALIDATION_ERROR', message: 'Invalid cursor' } },
    });
    const before = fake.calls('GET', LIST).length;
    const plan = await planRun(harness.deps, options);
    const calls = fake.calls('GET', LIST).slice(before);
    // The refused page, then the whole listing from the start.
    expect(calls).toHaveLength(1 + 3);
    expect(calls[1]?.query).not.toContain('after=');
    expect(await plannedBatches(harness, plan.runId, plan.batches.length)).toEqual(expected);
  });
});

const planRunId = (asOf: Date) => asOf.toISOString().replace(/\.\d{3}Z$/, 'Z');
