// The backtest report for a terminal: per horizon, the headline numbers, the tier table, red and
// red+yellow precision/recall, churn by score band, and the notes; then the calibration, if any.
import type { CalibratedHorizon, CalibrationReport } from './calibrate.ts';
import { ci, DASH, dec, int, liftText, pct } from './format.ts';
import type { HorizonMetrics } from './horizon-metrics.ts';
import type { BacktestReport } from './run.ts';

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function horizonText(m: HorizonMetrics): string[] {
  const out = [
    `At ${m.days} days before the outcome: ${int(m.accounts)} accounts, ${int(m.churned)} churned (base churn rate ${pct(m.baseRate)}), ${int(m.expanded)} expanded`,
    `  ROC AUC ${dec(m.auc)}${ci(m.aucCi90)} · PR AUC ${dec(m.prAuc)}   (0.5 = no better than chance; lower score = riskier)`,
    `  ${pad('tier', 8)}${lpad('accounts', 9)}${lpad('churned', 9)}${lpad('churn rate', 12)}${lpad('expansion', 11)}${lpad('lift', 8)}`,
  ];
  for (const tier of ['red', 'yellow', 'green'] as const) {
    const t = m.tiers[tier];
    out.push(
      `  ${pad(tier, 8)}${lpad(int(t.accounts), 9)}${lpad(int(t.churned), 9)}${lpad(pct(t.churnRate), 12)}${lpad(pct(t.expansionRate), 11)}${lpad(liftText(t.lift), 8)}`,
    );
  }
  out.push(
    `  red:        precision ${pct(m.red.precision)}${ci(m.red.precisionCi90, (x) => pct(x))} · recall ${pct(m.red.recall)}${ci(m.red.recallCi90, (x) => pct(x))}`,
    `  red+yellow: precision ${pct(m.redYellow.precision)} · recall ${pct(m.redYellow.recall)}`,
    `  churn by score band: ${m.calibration
      .filter((b) => b.accounts > 0)
      .map((b) => `${b.from}–${b.to} ${pct(b.churnRate, 0)} (${b.accounts})`)
      .join(' · ')}`,
  );
  for (const n of m.notes) out.push(`  note: ${n}`);
  return out;
}

function beforeAfter(h: CalibratedHorizon): string {
  const b = h.baseline;
  const arrow = (x: string, y: string) => `${x} → ${y}`;
  return `  ${lpad(String(h.days), 3)} days (${int(h.accounts)} held-out outcomes, ${int(h.churned)} churned): AUC ${arrow(dec(b.auc), dec(h.auc))} · red precision ${arrow(pct(b.red.precision), pct(h.red.precision))} · red recall ${arrow(pct(b.red.recall), pct(h.red.recall))} · red accounts ${arrow(int(b.red.flagged), int(h.red.flagged))}`;
}

export function calibrationText(c: CalibrationReport, savedTo?: string): string[] {
  if (c.status === 'insufficient') {
    return [`Calibration at ${c.fitHorizon} days: not done: ${c.message}.`, `  ${c.excluded.note}`];
  }
  const out = [
    `Calibration at ${c.fitHorizon} days: ${c.split}`,
    `  ${c.excluded.note}${c.excluded.maskedInTraining > 0 ? ` (${c.excluded.maskedInTraining} value(s) masked in training)` : ''}`,
    `  fitted weights (share of the calibrated score; signals the fit found no churn signal in get 0):`,
  ];
  for (const s of [...c.signals].sort((a, b) => b.share - a.share)) {
    out.push(`    ${pad(s.key, 36)}${lpad(pct(s.share), 7)}${s.note ? `   ${s.note}` : ''}`);
  }
  for (const d of c.dropped) out.push(`    ${pad(d.key, 36)}${lpad(DASH, 7)}   ${d.reason}`);
  out.push(
    `  tiers: red below ${c.tiers.yellow}, yellow ${c.tiers.yellow}–${c.tiers.green - 1}, green from ${c.tiers.green} (chosen on training data for red recall ≥ ${c.tiers.targetRecall}: ${pct(c.tiers.redRecall)} recall at ${pct(c.tiers.redPrecision)} precision)`,
    '  held-out only, original → calibrated:',
    ...c.horizons.map(beforeAfter),
  );
  for (const h of c.horizons) for (const n of h.notes) out.push(`  note (${h.days} days, calibrated): ${n}`);
  for (const n of c.notes) out.push(`  note: ${n}`);
  out.push(savedTo ? `  calibrated model written to ${savedTo}` : '  use --out DIR to save the calibrated model file');
  return out;
}

export function textReport(report: BacktestReport, savedModel?: string): string {
  const i = report.inputs;
  const out = [
    `Backtest of ${report.model.label} (version ${report.model.version})`,
    ...(report.outcomesFrom ? [`Outcome source: ${report.outcomesFrom.text}`] : []),
    `Outcomes: ${int(i.outcomesUsed)} used${i.badOutcomeLines ? `; ${int(i.badOutcomeLines)} ${report.outcomesFrom?.source === 'store' ? 'recorded outcome(s) unusable' : 'bad line(s)'}` : ''}${i.unknownAccounts ? ` (${int(i.unknownAccounts)} for accounts not in the history)` : ''}`,
    `History: ${int(i.snapshots)} snapshots streamed${i.badHistoryLines ? `, ${int(i.badHistoryLines)} bad line(s)` : ''}; ${int(i.retainedSnapshots)} kept for point-in-time selection`,
  ];
  if (report.problems.length > 0) {
    out.push('Input problems (line: reason):');
    for (const p of report.problems.slice(0, 20)) out.push(`  ${p.source}${p.line === undefined ? '' : ` line ${p.line}`}: ${p.error}`);
    const total = (i.badOutcomeLines ?? 0) + (i.badHistoryLines ?? 0);
    if (total > 20) out.push(`  … and ${int(total - 20)} more (all are in --format json)`);
  }
  for (const m of report.horizons) out.push('', ...horizonText(m));
  if (report.calibrated) out.push('', ...calibrationText(report.calibrated, savedModel));
  return `${out.join('\n')}\n`;
}
