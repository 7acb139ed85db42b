// The scoring engine (docs/scoring-method.md §3): layers → composite with renormalization for
// missing data → completeness → rules in order → rounding (halves up) → tier → drivers.
// Pure: the result is a function of the snapshot and the model alone.
import type { CompiledModel, CompiledModelSet } from '../model/compile.ts';
import type { SignalValue } from '../signals/catalog.ts';
import type { AccountSnapshot } from '../signals/snapshot.ts';
import { describeCondition, evaluateCondition } from './condition.ts';
import { ruleSentence, signalSentence } from './driver-text.ts';
import { roundHalfUp, roundTo } from './rounding.ts';

export type Tier = 'green' | 'yellow' | 'red' | 'unknown';

export type Driver =
  | { kind: 'rule'; id: string; impact: number | null; text: string }
  | { kind: 'flag'; id: string; impact: 0; text: string }
  | { kind: 'data'; id: 'completeness'; impact: null; text: string }
  | { kind: 'signal'; key: string; value: SignalValue; points: number; impact: number; text: string };

export interface ScoreResult {
  accountId: string;
  asOf: string;
  model: string;
  modelVersion: string;
  score: number | null;
  tier: Tier;
  completeness: number;
  /** Present layers' scores (0..100, one decimal). */
  layers: Record<string, number>;
  /** Rules (and flags) that fired first, then signals from the largest loss down. */
  drivers: Driver[];
  rules: string[];
  flags: string[];
}

/** A value the model cannot score (no band or map entry for it). */
export class ScoringDataError extends Error {
  readonly accountId: string;
  readonly key: string;
  constructor(accountId: string, key: string, value: unknown, modelId: string) {
    super(`account ${accountId}: signal ${key} = ${JSON.stringify(value)}: model '${modelId}' has no points for this value`);
    this.name = 'ScoringDataError';
    this.accountId = accountId;
    this.key = key;
  }
}

export function tierOf(score: number | null, tiers: { green: number; yellow: number }): Tier {
  if (score === null) return 'unknown';
  return score >= tiers.green ? 'green' : score >= tiers.yellow ? 'yellow' : 'red';
}

/** Exact, unrounded parts of a score, for callers (tests, backtests) that need more than the result. */
export interface ScoreBreakdown {
  /** Composite before rules, or null when no signal was present. */
  composite: number | null;
  /** Each present signal's exact impact in score points (the result's drivers carry them rounded); empty unless asked for. */
  impacts: Map<string, number>;
  result: ScoreResult;
}

export function scoreSnapshot(model: CompiledModel, snap: AccountSnapshot): ScoreResult {
  return scoreWithBreakdown(model, snap, false).result;
}

export function scoreWithBreakdown(model: CompiledModel, snap: AccountSnapshot, withImpacts = true): ScoreBreakdown {
  const signals = snap.signals;
  const n = model.signals.length;
  const layerCount = model.layers.length;
  // Per-call accumulators: each signal's points (NaN when absent) and each layer's present weight
  // and weighted points, filled by push (packed arrays of doubles). Nothing is kept between calls, so
  // scoring never shares state. pts follows
  // model.signals, which lists each layer's signals in turn.
  const pts: number[] = [];
  const layerWeightSum: number[] = [];
  const layerPointSum: number[] = [];
  let completeness = 0;
  for (const layer of model.layers) {
    let weight = 0;
    let points = 0;
    for (const sig of layer.signals) {
      const value = signals[sig.key];
      if (value === undefined || value === null) {
        pts.push(Number.NaN);
        continue;
      }
      const p = sig.normalize(value);
      if (p === undefined) throw new ScoringDataError(snap.accountId, sig.key, value, model.id);
      pts.push(p);
      weight += sig.weight;
      points += sig.weight * p;
      completeness += sig.fullShare;
    }
    layerWeightSum.push(weight);
    layerPointSum.push(points);
  }

  let presentLayerWeight = 0;
  for (let l = 0; l < layerCount; l++) if ((layerWeightSum[l] as number) > 0) presentLayerWeight += model.layers[l]?.weight ?? 0;

  const layers: Record<string, number> = {};
  let composite: number | null = null;
  if (presentLayerWeight > 0) {
    composite = 0;
    for (let l = 0; l < layerCount; l++) {
      const w = layerWeightSum[l] as number;
      if (w === 0) continue;
      const layer = model.layers[l] as (typeof model.layers)[number];
      const layerScore = (layerPointSum[l] as number) / w;
      layers[layer.id] = roundTo(layerScore, 1);
      composite += (layer.weight / presentLayerWeight) * layerScore;
    }
  }
  const enoughData = composite !== null && completeness + 1e-9 >= model.minCompleteness;
  completeness = roundTo(completeness, 4);

  // Rules, in order, over the running score. Score comparisons see the score as a CSM would (rounded).
  let running: number | null = enoughData ? composite : null;
  const ruleDrivers: Driver[] = [];
  const fired: string[] = [];
  const flags: string[] = [];
  for (const rule of model.rules) {
    if (!evaluateCondition(rule.when, signals, running === null ? null : roundHalfUp(running))) continue;
    const reason = rule.reason ?? describeCondition(rule.when);
    if (rule.kind === 'flag') {
      flags.push(rule.id);
      ruleDrivers.push({ kind: 'flag', id: rule.id, impact: 0, text: ruleSentence('flag', reason, 0) });
      continue;
    }
    fired.push(rule.id);
    const before = running;
    if (rule.kind === 'set') running = rule.value;
    else if (running !== null) running = rule.kind === 'cap' ? Math.min(running, rule.value) : Math.max(running, rule.value);
    const impact = before === null || running === null ? null : roundTo(running - before, 1);
    ruleDrivers.push({ kind: 'rule', id: rule.id, impact, text: ruleSentence(rule.kind, reason, rule.value) });
  }

  const score = running === null ? null : roundHalfUp(running);
  const drivers: Driver[] = ruleDrivers;
  if (composite !== null && !enoughData) {
    drivers.push({
      kind: 'data',
      id: 'completeness',
      impact: null,
      text: `Only ${Math.round(completeness * 100)}% of the model's data is known (needs ${Math.round(model.minCompleteness * 100)}%)`,
    });
  } else if (composite === null) {
    drivers.push({ kind: 'data', id: 'completeness', impact: null, text: "None of the model's signals is known" });
  }

  // Signal impacts: effective share (after renormalization) × (points − 100).
  const signalDrivers: Driver[] = [];
  const impacts = new Map<string, number>();
  if (composite !== null) {
    for (let i = 0; i < n; i++) {
      const p = pts[i] as number;
      if (Number.isNaN(p)) continue;
      const sig = model.signals[i] as (typeof model.signals)[number];
      const layer = model.layers[sig.layer] as (typeof model.layers)[number];
      const share = (layer.weight / presentLayerWeight) * (sig.weight / (layerWeightSum[sig.layer] as number));
      const impact = share * (p - 100);
      if (withImpacts) impacts.set(sig.key, impact);
      // A signal at full points costs nothing: it is not a driver (the sum of impacts is unchanged).
      if (p >= 100) continue;
      const value = signals[sig.key] as SignalValue;
      signalDrivers.push({
        kind: 'signal',
        key: sig.key,
        value,
        points: p,
        impact,
        text: signalSentence(sig.key, sig.label, value, impact),
      });
    }
    signalDrivers.sort((a, b) => (a.impact as number) - (b.impact as number));
    for (const d of signalDrivers) {
      (d as { impact: number }).impact = roundTo(d.impact as number, 1);
      drivers.push(d);
    }
  }

  return {
    composite,
    impacts,
    result: {
      accountId: snap.accountId,
      asOf: snap.asOf,
      model: model.id,
      modelVersion: model.version,
      score,
      tier: tierOf(score, model.tiers),
      completeness,
      layers,
      drivers,
      rules: fired,
      flags,
    },
  };
}

/** Picks the model for a snapshot: the first `select` entry whose segment or condition matches. */
export function selectModel(set: CompiledModelSet, snap: AccountSnapshot): CompiledModel {
  for (const entry of set.select) {
    if (entry.segment !== undefined && entry.segment !== snap.segment) continue;
    if (entry.when !== undefined && !evaluateCondition(entry.when, snap.signals, null)) continue;
    return entry.model;
  }
  return set.fallback;
}

export function scoreAccount(models: CompiledModel | CompiledModelSet, snap: AccountSnapshot): ScoreResult {
  return scoreSnapshot('fallback' in models ? selectModel(models, snap) : models, snap);
}
