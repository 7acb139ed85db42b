// Evaluates rule and model-selection conditions. An unknown (absent or null) signal never
// satisfies a comparison, and a score comparison never holds while the score is null.
import type { Condition } from '../model/schema.ts';
import type { SignalValue } from '../signals/catalog.ts';

export function evaluateCondition(c: Condition, signals: Record<string, SignalValue | null>, score: number | null): boolean {
  if ('all' in c) return c.all.every((x) => evaluateCondition(x, signals, score));
  if ('any' in c) return c.any.some((x) => evaluateCondition(x, signals, score));
  if ('not' in c) return !evaluateCondition(c.not, signals, score);
  if ('score' in c) {
    if (score === null) return false;
    const s = c.score;
    if (s.lt !== undefined) return score < s.lt;
    if (s.lte !== undefined) return score <= s.lte;
    if (s.gt !== undefined) return score > s.gt;
    return s.gte !== undefined && score >= s.gte;
  }
  const v = signals[c.signal];
  if (v === undefined || v === null) return false;
  if (c.eq !== undefined) return v === c.eq;
  if (c.ne !== undefined) return v !== c.ne;
  if (c.in !== undefined) return c.in.includes(v);
  if (typeof v !== 'number') return false;
  if (c.lt !== undefined) return v < c.lt;
  if (c.lte !== undefined) return v <= c.lte;
  if (c.gt !== undefined) return v > c.gt;
  return c.gte !== undefined && v >= c.gte;
}

/** A short human rendering of a condition, for rule drivers without a written reason. */
export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.map(describeCondition).join(' and ');
  if ('any' in c) return c.any.map(describeCondition).join(' or ');
  if ('not' in c) return `not (${describeCondition(c.not)})`;
  const [subject, ops] = 'score' in c ? ['score', c.score as Record<string, unknown>] : [c.signal, c as Record<string, unknown>];
  const symbols: Record<string, string> = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥', in: 'in' };
  for (const [op, sym] of Object.entries(symbols)) {
    if (ops[op] !== undefined) return `${subject} ${sym} ${Array.isArray(ops[op]) ? (ops[op] as unknown[]).join('/') : String(ops[op])}`;
  }
  return subject;
}
