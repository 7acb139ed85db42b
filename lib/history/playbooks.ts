// The default playbooks (scoring-method.md §4): which alerts a day's result triggers. Each alert
// carries a dedupe key, so it is sent exactly once however often the day is re-run.

import { addDays, daysBetween } from '../days.ts';
import type { Tier } from '../scoring/engine.ts';
import { DEFAULT_CONFIRM_HOURS, hoursBetween, type TierChange, type TierState } from './confirmation.ts';

export type PlaybookId =
  | 'tier_down_yellow'
  | 'tier_down_red'
  | 'recovery'
  | 'expansion'
  | 'exec_escalation'
  | 'renewal_risk'
  | 'urgent_drop'
  | 'urgent_event';

export interface Alert {
  playbook: PlaybookId;
  /** Unique per occurrence: the same key is never alerted twice. */
  key: string;
  title: string;
  /** Who should act: the CSM, plus the account executive for a fall to red. */
  audience: ('csm' | 'ae' | 'cs_management' | 'executive')[];
  /** ISO day the outreach is due. */
  due: string;
  priority: 'high' | 'medium' | 'low';
  /** Keys this alert stands for too (claimed with it, so they never alert separately). */
  alsoClaims?: string[];
}

export interface PlaybookInput {
  day: string;
  /** The run's instant (default: the day); streaks are measured from it. */
  at?: string;
  /** How long a flag or urgent drop must hold before it alerts, like a tier change (default 20 h). */
  confirmHours?: number;
  accountName: string;
  score: number | null;
  change: TierChange | null;
  state: TierState;
  /**
   * Like a tier change, a flag or an urgent drop alerts only once it has held across runs for
   * `confirmHours` (a one-day dip never pages anyone), and once per streak: these are the streaks' starts.
   */
  renewalRiskSince: string | null;
  urgentDrop: number | null;
  urgentSince: string | null;
}

/** The start (the first run's instant or day) of a condition's current streak: carried from the previous run while it holds. */
export function streakStart(holds: boolean, previousSince: string | null | undefined, at: string): string | null {
  return holds ? (previousSince ?? at) : null;
}

export const EXPANSION_GREEN_DAYS = 90;
export const ESCALATION_RED_DAYS = 30;

const rank: Record<Tier, number> = { green: 3, yellow: 2, red: 1, unknown: 0 };

export function alertsFor(i: PlaybookInput): Alert[] {
  const out: Alert[] = [];
  const name = i.accountName;
  const held = (since: string | null) => since !== null && hoursBetween(since, i.at ?? i.day) >= (i.confirmHours ?? DEFAULT_CONFIRM_HOURS);
  if (i.change && i.change.from !== 'unknown') {
    const { from, to } = i.change;
    const at = `${from}>${to}@${i.day}`;
    if (to === 'red') {
      out.push({
        playbook: 'tier_down_red',
        key: `tier:${at}`,
        title: `${name} fell to red: reach out within 48 hours`,
        audience: ['csm', 'ae'],
        due: addDays(i.day, 2),
        priority: 'high',
      });
    } else if (to === 'yellow' && from === 'green') {
      out.push({
        playbook: 'tier_down_yellow',
        key: `tier:${at}`,
        title: `${name} slipped to yellow: reach out within 7 days`,
        audience: ['csm'],
        due: addDays(i.day, 7),
        priority: 'medium',
      });
    } else if (from === 'red' && rank[to] > rank.red) {
      out.push({
        playbook: 'recovery',
        key: `tier:${at}`,
        title: `${name} recovered to ${to}: monitor for 30 days`,
        audience: ['csm'],
        due: addDays(i.day, 30),
        priority: 'low',
      });
    }
  }
  const streak = daysBetween(i.state.confirmedSince, i.day);
  if (i.state.confirmed === 'green' && streak >= EXPANSION_GREEN_DAYS) {
    out.push({
      playbook: 'expansion',
      key: `expansion:${i.state.confirmedSince}`,
      title: `${name} has been green for ${streak} days: expansion opportunity`,
      audience: ['csm', 'ae'],
      due: addDays(i.day, 14),
      priority: 'low',
    });
  }
  if (i.state.confirmed === 'red' && streak >= ESCALATION_RED_DAYS) {
    out.push({
      playbook: 'exec_escalation',
      key: `exec:${i.state.confirmedSince}`,
      title: `${name} has been red for ${streak} days: executive escalation`,
      audience: ['executive', 'cs_management'],
      due: addDays(i.day, 3),
      priority: 'high',
    });
  }
  if (held(i.renewalRiskSince)) {
    out.push({
      playbook: 'renewal_risk',
      key: `renewal_risk:${i.renewalRiskSince}`,
      title: `${name}: renewal at risk (score ${i.score ?? '?'}), escalate to CS management`,
      audience: ['cs_management', 'csm'],
      due: addDays(i.day, 2),
      priority: 'high',
    });
  }
  if (i.urgentDrop !== null && held(i.urgentSince)) {
    const tierAlert = out.find((a) => a.playbook === 'tier_down_red' || a.playbook === 'tier_down_yellow');
    if (tierAlert) {
      // One event, one alert: the fall to a lower tier already asks for outreach; say how steep it was.
      tierAlert.title += ` (down ${i.urgentDrop} points in 14 days)`;
      tierAlert.priority = 'high';
      tierAlert.alsoClaims = [`urgent_drop:${i.urgentSince}`];
      return out;
    }
    out.push({
      playbook: 'urgent_drop',
      key: `urgent_drop:${i.urgentSince}`,
      title: `${name} dropped ${i.urgentDrop} points in 14 days: act now`,
      audience: ['csm'],
      due: addDays(i.day, 1),
      priority: 'high',
    });
  }
  return out;
}
