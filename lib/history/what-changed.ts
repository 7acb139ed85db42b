// What changed (scoring-method.md §4: a score change must be traceable — what moved, by how much,
// when): between two results of one account, the signals that moved (old → new value) and the
// points each moved, the rules that started or stopped firing, a model switch, and one sentence
// whose named points add up exactly to the score change it describes.
import type { Driver } from '../scoring/engine.ts';
import type { SignalValue } from '../signals/catalog.ts';

/** The parts of a stored result a comparison reads. */
export interface ChangeSide {
  day: string;
  score: number | null;
  model: string;
  modelVersion: string;
  signals: Record<string, SignalValue>;
  drivers: readonly Driver[];
}

export interface SignalMove {
  key: string;
  from: SignalValue | null;
  to: SignalValue | null;
  /** Score points this signal moved (integers: with the rules' and the rest's, they sum to the change). */
  points: number;
}

export interface RuleMove {
  id: string;
  change: 'started' | 'stopped' | 'held';
  text: string;
  points: number;
}

export interface WhatChanged {
  /** The day compared with. */
  since: string;
  from: number | null;
  to: number | null;
  /** to − from; null when either is unknown. */
  delta: number | null;
  signals: SignalMove[];
  rules: RuleMove[];
  /** Points not carried by a named signal or rule (rounding, small moves): part of the sum. */
  otherPoints: number;
  model: { from: string; to: string } | null;
  /** e.g. "2026-10-12: −18 — usage trend +5% → −32% (−12 pts), Champion departed: score capped at 40 (−6 pts)". */
  text: string;
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');
const pts = (n: number) => `${signed(n)} pts`;

const PERCENT = new Set([
  'usage.trend14d',
  'usage.licenseUtilization',
  'usage.featureAdoption',
  'usage.stickiness',
  'support.csat',
  'billing.mrrChange90d',
  'growth.seatChange90d',
  'engagement.meetingAttendance',
]);
const SIGNED_PERCENT = new Set(['usage.trend14d', 'billing.mrrChange90d', 'growth.seatChange90d']);

const LABELS: Record<string, string> = {
  'usage.trend14d': 'usage trend',
  'usage.daysSinceLastActive': 'days since last active',
  'usage.licenseUtilization': 'seat use',
  'usage.featureAdoption': 'feature adoption',
  'relationship.championStatus': 'champion',
  'relationship.execSponsorEngaged': 'exec sponsor engaged',
  'relationship.engagedContacts30d': 'engaged contacts',
  'engagement.emailResponseHours': 'reply time (h)',
  'engagement.meetingAttendance': 'meeting attendance',
  'outcome.nps': 'NPS',
  'outcome.successPlanOnTrack': 'success plan on track',
  'billing.paymentStatus': 'payment',
  'billing.subscriptionChange': 'subscription',
  'support.ticketVolumeRatio': 'ticket volume',
  'support.csat': 'CSAT',
  'support.escalations90d': 'escalations (90 d)',
  'support.activeEscalation': 'open escalation',
  'growth.seatChange90d': 'seats (90 d)',
};

export function signalLabel(key: string): string {
  return LABELS[key] ?? key.slice(key.indexOf('.') + 1);
}

export function formatValue(key: string, v: SignalValue | null): string {
  if (v === null || v === undefined) return 'unknown';
  if (typeof v === 'number' && PERCENT.has(key)) {
    const p = Math.round(v * 100);
    return SIGNED_PERCENT.has(key) ? `${signed(p)}%` : `${p}%`;
  }
  if (typeof v === 'number') return String(Math.round(v * 10) / 10);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

const signalImpacts = (drivers: readonly Driver[]) =>
  new Map(drivers.flatMap((d) => (d.kind === 'signal' ? [[d.key, d.impact] as const] : [])));
const ruleDrivers = (drivers: readonly Driver[]) => new Map(drivers.flatMap((d) => (d.kind === 'rule' ? [[d.id, d] as const] : [])));

/** Integers close to `raw` that sum to `total` (each adjusted by at most the rounding it needs, largest remainders first). */
export function apportion(raw: readonly number[], total: number): number[] {
  const out = raw.map((r) => Math.round(r) || 0);
  let diff = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rest: r - (out[i] as number) }));
  while (diff !== 0 && order.length > 0) {
    const step = diff > 0 ? 1 : -1;
    // The component whose rounding went most against the direction needed gives the point.
    order.sort((a, b) => step * (b.rest - a.rest));
    const pick = order[0] as { i: number; rest: number };
    out[pick.i] = (out[pick.i] as number) + step;
    pick.rest -= step;
    diff -= step;
  }
  return out;
}

/** How many moves a sentence names before it folds the rest into "other changes". */
const NAMED = 3;
/** Salesforce's Text field limit: the sentence always fits one. */
export const MAX_CHANGE_TEXT = 255;

export function whatChanged(before: ChangeSide, after: ChangeSide): WhatChanged {
  const model =
    before.model !== after.model || before.modelVersion !== after.modelVersion
      ? { from: `${before.model}@${before.modelVersion}`, to: `${after.model}@${after.modelVersion}` }
      : null;
  const oldImpacts = signalImpacts(before.drivers);
  const newImpacts = signalImpacts(after.drivers);
  const keys = [
    ...new Set([...Object.keys(before.signals), ...Object.keys(after.signals), ...oldImpacts.keys(), ...newImpacts.keys()]),
  ].sort();
  const moved = keys.filter((k) => before.signals[k] !== after.signals[k] || (oldImpacts.get(k) ?? 0) !== (newImpacts.get(k) ?? 0));
  const oldRules = ruleDrivers(before.drivers);
  const newRules = ruleDrivers(after.drivers);
  const ruleIds = [...new Set([...oldRules.keys(), ...newRules.keys()])].sort();
  const delta = before.score === null || after.score === null ? null : after.score - before.score;

  const rawSignals = moved.map((k) => (newImpacts.get(k) ?? 0) - (oldImpacts.get(k) ?? 0));
  const rawRules = ruleIds.map((id) => (newRules.get(id)?.impact ?? 0) - (oldRules.get(id)?.impact ?? 0));
  const shares = delta === null ? [...rawSignals, ...rawRules].map(() => 0) : apportion([...rawSignals, ...rawRules], delta);
  const signals: SignalMove[] = moved.map((key, i) => ({
    key,
    from: before.signals[key] ?? null,
    to: after.signals[key] ?? null,
    points: shares[i] as number,
  }));
  const rules: RuleMove[] = ruleIds.map((id, i) => {
    const now = newRules.get(id);
    const was = oldRules.get(id);
    return {
      id,
      change: now && was ? 'held' : now ? 'started' : 'stopped',
      text: now ? now.text : `${(was as Driver).text} — no longer`,
      points: shares[moved.length + i] as number,
    };
  });
  const named = [
    ...signals.map((s) => ({
      points: s.points,
      text: `${signalLabel(s.key)} ${formatValue(s.key, s.from)} → ${formatValue(s.key, s.to)}`,
    })),
    ...rules.filter((r) => r.change !== 'held' || r.points !== 0).map((r) => ({ points: r.points, text: r.text })),
  ]
    .filter((p) => p.points !== 0 || delta === null)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const head =
    delta === null
      ? `${after.day}: score ${after.score === null ? 'unknown (too little data)' : `${after.score}, was unknown`}`
      : `${after.day}: ${signed(delta)}`;
  let shown = named.slice(0, NAMED);
  let otherPoints = 0;
  let parts: string[] = [];
  // Fewer named moves (the rest folded into "other changes") until the sentence fits a Text field.
  for (;;) {
    otherPoints = delta === null ? 0 : delta - shown.reduce((a, p) => a + p.points, 0);
    parts = [
      ...(model ? [`model ${model.from} → ${model.to}`] : []),
      ...shown.map((p) => (delta === null ? p.text : `${p.text} (${pts(p.points)})`)),
      ...(otherPoints !== 0 ? [`other changes (${pts(otherPoints)})`] : []),
    ];
    if (`${head} — ${parts.join(', ')}`.length <= MAX_CHANGE_TEXT || shown.length === 0) break;
    shown = shown.slice(0, -1);
  }
  return {
    since: before.day,
    from: before.score,
    to: after.score,
    delta,
    signals,
    rules,
    otherPoints,
    model,
    text: (parts.length > 0 ? `${head} — ${parts.join(', ')}` : head).slice(0, MAX_CHANGE_TEXT),
  };
}
