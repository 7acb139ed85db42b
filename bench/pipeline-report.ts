// Prints the pipeline benchmark's figures: per day and vendor the calls against their minimum and
// the wall time against the rate-limit minimum (vendor time = real time × scale), which endpoints
// made the difference, what day 2 wrote to the CRM and why, and the run process's memory per size.
import { estimateCrmCallsPerBatch } from '../cdk/concurrency.ts';
import type { DayResult, SizeResult } from './pipeline.ts';
import { CONNECTOR_BUDGETS, LIMITS, planThenBatchesFloorMs, wallFor } from './pipeline-minimums.ts';

const VENDORS = ['hubspot', 'stripe', 'zendesk', 'mixpanel', 'slack'] as const;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const secs = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${n(ms / 1000)} s`);
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '1.00' : '–') : (a / b).toFixed(2));
const pad = (s: string, w: number) => s.padStart(w);
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** Real ms from a vendor's first to its last answer, per phase (plan | batches), summed: idle time between phases is not its. */
function span(times: readonly number[], cut: number): number {
  let total = 0;
  for (const phase of [times.filter((t) => t <= cut), times.filter((t) => t > cut)])
    if (phase.length > 1) total += Math.max(...phase) - Math.min(...phase);
  return total;
}

interface Row {
  vendor: string;
  calls: number;
  minCalls: number;
  rateLimited: number;
  wallMs: number;
  minWallMs: number;
}

function rows(d: DayResult, scale: number): Row[] {
  return VENDORS.map((vendor) => ({
    vendor,
    calls: d.run.calls[vendor] ?? 0,
    minCalls: d.min[vendor]?.calls ?? 0,
    rateLimited: d.run.rateLimited[vendor] ?? 0,
    wallMs: span(d.vendors.vendors[vendor]?.times ?? [], d.run.plannedAt) * scale,
    minWallMs: d.min[vendor]?.wallMs ?? 0,
  }));
}

function printDay(r: SizeResult, d: DayResult): void {
  const run = d.run;
  const wall = (run.endedAt - run.startedAt) * r.scale;
  console.log(
    `\nday ${d.dayNumber} (${run.day}${d.dayNumber === 1 ? ', first run: backfill' : ', nothing new in any vendor'}): ${n(run.scored)} of ${n(run.accounts)} scored · run ${secs(run.endedAt - run.startedAt)} real = ${secs(wall)} vendor (plan ${secs((run.plannedAt - run.startedAt) * r.scale)}, batches ${secs((run.endedAt - run.plannedAt) * r.scale)}) · CPU: run process ${secs(run.cpuMs)}, vendors' process ${secs(d.vendors.cpuMs)}`,
  );
  console.log(`  vendor        calls   min calls  ratio   429s   wall (vendor)   min wall  ratio`);
  const table = rows(d, r.scale);
  for (const x of table) {
    const wallRatio = x.minWallMs === 0 ? '–' : ratio(x.wallMs, x.minWallMs);
    console.log(
      `  ${x.vendor.padEnd(9)} ${pad(n(x.calls), 9)} ${pad(n(x.minCalls), 11)} ${pad(ratio(x.calls, x.minCalls), 6)} ${pad(n(x.rateLimited), 6)} ${pad(secs(x.wallMs), 15)} ${pad(secs(x.minWallMs), 10)} ${pad(wallRatio, 6)}`,
    );
  }
  const runMin = Math.max(...table.map((x) => x.minWallMs));
  console.log(
    `  ${'whole run'.padEnd(9)} ${pad(n(table.reduce((a, x) => a + x.calls, 0)), 9)} ${pad(n(table.reduce((a, x) => a + x.minCalls, 0)), 11)} ${pad(
      ratio(
        table.reduce((a, x) => a + x.calls, 0),
        table.reduce((a, x) => a + x.minCalls, 0),
      ),
      6,
    )} ${pad(n(table.reduce((a, x) => a + x.rateLimited, 0)), 6)} ${pad(secs(wall), 15)} ${pad(secs(runMin), 10)} ${pad(ratio(wall, runMin), 6)}`,
  );
  const phased = planThenBatchesFloorMs(d.min);
  console.log(
    `  whole-run min wall = the slowest vendor (all overlapped); syncing before scoring, as the run does, the floor is ${secs(phased)} (×${ratio(wall, phased)})`,
  );
  for (const x of table) {
    const parts = d.min[x.vendor]?.parts ?? [];
    const made = d.vendors.vendors[x.vendor]?.byEndpoint ?? {};
    if (x.calls === x.minCalls && Object.keys(made).every((k) => parts.some(([p]) => p === k))) continue;
    const labels = [...new Set([...parts.map(([p]) => p), ...Object.keys(made)])];
    const text = labels.map((l) => `${l} ${n(made[l] ?? 0)}/${n(parts.find(([p]) => p === l)?.[1] ?? 0)}`).join(' · ');
    console.log(`  ${x.vendor} made/min by endpoint: ${text}`);
  }
  for (const x of table) {
    if (x.minWallMs === 0) continue;
    const made = d.vendors.vendors[x.vendor]?.byEndpoint ?? {};
    const floor = wallFor(x.vendor, made, LIMITS);
    const budget = wallFor(x.vendor, made, CONNECTOR_BUDGETS);
    console.log(
      `  ${x.vendor} pacing: the ${n(x.calls)} calls made need ≥ ${secs(floor)} at the documented limits, ≥ ${secs(budget)} at the connector's budget; took ${secs(x.wallMs)} (×${ratio(x.wallMs, budget)} the budget's floor)`,
    );
  }
  const made = d.vendors.vendors.hubspot?.byEndpoint ?? {};
  const perBatch = ((d.run.calls.hubspot ?? 0) - (made['list companies'] ?? 0)) / Math.ceil(run.accounts / r.batchSize);
  console.log(
    `  HubSpot calls per batch of ${r.batchSize}: ${perBatch.toFixed(1)} measured (reads, write-back, tasks) · cdk/concurrency.ts assumes ${estimateCrmCallsPerBatch('hubspot', r.batchSize)} unless the deploy config's crmCallsPerBatch says otherwise`,
  );
  const w = run.writes;
  console.log(
    `  CRM write-back: ${n(w.written)} written, ${n(w.unchanged)} unchanged, ${n(w.failed + w.rejected)} failed/rejected, in ${n(w.calls)} calls · alerts ${n(run.alerts)} (tasks ${n(d.vendors.tasksCreated)}, Slack ${n(d.vendors.slackMessages)})${Object.keys(run.failedSources).length ? ` · FAILED SOURCES ${JSON.stringify(run.failedSources)}` : ''}`,
  );
  if (d.diff) printWrites(d);
  const st = run.steps;
  const mem = (k: string) => `${n(st[k]?.heapMb ?? 0)} MB`;
  const syncs = Object.keys(st).filter((k) => k.endsWith(' sync'));
  console.log(
    `  run process heap peak: plan ${mem('plan')} (${syncs.map((k) => `${k} ${mem(k)}`).join(', ')}), batches ${mem('batches')} (live after GC: ${n(st.batches?.startHeapMb ?? 0)} MB when they start, at most ${n(run.batchLiveHeapMb)} MB after a batch) · RSS peak ${n(Math.max(...Object.values(st).map((x) => x.rssMb)))} MB`,
  );
}

function printWrites(d: DayResult): void {
  const diff = d.diff;
  if (!diff) return;
  const target = d.dayNumber === 2 ? 'target 0' : 'steady state';
  console.log(`  CRM writes with nothing new in any vendor (${target}): ${n(diff.companies)} companies' score properties changed`);
  if (diff.companies === 0) return;
  const by = Object.entries(diff.byProperty).sort((a, b) => b[1] - a[1]);
  console.log(`    properties written: ${by.map(([k, v]) => `${k} ${n(v)}`).join(' · ')}`);
  for (const [k] of by) if (k !== 'healthscore_updated_at') console.log(`      ${k}, e.g. ${diff.examples[k]}`);
  const c = diff.causes;
  const fields = Object.entries(c.fields).sort((a, b) => b[1] - a[1]);
  console.log(
    `    result fields that moved (${n(c.examined)} companies examined): ${fields.map(([k, v]) => `${k} ${n(v)}`).join(' · ') || 'none'}`,
  );
  const signal = ([k, changed, appeared, gone]: [string, number, number, number]) =>
    `${k} ${[changed ? `${n(changed)} changed` : '', appeared ? `${n(appeared)} newly known` : '', gone ? `${n(gone)} no longer known` : ''].filter(Boolean).join(', ')}`;
  console.log(`    input signals that differ: ${c.signals.slice(0, 8).map(signal).join(' · ') || 'none'}`);
}

function printTargets(r: SizeResult): void {
  console.log(`\ntargets (${n(r.accounts)} accounts; vendors with no rate-limit wait in their minimum have no wall target):`);
  for (const d of r.days) {
    const table = rows(d, r.scale);
    const calls = table
      .filter((x) => x.minCalls > 0 || x.calls > 0)
      .map((x) => `${x.vendor} ${ratio(x.calls, x.minCalls)} ${mark(x.calls <= 1.1 * x.minCalls)}`);
    const walls = table
      .filter((x) => x.minWallMs > 0)
      .map((x) => `${x.vendor} ${ratio(x.wallMs, x.minWallMs)} ${mark(x.wallMs <= 1.3 * x.minWallMs)}`);
    const runWall = (d.run.endedAt - d.run.startedAt) * r.scale;
    const runMin = Math.max(...table.map((x) => x.minWallMs));
    console.log(`  day ${d.dayNumber} calls ≤ 1.1 × min: ${calls.join(' · ')}`);
    console.log(
      `  day ${d.dayNumber} wall ≤ 1.3 × rate-limit min: ${walls.join(' · ') || 'no vendor waits'} · whole run ${ratio(runWall, runMin)} ${mark(runWall <= 1.3 * runMin)}`,
    );
  }
  for (const d of r.days.slice(1))
    console.log(
      `  day ${d.dayNumber} CRM writes = 0${d.dayNumber > 2 ? ' (steady state, not a target)' : ''}: ${n(d.run.writes.calls)} calls for ${n(d.run.writes.written)} companies ${mark(d.run.writes.calls === 0)}`,
    );
}

export function printSize(r: SizeResult, full: boolean): void {
  if (!full) {
    const line = (d: DayResult) =>
      `day ${d.dayNumber} ${secs((d.run.endedAt - d.run.startedAt) * r.scale)} vendor, ${n(Object.values(d.run.calls).reduce((a, b) => a + b, 0))} calls, ${n(d.run.writes.written)} CRM writes`;
    console.log(`\n${n(r.accounts)} accounts (for the memory comparison): seeded in ${secs(r.seedMs)}; ${r.days.map(line).join('; ')}`);
    return;
  }
  const c = r.counts;
  console.log(
    `\n${n(r.accounts)} accounts seeded in ${secs(r.seedMs)} real (not part of any run): HubSpot ${n(c.hubspot.contacts)} contacts, ${n(c.hubspot.emails)} emails, ${n(c.hubspot.meetings)} meetings · Stripe ${n(c.stripe.subscriptions)} subscriptions, ${n(c.stripe.openInvoices)} open invoices · Zendesk ${n(c.zendesk.tickets)} tickets, ${n(c.zendesk.ratingTimes.length)} ratings · Mixpanel ${n(c.mixpanel.events)} events in ${n(c.mixpanel.groups)} groups`,
  );
  for (const d of r.days) printDay(r, d);
  printTargets(r);
}

export function printMemory(results: readonly SizeResult[]): void {
  const [small, large] = results;
  if (!small) return;
  const mem = (r: SizeResult) =>
    `${n(r.accounts)} accounts: run process peak RSS ${n(r.runnerRssMb)} MB (after start-up ${n(r.runnerIdleRssMb)} MB, heap peak ${n(r.runnerHeapMb)} MB); vendors' process ${n(r.worldRssMb)} MB`;
  console.log(`\nmemory      ${mem(small)}`);
  if (!large) return;
  console.log(`            ${mem(large)}`);
  const peaks = (r: SizeResult) => {
    const out: Record<string, number> = {};
    for (const d of r.days) for (const [k, v] of Object.entries(d.run.steps)) out[k] = Math.max(out[k] ?? 0, v.heapMb);
    return out;
  };
  const [ps, pl] = [peaks(small), peaks(large)];
  const live = (r: SizeResult) => n(Math.max(...r.days.map((d) => d.run.batchLiveHeapMb)));
  console.log(
    `            heap peak by step, ${n(small.accounts)} → ${n(large.accounts)} accounts: ${Object.keys(pl)
      .map((k) => `${k} ${n(ps[k] ?? 0)} → ${n(pl[k] ?? 0)} MB`)
      .join(' · ')} · live heap after a batch ${live(small)} → ${live(large)} MB`,
  );
  const growth = large.runnerRssMb / small.runnerRssMb;
  const perThousand = ((large.runnerRssMb - small.runnerRssMb) / (large.accounts - small.accounts)) * 1000;
  console.log(
    `            peak RSS ×${growth.toFixed(2)} for ×${(large.accounts / small.accounts).toFixed(0)} accounts (+${perThousand.toFixed(1)} MB per 1,000 accounts): ${growth <= 1.2 ? 'flat (within 20%)' : 'NOT flat — grows with the portfolio'}`,
  );
  const batchLive = (r: SizeResult) => Math.max(...r.days.map((d) => d.run.batchLiveHeapMb));
  const batchGrowth = batchLive(large) / Math.max(1, batchLive(small));
  const grew = Object.keys(pl).filter((k) => k.endsWith(' sync') && (pl[k] ?? 0) > 1.2 * (ps[k] ?? 0));
  console.log(
    `            batches: live heap ×${batchGrowth.toFixed(2)} — ${batchGrowth <= 1.2 ? 'flat, they stream' : 'grows: batches keep something per account'}; portfolio-wide steps whose heap peak grows more than 20%: ${grew.join(', ') || 'none'}`,
  );
}
