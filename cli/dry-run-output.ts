// How `healthscore run --dry-run` prints its preview: per account the signals and where each came
// from, the score, tier and drivers, the alerts a run would raise, and each CRM property a run
// would change (current value → new value); then one line of totals.
import type { DryRunAccount, DryRunResult } from '../pipeline/dry-run/dry-run.ts';
import { topDriverTexts } from '../pipeline/run/deliver.ts';

const shown = (v: string | null) => (v === null || v === '' ? '(empty)' : JSON.stringify(v));

function formatAccount(a: DryRunAccount): string[] {
  const lines = [
    `${a.name ?? a.accountId} (${a.accountId}): score ${a.score ?? '-'}, ${a.tier} (confirmed ${a.confirmedTier}), completeness ${Math.round(a.completeness * 100)}%, model ${a.model}${a.flags.length ? `, flags ${a.flags.join(', ')}` : ''}`,
    '  signals:',
  ];
  const width = Math.max(0, ...a.signals.map((s) => s.key.length));
  for (const s of a.signals) lines.push(`    ${s.key.padEnd(width)}  ${String(s.value).padEnd(12)}  ${s.source}`);
  if (a.failedSources.length) lines.push(`    (no signals from ${a.failedSources.join(', ')}: the source failed)`);
  const drivers = topDriverTexts(a.drivers, 5);
  lines.push(`  drivers:${drivers.length ? '' : ' none'}`, ...drivers.map((d) => `    ${d}`));
  if (a.changes.length === 0) lines.push('  CRM: nothing to write (unchanged)');
  else {
    lines.push(`  CRM would change ${a.changes.length} properties:`);
    const w = Math.max(...a.changes.map((c) => c.property.length));
    for (const c of a.changes) lines.push(`    ${c.property.padEnd(w)}  ${shown(c.from)} → ${shown(c.to)}`);
  }
  lines.push(`  alerts:${a.alerts.length ? '' : ' none'}`, ...a.alerts.map((x) => `    ${x.title} (${x.playbook})`));
  return lines;
}

export function formatDryRun(r: DryRunResult): string {
  const out: string[] = [];
  for (const a of r.accounts) out.push(...formatAccount(a), '');
  const writing = r.accounts.filter((a) => a.changes.length > 0);
  const changes = writing.reduce((n, a) => n + a.changes.length, 0);
  const alerts = r.accounts.reduce((n, a) => n + a.alerts.length, 0);
  out.push(
    `dry run ${r.day}: ${r.accounts.length} accounts previewed; a run would write ${changes} property changes on ${writing.length} accounts and raise ${alerts} alerts`,
  );
  for (const id of r.notFound) out.push(`NOT FOUND: ${id} is not among the CRM's accounts`);
  for (const [source, why] of Object.entries(r.failedSources)) out.push(`SOURCE FAILED ${source}: ${why}`);
  for (const e of r.dataErrors) out.push(`NOT SCORED ${e.accountId}: ${e.error}`);
  const unmatched = Object.entries(r.unmatched).filter(([, n]) => n > 0);
  if (unmatched.length) out.push(`unmatched: ${unmatched.map(([k, v]) => `${k} ${v}`).join(', ')}; rejected records: ${r.rejected.length}`);
  out.push(
    `nothing was written: vendor calls ${
      Object.entries(r.calls)
        .filter(([, n]) => n > 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    } (reads only)${r.storedState ? '; source state read from the table' : '; no stored source state (syncs started from nothing)'}`,
  );
  return out.join('\n');
}
