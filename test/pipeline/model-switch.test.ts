// A model change mid-run: the new version's stricter thresholds move tiers, but only because of the
// switch, so they are recorded (the summary says how many) and never alerted; `rescore` then
// recomputes the stored history with the new model from the stored signals, so trends compare like
// with like and a backtest from the store reads the new model's scores.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreSnapshot } from '../../lib/scoring/engine.ts';
import { type RescoreReport, rescoreFromStore } from '../../pipeline/rescore/rescore-history.ts';
import type { RunSummary } from '../../pipeline/run/summary.ts';
import type { DayRecord } from '../../pipeline/store/records.ts';
import { modelFromYaml } from '../support/models.ts';
import { type Harness, startHarness } from './harness.ts';

const DAYS = 6;
const SWITCH_DAY = 3;
let h: Harness;
const summaries: RunSummary[] = [];
let rescored: RescoreReport;
const before: DayRecord[] = [];

// Version 2 of the demo's model: green only from 85 (was 70), so steady green accounts read yellow.
const stricter = modelFromYaml(
  readFileSync(new URL('../../models/categories.yaml', import.meta.url), 'utf8')
    .replace('version: 1', 'version: 2')
    .replace('tiers: { green: 70, yellow: 40 }', 'tiers: { green: 85, yellow: 40 }'),
);

beforeAll(async () => {
  h = await startHarness({ accounts: 6, days: DAYS, stories: ['steady', 'steady', 'steady', 'steady', 'steady', 'steady'] });
  for (let i = 0; i < DAYS; i++) {
    if (i === SWITCH_DAY) h.deps.models = stricter;
    summaries.push(await h.runDay(i));
  }
  for await (const r of h.store.allDays()) before.push(r);
  rescored = await rescoreFromStore(h.store, stricter);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('given the demo’s model switched to a stricter version mid-run', () => {
  it('then the switch re-baselines the tiers it moves: counted in the summary, recorded on the row, and no tier alert', async () => {
    const moved = summaries[SWITCH_DAY]?.rebaselined ?? 0;
    expect(moved).toBeGreaterThan(0);
    expect(summaries.filter((_, i) => i !== SWITCH_DAY).every((s) => s.rebaselined === 0)).toBe(true);
    const switched = before.filter((r) => r.day === h.dayOf(SWITCH_DAY) && r.rebaseline);
    expect(switched).toHaveLength(moved);
    for (const r of switched) {
      expect(r.rebaseline).toMatchObject({ fromModel: 'categories@1', toModel: 'categories@2', fromTier: 'green', toTier: 'yellow' });
      expect(r.tierState).toMatchObject({ confirmed: 'yellow', pending: null });
      expect((await h.store.alerts(r.accountId)).filter((a) => String(a.playbook).startsWith('tier_'))).toEqual([]);
    }
    expect(summaries.flatMap((s) => Object.keys(s.alerts)).filter((p) => p.startsWith('tier_'))).toEqual([]);
    expect(summaries[SWITCH_DAY]?.movements).toEqual({});
  });

  it('when rescored from the store, then every stored day carries the new model’s score for its stored signals', async () => {
    expect(rescored).toMatchObject({ accounts: 6, rows: 6 * DAYS, models: ['categories@2'] });
    for await (const r of h.store.allDays()) {
      const expected = scoreSnapshot(stricter, { accountId: r.accountId, asOf: r.asOf ?? r.day, signals: r.signals });
      expect([r.model, r.modelVersion, r.modelScore, r.tier === expected.tier || r.override === 'applied']).toEqual([
        'categories',
        '2',
        expected.score,
        true,
      ]);
      expect(r.rebaseline).toBeUndefined();
    }
    expect(rescored.tiersChanged).toBeGreaterThan(0);
  });

  it('then the next run continues from the new model without re-baselining or alerting again', async () => {
    const next = await h.runDay(DAYS - 1, { runId: 'after-rescore' });
    expect(next).toMatchObject({ complete: true, rebaselined: 0, movements: {} });
    expect(Object.keys(next.alerts).filter((p) => p.startsWith('tier_'))).toEqual([]);
  });
});
