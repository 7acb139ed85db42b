// A seasonal baseline for the usage trend: a retail account that is quiet every January is read
// against last January, so its second January is not decay; the same drop in June still is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../lib/days.ts';
import { seasonalSentence, seasonalSignals } from '../../lib/history/seasonal.ts';
import { emptySummary } from '../../pipeline/run/batch-summary.ts';
import type { GatheredAccount } from '../../pipeline/run/gather-signals.ts';
import { scoreAccounts } from '../../pipeline/run/score-accounts.ts';
import type { DayRecord } from '../../pipeline/store/records.ts';
import { healthyLayered, modelFromYaml } from '../support/models.ts';
import { storedDay } from '../support/stored-day.ts';
import { startHarness } from './harness.ts';

const layeredYaml = readFileSync(new URL('../../models/layered.yaml', import.meta.url), 'utf8');
const seasonalLayered = modelFromYaml(`${layeredYaml}\nseasonalBaseline: true\n`);
const plainLayered = modelFromYaml(layeredYaml);

/** The retail account scored on `day`, its usage down 20% on the prior 14 days, with last year's trend for the same weeks. */
function scoreRetail(day: string, lastYearTrend: number | undefined, model = seasonalLayered): DayRecord {
  const gathered = new Map<string, GatheredAccount>([
    [
      'retail',
      { signals: { ...healthyLayered, 'usage.trend14d': -0.2 }, staleSources: [], failedSources: [] } as unknown as GatheredAccount,
    ],
  ]);
  const [record] = scoreAccounts(
    model,
    [{ accountId: 'retail', name: 'Retail Co' }] as never,
    gathered,
    new Map(),
    {
      asOf: new Date(`${day}T05:00:00Z`),
      runId: day,
      lastYearTrend: lastYearTrend === undefined ? undefined : new Map([['retail', lastYearTrend]]),
    },
    emptySummary(),
  );
  return record as DayRecord;
}

const trendDriver = (r: DayRecord) => r.drivers.find((d) => d.kind === 'signal' && d.key === 'usage.trend14d');

describe('given a retail account whose usage drops every January', () => {
  it('when its second January drops like the first, then the trend reads in line with last January and the account is not decaying', () => {
    const january = scoreRetail('2027-01-12', -0.22);
    expect(january.seasonal).toMatchObject({ lastYearDay: '2026-01-13', lastYear: -0.22, raw: -0.2 });
    expect(trendDriver(january)?.text).toBe('Usage down 20% vs prior 14 days, in line with last January (−6 pts)');
    // Scored in the flat band (70 points), not the falling one.
    expect(trendDriver(january)).toMatchObject({ points: 70 });
    expect(january.tier).toBe('green');
    // The stored signals stay as measured: only the reading is seasonal.
    expect(january.signals['usage.trend14d']).toBe(-0.2);
  });

  it('when the same drop comes in June, against a flat June last year, then it is decay', () => {
    const june = scoreRetail('2027-06-15', 0.01);
    expect(trendDriver(june)?.text).toBe('Usage down 20% vs prior 14 days, 21% below last June (−12 pts)');
    expect(trendDriver(june)).toMatchObject({ points: 40 });
    expect(june.score).toBeLessThan(scoreRetail('2027-01-12', -0.22).score as number);
  });

  it('given no year of history, or a model without the seasonal baseline, then the trend is read as it is', () => {
    const noHistory = scoreRetail('2027-01-12', undefined);
    const notSeasonal = scoreRetail('2027-01-12', -0.22, plainLayered);
    for (const r of [noHistory, notSeasonal]) {
      expect(r.seasonal).toBeUndefined();
      expect(trendDriver(r)?.text).toBe('Usage down 20% vs prior 14 days (−12 pts)');
    }
  });

  it('given no usage now or none last year, then there is nothing to compare with', () => {
    expect(seasonalSignals({ 'usage.trend14d': -1 }, -0.2, '2027-01-12').seasonal).toBeUndefined();
    expect(seasonalSignals({ 'usage.trend14d': -0.2 }, -1, '2027-01-12').seasonal).toBeUndefined();
    expect(seasonalSentence({ lastYearDay: '2026-03-02', lastYear: 0, raw: 0.3, adjusted: 0.3 })).toBe(
      'Usage up 30% vs prior 14 days, 30% above last March',
    );
  });
});

describe('given a seasonal model in a run with a year of stored history', () => {
  it('when the run scores, then it reads each account’s trend of 52 weeks before from the store and says so in the driver', async () => {
    const h = await startHarness({ accounts: 2, days: 1, stories: ['steady', 'steady'] });
    try {
      const categories = readFileSync(new URL('../../models/categories.yaml', import.meta.url), 'utf8');
      h.deps.models = modelFromYaml(`${categories}\nseasonalBaseline: true\n`);
      const [a, b] = [...h.ids.values()] as [string, string];
      const lastYear = addDays(h.dayOf(0), -364);
      await h.store.putDays([storedDay(a, lastYear, { 'usage.trend14d': 0.5 })]);
      await h.runDay(0);
      const [withYear] = await h.store.history(a, h.dayOf(0), h.dayOf(0));
      const [withoutYear] = await h.store.history(b, h.dayOf(0), h.dayOf(0));
      expect(withYear?.seasonal).toMatchObject({ lastYearDay: lastYear, lastYear: 0.5, raw: withYear?.signals['usage.trend14d'] });
      expect(trendDriver(withYear as DayRecord)?.text).toMatch(/^Usage (up|down|flat).*, \d+% below last \w+ \(−\d+ pts\)$/);
      expect(withoutYear?.seasonal).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
