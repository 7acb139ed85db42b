// Features for calibration: each model signal's points (0..100) at the snapshot, with post-decision
// values (e.g. billing.subscriptionChange = cancel_pending) masked so a fit cannot learn from a
// customer's decision instead of the signs that came before it. Missing points are imputed with the
// training mean, then every feature is standardized so the L2 penalty treats them alike.
import type { CompiledModel } from '../model/compile.ts';
import type { AccountSnapshot } from '../signals/snapshot.ts';

/** A signal (every value) or one value of a signal that only appears after the customer has decided. */
export interface Exclusion {
  key: string;
  value?: string;
}

export const DEFAULT_EXCLUSIONS: readonly Exclusion[] = [{ key: 'billing.subscriptionChange', value: 'cancel_pending' }];

/** `key=value,key2` → exclusions; `none` → no exclusion. */
export function parseExclusions(text: string): Exclusion[] {
  if (text.trim() === 'none') return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const eq = s.indexOf('=');
      return eq < 0 ? { key: s } : { key: s.slice(0, eq).trim(), value: s.slice(eq + 1).trim() };
    });
}

export const describeExclusion = (e: Exclusion) => (e.value === undefined ? `${e.key} (every value)` : `${e.key} = ${e.value}`);

/** Points of each model signal (NaN = unknown or masked), plus how many values were masked. */
export function signalPoints(
  model: CompiledModel,
  snap: AccountSnapshot,
  exclusions: readonly Exclusion[],
): { points: Float64Array; masked: number } {
  const points = new Float64Array(model.signals.length).fill(Number.NaN);
  let masked = 0;
  model.signals.forEach((sig, j) => {
    const value = snap.signals[sig.key];
    if (value === undefined || value === null) return;
    if (exclusions.some((e) => e.key === sig.key && (e.value === undefined || e.value === String(value)))) {
      masked++;
      return;
    }
    const p = sig.normalize(value);
    if (p !== undefined) points[j] = p;
  });
  return { points, masked };
}

export interface Standardizer {
  /** Indices (into model.signals) of the fitted features. */
  fitted: number[];
  means: number[];
  sds: number[];
  /** Signals left out of the fit, with the reason. */
  dropped: { key: string; reason: string }[];
  transform(points: Float64Array): Float64Array;
}

/** Decides which signals can be fitted from the training rows and how to standardize them. */
export function standardizer(
  model: CompiledModel,
  training: readonly Float64Array[],
  exclusions: readonly Exclusion[],
  minPresentShare = 0.05,
): Standardizer {
  const fitted: number[] = [];
  const means: number[] = [];
  const sds: number[] = [];
  const dropped: { key: string; reason: string }[] = [];
  model.signals.forEach((sig, j) => {
    if (exclusions.some((e) => e.key === sig.key && e.value === undefined)) {
      dropped.push({ key: sig.key, reason: 'excluded from fitting (post-decision signal)' });
      return;
    }
    let count = 0;
    let sum = 0;
    for (const row of training) {
      const v = row[j] as number;
      if (!Number.isNaN(v)) {
        count++;
        sum += v;
      }
    }
    if (count < Math.max(2, training.length * minPresentShare)) {
      dropped.push({ key: sig.key, reason: `known in only ${count} of ${training.length} training snapshots` });
      return;
    }
    const mean = sum / count;
    let ss = 0;
    for (const row of training) {
      const v = row[j] as number;
      if (!Number.isNaN(v)) ss += (v - mean) ** 2;
    }
    const sd = Math.sqrt(ss / count);
    if (sd < 1e-9) {
      dropped.push({ key: sig.key, reason: `scored the same points (${mean}) in every training snapshot` });
      return;
    }
    fitted.push(j);
    means.push(mean);
    sds.push(sd);
  });
  return {
    fitted,
    means,
    sds,
    dropped,
    transform(points) {
      const out = new Float64Array(fitted.length);
      fitted.forEach((j, k) => {
        const v = points[j] as number;
        out[k] = Number.isNaN(v) ? 0 : (v - (means[k] as number)) / (sds[k] as number);
      });
      return out;
    },
  };
}
