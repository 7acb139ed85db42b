// Turns model-file text into a validated model (or model set), or a ModelConfigError listing every
// problem by YAML path, e.g. `layers[1].signals[0].bands[2]: thresholds must increase`.
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { signalCatalog } from '../signals/catalog.ts';
import {
  type Band,
  type Condition,
  layerSchema,
  type ModelConfig,
  type ModelSetConfig,
  modelSchema,
  modelSetSchema,
  ruleSchema,
} from './schema.ts';

export const MAX_SIGNALS = 10;

export interface ConfigIssue {
  path: string;
  message: string;
}

export class ModelConfigError extends Error {
  readonly source: string;
  readonly issues: ConfigIssue[];
  constructor(source: string, issues: ConfigIssue[]) {
    super(issues.map((i) => `${source}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    this.name = 'ModelConfigError';
    this.source = source;
    this.issues = issues;
  }
}

export type ModelFile = { kind: 'model'; model: ModelConfig } | { kind: 'set'; set: ModelSetConfig };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function zodIssues(error: z.ZodError, raw: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path;
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the alternative that got furthest (fewest problems), not every branch's complaint.
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      for (const sub of best) out.push({ path: formatPath([...path, ...sub.path]), message: sub.message });
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      const got = JSON.stringify(valueAt(raw, path));
      const expected = issue.message
        .replace(/^.*Expected /, '')
        .replaceAll("'", '')
        .replaceAll(' | ', ', ');
      out.push({
        path: formatPath(path),
        message: `unknown ${String(issue.discriminator)} ${got ?? '(missing)'}: expected one of ${expected}`,
      });
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

/** Parses a model file (YAML or JSON text). `source` names the file in every message. */
export function parseModelFile(text: string, source: string): ModelFile {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ModelConfigError(
      source,
      doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const raw: unknown = doc.toJS();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ModelConfigError(source, [
      { path: '', message: 'a model file is a mapping with `layers` (a model) or `default` (a model set)' },
    ]);
  }
  if ('default' in raw || 'select' in raw) {
    const set = modelSetSchema.safeParse(raw);
    if (!set.success) throw new ModelConfigError(source, zodIssues(set.error, raw));
    const issues: ConfigIssue[] = [];
    set.data.select.forEach((s, i) => {
      if (s.when) checkCondition(s.when, `select[${i}].when`, issues, false);
    });
    if (issues.length) throw new ModelConfigError(source, issues);
    return { kind: 'set', set: set.data };
  }
  return { kind: 'model', model: validateModel(raw, source) };
}

/** Validates a parsed model object: the schema, then the method's rules (weights, bands, limits). */
export function validateModel(raw: unknown, source: string): ModelConfig {
  const parsed = modelSchema.safeParse(raw);
  const issues: ConfigIssue[] = parsed.success ? [] : zodIssues(parsed.error, raw);
  // The method's own checks run on every part that parsed, so one pass lists every problem.
  const obj = (raw ?? {}) as Record<string, unknown>;
  const rawLayers = Array.isArray(obj.layers) ? (obj.layers as Record<string, unknown>[]) : [];
  const layerSum = rawLayers.reduce((s, l) => s + (typeof l?.weight === 'number' ? l.weight : 0), 0);
  if (rawLayers.length > 0 && Math.abs(layerSum - 100) > 1e-9) {
    issues.push({ path: 'layers', message: `layer weights must sum to 100 (they sum to ${round6(layerSum)})` });
  }
  const signalCount = rawLayers.reduce((s, l) => s + (Array.isArray(l?.signals) ? l.signals.length : 0), 0);
  if (signalCount > MAX_SIGNALS) {
    issues.push({
      path: 'layers',
      message: `the model scores ${signalCount} signals; at most ${MAX_SIGNALS} are allowed (a score nobody can explain is a score nobody trusts)`,
    });
  }
  const seenLayers = new Set<string>();
  const seenKeys = new Map<string, string>();
  rawLayers.forEach((rawLayer, li) => {
    const one = layerSchema.safeParse(rawLayer);
    if (!one.success) return;
    const layer = one.data;
    if (seenLayers.has(layer.id)) issues.push({ path: `layers[${li}].id`, message: `duplicate layer id '${layer.id}'` });
    seenLayers.add(layer.id);
    layer.signals.forEach((sig, si) => {
      const path = `layers[${li}].signals[${si}]`;
      const first = seenKeys.get(sig.key);
      if (first) issues.push({ path: `${path}.key`, message: `signal '${sig.key}' is already scored at ${first}` });
      else seenKeys.set(sig.key, path);
      const spec = signalCatalog.get(sig.key);
      const kind = spec?.type.kind;
      if (sig.bands) {
        if (kind === 'enum' || kind === 'boolean') {
          issues.push({ path: `${path}.bands`, message: `'${sig.key}' is ${kind === 'enum' ? 'an enum' : 'a boolean'}: use \`map\`` });
        }
        checkBands(sig.bands, `${path}.bands`, issues);
      }
      if (sig.linear) {
        if (kind === 'enum' || kind === 'boolean')
          issues.push({ path: `${path}.linear`, message: `'${sig.key}' is not numeric: use \`map\`` });
        if (!(sig.linear.from.value < sig.linear.to.value)) {
          issues.push({ path: `${path}.linear`, message: '`from.value` must be below `to.value`' });
        }
      }
      if (sig.map) {
        if (kind === 'number' || kind === 'integer')
          issues.push({ path: `${path}.map`, message: `'${sig.key}' is numeric: use \`bands\` or \`linear\`` });
        const allowed = spec?.type.kind === 'enum' ? spec.type.values : spec?.type.kind === 'boolean' ? ['true', 'false'] : undefined;
        if (allowed) {
          for (const k of Object.keys(sig.map)) {
            if (!allowed.includes(k))
              issues.push({ path: `${path}.map.${k}`, message: `'${k}' is not a value of ${sig.key} (${allowed.join(', ')})` });
          }
          const missing = allowed.filter((v) => !(v in (sig.map ?? {})));
          if (missing.length) issues.push({ path: `${path}.map`, message: `no points for ${missing.map((m) => `'${m}'`).join(', ')}` });
        }
      }
    });
  });
  const seenRules = new Set<string>();
  (Array.isArray(obj.rules) ? obj.rules : []).forEach((rawRule, ri) => {
    const one = ruleSchema.safeParse(rawRule);
    if (!one.success) return;
    const rule = one.data;
    if (seenRules.has(rule.id)) issues.push({ path: `rules[${ri}].id`, message: `duplicate rule id '${rule.id}'` });
    seenRules.add(rule.id);
    checkCondition(rule.when, `rules[${ri}].when`, issues, true);
  });
  if (issues.length || !parsed.success) throw new ModelConfigError(source, issues);
  return parsed.data;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface Bound {
  value: number;
  inclusive: boolean;
}
const lowerOf = (b: Band): Bound | undefined =>
  b.from !== undefined ? { value: b.from, inclusive: true } : b.above !== undefined ? { value: b.above, inclusive: false } : undefined;
const upperOf = (b: Band): Bound | undefined =>
  b.to !== undefined ? { value: b.to, inclusive: true } : b.below !== undefined ? { value: b.below, inclusive: false } : undefined;

/** Bands must run upwards, one after the other, with no overlap and no gap. */
function checkBands(bands: Band[], path: string, issues: ConfigIssue[]): void {
  bands.forEach((band, i) => {
    const lo = lowerOf(band);
    const hi = upperOf(band);
    if (lo && hi && (hi.value < lo.value || (hi.value === lo.value && !(lo.inclusive && hi.inclusive)))) {
      issues.push({ path: `${path}[${i}]`, message: 'the band is empty: its upper bound must be above its lower bound' });
    }
    if (i === 0) return;
    const prev = bands[i - 1] as Band;
    const prevHi = upperOf(prev);
    const prevLo = lowerOf(prev);
    if (!prevHi || !lo) {
      issues.push({
        path: `${path}[${i}]`,
        message: `overlaps bands[${i - 1}]: only the first band may be open below and only the last open above`,
      });
      return;
    }
    if (lo.value < prevHi.value || (prevLo && lo.value < prevLo.value)) {
      issues.push({
        path: `${path}[${i}]`,
        message: `thresholds must increase (starts at ${lo.value}, below where bands[${i - 1}] ends at ${prevHi.value})`,
      });
    } else if (lo.value === prevHi.value && lo.inclusive && prevHi.inclusive) {
      issues.push({
        path: `${path}[${i}]`,
        message: `overlaps bands[${i - 1}] at ${lo.value} (both include it: use \`above\` or \`below\` on one side)`,
      });
    } else if (lo.value > prevHi.value || (!lo.inclusive && !prevHi.inclusive)) {
      issues.push({
        path: `${path}[${i}]`,
        message: `leaves a gap after bands[${i - 1}] at ${prevHi.value}: values there would score nothing`,
      });
    }
  });
}

function checkCondition(c: Condition, path: string, issues: ConfigIssue[], scoreAllowed: boolean): void {
  if ('all' in c || 'any' in c) {
    const [op, list] = 'all' in c ? ['all', c.all] : ['any', c.any];
    list.forEach((x, i) => {
      checkCondition(x, `${path}.${op}[${i}]`, issues, scoreAllowed);
    });
    return;
  }
  if ('not' in c) {
    checkCondition(c.not, `${path}.not`, issues, scoreAllowed);
    return;
  }
  if ('score' in c) {
    if (!scoreAllowed) issues.push({ path: `${path}.score`, message: 'model selection cannot depend on a score' });
    return;
  }
  const spec = signalCatalog.get(c.signal);
  if (!spec) return;
  const kind = spec.type.kind;
  const numericOp = c.lt ?? c.lte ?? c.gt ?? c.gte;
  if (numericOp !== undefined && kind !== 'number' && kind !== 'integer') {
    issues.push({ path, message: `'${c.signal}' is not numeric: compare it with eq, ne or in` });
  }
  const values = c.eq !== undefined ? [c.eq] : c.ne !== undefined ? [c.ne] : (c.in ?? []);
  for (const v of values) {
    const ok =
      kind === 'enum'
        ? spec.type.kind === 'enum' && typeof v === 'string' && spec.type.values.includes(v)
        : kind === 'boolean'
          ? typeof v === 'boolean'
          : typeof v === 'number';
    if (!ok) issues.push({ path, message: `${JSON.stringify(v)} is not a possible value of '${c.signal}'` });
  }
}
