// Model files are checked before anyone trusts them: every problem is named by its YAML path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelConfigError, parseModelFile } from '../../lib/model/validate.ts';

const layeredText = readFileSync(new URL('../../models/layered.yaml', import.meta.url), 'utf8');

function problems(text: string): string[] {
  try {
    parseModelFile(text, 'my-model.yaml');
  } catch (err) {
    if (err instanceof ModelConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

const oneLayer = (signals: string, extra = '') => `
id: custom
layers:
  - id: all
    weight: 100
    signals:
${signals}
${extra}`;

describe('models validate', () => {
  it('given both presets, then they are valid', () => {
    expect(problems(layeredText)).toEqual([]);
    expect(problems(readFileSync(new URL('../../models/categories.yaml', import.meta.url), 'utf8'))).toEqual([]);
  });

  it('given 11 scored signals, then it is rejected at layers with the limit', () => {
    const signals = Array.from({ length: 11 }, (_, i) => `      - { key: test.s${i}, map: { a: 100 } }`).join('\n');
    expect(problems(oneLayer(signals))).toEqual([expect.stringMatching(/^layers: the model scores 11 signals; at most 10/)]);
  });

  it('given layer weights summing to 105, then the message names layers and the sum', () => {
    expect(problems(layeredText.replace('weight: 40', 'weight: 45'))).toEqual(['layers: layer weights must sum to 100 (they sum to 105)']);
  });

  it('given bands out of order, then the path names the band: thresholds must increase', () => {
    const text = layeredText.replace('- { from: -0.25, below: -0.10, points: 40 }', '- { from: -0.30, below: -0.10, points: 40 }');
    expect(problems(text)).toEqual([expect.stringMatching(/^layers\[0\]\.signals\[0\]\.bands\[2\]: thresholds must increase/)]);
  });

  it('given two bands that both include a boundary, then it is an overlap', () => {
    const text = oneLayer('      - key: test.x\n        bands:\n          - { to: 5, points: 0 }\n          - { from: 5, points: 100 }');
    expect(problems(text)).toEqual([expect.stringMatching(/^layers\[0\]\.signals\[0\]\.bands\[1\]: overlaps bands\[0\] at 5/)]);
  });

  it('given two bands that both exclude a boundary, then the gap is reported', () => {
    const text = oneLayer(
      '      - key: test.x\n        bands:\n          - { below: 5, points: 0 }\n          - { above: 5, points: 100 }',
    );
    expect(problems(text)).toEqual([expect.stringMatching(/^layers\[0\]\.signals\[0\]\.bands\[1\]: leaves a gap after bands\[0\] at 5/)]);
  });

  it('given an open-ended band in the middle, then it overlaps', () => {
    const text = oneLayer('      - key: test.x\n        bands:\n          - { points: 0, from: 0 }\n          - { from: 5, points: 100 }');
    expect(problems(text)[0]).toMatch(/^layers\[0\]\.signals\[0\]\.bands\[1\]: overlaps bands\[0\]/);
  });

  it('given an unknown rule kind, then the rule path and the allowed kinds are named', () => {
    expect(problems(layeredText.replace('kind: set', 'kind: reset'))).toEqual([
      'rules[0].kind: unknown kind "reset": expected one of set, cap, floor, flag',
    ]);
  });

  it('given a misspelt key, then it is named rather than ignored', () => {
    expect(problems(layeredText.replace('minCompleteness: 0.5', 'minCompletness: 0.5'))).toEqual([expect.stringMatching(/minCompletness/)]);
  });

  it('given a map missing an enum value and one with a value the signal never has, then both are named', () => {
    const text = oneLayer('      - key: relationship.championStatus\n        map: { active: 100, new: 50, gone: 0 }');
    expect(problems(text)).toEqual([
      "layers[0].signals[0].map.gone: 'gone' is not a value of relationship.championStatus (active, new, departed, none)",
      "layers[0].signals[0].map: no points for 'departed', 'none'",
    ]);
  });

  it('given bands on an enum signal and two normalizers on one signal, then both are named', () => {
    const text = oneLayer(
      '      - key: billing.paymentStatus\n        bands: [{ from: 0, points: 10 }]\n      - key: test.y\n        map: { a: 1 }\n        linear: { from: { value: 0, points: 0 }, to: { value: 1, points: 100 } }',
    );
    expect(problems(text)).toEqual(['layers[0].signals[1]: a signal takes exactly one normalizer: `bands`, `map` or `linear`']);
    expect(problems(oneLayer('      - key: billing.paymentStatus\n        bands: [{ from: 0, points: 10 }]'))).toEqual([
      "layers[0].signals[0].bands: 'billing.paymentStatus' is an enum: use `map`",
    ]);
  });

  it('given a rule comparing an enum with lt, or with a value it never has, then the condition path is named', () => {
    const text = oneLayer(
      '      - { key: test.x, map: { a: 100 } }',
      'rules:\n  - { id: r1, kind: cap, value: 40, when: { signal: billing.paymentStatus, lt: 3 } }\n  - { id: r2, kind: cap, value: 40, when: { any: [{ signal: billing.paymentStatus, eq: overdue }] } }',
    );
    expect(problems(text)).toEqual([
      "rules[0].when: 'billing.paymentStatus' is not numeric: compare it with eq, ne or in",
      'rules[1].when.any[0]: "overdue" is not a possible value of \'billing.paymentStatus\'',
    ]);
  });

  it('given broken YAML, then the YAML error is reported', () => {
    expect(problems('id: [unclosed')[0]).toMatch(/^: YAML: /);
  });

  it('given a model set selecting an onboarding model by account age and a segment model, then it parses', () => {
    const file = parseModelFile(
      'default: layered\nselect:\n  - when: { signal: lifecycle.accountAgeDays, lt: 60 }\n    model: onboarding.yaml\n  - segment: smb\n    model: categories\n',
      'portfolio.yaml',
    );
    expect(file.kind).toBe('set');
  });
});
