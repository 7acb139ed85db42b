// What leaves the run: score properties written back to the CRM (only what changed), and alerts
// (a CRM task and a Slack message) for the playbook triggers, each claimed once in the store so a
// re-run never sends it twice.

import type { CrmAccount, ScoreProperties, ScoreWrite } from '../../connectors/shared/crm.ts';
import { alertsFor } from '../../lib/history/playbooks.ts';
import type { Driver } from '../../lib/scoring/engine.ts';
import type { AccountState, BatchSummary, DayRecord, RecentDay } from '../store/records.ts';
import type { RunDeps } from './deps.ts';

/** The driver sentences a CSM sees first: rules, data warnings and the signals that cost points. */
export function topDriverTexts(drivers: readonly Driver[], n = 3): string[] {
  return drivers
    .filter((d) => d.kind !== 'signal' || d.impact < 0)
    .slice(0, n)
    .map((d) => d.text);
}

export function toScoreProperties(r: DayRecord, asOf: Date): ScoreProperties {
  return {
    score: r.score,
    // The day's tier, read from the day's score: a CSM never sees "40, green". Alerts follow the confirmed tier.
    tier: r.tier,
    drivers: topDriverTexts(r.drivers).join('\n'),
    change7d: r.change7d,
    change30d: r.change30d,
    completeness: r.completeness,
    flags: r.flags.join(','),
    modelId: `${r.model}@${r.modelVersion}`,
    updatedAt: asOf.toISOString(),
  };
}

export async function writeBack(
  deps: RunDeps,
  records: readonly DayRecord[],
  states: Map<string, AccountState>,
  asOf: Date,
  summary: BatchSummary,
  signal?: AbortSignal,
): Promise<void> {
  const rows: ScoreWrite[] = records.map((r) => ({
    accountId: r.accountId,
    values: toScoreProperties(r, asOf),
    previous: states.get(r.accountId)?.crm,
  }));
  const report = await deps.crm.writeScores(rows, signal);
  summary.writes.calls += report.calls;
  for (const o of report.outcomes) {
    summary.writes[o.status]++;
    if (o.status === 'written' && o.written) {
      const state = states.get(o.accountId);
      if (state) state.crm = o.written;
    }
    if (o.status === 'rejected' || o.status === 'failed')
      summary.writeProblems.push({ accountId: o.accountId, status: o.status, reason: o.reason ?? '' });
  }
}

export async function deliverAlerts(
  deps: RunDeps,
  records: readonly DayRecord[],
  histories: Map<string, RecentDay[]>,
  accounts: Map<string, CrmAccount>,
  summary: BatchSummary,
): Promise<void> {
  for (const r of records) {
    const previous = histories.get(r.accountId)?.at(-1);
    const account = accounts.get(r.accountId);
    const name = account?.name ?? r.accountId;
    const change =
      previous && previous.tierState.confirmed !== r.tierState.confirmed
        ? { from: previous.tierState.confirmed, to: r.tierState.confirmed }
        : null;
    const alerts = alertsFor({
      day: r.day,
      accountName: name,
      score: r.score,
      change,
      state: r.tierState,
      renewalRiskSince: r.renewalRiskSince,
      urgentDrop: r.urgentDrop,
      urgentSince: r.urgentSince,
    });
    for (const alert of alerts) {
      if (!(await deps.store.claimAlert(r.accountId, alert.key, { playbook: alert.playbook, day: r.day, title: alert.title }))) continue;
      for (const key of alert.alsoClaims ?? [])
        await deps.store.claimAlert(r.accountId, key, { playbook: 'absorbed', day: r.day, title: `covered by ${alert.key}` });
      const drivers = topDriverTexts(r.drivers);
      let task = false;
      let slack = false;
      try {
        await deps.crm.createTask({
          accountId: r.accountId,
          ...(account?.ownerId ? { ownerId: account.ownerId } : {}),
          title: alert.title,
          body: [
            `Health score ${r.score ?? '–'} (${r.tierState.confirmed}).`,
            'Why:',
            ...drivers.map((d) => `- ${d}`),
            `Playbook: ${alert.playbook} (${alert.audience.join(', ')})`,
          ].join('\n'),
          dueDate: alert.due,
          priority: alert.priority,
        });
        task = true;
      } catch (err) {
        deps.log?.('alert.task_failed', { accountId: r.accountId, key: alert.key, error: (err as Error).message });
      }
      if (deps.slack) {
        try {
          await deps.slack.send({
            title: alert.title,
            accountName: name,
            score: r.score,
            tier: r.tierState.confirmed,
            drivers,
            recordUrl: deps.crm.recordUrl(r.accountId),
            due: alert.due,
          });
          slack = true;
        } catch (err) {
          deps.log?.('alert.slack_failed', { accountId: r.accountId, key: alert.key, error: (err as Error).message });
        }
      }
      if (!task && !slack) {
        for (const key of [alert.key, ...(alert.alsoClaims ?? [])]) await deps.store.releaseAlert(r.accountId, key);
        continue;
      }
      summary.alerts.push({ accountId: r.accountId, playbook: alert.playbook, key: alert.key, task, slack });
    }
  }
}
