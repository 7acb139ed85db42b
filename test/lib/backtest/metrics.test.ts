// Metrics against values computed by hand on a tiny portfolio (lower score = riskier).
import { describe, expect, it } from 'vitest';
import { bootstrapIntervals } from '../../../lib/backtest/bootstrap.ts';
import { horizonMetrics, type ScoredRow } from '../../../lib/backtest/horizon-metrics.ts';
import { groupByScore, prAuc, rocAuc, rocCurve } from '../../../lib/backtest/metrics.ts';

// score · tier · churned — 3 churners (10, 20, 50), 5 others (20, 35, 60, 75, 90); the 90 expanded.
const tiny: ScoredRow[] = [
  { score: 10, tier: 'red', churned: true, expanded: false },
  { score: 20, tier: 'red', churned: true, expanded: false },
  { score: 20, tier: 'red', churned: false, expanded: false },
  { score: 35, tier: 'red', churned: false, expanded: false },
  { score: 50, tier: 'yellow', churned: true, expanded: false },
  { score: 60, tier: 'yellow', churned: false, expanded: false },
  { score: 75, tier: 'green', churned: false, expanded: false },
  { score: 90, tier: 'green', churned: false, expanded: true },
];
const none = { noSnapshot: 0, unscored: 0 };

describe('backtest metrics on a hand-computed portfolio', () => {
  const m = horizonMetrics(90, tiny, none, { minChurned: 1, minChurnedForIntervals: 1000 });

  it('given 3 churners and 5 others with one tie, when AUC is computed, then it is 12.5 of 15 pairs (the tie counts half)', () => {
    // churner 10 beats all 5; churner 20 beats 4 and ties 1 (4.5); churner 50 beats 60, 75, 90 (3).
    expect(m.auc).toBeCloseTo(12.5 / 15, 4);
  });

  it('given the same rows, when PR AUC is computed, then it is the average precision over tie groups: 1/3·1 + 1/3·2/3 + 1/3·3/5', () => {
    expect(m.prAuc).toBeCloseTo(34 / 45, 4);
  });

  it('given 4 red accounts of which 2 churned, then red precision is 1/2 and red recall 2/3', () => {
    expect(m.red).toMatchObject({ flagged: 4, churnedFlagged: 2, precision: 0.5 });
    expect(m.red.recall).toBeCloseTo(2 / 3, 4);
  });

  it('given 6 red or yellow accounts holding all 3 churners, then red+yellow precision is 1/2 and recall 1', () => {
    expect(m.redYellow).toEqual({ flagged: 6, churnedFlagged: 3, precision: 0.5, recall: 1 });
  });

  it('given a base churn rate of 3/8, then lift is 0.5/0.375 for red and yellow and 0 for green', () => {
    expect(m.baseRate).toBe(0.375);
    expect(m.tiers.red).toMatchObject({ accounts: 4, churned: 2, churnRate: 0.5 });
    expect(m.tiers.red.lift).toBeCloseTo(4 / 3, 4);
    expect(m.tiers.yellow.lift).toBeCloseTo(4 / 3, 4);
    expect(m.tiers.green).toMatchObject({ accounts: 2, churned: 0, churnRate: 0, lift: 0, expansionRate: 0.5 });
  });

  it('given the scores, then the calibration table counts accounts and churners per 10-point band', () => {
    const used = m.calibration.filter((b) => b.accounts > 0).map((b) => [b.from, b.accounts, b.churned]);
    expect(used).toEqual([
      [10, 1, 1],
      [20, 2, 1],
      [30, 1, 0],
      [50, 1, 1],
      [60, 1, 0],
      [70, 1, 0],
      [90, 1, 0],
    ]);
    expect(m.calibration[2]?.churnRate).toBe(0.5);
    expect(m.calibration[4]?.churnRate).toBeNull();
  });

  it('given the rows, then the ROC curve steps through each distinct score from (0,0) to (1,1)', () => {
    const g = groupByScore(tiny.map((r) => r.score));
    const curve = rocCurve(
      g,
      tiny.map((r) => r.churned),
    ).map((p) => [p.fpr, Number(p.tpr.toFixed(4))]);
    expect(curve).toEqual([
      [0, 0],
      [0, 0.3333],
      [0.2, 0.6667],
      [0.4, 0.6667],
      [0.4, 1],
      [0.6, 1],
      [0.8, 1],
      [1, 1],
    ]);
  });
});

describe('ties and edge cases', () => {
  it('given every account on the same score, when AUC is computed, then it is exactly 0.5 (no order can be read into a tie)', () => {
    const g = groupByScore([50, 50, 50, 50]);
    expect(rocAuc(g, [true, false, true, false])).toBe(0.5);
    expect(prAuc(g, [true, false, true, false])).toBe(0.5);
  });

  it('given churners scoring higher than everyone else, then AUC is 0 (the score ranks risk backwards)', () => {
    expect(rocAuc(groupByScore([90, 80, 10, 20]), [true, true, false, false])).toBe(0);
  });

  it('given no churner, then AUC is undefined rather than a number', () => {
    expect(rocAuc(groupByScore([1, 2]), [false, false])).toBeUndefined();
  });

  it('given resampling weights, then AUC counts a row as often as it was drawn', () => {
    // Drawing the tied non-churner (score 20) twice and dropping the rest leaves churners 10 and 20 against it: (1 + 0.5) / 2.
    const g = groupByScore([10, 20, 20, 90]);
    expect(rocAuc(g, [true, true, false, false], [1, 1, 2, 0])).toBe(0.75);
  });
});

describe('too few churners', () => {
  it('given 3 churners and the default minimum of 5, then every churn metric is null and a note says why', () => {
    const m = horizonMetrics(60, tiny, none);
    expect(m.auc).toBeNull();
    expect(m.prAuc).toBeNull();
    expect(m.red.precision).toBeNull();
    expect(m.red.recall).toBeNull();
    expect(m.tiers.red.lift).toBeNull();
    expect(m.notes.join(' ')).toMatch(/only 3 churned accounts at 60 days: churn metrics .* need at least 5/);
    // Plain counts are facts, not estimates: they stay.
    expect(m.tiers.red.churned).toBe(2);
  });

  it('given enough churners but only 2 red accounts, then red precision and the red lift are withheld with a note', () => {
    const rows: ScoredRow[] = Array.from({ length: 40 }, (_, i) => ({
      score: i < 2 ? 20 : 50 + (i % 30),
      tier: i < 2 ? 'red' : i % 30 < 20 ? 'yellow' : 'green',
      churned: i % 4 === 0,
      expanded: false,
    }));
    const m = horizonMetrics(60, rows, none);
    expect(m.red.flagged).toBe(2);
    expect(m.red.precision).toBeNull();
    expect(m.red.precisionCi90).toBeNull();
    expect(m.red.recall).toBeCloseTo(0.1, 4);
    expect(m.tiers.red.lift).toBeNull();
    expect(m.tiers.yellow.lift).not.toBeNull();
    expect(m.notes).toContain('only 2 accounts were red at 60 days: red precision needs at least 5');
    expect(m.notes).toContain('no lift for tiers with fewer than 5 accounts (red 2)');
  });

  it('given no scored account at all, then the note says there is nothing to measure', () => {
    const m = horizonMetrics(90, [], { noSnapshot: 4, unscored: 0 });
    expect(m.accounts).toBe(0);
    expect(m.baseRate).toBeNull();
    expect(m.notes[0]).toMatch(/nothing to measure/);
  });

  it('given enough churners for AUC but fewer than 10, then no interval is given and the note says why', () => {
    const rows = [...tiny, ...tiny].map((r, i) => ({ ...r, churned: r.churned && i < 12 }));
    const m = horizonMetrics(90, rows, none);
    expect(m.auc).not.toBeNull();
    expect(m.aucCi90).toBeNull();
    expect(m.notes.join(' ')).toMatch(/90% intervals need at least 10 churned accounts/);
  });
});

describe('bootstrap intervals', () => {
  const rows: ScoredRow[] = Array.from({ length: 400 }, (_, i) => {
    const score = (i * 37) % 100;
    return {
      score,
      tier: score < 40 ? 'red' : score < 70 ? 'yellow' : 'green',
      churned: (i * 7919) % 100 < 100 - score - 20,
      expanded: false,
    };
  });
  const g = groupByScore(rows.map((r) => r.score));
  const churned = rows.map((r) => r.churned);
  const red = rows.map((r) => r.tier === 'red');

  it('given the same seed twice, when intervals are drawn, then they are identical', () => {
    expect(bootstrapIntervals(g, churned, red, { seed: 5, replicates: 200 })).toEqual(
      bootstrapIntervals(g, churned, red, { seed: 5, replicates: 200 }),
    );
  });

  it('given a portfolio of 400, then the 90% interval of AUC brackets the point estimate and is narrower than ±0.1', () => {
    const auc = rocAuc(g, churned) as number;
    const i = bootstrapIntervals(g, churned, red, { seed: 1, replicates: 500 }).auc;
    expect(i).toBeDefined();
    expect(i?.low).toBeLessThan(auc);
    expect(i?.high).toBeGreaterThan(auc);
    expect((i?.high ?? 1) - (i?.low ?? 0)).toBeLessThan(0.2);
  });
});
