// A run killed after its first batches resumes from its checkpoint with no duplicates; a source that
// fails for a whole run neither zeroes scores nor moves a tier, and the summary says which failed.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('resuming a killed run', () => {
  it('given a run aborted after 2 of 4 batches, when run again, then it completes and every account is scored, written and stored once', async () => {
    h = await startHarness({ accounts: 20, days: 2 });
    const harness = h;
    const batch = { batchSize: 5 };
    await harness.runDay(0, batch);
    const controller = new AbortController();
    const killed = await harness.runDay(1, batch, { signal: controller.signal, onBatch: (done) => done === 2 && controller.abort() });
    expect(killed.complete).toBe(false);
    expect(killed.batches).toEqual({ total: 4, done: 2 });
    const updatesAfterKill = [...harness.ids.values()].map((id) => harness.vendors.hubspot?.updateCount(id) ?? 0);

    const resumed = await harness.runDay(1, batch);
    expect(resumed).toMatchObject({ complete: true, scored: 20, batches: { total: 4, done: 4 } });
    for (const [i, id] of [...harness.ids.values()].entries()) {
      const rows = await harness.store.history(id, harness.dayOf(0), harness.dayOf(1));
      expect(rows.map((r) => r.day)).toEqual([harness.dayOf(0), harness.dayOf(1)]);
      // Accounts of the two finished batches were not written again by the resumed run.
      if (i < 10) expect(harness.vendors.hubspot?.updateCount(id)).toBe(updatesAfterKill[i]);
    }
  });
});

describe('a source down for the whole run', () => {
  it('given Zendesk answering 503 to everything, then scores come from the other sources, nothing changes tier, and the summary names Zendesk', async () => {
    h = await startHarness({ accounts: 12, days: 6, stories: Array(12).fill('steady') }, {});
    const harness = h;
    for (let i = 0; i < 3; i++) await harness.runDay(i, { maxStaleDays: 1 });
    const before = await Promise.all(
      [...harness.ids.values()].map(async (id) => (await harness.store.history(id, harness.dayOf(2), harness.dayOf(2)))[0]),
    );

    harness.vendors.zendesk.server.inject({ fault: { kind: 'status', status: 503, body: { error: 'Service Unavailable' } } });
    const outage1 = await harness.runDay(3, { maxStaleDays: 1 });
    const outage2 = await harness.runDay(4, { maxStaleDays: 1 });
    const outage3 = await harness.runDay(5, { maxStaleDays: 1 });

    for (const s of [outage1, outage2, outage3]) {
      expect(Object.keys(s.failedSources)).toEqual(['zendesk']);
      expect(s.scored).toBe(12);
      expect(s.movements).toEqual({});
    }
    expect(outage1.staleAccounts).toBe(12);
    for (const [i, id] of [...harness.ids.values()].entries()) {
      const [day3, day4, day5] = await harness.store.history(id, harness.dayOf(3), harness.dayOf(5));
      const prior = before[i];
      // Day 3: yesterday's support signals stand in, marked stale; the score is what it was.
      expect(day3).toMatchObject({ staleSources: ['zendesk'], failedSources: [], completeness: prior?.completeness });
      expect(day3?.signals['support.csat']).toBe(prior?.signals['support.csat']);
      // Beyond maxStaleDays the support keys are absent (unknown), never zero, and completeness shows it.
      expect(day5?.failedSources).toEqual(['zendesk']);
      expect(Object.keys(day5?.signals ?? {}).filter((k) => k.startsWith('support.'))).toEqual([]);
      expect(day5?.completeness).toBeLessThan(prior?.completeness ?? 0);
      expect(day5?.score).not.toBeNull();
      for (const d of [day3, day4, day5]) expect(d?.tierState.confirmed).toBe(prior?.tierState.confirmed);
    }
  });
});

describe('planning rules', () => {
  it('given a run stopped mid-way, when resumed the next morning, then it keeps the instant it was planned with', async () => {
    h = await startHarness({ accounts: 10, days: 2 });
    const harness = h;
    const controller = new AbortController();
    await harness.runDay(0, { batchSize: 5 }, { signal: controller.signal, onBatch: () => controller.abort() });
    const nextMorning = new Date(`${harness.dayOf(1)}T07:00:00Z`);
    // --run-id resumes the run cut short (its id is its instant); the next morning's clock does not move it.
    const runId = harness.options(0).asOf.toISOString().replace('.000Z', 'Z');
    const resumed = await harness.runDay(0, { batchSize: 5, runId, asOf: nextMorning });
    expect(resumed).toMatchObject({ complete: true, scored: 10, day: harness.dayOf(0) });
    for (const id of harness.ids.values()) {
      expect((await harness.store.history(id, harness.dayOf(0), harness.dayOf(1))).map((r) => r.day)).toEqual([harness.dayOf(0)]);
    }
  });

  it('given runs up to a day, when an earlier day is run, then it is refused rather than written over the present', async () => {
    h = await startHarness({ accounts: 4, days: 3 });
    await h.runDay(2);
    await expect(h.runDay(1)).rejects.toThrow(/cannot run .*: the store already holds runs up to/);
  });

  it('given Mixpanel out of queries for the hour, then the run goes on without it and says so', async () => {
    h = await startHarness({ accounts: 6, days: 2 });
    await h.runDay(0);
    h.vendors.mixpanel.server.inject({
      fault: { kind: 'status', status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '0.05' } },
    });
    const summary = await h.runDay(1);
    expect(summary).toMatchObject({ complete: true, scored: 6 });
    expect(summary.failedSources.mixpanel).toMatch(/rate limit/);
    expect(summary.stoppedBy).toBeUndefined();
  });
});

describe('stopping in the middle of a batch', () => {
  it('given a run stopped while a batch reads its sources, then that batch is not checkpointed and the resumed run completes it once', async () => {
    h = await startHarness({ accounts: 10, days: 1 });
    const harness = h;
    const controller = new AbortController();
    const zendesk = harness.deps.sources.find((s) => s.name === 'zendesk');
    if (!zendesk) throw new Error('no zendesk source');
    const read = zendesk.read.bind(zendesk);
    let reads = 0;
    zendesk.read = async (accounts, ctx) => {
      // The second batch is stopped half-way: its CRM read is done, this source is not.
      if (++reads === 2) controller.abort(new Error('deadline'));
      return read(accounts, ctx);
    };
    const stopped = await harness.runDay(0, { batchSize: 5 }, { signal: controller.signal });
    expect(stopped).toMatchObject({ complete: false, batches: { total: 2, done: 1 }, scored: 5 });
    expect(stopped.failedSources).toEqual({});

    zendesk.read = read;
    const resumed = await harness.runDay(0, { batchSize: 5 });
    expect(resumed).toMatchObject({ complete: true, scored: 10, failedSources: {} });
    for (const id of harness.ids.values()) expect(harness.vendors.hubspot?.updateCount(id)).toBe(1);
  });
});
