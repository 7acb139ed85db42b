// Compiles a validated model config into the flat form the engine runs on: each signal's
// normalizer as a function, its share of the whole model, and rules with their conditions.
import type { SignalValue } from '../signals/catalog.ts';
import type { Band, Condition, ModelConfig, ModelSetConfig, Rule } from './schema.ts';

/** Points for a value, or undefined when the normalizer has none for it (a data error). */
export type NormalizeFn = (value: SignalValue) => number | undefined;

export interface CompiledSignal {
  key: string;
  label: string;
  layer: number;
  weight: number;
  /** Share of the whole model when every signal is present (for completeness). */
  fullShare: number;
  normalize: NormalizeFn;
}

export interface CompiledLayer {
  id: string;
  weight: number;
  signals: CompiledSignal[];
}

export interface CompiledRule {
  id: string;
  kind: Rule['kind'];
  value: number;
  reason: string | undefined;
  when: Condition;
}

export interface CompiledModel {
  id: string;
  version: string;
  config: ModelConfig;
  layers: CompiledLayer[];
  signals: CompiledSignal[];
  rules: CompiledRule[];
  minCompleteness: number;
  tiers: { green: number; yellow: number };
}

function bandsFn(bands: Band[]): NormalizeFn {
  const n = bands.length;
  const lo = new Float64Array(n);
  const loInc = new Uint8Array(n);
  const hi = new Float64Array(n);
  const hiInc = new Uint8Array(n);
  const pts = new Float64Array(n);
  bands.forEach((b, i) => {
    lo[i] = b.from ?? b.above ?? Number.NEGATIVE_INFINITY;
    loInc[i] = b.above !== undefined ? 0 : 1;
    hi[i] = b.to ?? b.below ?? Number.POSITIVE_INFINITY;
    hiInc[i] = b.below !== undefined ? 0 : 1;
    pts[i] = b.points;
  });
  return (value) => {
    if (typeof value !== 'number') return undefined;
    for (let i = 0; i < n; i++) {
      const l = lo[i] as number;
      const h = hi[i] as number;
      if ((value > l || (value === l && loInc[i] === 1)) && (value < h || (value === h && hiInc[i] === 1))) return pts[i];
    }
    return undefined;
  };
}

function mapFn(points: Record<string, number>): NormalizeFn {
  const table = new Map(Object.entries(points));
  return (value) => table.get(typeof value === 'string' ? value : String(value));
}

function linearFn(from: { value: number; points: number }, to: { value: number; points: number }): NormalizeFn {
  const slope = (to.points - from.points) / (to.value - from.value);
  return (value) => {
    if (typeof value !== 'number') return undefined;
    if (value <= from.value) return from.points;
    if (value >= to.value) return to.points;
    return from.points + (value - from.value) * slope;
  };
}

export function compileModel(config: ModelConfig): CompiledModel {
  const signals: CompiledSignal[] = [];
  const layers = config.layers.map((layer, li): CompiledLayer => {
    const layerSignalWeight = layer.signals.reduce((s, x) => s + x.weight, 0);
    const compiled = layer.signals.map(
      (s): CompiledSignal => ({
        key: s.key,
        label: s.label ?? s.key,
        layer: li,
        weight: s.weight,
        fullShare: (layer.weight / 100) * (s.weight / layerSignalWeight),
        normalize: s.bands ? bandsFn(s.bands) : s.map ? mapFn(s.map) : s.linear ? linearFn(s.linear.from, s.linear.to) : () => undefined,
      }),
    );
    signals.push(...compiled);
    return { id: layer.id, weight: layer.weight, signals: compiled };
  });
  return {
    id: config.id,
    version: config.version,
    config,
    layers,
    signals,
    rules: config.rules.map((r) => ({ id: r.id, kind: r.kind, value: r.kind === 'flag' ? 0 : r.value, reason: r.reason, when: r.when })),
    minCompleteness: config.minCompleteness,
    tiers: config.tiers,
  };
}

/** A model set compiled: its entries resolved to compiled models by the caller's loader. */
export interface CompiledModelSet {
  select: { segment: string | undefined; when: Condition | undefined; model: CompiledModel }[];
  fallback: CompiledModel;
}

export function compileModelSet(config: ModelSetConfig, resolve: (ref: string) => CompiledModel): CompiledModelSet {
  return {
    select: config.select.map((s) => ({ segment: s.segment, when: s.when, model: resolve(s.model) })),
    fallback: resolve(config.default),
  };
}
