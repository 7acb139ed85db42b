// Turns fitted logistic coefficients into an interpretable model in the same format as the presets:
// each signal's share ∝ how much churn odds fall per point it scores (negative coefficients only),
// layer weights as whole numbers summing to 100, signal weights as whole numbers within each layer.
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import type { CompiledModel } from '../model/compile.ts';
import type { ModelConfig } from '../model/schema.ts';
import { validateModel } from '../model/validate.ts';
import type { Standardizer } from './features.ts';
import type { LogisticFit } from './logistic.ts';

export interface SignalWeight {
  key: string;
  layer: string;
  /** Effective share of the whole calibrated model (0..1) after rounding to whole weights. */
  share: number;
  /** Fitted change in churn log-odds per point (negative = more points, less churn); null when not fitted. */
  perPoint: number | null;
  note?: string;
}

/** Whole numbers proportional to `values`, summing to `total` (largest remainder). */
export function apportion(values: readonly number[], total: number): number[] {
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum <= 0) return values.map(() => 0);
  const exact = values.map((v) => (v / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  return out;
}

export interface CalibratedWeights {
  /** Whole-number layer weights (sum 100) by layer index; 0 = layer dropped. */
  layerWeights: number[];
  /** Whole-number signal weights by model signal index; 0 = signal dropped. */
  signalWeights: number[];
  signals: SignalWeight[];
}

/** Raw fitted per-point coefficients by model signal index (undefined = not fitted). */
export function perPointCoefficients(model: CompiledModel, std: Standardizer, fit: LogisticFit): (number | undefined)[] {
  const out: (number | undefined)[] = model.signals.map(() => undefined);
  std.fitted.forEach((j, k) => {
    out[j] = (fit.coefficients[k] as number) / (std.sds[k] as number);
  });
  return out;
}

/** Whole-number weights from per-point coefficients; undefined when no signal's points fall with churn. */
export function weightsFromCoefficients(model: CompiledModel, perPoint: readonly (number | undefined)[]): CalibratedWeights | undefined {
  const raw = model.signals.map((_, j) => Math.max(0, -(perPoint[j] ?? 0)));
  const total = raw.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  // Drop signals under half a percent before rounding, so a whole-number weight never rounds one to noise.
  const shares = raw.map((r) => (r / total < 0.005 ? 0 : r / total));
  const layerShares = model.layers.map((_, l) => model.signals.reduce((s, sig, j) => (sig.layer === l ? s + (shares[j] as number) : s), 0));
  const layerWeights = apportion(layerShares, 100);
  const signalWeights = model.signals.map(() => 0);
  model.layers.forEach((_, l) => {
    if (layerWeights[l] === 0) return;
    const idx = model.signals.flatMap((sig, j) => (sig.layer === l ? [j] : []));
    const within = apportion(
      idx.map((j) => shares[j] as number),
      100,
    );
    idx.forEach((j, k) => {
      signalWeights[j] = within[k] as number;
    });
  });
  const signals = model.signals.map((sig, j): SignalWeight => {
    const l = sig.layer;
    const layerSum = model.signals.reduce((s, x, k) => (x.layer === l ? s + (signalWeights[k] as number) : s), 0);
    const share = layerSum === 0 ? 0 : ((layerWeights[l] as number) / 100) * ((signalWeights[j] as number) / layerSum);
    const c = perPoint[j];
    const note =
      c === undefined
        ? 'not fitted'
        : c >= 0
          ? 'its points did not fall with churn: weight 0'
          : share === 0
            ? 'too small to keep'
            : undefined;
    return {
      key: sig.key,
      layer: model.layers[l]?.id ?? '',
      share: Math.round(share * 10_000) / 10_000,
      perPoint: c === undefined ? null : c,
      ...(note === undefined ? {} : { note }),
    };
  });
  return { layerWeights, signalWeights, signals };
}

/** The calibrated model config (validated like any model file): same normalizers and rules, new weights and tiers. */
export function calibratedModelConfig(
  model: CompiledModel,
  weights: CalibratedWeights,
  tiers: { green: number; yellow: number },
  description: string,
): ModelConfig {
  const base = model.config;
  const layers = base.layers.flatMap((layer, l) => {
    if (weights.layerWeights[l] === 0) return [];
    const signals = layer.signals.flatMap((sig) => {
      const j = model.signals.findIndex((s) => s.key === sig.key);
      const wgt = weights.signalWeights[j] ?? 0;
      return wgt > 0 ? [{ ...sig, weight: wgt }] : [];
    });
    return [{ id: layer.id, weight: weights.layerWeights[l] as number, signals }];
  });
  const raw = {
    id: `${base.id}-calibrated`,
    version: `${base.version}-calibrated`,
    description,
    minCompleteness: base.minCompleteness,
    tiers,
    layers,
    rules: base.rules,
  };
  return validateModel(raw, `calibrated ${base.id}`);
}

/** The model file text, with a header saying where it came from; bands, maps and conditions on one line each, as in the presets. */
export function modelYaml(config: ModelConfig, header: readonly string[]): string {
  const doc = new Document(config);
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (key === 'bands' && isSeq(pair.value)) {
        for (const band of pair.value.items) if (isMap(band)) band.flow = true;
      } else if ((key === 'map' || key === 'tiers' || key === 'when') && isMap(pair.value)) {
        pair.value.flow = true;
      }
    },
  });
  return `${header.map((h) => `# ${h}`).join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}
