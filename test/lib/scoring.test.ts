// The scoring engine against the method (scoring-method.md §3): composite, missing data,
// completeness, rules and their order, rounding, tiers and drivers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { scoreSnapshot, scoreWithBreakdown } from '../../lib/scoring/engine.ts';
import { syntheticSnapshots } from '../../lib/synthetic.ts';
import { healthyLayered, modelFromYaml, preset, snapshot } from '../support/models.ts';

const layered = preset('layered');
const categories = preset('categories');

/** A one-signal model whose composite is the value of `test.x` itself, plus optional rules (YAML). */
const directModel = (rules = '') =>
  modelFromYaml(`id: direct
layers:
  - id: all
    weight: 100
    signals:
      - key: test.x
        linear: { from: { value: 0, points: 0 }, to: { value: 100, points: 100 } }
${rules}`);

/** The categories preset with each category replaced by one linear 0..100 signal, to set category scores directly. */
function categoriesWithDirectLayerScores() {
  const config = parse(readFileSync(new URL('../../models/categories.yaml', import.meta.url), 'utf8'));
  config.layers = config.layers.map((l: { id: string; weight: number }) => ({
    id: l.id,
    weight: l.weight,
    signals: [{ key: `test.${l.id}`, linear: { from: { value: 0, points: 0 }, to: { value: 100, points: 100 } } }],
  }));
  return modelFromYaml(stringify(config));
}

describe('composite and tiers', () => {
  it('given category scores 65/50/80/40/30, when scored with the categories weights, then 56 and yellow (the worked check)', () => {
    const model = categoriesWithDirectLayerScores();
    const r = scoreSnapshot(
      model,
      snapshot({ 'test.usage': 65, 'test.support': 50, 'test.billing': 80, 'test.engagement': 40, 'test.growth': 30 }),
    );
    expect(r.layers).toEqual({ usage: 65, support: 50, billing: 80, engagement: 40, growth: 30 });
    expect(r.score).toBe(56);
    expect(r.tier).toBe('yellow');
  });

  it('given every layered signal at its best, then 100, green, completeness 1', () => {
    const r = scoreSnapshot(layered, snapshot(healthyLayered));
    expect(r).toMatchObject({ score: 100, tier: 'green', completeness: 1, rules: [], flags: [] });
  });

  it('given a layered account with mixed signals, then the layer scores are weighted means of their signals', () => {
    const r = scoreSnapshot(
      layered,
      snapshot({ ...healthyLayered, 'usage.trend14d': -0.18, 'usage.licenseUtilization': 0.55, 'relationship.championStatus': 'new' }),
    );
    // usage: (50×40 + 25×60 + 25×100) / 100 = 60; relationship: (30×50 + 20×100 + 25×100) / 75 = 80
    expect(r.layers).toEqual({ usage: 60, engagement: 100, relationship: 80, outcome: 100 });
    // 0.40×60 + 0.25×100 + 0.20×80 + 0.15×100 = 80
    expect(r.score).toBe(80);
  });

  it.each([
    [69.5, 70, 'green'],
    [69.49, 69, 'yellow'],
    [39.5, 40, 'yellow'],
    [39.4, 39, 'red'],
    [0.5, 1, 'red'],
  ])('given a composite of %s, when rounded halves up, then %i and the tier of the rounded score (%s)', (composite, score, tier) => {
    const model = directModel();
    const r = scoreSnapshot(model, snapshot({ 'test.x': composite }));
    expect(r.score).toBe(score);
    expect(r.tier).toBe(tier);
  });

  it('given a composite of 56.5 built from float weights, then it rounds to 57 (no binary-noise round-down)', () => {
    const model = categoriesWithDirectLayerScores();
    // 0.3×65 + 0.2×52.5 + 0.2×80 + 0.15×40 + 0.15×30 = 56.5
    const r = scoreSnapshot(
      model,
      snapshot({ 'test.usage': 65, 'test.support': 52.5, 'test.billing': 80, 'test.engagement': 40, 'test.growth': 30 }),
    );
    expect(r.score).toBe(57);
  });
});

describe('missing data', () => {
  it('given the whole usage layer unknown, when scored, then the other layers are renormalized and completeness is 0.6', () => {
    const signals = { ...healthyLayered, 'relationship.championStatus': 'none' as const };
    for (const k of ['usage.trend14d', 'usage.licenseUtilization', 'usage.featureAdoption'] as const)
      delete (signals as Record<string, unknown>)[k];
    const r = scoreSnapshot(layered, snapshot(signals));
    // relationship = (30×0 + 20×100 + 25×100)/75 = 60; composite = (25×100 + 20×60 + 15×100) / 60 = 86.67
    expect(r.completeness).toBe(0.6);
    expect(r.layers).toEqual({ engagement: 100, relationship: 60, outcome: 100 });
    expect(r.score).toBe(87);
  });

  it('given one signal of a layer unknown, then only that layer is renormalized', () => {
    const { 'usage.trend14d': _dropped, ...rest } = healthyLayered;
    const r = scoreSnapshot(layered, snapshot({ ...rest, 'usage.licenseUtilization': 0.1 }));
    // usage = (25×20 + 25×100) / 50 = 60; composite = 0.4×60 + 0.6×100 = 84
    expect(r.layers.usage).toBe(60);
    expect(r.score).toBe(84);
    expect(r.completeness).toBe(0.8);
  });

  it('given null for a signal, then it counts as unknown exactly like an absent key', () => {
    const absent = { ...healthyLayered };
    delete absent['outcome.nps'];
    expect(scoreSnapshot(layered, snapshot({ ...healthyLayered, 'outcome.nps': null }))).toEqual(scoreSnapshot(layered, snapshot(absent)));
  });

  it('given completeness below 0.5, then the score is null, the tier unknown and a data driver says why', () => {
    // relationship (0.20) + outcome (0.15) = 0.35
    const r = scoreSnapshot(
      layered,
      snapshot({
        'relationship.championStatus': 'active',
        'relationship.execSponsorEngaged': true,
        'relationship.engagedContacts30d': 4,
        'outcome.nps': 9,
        'outcome.successPlanOnTrack': true,
      }),
    );
    expect(r.completeness).toBe(0.35);
    expect(r.score).toBeNull();
    expect(r.tier).toBe('unknown');
    expect(r.drivers[0]).toMatchObject({ kind: 'data', id: 'completeness' });
  });

  it('given completeness exactly 0.5, then the score is shown', () => {
    // categories: usage (0.30) + support (0.20)
    const r = scoreSnapshot(
      categories,
      snapshot({
        'usage.trend14d': 0,
        'usage.featureAdoption': 0.5,
        'support.ticketVolumeRatio': 0.5,
        'support.csat': 0.9,
        'support.escalations90d': 0,
      }),
    );
    expect(r.completeness).toBe(0.5);
    // usage (70+60)/2 = 65, support 100 → (30×65 + 20×100)/50 = 79
    expect(r.score).toBe(79);
    expect(r.tier).toBe('green');
  });

  it('given no signal of the model at all, then null and unknown', () => {
    const r = scoreSnapshot(layered, snapshot({ 'support.csat': 1 }));
    expect(r).toMatchObject({ score: null, tier: 'unknown', completeness: 0, layers: {} });
  });
});

describe('override rules', () => {
  it('given no usage for 14 days, when everything else is perfect, then zero_usage sets the score to 10', () => {
    const r = scoreSnapshot(layered, snapshot({ ...healthyLayered, 'usage.daysSinceLastActive': 14 }));
    expect(r.score).toBe(10);
    expect(r.tier).toBe('red');
    expect(r.rules).toEqual(['zero_usage']);
    expect(r.drivers[0]).toMatchObject({ kind: 'rule', id: 'zero_usage', impact: -90 });
  });

  it('given 13 days without usage, then zero_usage does not fire', () => {
    expect(scoreSnapshot(layered, snapshot({ ...healthyLayered, 'usage.daysSinceLastActive': 13 })).rules).toEqual([]);
  });

  it('given zero usage and too little data for a composite, then the set rule still defines the score', () => {
    const r = scoreSnapshot(layered, snapshot({ 'usage.daysSinceLastActive': 30, 'outcome.nps': 9 }));
    expect(r.score).toBe(10);
    expect(r.tier).toBe('red');
  });

  it('given a departed champion on a score of 80+, then champion_departed caps it at 40', () => {
    const r = scoreSnapshot(layered, snapshot({ ...healthyLayered, 'relationship.championStatus': 'departed' }));
    // composite = 100 + 0.2×(30/75)×(0−100) = 92 → capped at 40
    expect(r.score).toBe(40);
    expect(r.rules).toEqual(['champion_departed']);
    expect(r.drivers[0]).toMatchObject({
      kind: 'rule',
      id: 'champion_departed',
      impact: -52,
      text: 'Champion departed: score capped at 40',
    });
  });

  it('given a departed champion on a score already below 40, then the cap never raises it but is still reported', () => {
    const r = scoreSnapshot(
      layered,
      snapshot({
        'usage.trend14d': -1,
        'usage.licenseUtilization': 0.1,
        'usage.featureAdoption': 0.1,
        'engagement.emailResponseHours': 400,
        'engagement.meetingAttendance': 0.1,
        'relationship.championStatus': 'departed',
        'outcome.nps': 3,
      }),
    );
    expect(r.score).toBeLessThan(40);
    expect(r.rules).toEqual(['champion_departed']);
    expect(r.drivers[0]).toMatchObject({ kind: 'rule', impact: 0 });
  });

  it('given an open escalation, then active_escalation caps the score at 50', () => {
    const r = scoreSnapshot(layered, snapshot({ ...healthyLayered, 'support.activeEscalation': true }));
    expect(r.score).toBe(50);
    expect(r.rules).toEqual(['active_escalation']);
  });

  it('given zero usage and a departed champion, then rules apply in order: set to 10, and the cap of 40 leaves it at 10', () => {
    const r = scoreSnapshot(
      layered,
      snapshot({ ...healthyLayered, 'usage.daysSinceLastActive': 20, 'relationship.championStatus': 'departed' }),
    );
    expect(r.score).toBe(10);
    expect(r.rules).toEqual(['zero_usage', 'champion_departed']);
  });

  it('given renewal in 60 days and a score capped to 40, then renewal_risk flags it and the score is unchanged', () => {
    const r = scoreSnapshot(
      layered,
      snapshot({ ...healthyLayered, 'relationship.championStatus': 'departed', 'commercial.daysToRenewal': 60 }),
    );
    expect(r.score).toBe(40);
    expect(r.flags).toEqual(['renewal_risk']);
    expect(r.rules).toEqual(['champion_departed']);
    expect(r.drivers.map((d) => d.kind).slice(0, 2)).toEqual(['rule', 'flag']);
  });

  it.each([
    [61, 40, []],
    [60, 60, []],
    [60, 59, ['renewal_risk']],
    [0, 59, ['renewal_risk']],
  ])('given renewal in %i days and a score of %i, then flags are %j', (days, score, flags) => {
    const model = directModel(`rules:
  - id: renewal_risk
    kind: flag
    when:
      all:
        - { signal: commercial.daysToRenewal, lte: 60 }
        - { score: { lt: 60 } }
`);
    expect(scoreSnapshot(model, snapshot({ 'test.x': score, 'commercial.daysToRenewal': days })).flags).toEqual(flags);
  });

  it('given renewal near but no score (too little data), then renewal_risk does not fire', () => {
    expect(scoreSnapshot(layered, snapshot({ 'commercial.daysToRenewal': 10, 'outcome.nps': 1 })).flags).toEqual([]);
  });

  it('given a floor rule, then it raises a low score and never lowers a high one', () => {
    const model = directModel('rules:\n  - { id: strategic, kind: floor, value: 45, when: { signal: test.strategic, eq: true } }\n');
    expect(scoreSnapshot(model, snapshot({ 'test.x': 20, 'test.strategic': true })).score).toBe(45);
    expect(scoreSnapshot(model, snapshot({ 'test.x': 80, 'test.strategic': true })).score).toBe(80);
  });
});

describe('drivers', () => {
  it('given 2,000 varied snapshots, then 100 plus the signal impacts equals the composite, and rules explain the rest', () => {
    for (const model of [layered, categories]) {
      for (const snap of syntheticSnapshots(2000, 7)) {
        const { composite, impacts, result } = scoreWithBreakdown(model, snap);
        if (composite === null) continue;
        const sum = [...impacts.values()].reduce((a, b) => a + b, 0);
        expect(100 + sum).toBeCloseTo(composite, 9);
        if (result.score === null || result.drivers.some((d) => d.kind === 'data')) continue;
        const ruleImpact = result.drivers.reduce((a, d) => a + (d.kind === 'rule' ? (d.impact ?? 0) : 0), 0);
        expect(Math.abs(composite + ruleImpact - result.score)).toBeLessThanOrEqual(0.5 + 0.05 * result.rules.length);
      }
    }
  });

  it('given a usage drop, then the drivers list rules first, then the largest losses, each with a sentence', () => {
    const r = scoreSnapshot(
      layered,
      snapshot({ ...healthyLayered, 'usage.trend14d': -0.32, 'outcome.nps': 6, 'support.activeEscalation': true }),
    );
    expect(r.drivers[0]).toMatchObject({ kind: 'rule', id: 'active_escalation' });
    expect(r.drivers[1]).toMatchObject({
      kind: 'signal',
      key: 'usage.trend14d',
      points: 10,
      impact: -18,
      text: 'Usage down 32% vs prior 14 days (−18 pts)',
    });
    expect(r.drivers[2]).toMatchObject({ kind: 'signal', key: 'outcome.nps', impact: -6, text: 'NPS 6 (−6 pts)' });
    const impacts = r.drivers.filter((d) => d.kind === 'signal').map((d) => d.impact);
    expect(impacts).toEqual([...impacts].sort((a, b) => (a as number) - (b as number)));
  });
});

describe('purity', () => {
  /** Freezes the model and everything in it: scoring may read it, never write to it. */
  function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
    if (value === null || typeof value !== 'object' || seen.has(value)) return value;
    seen.add(value);
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v, seen);
    return value;
  }

  it('given a deep-frozen model, when 2,000 varied snapshots are scored, then each result equals the unfrozen model’s', () => {
    const frozen = deepFreeze(preset('layered'));
    for (const snap of syntheticSnapshots(2_000, 7)) {
      expect(scoreWithBreakdown(frozen, snap)).toEqual(scoreWithBreakdown(layered, snap));
    }
  });
});
