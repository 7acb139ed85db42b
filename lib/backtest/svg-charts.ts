// Inline SVG charts (no script, no external reference) for the HTML report: a line chart (ROC,
// calibration curve) and a grouped bar chart (lift per tier, before/after).

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

export interface Bar {
  name: string;
  value: number | null;
  color: string;
}

export const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444', '#0891b2'];
export const TIER_COLORS = { red: '#dc2626', yellow: '#eab308', green: '#16a34a' } as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const W = 460;
const H = 300;
const M = { left: 52, right: 16, top: 50, bottom: 44 };
const plotW = W - M.left - M.right;
const plotH = H - M.top - M.bottom;
const f1 = (x: number) => x.toFixed(1);

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  return [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<text x="${M.left}" y="18" class="chart-title">${escapeHtml(title)}</text>`,
    ...body,
    `<text x="${M.left + plotW / 2}" y="${H - 8}" text-anchor="middle" class="axis-label">${escapeHtml(xLabel)}</text>`,
    `<text transform="translate(14 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis-label">${escapeHtml(yLabel)}</text>`,
    '</svg>',
  ].join('');
}

/** One row of legend items between the title and the plot, so it never covers data. */
function legend(items: { name: string; color: string; dashed?: boolean }[]): string[] {
  let x = M.left;
  return items.map((it) => {
    const y = 34;
    const out = `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${it.color}" stroke-width="3"${it.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="${x + 24}" y="${y + 4}" class="legend">${escapeHtml(it.name)}</text>`;
    x += 24 + it.name.length * 6 + 18;
    return out;
  });
}

/** About five round tick values from 0 to at least `max` (steps of 1, 2, 2.5 or 5 × 10ⁿ). */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = 0; t < max + step - 1e-9; t += step) ticks.push(Math.round(t * 1e9) / 1e9);
  return ticks;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xMax: number;
  yMax: number;
  xTicks: number[];
  yTicks: number[];
  format: (v: number) => string;
  xFormat?: (v: number) => string;
  /** Draw the chance line y = x (ROC). */
  diagonal?: boolean;
}

export function lineChart(o: LineChartOptions): string {
  const sx = (x: number) => M.left + (x / o.xMax) * plotW;
  const sy = (y: number) => M.top + plotH - (Math.min(y, o.yMax) / o.yMax) * plotH;
  const xf = o.xFormat ?? o.format;
  const body: string[] = [`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" class="plot"/>`];
  for (const t of o.yTicks) {
    body.push(
      `<line x1="${M.left}" y1="${f1(sy(t))}" x2="${M.left + plotW}" y2="${f1(sy(t))}" class="grid"/><text x="${M.left - 6}" y="${f1(sy(t) + 4)}" text-anchor="end" class="tick">${escapeHtml(o.format(t))}</text>`,
    );
  }
  for (const t of o.xTicks) {
    body.push(`<text x="${f1(sx(t))}" y="${M.top + plotH + 16}" text-anchor="middle" class="tick">${escapeHtml(xf(t))}</text>`);
  }
  if (o.diagonal) body.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(o.xMax)}" y2="${sy(o.yMax)}" class="chance"/>`);
  for (const s of o.series) {
    if (s.points.length === 0) continue;
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${f1(sx(p.x))} ${f1(sy(p.y))}`).join(' ');
    body.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (s.points.length <= 12) {
      for (const p of s.points) body.push(`<circle cx="${f1(sx(p.x))}" cy="${f1(sy(p.y))}" r="3" fill="${s.color}"/>`);
    }
  }
  body.push(...legend(o.series));
  return frame(o.title, o.xLabel, o.yLabel, body);
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  xLabel: string;
  groups: { label: string; bars: Bar[] }[];
  format: (v: number) => string;
  /** A horizontal reference line, e.g. lift 1 = the base rate. */
  reference?: { value: number; label: string };
}

export function barChart(o: BarChartOptions): string {
  const values = o.groups.flatMap((g) => g.bars.map((b) => b.value ?? 0));
  const ticks = niceTicks(Math.max(o.reference?.value ?? 0, ...values) * 1.1);
  const top = ticks[ticks.length - 1] as number;
  const sy = (y: number) => M.top + plotH - (y / top) * plotH;
  const body: string[] = [`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" class="plot"/>`];
  for (const t of ticks) {
    body.push(
      `<line x1="${M.left}" y1="${f1(sy(t))}" x2="${M.left + plotW}" y2="${f1(sy(t))}" class="grid"/><text x="${M.left - 6}" y="${f1(sy(t) + 4)}" text-anchor="end" class="tick">${escapeHtml(o.format(t))}</text>`,
    );
  }
  const groupW = plotW / Math.max(1, o.groups.length);
  o.groups.forEach((g, gi) => {
    const barW = Math.min(40, (groupW * 0.8) / Math.max(1, g.bars.length));
    const x0 = M.left + gi * groupW + (groupW - barW * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      const x = x0 + bi * barW;
      if (b.value === null) {
        body.push(`<text x="${f1(x + barW / 2)}" y="${M.top + plotH - 4}" text-anchor="middle" class="tick">–</text>`);
        return;
      }
      body.push(
        `<rect x="${f1(x + 1)}" y="${f1(sy(b.value))}" width="${f1(barW - 2)}" height="${f1(M.top + plotH - sy(b.value))}" fill="${b.color}"><title>${escapeHtml(`${g.label} · ${b.name}: ${o.format(b.value)}`)}</title></rect>`,
        `<text x="${f1(x + barW / 2)}" y="${f1(sy(b.value) - 3)}" text-anchor="middle" class="value">${escapeHtml(o.format(b.value))}</text>`,
      );
    });
    body.push(
      `<text x="${f1(M.left + gi * groupW + groupW / 2)}" y="${M.top + plotH + 16}" text-anchor="middle" class="tick">${escapeHtml(g.label)}</text>`,
    );
  });
  if (o.reference) {
    const y = f1(sy(o.reference.value));
    body.push(
      `<line x1="${M.left}" y1="${y}" x2="${M.left + plotW}" y2="${y}" class="chance"/><text x="${M.left + 4}" y="${Number(y) - 4}" class="legend">${escapeHtml(o.reference.label)}</text>`,
    );
  }
  const names = [...new Map(o.groups.flatMap((g) => g.bars.map((b) => [b.name, b.color] as const))).entries()];
  if (names.length > 1) body.push(...legend(names.map(([name, color]) => ({ name, color }))));
  return frame(o.title, o.xLabel, o.yLabel, body);
}
