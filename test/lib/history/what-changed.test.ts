// What changed between two results of one account, with the real layered preset: which signals
// moved (old → new) and by how many points, the rules that started or stopped, a model switch, and
// a sentence whose points add up to the change it describes — tested word for word.
import { describe, expect, it } from 'vitest';
import { apportion, type ChangeSide, whatChanged } from '../../../lib/history/what-changed.ts';
import { scoreSnapshot } from '../../../lib/scoring/engine.ts';
import type { SignalValue } from '../../../lib/signals/catalog.ts';
import { healthyLayered, preset, snapshot } from '../../support/models.ts';

const layered = preset('layered');

function side(day: string, signals: Record<string, SignalValue>): ChangeSide {
  const r = scoreSnapshot(layered, snapshot(signals));
  return { day, score: r.score, model: r.model, modelVersion: r.modelVersion, signals, drivers: r.drivers };
}

const steady = { ...healthyLayered, 'usage.trend14d': 0.05, 'usage.licenseUtilization': 0.5 };

describe('what changed', () => {
  it('given usage decaying, then the sentence names the usage trend old → new and its points, which are the whole change', () => {
    const before = side('2026-10-05', steady);
    const after = side('2026-10-12', { ...steady, 'usage.trend14d': -0.32, 'usage.featureAdoption': 0.5 });
    const c = whatChanged(before, after);
    expect([before.score, after.score]).toEqual([90, 74]);
    expect(c.text).toBe('2026-10-12: −16 — usage trend +5% → −32% (−12 pts), feature adoption 80% → 50% (−4 pts)');
    expect(c.signals.map((s) => [s.key, s.from, s.to, s.points])).toEqual([
      ['usage.featureAdoption', 0.8, 0.5, -4],
      ['usage.trend14d', 0.05, -0.32, -12],
    ]);
    expect(c.signals.reduce((a, s) => a + s.points, 0) + c.otherPoints).toBe(c.delta);
  });

  it('given the champion leaving, then the sentence names the champion and the cap that started, and their points sum to the change', () => {
    const before = side('2026-10-11', steady);
    const after = side('2026-10-12', { ...steady, 'relationship.championStatus': 'departed' });
    const c = whatChanged(before, after);
    expect([before.score, after.score]).toEqual([90, 40]);
    expect(c.text).toBe('2026-10-12: −50 — Champion departed: score capped at 40 (−42 pts), champion active → departed (−8 pts)');
    expect(c.rules).toEqual([{ id: 'champion_departed', change: 'started', text: 'Champion departed: score capped at 40', points: -42 }]);
    expect(c.signals.reduce((a, s) => a + s.points, 0) + c.rules.reduce((a, r) => a + r.points, 0) + c.otherPoints).toBe(-50);
  });

  it('given a model switch, then it is named first; given no score before, then no points are claimed', () => {
    const before = { ...side('2026-10-11', steady), model: 'onboarding', modelVersion: '1' };
    expect(whatChanged(before, side('2026-10-12', steady)).text).toBe('2026-10-12: 0 — model onboarding@1 → layered@1');
    const unknown = { ...before, score: null };
    expect(whatChanged(unknown, side('2026-10-12', steady)).text).toMatch(
      /^2026-10-12: score 90, was unknown — model onboarding@1 → layered@1/,
    );
  });

  it('given rounded parts, then they are apportioned so that they add up exactly', () => {
    expect(apportion([-4.4, -4.4, -4.4], -14)).toEqual([-5, -5, -4]);
    expect(apportion([2.5, -0.2], 2)).toEqual([2, 0]);
    expect(apportion([], 0)).toEqual([]);
  });
});
