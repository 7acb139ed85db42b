// Which signals each source can provide, and how much of a model the configured sources can ever
// fill: a model whose reachable completeness is below its minimum would score every account
// "unknown", which a RevOps lead should hear about before the first run, not after.
import { vendorById } from '../connectors/registry.ts';
import type { CompiledModel, CompiledModelSet } from '../lib/model/compile.ts';

/** Signal keys a registered CRM or source declares it provides (its registry entry), none for others. */
export function signalsOf(vendor: string): readonly string[] {
  const entry = vendorById(vendor);
  return entry && entry.kind !== 'channel' ? entry.signals : [];
}

/** Signals derived from two sources' keys (lib/signals/derive.ts). */
const DERIVED: Record<string, readonly string[]> = { 'usage.licenseUtilization': ['mixpanel.activeUsers30d', 'stripe.seats'] };

export function reachableSignals(sources: readonly string[]): Set<string> {
  const keys = new Set(sources.flatMap(signalsOf));
  for (const [key, needs] of Object.entries(DERIVED)) if (needs.every((n) => keys.has(n))) keys.add(key);
  return keys;
}

export interface CoverageProblem {
  model: string;
  reachable: number;
  minimum: number;
  missing: string[];
}

/** Models (of a set, or the one model) that the sources can never fill enough to score. */
export function coverageProblems(models: CompiledModel | CompiledModelSet, sources: readonly string[]): CoverageProblem[] {
  const keys = reachableSignals(sources);
  const all = 'fallback' in models ? [models.fallback, ...models.select.map((s) => s.model)] : [models];
  const seen = new Set<string>();
  const out: CoverageProblem[] = [];
  for (const m of all) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    const reachable = m.signals.reduce((sum, s) => sum + (keys.has(s.key) ? s.fullShare : 0), 0);
    if (reachable + 1e-9 < m.minCompleteness) {
      out.push({
        model: m.id,
        reachable: Math.round(reachable * 100) / 100,
        minimum: m.minCompleteness,
        missing: m.signals.filter((s) => !keys.has(s.key)).map((s) => s.key),
      });
    }
  }
  return out;
}

export function describeCoverageProblem(p: CoverageProblem, sources: readonly string[]): string {
  return `model '${p.model}' can reach at most ${Math.round(p.reachable * 100)}% completeness with ${sources.join(', ')} (it needs ${Math.round(p.minimum * 100)}%): every account it scores would be "unknown". It lacks ${p.missing.join(', ')}; add the sources that provide them or choose another model (e.g. layered needs only the CRM and Mixpanel).`;
}
