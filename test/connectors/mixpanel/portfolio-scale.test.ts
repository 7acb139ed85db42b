// A run costs a fixed handful of Mixpanel queries whatever the portfolio size, stays inside 60 an
// hour, and switches to the raw export when the portfolio has more group values than a report holds.
import { afterEach, describe, expect, it } from 'vitest';
import type { MixpanelFake } from '../../../connectors/mixpanel/fake/server.ts';
import { createMixpanelSource } from '../../../connectors/mixpanel/index.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { ASOF, account, CORE_FEATURES, seedPortfolio, setup, sourceConfig } from './helpers.ts';

const fakes: MixpanelFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function runFor(accounts: number) {
  const s = await setup();
  fakes.push(s.fake);
  seedPortfolio(s.fake, accounts);
  const report = await s.source.sync(s.ctx);
  const refs = Array.from({ length: accounts }, (_, i) => account(`crm-${i + 1}`, `g${i + 1}`));
  let withSignals = 0;
  for (let i = 0; i < refs.length; i += 500) withSignals += (await s.source.read(refs.slice(i, i + 500), s.ctx)).signals.size;
  return { ...s, meta: report.checkpoint, queries: s.fake.queries().length, withSignals };
}

describe('mixpanel at portfolio scale', () => {
  it('given 5,000 accounts, when a run syncs, then it issues a small fixed number of queries that does not grow from 500 accounts', async () => {
    const small = await runFor(500);
    const large = await runFor(5000);
    console.log(`mixpanel queries per run: ${small.queries} for 500 accounts, ${large.queries} for 5,000 accounts`);
    // daily uniques + 30-day uniques + one per core feature.
    expect(large.queries).toBe(2 + CORE_FEATURES.length);
    expect(large.queries).toBe(small.queries);
    expect(large.meta).toMatchObject({ path: 'segmentation', groups: 5000, queries: 5, exports: 0 });
    expect(large.withSignals).toBe(5000);
    expect(large.fake.queries().every((q) => q.status === 200)).toBe(true);
    expect(large.fake.peakQueriesPerHour()).toBeLessThan(60);
  });

  it('given back-to-back runs that together want more than 60 queries within an hour, when they run, then the budget paces them and Mixpanel never answers 429', async () => {
    const s = await setup();
    fakes.push(s.fake);
    seedPortfolio(s.fake, 50);
    for (let run = 0; run < 14; run++) await s.source.sync({ ...s.ctx, state: new MemoryStateStore() });
    const statuses = s.fake.queries().map((q) => q.status);
    expect(statuses.length).toBe(14 * 5);
    expect(statuses.filter((st) => st !== 200)).toEqual([]);
    expect(s.fake.peakQueriesPerHour()).toBeLessThanOrEqual(60);
  });

  it('given more than 10,000 group values, when a run syncs, then it reads the raw export instead and the next run goes straight to it', async () => {
    const s = await setup({ config: { lookbackDays: 30 } });
    fakes.push(s.fake);
    for (let i = 1; i <= 10_050; i++)
      s.fake.seedDailyUsers([{ group: `g${i}`, day: i % 2 ? '2026-10-30' : '2026-10-20', users: 1 + (i % 3) }]);
    s.fake.seedDailyUsers([{ group: 'g7', day: '2026-10-29', users: 1, event: 'Report Built' }]);
    const first = (await s.source.sync(s.ctx)).checkpoint;
    expect(first).toMatchObject({ path: 'export', groups: 10_050, queries: 1, exports: 1 });
    const out = await s.source.read([account('crm-7', 'g7'), account('crm-10050', 'g10050')], s.ctx);
    expect(out.signals.get('crm-7')).toMatchObject({
      'usage.daysSinceLastActive': 1,
      'mixpanel.activeUsers30d': 2,
      'usage.featureAdoption': 0.3333,
    });
    expect(out.signals.get('crm-10050')).toMatchObject({ 'usage.daysSinceLastActive': 11, 'mixpanel.activeUsers30d': 1 });
    const second = (await s.source.sync(s.ctx)).checkpoint;
    expect(second).toMatchObject({ path: 'export', queries: 0, exports: 1 });
  });

  it('given the same events, when read through segmentation and through the export, then the signals are identical', async () => {
    const s = await setup();
    fakes.push(s.fake);
    seedPortfolio(s.fake, 200);
    const viaExport = createMixpanelSource(sourceConfig(s.fake, { exportThreshold: 1 }));
    const exportCtx = { asOf: ASOF, state: new MemoryStateStore() };
    expect((await s.source.sync(s.ctx)).checkpoint.path).toBe('segmentation');
    expect((await viaExport.sync(exportCtx)).checkpoint.path).toBe('export');
    const refs = Array.from({ length: 200 }, (_, i) => account(`crm-${i + 1}`, `g${i + 1}`));
    const a = await s.source.read(refs, s.ctx);
    const b = await viaExport.read(refs, exportCtx);
    expect(a.signals.size).toBe(200);
    expect(b.signals).toEqual(a.signals);
  });
});
