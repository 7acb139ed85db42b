// Shadow mode's stand-ins for write-back and alerting: the run scores and keeps history as usual,
// but nothing reaches the CRM and no alert is sent; the batch summary counts what a live run would
// have written and alerted. Alerts are still claimed in the store, so a tier change confirmed while
// in shadow counts as already confirmed once the mode goes live (no alert storm), while the CRM
// values last written stay as they were, so the first live run writes today's values once.
import { type CrmAccount, changedProperties, type ScoreWrite } from '../../connectors/shared/crm.ts';
import type { AccountState, DayRecord, RecentDay, ShadowCounts } from '../store/records.ts';
import { alertsDue, claimAlerts, toScoreProperties } from './deliver.ts';
import type { RunDeps } from './deps.ts';

export function emptyShadowCounts(): ShadowCounts {
  return { writes: 0, properties: 0, alerts: [] };
}

/** Counts the CRM changes a live run would write (the same change detection as the CRM sinks). */
export function countShadowWrites(
  records: readonly DayRecord[],
  states: Map<string, AccountState>,
  asOf: Date,
  into: ShadowCounts,
  frozen: readonly ScoreWrite[] = [],
): void {
  const rows = [...records.map((r) => ({ values: toScoreProperties(r, asOf), previous: states.get(r.accountId)?.crm })), ...frozen];
  for (const row of rows) {
    const changed = changedProperties(row.values, row.previous);
    if (changed.length === 0) continue;
    into.writes++;
    into.properties += changed.length;
  }
}

/** Claims the day's alerts without sending them, and lists them as what a live run would have sent. */
export async function claimShadowAlerts(
  deps: RunDeps,
  records: readonly DayRecord[],
  histories: Map<string, RecentDay[]>,
  accounts: Map<string, CrmAccount>,
  into: ShadowCounts,
): Promise<void> {
  for (const r of records) {
    const name = accounts.get(r.accountId)?.name ?? r.accountId;
    for (const a of await claimAlerts(
      deps.store,
      r,
      alertsDue(r, histories.get(r.accountId)?.at(-1), name, deps.cadence?.confirmHours),
      true,
    ))
      into.alerts.push({ accountId: r.accountId, playbook: a.playbook, key: a.key, title: a.title });
  }
}
