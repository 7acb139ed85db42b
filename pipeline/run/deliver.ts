// What leaves the run: score properties written back to the CRM (only what changed), and alerts
// (a CRM task and a Slack message) for the playbook triggers, each claimed once in the store so a
// re-run never sends it twice.

import type { CrmAccount, ScoreProperties, ScoreWrite } from '../../connectors/shared/crm.ts';
import { type Alert, alertsFor } from '../../lib/history/playbooks.ts';
import { urgentEventAlerts } from '../../lib/history/urgent-events.ts';
import type { Driver } from '../../lib/scoring/engine.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { AccountState, BatchSummary, DayRecord, PendingAlert, RecentDay } from '../store/records.ts';
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
    lastChange: r.lastChange?.text ?? '',
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
  frozen: readonly ScoreWrite[] = [],
): Promise<void> {
  const rows: ScoreWrite[] = [
    ...records.map((r) => ({
      accountId: r.accountId,
      values: toScoreProperties(r, asOf),
      previous: states.get(r.accountId)?.crm,
    })),
    ...frozen,
  ];
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

/** Delivery attempts (one per run) before an undeliverable alert is dropped and reported. */
export const MAX_ALERT_ATTEMPTS = 5;

/** The 7-day view every alert carries: what changed against the score 7 days ago. */
export function weekView(r: DayRecord): string {
  return r.changes?.week?.text ?? 'no score 7 days ago to compare with';
}

function newPendingAlert(r: DayRecord, alert: Alert, account: CrmAccount | undefined, name: string, deps: RunDeps): PendingAlert {
  const drivers = topDriverTexts(r.drivers);
  const week = weekView(r);
  return {
    key: alert.key,
    playbook: alert.playbook,
    day: r.day,
    title: alert.title,
    body: [
      `Health score ${r.score ?? '–'} (${r.tierState.confirmed}).`,
      'Why:',
      ...drivers.map((d) => `- ${d}`),
      `Last 7 days: ${week}`,
      `Playbook: ${alert.playbook} (${alert.audience.join(', ')})`,
    ].join('\n'),
    due: alert.due,
    priority: alert.priority,
    ...(account?.ownerId ? { ownerId: account.ownerId } : {}),
    slack: {
      title: alert.title,
      accountName: name,
      score: r.score,
      tier: r.tierState.confirmed,
      drivers,
      change: week,
      recordUrl: deps.crm.recordUrl(r.accountId),
      due: alert.due,
    },
    owes: deps.slack ? ['task', 'slack'] : ['task'],
    attempts: 0,
  };
}

/** Tries every channel an alert still owes; what fails stays owed for the next run. */
async function deliver(deps: RunDeps, accountId: string, p: PendingAlert): Promise<void> {
  p.attempts++;
  const owed: PendingAlert['owes'] = [];
  for (const channel of p.owes) {
    try {
      if (channel === 'task') {
        await deps.crm.createTask({
          accountId,
          ...(p.ownerId ? { ownerId: p.ownerId } : {}),
          title: p.title,
          body: p.body,
          dueDate: p.due,
          priority: p.priority,
        });
      } else if (deps.slack) {
        await deps.slack.send(p.slack);
      }
    } catch (err) {
      owed.push(channel);
      deps.log?.(`alert.${channel}_failed`, { accountId, key: p.key, attempt: p.attempts, error: (err as Error).message });
    }
  }
  p.owes = owed;
}

/** The playbook alerts a day's result triggers (before de-duplication against the alerts already claimed). */
export function alertsDue(r: DayRecord, previous: RecentDay | undefined, accountName: string, confirmHours?: number): Alert[] {
  const change =
    previous && !r.rebaseline && previous.tierState.confirmed !== r.tierState.confirmed
      ? { from: previous.tierState.confirmed, to: r.tierState.confirmed }
      : null;
  const tierAndStreaks = alertsFor({
    day: r.day,
    ...(r.asOf ? { at: r.asOf } : {}),
    ...(confirmHours !== undefined ? { confirmHours } : {}),
    accountName,
    score: r.score,
    change,
    state: r.tierState,
    renewalRiskSince: r.renewalRiskSince,
    urgentDrop: r.urgentDrop,
    urgentSince: r.urgentSince,
  });
  return [...urgentEventAlerts(accountName, r.day, r.eventsSince ?? {}), ...tierAndStreaks];
}

/**
 * Claims each alert's key (and the keys it absorbs) in the store, so no later run raises it again;
 * returns the alerts not claimed before. In shadow mode the claim is all that happens (marked so).
 */
export async function claimAlerts(store: DynamoStore, r: DayRecord, alerts: readonly Alert[], shadow = false): Promise<Alert[]> {
  const fresh: Alert[] = [];
  const mark = shadow ? { shadow: true } : {};
  for (const alert of alerts) {
    if (!(await store.claimAlert(r.accountId, alert.key, { playbook: alert.playbook, day: r.day, title: alert.title, ...mark }))) continue;
    for (const key of alert.alsoClaims ?? [])
      await store.claimAlert(r.accountId, key, { playbook: 'absorbed', day: r.day, title: `covered by ${alert.key}`, ...mark });
    fresh.push(alert);
  }
  return fresh;
}

/**
 * Alerts for the day's playbook triggers, each claimed once in the store (a re-run never raises it
 * again) and delivered exactly once per channel: a CRM task, and a Slack message when configured.
 * A channel that fails is retried on the next runs (kept in the account's state) before giving up.
 */
export async function deliverAlerts(
  deps: RunDeps,
  records: readonly DayRecord[],
  histories: Map<string, RecentDay[]>,
  accounts: Map<string, CrmAccount>,
  states: Map<string, AccountState>,
  summary: BatchSummary,
): Promise<void> {
  for (const r of records) {
    const account = accounts.get(r.accountId);
    const name = account?.name ?? r.accountId;
    const alerts = alertsDue(r, histories.get(r.accountId)?.at(-1), name, deps.cadence?.confirmHours);
    const state = states.get(r.accountId);
    const pending: PendingAlert[] = [...(state?.pendingAlerts ?? [])];
    for (const alert of await claimAlerts(deps.store, r, alerts)) pending.push(newPendingAlert(r, alert, account, name, deps));
    const still: PendingAlert[] = [];
    for (const p of pending) {
      const owedBefore = new Set(p.owes);
      await deliver(deps, r.accountId, p);
      if (p.owes.length === 0) {
        summary.alerts.push({
          accountId: r.accountId,
          playbook: p.playbook,
          key: p.key,
          task: owedBefore.has('task'),
          slack: owedBefore.has('slack'),
        });
      } else if (p.attempts >= MAX_ALERT_ATTEMPTS) {
        summary.writeProblems.push({
          accountId: r.accountId,
          status: 'alert_undelivered',
          reason: `${p.key}: ${p.owes.join(' and ')} failed ${p.attempts} times`,
        });
      } else {
        still.push(p);
      }
    }
    if (state) {
      if (still.length > 0) state.pendingAlerts = still;
      else delete state.pendingAlerts;
    }
  }
}
