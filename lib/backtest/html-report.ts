// The backtest report as one self-contained HTML page (inline CSS and SVG, no script, no external
// reference) that opens offline and fits on a slide: headline numbers, ROC, lift per tier, the
// calibration curve, tier tables and, after --calibrate, the held-out before/after.
import type { CalibratedHorizon, FittedCalibration } from './calibrate.ts';
import { ci, DASH, dec, int, liftText, pct } from './format.ts';
import type { HorizonMetrics } from './horizon-metrics.ts';
import type { BacktestReport } from './run.ts';
import { barChart, escapeHtml as e, lineChart, niceTicks, PALETTE, TIER_COLORS } from './svg-charts.ts';

const BEFORE = '#9ca3af';
const AFTER = '#2563eb';

const css = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:32px auto;max-width:1000px;padding:0 16px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.sub{color:#4b5563;margin:0 0 16px}.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;min-width:200px;flex:1}
.card .big{font-size:28px;font-weight:600}.card .what{color:#4b5563;font-size:13px}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{max-width:100%;height:auto;background:#fff}
.chart-title{font-weight:600;font-size:14px}.tick,.legend,.value{font-size:11px;fill:#374151}.axis-label{font-size:12px;fill:#374151}
.plot{fill:#fafafa;stroke:#d1d5db}.grid{stroke:#e5e7eb}.chance{stroke:#9ca3af;stroke-dasharray:4 4}
table{border-collapse:collapse;margin:8px 0 12px}th,td{padding:4px 10px;text-align:right;border-bottom:1px solid #e5e7eb}
th:first-child,td:first-child{text-align:left}.note{color:#92400e;background:#fffbeb;border-left:3px solid #f59e0b;padding:4px 8px;margin:4px 0}
.muted{color:#6b7280;font-size:13px}`;

function headline(m: HorizonMetrics): string {
  const red = m.tiers.red;
  const reading =
    m.red.precision != null && m.red.recall != null
      ? `Of the accounts scored red ${m.days} days out, ${pct(m.red.precision, 0)} churned (base rate ${pct(m.baseRate, 0)}${red.lift != null ? `, ${liftText(red.lift)} lift` : ''}); red caught ${pct(m.red.recall, 0)} of all churners.`
      : 'Too few churners at this horizon for precision and recall (see the notes).';
  return `<div class="card"><div class="what">${m.days} days before the outcome · ${int(m.accounts)} accounts · ${int(m.churned)} churned</div>
<div class="big">AUC ${dec(m.auc, 2)}</div><div class="what">${e(ci(m.aucCi90, (x) => dec(x, 2)).trim()) || 'no interval'}</div><p>${e(reading)}</p></div>`;
}

function tierTable(m: HorizonMetrics): string {
  const rows = (['red', 'yellow', 'green'] as const).map((t) => {
    const s = m.tiers[t];
    return `<tr><td>${t}</td><td>${int(s.accounts)}</td><td>${int(s.churned)}</td><td>${pct(s.churnRate)}</td><td>${pct(s.expansionRate)}</td><td>${liftText(s.lift)}</td></tr>`;
  });
  return `<table><tr><th>${m.days} days · tier</th><th>accounts</th><th>churned</th><th>churn rate</th><th>expansion rate</th><th>lift</th></tr>${rows.join('')}
<tr><td>red: precision / recall</td><td colspan="5">${pct(m.red.precision)}${e(ci(m.red.precisionCi90, (x) => pct(x)))} / ${pct(m.red.recall)}${e(ci(m.red.recallCi90, (x) => pct(x)))}</td></tr>
<tr><td>red+yellow: precision / recall</td><td colspan="5">${pct(m.redYellow.precision)} / ${pct(m.redYellow.recall)}</td></tr>
<tr><td>PR AUC</td><td colspan="5">${dec(m.prAuc)}</td></tr></table>${m.notes.map((n) => `<div class="note">${e(n)}</div>`).join('')}`;
}

const rocChart = (title: string, series: { name: string; m: HorizonMetrics; color: string; dashed?: boolean }[]) =>
  lineChart({
    title,
    xLabel: 'share of non-churners flagged (false positive rate)',
    yLabel: 'share of churners caught',
    series: series.map((s) => ({
      name: `${s.name} (AUC ${dec(s.m.auc, 2)})`,
      color: s.color,
      points: s.m.roc.map((p) => ({ x: p.fpr, y: p.tpr })),
      ...(s.dashed ? { dashed: true } : {}),
    })),
    xMax: 1,
    yMax: 1,
    xTicks: [0, 0.25, 0.5, 0.75, 1],
    yTicks: [0, 0.25, 0.5, 0.75, 1],
    format: (v) => `${Math.round(v * 100)}%`,
    diagonal: true,
  });

function calibrationSection(c: FittedCalibration): string {
  const fit = c.horizons.find((h) => h.days === c.fitHorizon) as CalibratedHorizon;
  const metric = (label: string, get: (m: HorizonMetrics) => number | null) => ({
    label,
    bars: [
      { name: 'original', value: get(fit.baseline), color: BEFORE },
      { name: 'calibrated', value: get(fit), color: AFTER },
    ],
  });
  const bars = barChart({
    title: `Before / after on held-out outcomes (${fit.days} days)`,
    xLabel: `${int(fit.accounts)} held-out outcomes, ${int(fit.churned)} churned`,
    yLabel: 'value',
    groups: [
      metric('ROC AUC', (m) => m.auc),
      metric('PR AUC', (m) => m.prAuc),
      metric('red precision', (m) => m.red.precision),
      metric('red recall', (m) => m.red.recall),
    ],
    format: (v) => v.toFixed(2),
  });
  const roc = rocChart(`ROC on held-out outcomes (${fit.days} days)`, [
    { name: 'original', m: fit.baseline, color: BEFORE, dashed: true },
    { name: 'calibrated', m: fit, color: AFTER },
  ]);
  const weights = [...c.signals]
    .sort((a, b) => b.share - a.share)
    .map((s) => `<tr><td>${e(s.key)}</td><td>${e(s.layer)}</td><td>${pct(s.share)}</td><td>${e(s.note ?? '')}</td></tr>`)
    .join('');
  const dropped = c.dropped.map((d) => `<tr><td>${e(d.key)}</td><td></td><td>–</td><td>${e(d.reason)}</td></tr>`).join('');
  const perHorizon = c.horizons
    .map(
      (h) =>
        `<tr><td>${h.days} days</td><td>${int(h.accounts)}</td><td>${dec(h.baseline.auc)} → ${dec(h.auc)}</td><td>${pct(h.baseline.red.precision)} → ${pct(h.red.precision)}</td><td>${pct(h.baseline.red.recall)} → ${pct(h.red.recall)}</td><td>${int(h.baseline.red.flagged)} → ${int(h.red.flagged)}</td></tr>`,
    )
    .join('');
  return `<h2>Calibrated weights and thresholds</h2>
<p class="sub">${e(c.split)}. ${e(c.excluded.note)}.</p>
<div class="charts">${bars}${roc}</div>
<table><tr><th>held-out</th><th>outcomes</th><th>AUC</th><th>red precision</th><th>red recall</th><th>red accounts</th></tr>${perHorizon}</table>
<p>Tiers: red below ${c.tiers.yellow}, yellow ${c.tiers.yellow}–${c.tiers.green - 1}, green from ${c.tiers.green} (chosen on the training data for red recall ≥ ${c.tiers.targetRecall}).</p>
<table><tr><th>signal</th><th>layer</th><th>share of score</th><th></th></tr>${weights}${dropped}</table>
${[...c.notes, ...c.horizons.flatMap((h) => h.notes.map((n) => `${h.days} days, calibrated: ${n}`))].map((n) => `<div class="note">${e(n)}</div>`).join('')}`;
}

export function htmlReport(report: BacktestReport): string {
  const hs = report.horizons;
  const i = report.inputs;
  const lift = barChart({
    title: 'Churn lift per tier (tier churn rate ÷ base rate)',
    xLabel: 'tier',
    yLabel: 'lift',
    groups: (['red', 'yellow', 'green'] as const).map((t) => ({
      label: t,
      bars: hs.map((m, k) => ({
        name: `${m.days} days`,
        value: m.tiers[t].lift,
        color: hs.length === 1 ? TIER_COLORS[t] : (PALETTE[k] as string),
      })),
    })),
    format: (v) => `${v.toFixed(1)}×`,
    reference: { value: 1, label: 'base rate' },
  });
  const highest = Math.max(0.1, ...hs.flatMap((m) => m.calibration.map((b) => b.churnRate ?? 0)));
  const yTicks = niceTicks(highest);
  const calib = lineChart({
    title: 'Calibration: observed churn rate by score band',
    xLabel: 'health score',
    yLabel: 'churn rate',
    series: hs.map((m, k) => ({
      name: `${m.days} days`,
      color: PALETTE[k % PALETTE.length] as string,
      points: m.calibration.filter((b) => b.churnRate != null).map((b) => ({ x: (b.from + b.to) / 2, y: b.churnRate as number })),
    })),
    xMax: 100,
    yMax: yTicks[yTicks.length - 1] as number,
    xTicks: [0, 20, 40, 60, 80, 100],
    yTicks,
    format: (v) => `${Math.round(v * 100)}%`,
    xFormat: (v) => String(v),
  });
  const c = report.calibrated;
  const problems = report.problems.length
    ? `<h2>Input problems</h2><p class="sub">${int(i.badOutcomeLines ?? 0)} bad outcome line(s), ${int(i.badHistoryLines ?? 0)} bad history line(s); each was left out.</p><table><tr><th>input</th><th>line</th><th>problem</th></tr>${report.problems
        .slice(0, 50)
        .map((p) => `<tr><td>${p.source}</td><td>${p.line ?? DASH}</td><td style="text-align:left">${e(p.error)}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Backtest: ${e(report.model.label)}</title><style>${css}</style></head><body>
<h1>Does the health score predict churn?</h1>
<p class="sub">Model ${e(report.model.label)} (version ${e(report.model.version)}) scored as of ${hs.map((m) => m.days).join(' and ')} days before ${int(i.outcomesUsed)} real outcomes (renewals, churns, expansions, contractions), using only data known at the time.</p>
${report.outcomesFrom ? `<p class="sub">Outcomes: ${e(report.outcomesFrom.text)}.</p>` : ''}
<div class="cards">${hs.map(headline).join('')}</div>
<h2>How well the score ranks risk</h2>
<div class="charts">${rocChart(
    'ROC: churners caught vs non-churners flagged',
    hs.map((m, k) => ({ name: `${m.days} days`, m, color: PALETTE[k % PALETTE.length] as string })),
  )}${lift}${calib}</div>
<h2>Tiers against outcomes</h2>${hs.map(tierTable).join('')}
${c?.status === 'fitted' ? calibrationSection(c) : c ? `<h2>Calibration</h2><div class="note">Calibration at ${c.fitHorizon} days was not done: ${e(c.message)}.</div>` : ''}
${problems}
<p class="muted">Method: for each outcome and horizon H, the latest snapshot dated on or before the outcome date minus H is scored; later data is never used. Lower score = riskier. AUC 0.5 is chance, 1 is perfect. Intervals are 90% bootstrap intervals. Lift = the tier's churn rate ÷ the base churn rate. ${int(i.snapshots)} snapshots streamed.</p>
</body></html>
`;
}
