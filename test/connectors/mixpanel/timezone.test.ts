// Days in the project's time zone: a project in America/Los_Angeles with events just before and
// after local midnight gets the same hand-computed usage signals through segmentation and through
// the raw export (dates in UTC for a project created since 2023, in the zone for an older one), and
// the local day still running at asOf is never counted.
import { afterEach, describe, expect, it } from 'vitest';
import { type MixpanelFake, startMixpanelFake } from '../../../connectors/mixpanel/fake/server.ts';
import { createMixpanelSource } from '../../../connectors/mixpanel/index.ts';
import { usageFromSegmentation } from '../../../connectors/mixpanel/usage-aggregate.ts';
import { dayOfIndex } from '../../../lib/days.ts';
import { lastCompleteZonedDay, zonedDayStartMs } from '../../../lib/zoned-days.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { account, SCALE, sourceConfig } from './helpers.ts';

const LA = 'America/Los_Angeles';
/** 03:00 on 15 October in Los Angeles (PDT, UTC−7): the last complete local day is 14 October. */
const ASOF = new Date('2026-10-15T10:00:00Z');

let fake: MixpanelFake;
afterEach(async () => {
  await fake?.close();
});

const session = (user: string, time: string) => ({ event: 'Session Start', time, distinct_id: user, properties: { company_id: 'acme' } });

function seed(f: MixpanelFake) {
  f.seedEvents([
    // 30 Sep 23:30 local (1 Oct in UTC): the prior 14 days locally, the last 14 in UTC.
    session('p', '2026-10-01T06:30:00Z'),
    // 13 Oct 23:59 local (14 Oct in UTC).
    session('a', '2026-10-14T06:59:00Z'),
    // 14 Oct 00:01 local.
    session('b', '2026-10-14T07:01:00Z'),
    // 14 Oct 23:30 local (15 Oct in UTC).
    session('c', '2026-10-15T06:30:00Z'),
    // 15 Oct 00:30 local: the day still running at asOf, never counted.
    session('d', '2026-10-15T07:30:00Z'),
    { event: 'Report Built', time: '2026-10-14T07:02:00Z', distinct_id: 'b', properties: { company_id: 'acme' } },
    // 14 Sep 23:00 local: one day before the 30-day window (15 Sep–14 Oct locally).
    { event: 'Alert Created', time: '2026-09-15T06:00:00Z', distinct_id: 'a', properties: { company_id: 'acme' } },
  ]);
}

/**
 * By local day: 30 Sep {p}, 13 Oct {a}, 14 Oct {b, c}. Last 14 days (1–14 Oct) DAU sum 3, prior 14
 * (17–30 Sep) 1: trend 3 / 1 − 1 = 2. Active on 14 Oct: 0 days since. Distinct users in 30 days
 * {p, a, b, c} = 4; DAU sum 4: stickiness 4 / 30 / 4 = 0.0333. Features: Report Built of 3 = 0.3333.
 */
const EXPECTED = {
  'usage.trend14d': 2,
  'usage.daysSinceLastActive': 0,
  'usage.featureAdoption': 0.3333,
  'usage.stickiness': 0.0333,
  'mixpanel.activeUsers30d': 4,
};

async function run(options: { exportDates?: 'utc' | 'project'; forceExport?: boolean }) {
  fake = await startMixpanelFake({ clockScale: SCALE, timeZone: LA, exportDates: options.exportDates ?? 'utc' });
  seed(fake);
  const source = createMixpanelSource(
    sourceConfig(fake, {
      timezone: LA,
      exportDates: options.exportDates ?? 'utc',
      ...(options.forceExport ? { exportThreshold: 1 } : {}),
    }),
  );
  const ctx = { asOf: ASOF, state: new MemoryStateStore() };
  const report = await source.sync(ctx);
  const result = await source.read([account('acct', 'acme')], ctx);
  return { signals: result.signals.get('acct'), report };
}

describe('a project in America/Los_Angeles', () => {
  it('given events around local midnight, when read through segmentation, then the local days give the hand-computed signals', async () => {
    const { signals, report } = await run({});
    expect(report.checkpoint).toMatchObject({ day: '2026-10-14', path: 'segmentation', exports: 0 });
    expect(signals).toEqual(EXPECTED);
    const daily = fake.queries()[0]?.params;
    expect(daily).toMatchObject({ from_date: '2026-07-17', to_date: '2026-10-14', unit: 'day' });
  });

  it('given the same events, when read through the export of a project created since 2023, then the UTC range covers the local days and the signals are the same', async () => {
    const { signals, report } = await run({ forceExport: true });
    expect(report.checkpoint).toMatchObject({ day: '2026-10-14', path: 'export' });
    expect(signals).toEqual(EXPECTED);
    // Local 17 Jul 00:00 is 07:00 UTC that day; local 14 Oct ends at 15 Oct 07:00 UTC.
    expect(fake.exports().at(-1)?.params).toMatchObject({ from_date: '2026-07-17', to_date: '2026-10-15' });
  });

  it('given a project created before 2023 (export dates and times in its zone), when read through the export, then the signals are the same', async () => {
    const { signals } = await run({ exportDates: 'project', forceExport: true });
    expect(signals).toEqual(EXPECTED);
    expect(fake.exports().at(-1)?.params).toMatchObject({ from_date: '2026-07-17', to_date: '2026-10-14' });
  });
});

describe('local days', () => {
  it('given instants around midnight in Los Angeles, when placed, then they fall on the local day, across the DST change', () => {
    expect(dayOfIndex(lastCompleteZonedDay(ASOF, LA))).toBe('2026-10-14');
    expect(dayOfIndex(lastCompleteZonedDay(new Date('2026-10-15T06:59:00Z'), LA))).toBe('2026-10-13');
    const oct14 = lastCompleteZonedDay(ASOF, LA);
    expect(new Date(zonedDayStartMs(oct14, LA)).toISOString()).toBe('2026-10-14T07:00:00.000Z');
    // 1 Nov 2026: PDT ends at 02:00 local; 2 Nov starts at 08:00 UTC (PST).
    expect(new Date(zonedDayStartMs(oct14 + 19, LA)).toISOString()).toBe('2026-11-02T08:00:00.000Z');
    expect(new Date(zonedDayStartMs(oct14, 'UTC')).toISOString()).toBe('2026-10-14T00:00:00.000Z');
  });
});

describe('the 30-day bucket', () => {
  it('given a unique report keyed by another day than from_date, when joined, then its value is still the 30-day count', () => {
    const w = { endDay: 20_000, lookbackDays: 90 };
    const daily = new Map([['acme', new Map([[20_000, 2]])]]);
    // Keyed by the range's last day instead of its first, as a report in another zone might be.
    const monthly = new Map([['acme', new Map([[20_000, 7]])]]);
    const features = new Map([['Report Built', new Map([['acme', new Map([[19_990, 1]])]])]]);
    expect(usageFromSegmentation(w, daily, monthly, features).get('acme')).toMatchObject({
      activeUsers30d: 7,
      featuresUsed: ['Report Built'],
    });
  });
});
