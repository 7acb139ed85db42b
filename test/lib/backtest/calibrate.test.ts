// Calibration on data with a planted churn mechanism: the fit must find the planted signals, beat the
// preset on held-out outcomes, keep post-decision signals out, and refuse to fit on too little data.
import { describe, expect, it } from 'vitest';
import { type CalibrationOptions, calibrate, type FittedCalibration } from '../../../lib/backtest/calibrate.ts';
import type { OutcomeRecord } from '../../../lib/backtest/outcomes.ts';
import { selectFromHistory } from '../../../lib/backtest/run.ts';
import { chooseTiers } from '../../../lib/backtest/thresholds.ts';
import { apportion, weightsFromCoefficients } from '../../../lib/backtest/weights.ts';
import { parseInstant } from '../../../lib/days.ts';
import type { CompiledModel } from '../../../lib/model/compile.ts';
import { parseModelFile } from '../../../lib/model/validate.ts';
import { DEFAULT_PLANTED, type PlantedFixtureOptions, plantedFixture } from '../../support/backtest-fixture.ts';
import { preset } from '../../support/models.ts';

async function calibrated(model: CompiledModel, fixture: PlantedFixtureOptions, options: CalibrationOptions = {}) {
  const fx = plantedFixture(fixture);
  const outcomes: OutcomeRecord[] = fx.outcomes.map((o, i) => ({ ...o, at: parseInstant(o.date) as number, line: i + 1 }));
  const selector = await selectFromHistory(outcomes, fx.snapshots(), [60, 90]);
  return calibrate(model, selector.rows(), [60, 90], options);
}

const fitted = (c: Awaited<ReturnType<typeof calibrated>>): FittedCalibration => {
  if (c.status !== 'fitted') throw new Error(`expected a fit: ${c.message}`);
  return c;
};

const topKeys = (c: FittedCalibration, n: number) =>
  [...c.signals]
    .sort((a, b) => b.share - a.share)
    .slice(0, n)
    .map((s) => s.key)
    .sort();

describe('calibration on planted churn', () => {
  it('given churn driven by three planted signals, when calibrated, then held-out AUC beats the preset at every horizon and the planted signals get the largest weights', async () => {
    const c = fitted(await calibrated(preset('layered'), { accounts: 1200, weeks: 52, seed: 21 }));
    expect(c.method).toBe('out-of-time');
    for (const h of c.horizons) {
      expect(h.accounts).toBeGreaterThan(300);
      expect(h.auc as number).toBeGreaterThan((h.baseline.auc as number) + 0.02);
    }
    expect(topKeys(c, 3)).toEqual([...DEFAULT_PLANTED].sort());
    const planted = c.signals.filter((s) => DEFAULT_PLANTED.includes(s.key)).reduce((sum, s) => sum + s.share, 0);
    expect(planted).toBeGreaterThan(0.7);
  });

  it('given a fit, then the written model is a valid model file with layer weights summing to 100 and the chosen tiers', async () => {
    const c = fitted(await calibrated(preset('layered'), { accounts: 600, weeks: 52, seed: 5 }));
    const file = parseModelFile(c.yaml, 'calibrated.yaml');
    if (file.kind !== 'model') throw new Error('expected a model');
    expect(file.model.id).toBe('layered-calibrated');
    expect(file.model.layers.reduce((s, l) => s + l.weight, 0)).toBe(100);
    expect(file.model.tiers).toEqual({ green: c.tiers.green, yellow: c.tiers.yellow });
    expect(file.model.rules.map((r) => r.id)).toEqual(preset('layered').rules.map((r) => r.id));
    expect(c.yaml).toMatch(/^# Calibrated by 'healthscore backtest --calibrate' from model layered/);
    // Thresholds were chosen on training data to reach the target red recall.
    expect(c.tiers.redRecall).toBeGreaterThanOrEqual(0.6);
  });

  it('given later outcomes with too few churners for an out-of-time test, when calibrated, then it falls back to k-fold and every outcome is held out once', async () => {
    const c = fitted(await calibrated(preset('layered'), { accounts: 400, weeks: 40, seed: 8 }, { minHeldOutChurned: 10_000 }));
    expect(c.method).toBe('k-fold');
    expect(c.split).toMatch(/^5-fold cross-validation/);
    const fit = c.horizons[1];
    expect((fit?.accounts ?? 0) + (fit?.leftOut.noSnapshot ?? 0) + (fit?.leftOut.unscored ?? 0)).toBe(400);
    expect(fit?.auc as number).toBeGreaterThan(fit?.baseline.auc as number);
  });
});

describe('post-decision signals', () => {
  // Churners show cancel_pending from 120 days before churning: visible at both horizons.
  const leaky = { accounts: 800, weeks: 52, seed: 13, decisionDays: 120 };

  it('given cancel_pending visible before churn and the default exclusion, when calibrated, then it is masked and the report says so', async () => {
    const c = fitted(await calibrated(preset('categories'), leaky));
    expect(c.excluded.rules).toEqual(['billing.subscriptionChange = cancel_pending']);
    expect(c.excluded.note).toMatch(/excluded from fitting as post-decision signals/);
    expect(c.excluded.maskedInTraining).toBeGreaterThan(20);
    expect(c.notes.join(' ')).toMatch(/held-out snapshot\(s\) at 90 days already carry a post-decision value/);
    expect(topKeys(c, 1)).not.toEqual(['billing.subscriptionChange']);
    expect(c.signals.find((s) => s.key === 'billing.subscriptionChange')?.share ?? 0).toBeLessThan(0.15);
  });

  it('given the same data with no exclusion, then the fit puts the largest weight on it (which is why it is excluded)', async () => {
    const c = fitted(await calibrated(preset('categories'), leaky, { exclusions: [] }));
    expect(topKeys(c, 1)).toEqual(['billing.subscriptionChange']);
    expect(c.excluded.note).toBe('no signal was excluded from fitting');
  });

  it('given a whole signal excluded, then it is left out of the fit and of the calibrated model', async () => {
    const c = fitted(await calibrated(preset('layered'), { accounts: 600, seed: 4 }, { exclusions: [{ key: 'outcome.nps' }] }));
    expect(c.dropped).toContainEqual({ key: 'outcome.nps', reason: 'excluded from fitting (post-decision signal)' });
    expect(c.model.layers.flatMap((l) => l.signals.map((s) => s.key))).not.toContain('outcome.nps');
  });
});

describe('too little data', () => {
  it('given about a dozen churners, when calibrating, then there is no model but a message saying how many are needed', async () => {
    const c = await calibrated(preset('layered'), { accounts: 60, weeks: 52, seed: 3 });
    expect(c.status).toBe('insufficient');
    if (c.status !== 'insufficient') return;
    expect(c.message).toMatch(
      /^too few outcomes to calibrate: \d+ churned outcomes? with a snapshot 90 days or more before; fitting needs at least 25 churned/,
    );
  });
});

describe('tier thresholds', () => {
  it('given scores and churn, when thresholds are chosen for red recall 0.6, then red is the best-precision cut reaching it and green the cut reaching 0.85 for red+yellow', () => {
    // Churners at 10, 30, 50. Red below 31 catches 2 of 3 (recall 0.67, precision 0.67); below 51 catches all 3.
    const t = chooseTiers([10, 20, 30, 40, 50, 60, 70, 80], [true, false, true, false, true, false, false, false], 0.6);
    expect(t).toMatchObject({ yellow: 31, green: 51, redPrecision: 2 / 3, watchRecall: 1, watchPrecision: 0.6 });
  });
});

describe('weights from coefficients', () => {
  it('given shares, when apportioned to 100, then whole numbers sum to exactly 100 by largest remainder', () => {
    expect(apportion([1, 1, 1], 100)).toEqual([34, 33, 33]);
    expect(apportion([0.5, 0.3, 0.2], 100)).toEqual([50, 30, 20]);
  });

  it('given a signal whose points rose with churn, then it gets weight 0 and a note, and the rest share 100', () => {
    const model = preset('categories');
    const perPoint = model.signals.map((s) => (s.key === 'outcome.nps' ? 0.02 : s.key === 'usage.trend14d' ? -0.03 : -0.01));
    const w = weightsFromCoefficients(model, perPoint);
    expect(w?.layerWeights.reduce((a, b) => a + b, 0)).toBe(100);
    expect(w?.signals.find((s) => s.key === 'outcome.nps')).toMatchObject({
      share: 0,
      note: 'its points did not fall with churn: weight 0',
    });
    expect(w?.layerWeights[model.layers.findIndex((l) => l.id === 'engagement')]).toBe(0);
  });

  it('given no signal whose points fall with churn, then there are no weights to give', () => {
    const model = preset('layered');
    expect(
      weightsFromCoefficients(
        model,
        model.signals.map(() => 0.01),
      ),
    ).toBeUndefined();
  });
});
