// out/report.html: a self-contained page (inline SVG, no network) with the tier distribution over
// time, the top movers, the alerts fired, and every account's score history with its drivers.
import type { Tier } from '../../lib/scoring/engine.ts';
import { topDriverTexts, weekView } from '../run/deliver.ts';
import { type AlertRow, type Portfolio, topMovers } from './portfolio.ts';

const colors: Record<Tier, string> = { green: '#2e9e5b', yellow: '#e0b000', red: '#d64545', unknown: '#9aa0a6' };
const churnedColor = '#5f6368';
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function tierChart(p: Portfolio): string {
  const w = 900;
  const h = 220;
  const n = p.days.length;
  if (n === 0) return '<p>No history yet.</p>';
  const total = Math.max(1, ...p.days.map((d) => Object.values(p.tiersByDay[d] ?? {}).reduce((a, b) => a + b, 0)));
  const bw = w / n;
  const bars = p.days
    .map((d, i) => {
      let y = h;
      return (['red', 'yellow', 'green', 'unknown'] as Tier[])
        .map((t) => {
          const v = p.tiersByDay[d]?.[t] ?? 0;
          const bh = (v / total) * h;
          y -= bh;
          return v
            ? `<rect x="${(i * bw).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="${colors[t]}"><title>${d}: ${v} ${t}</title></rect>`
            : '';
        })
        .join('');
    })
    .join('');
  return `<svg viewBox="0 0 ${w} ${h + 20}" width="100%" role="img" aria-label="Tier distribution by day">${bars}<text x="0" y="${h + 15}" font-size="11">${p.days[0]}</text><text x="${w}" y="${h + 15}" font-size="11" text-anchor="end">${p.days[n - 1]}</text></svg>`;
}

function sparkline(points: { score: number | null; tier: Tier }[]): string {
  const w = 160;
  const h = 36;
  const n = points.length;
  const xy = points.map((p, i) => (p.score === null ? null : ([n === 1 ? w / 2 : (i / (n - 1)) * w, h - (p.score / 100) * h] as const)));
  const path = xy.map((c, i) => (c ? `${i === 0 || !xy[i - 1] ? 'M' : 'L'}${c[0].toFixed(1)},${c[1].toFixed(1)}` : '')).join('');
  const last = points.at(-1);
  const bands = `<rect x="0" y="0" width="${w}" height="${h * 0.3}" fill="${colors.green}" opacity="0.08"/><rect x="0" y="${h * 0.6}" width="${w}" height="${h * 0.4}" fill="${colors.red}" opacity="0.08"/>`;
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${bands}<path d="${path}" fill="none" stroke="${colors[last?.tier ?? 'unknown']}" stroke-width="1.5"/></svg>`;
}

export function renderReport(p: Portfolio, alerts: readonly AlertRow[], title: string): string {
  const movers = topMovers(p, 12);
  const last = p.days.at(-1);
  const counts = last ? p.tiersByDay[last] : undefined;
  const rows = p.accounts
    .map((s) => {
      const r = s.latest;
      const tier = r.tierState.confirmed;
      const badge =
        s.churnedOn !== undefined
          ? `<span class="tier" style="background:${churnedColor}">churned ${esc(s.churnedOn)}</span>`
          : `<span class="tier" style="background:${colors[tier]}">${tier}</span>`;
      return `<tr><td>${esc(s.name)}<div class="id">${esc(s.accountId)}</div></td><td class="num">${r.score ?? '–'}</td><td>${badge}</td><td>${sparkline(s.points)}</td><td class="num">${r.change30d ?? '–'}</td><td>${topDriverTexts(
        r.drivers,
      )
        .map((d) => `<div>${esc(d)}</div>`)
        .join('')}</td><td>${esc(weekView(r))}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}.id{color:#777;font-size:11px}
.tier{color:#fff;border-radius:8px;padding:1px 8px;font-size:12px}.legend span{margin-right:12px}
</style></head><body>
<h1>${esc(title)}</h1>
<p>${p.accounts.length} accounts · ${p.days.length} days (${p.days[0] ?? ''} – ${last ?? ''})${counts ? ` · today: ${counts.green} green, ${counts.yellow} yellow, ${counts.red} red, ${counts.unknown} unknown` : ''}</p>
<h2>Tier distribution over time (confirmed tiers)</h2>
<div class="legend">${(['green', 'yellow', 'red', 'unknown'] as Tier[]).map((t) => `<span style="color:${colors[t]}">■ ${t}</span>`).join('')}</div>
${tierChart(p)}
<h2>Top movers</h2>
<table><tr><th>Account</th><th class="num">From</th><th class="num">To</th><th>Why (today)</th></tr>
${movers.map((m) => `<tr><td>${esc(m.series.name)}</td><td class="num">${m.from}</td><td class="num">${m.to}</td><td>${topDriverTexts(m.series.latest.drivers).map(esc).join('<br>')}</td></tr>`).join('\n')}
</table>
<h2>Alerts fired (${alerts.length})</h2>
<table><tr><th>Day</th><th>Account</th><th>Playbook</th><th>Alert</th></tr>
${alerts.map((a) => `<tr><td>${a.day}</td><td>${esc(a.name)}</td><td>${a.playbook}</td><td>${esc(a.title)}</td></tr>`).join('\n')}
</table>
<h2>Every account</h2>
<table><tr><th>Account</th><th class="num">Score</th><th>Tier</th><th>History</th><th class="num">30 d</th><th>Top drivers</th><th>Last 7 days</th></tr>
${rows}
</table>
</body></html>
`;
}
