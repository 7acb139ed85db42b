// Urgent events (scoring-method.md §4: payment failed, champion left, escalation opened): a team may
// have them alert on the first run that sees them rather than wait for a confirmed tier change.
// Each occurrence alerts once: its key is the event and the instant its streak began.

import { addDays } from '../days.ts';
import type { SignalValue } from '../signals/catalog.ts';
import type { Alert } from './playbooks.ts';

export const URGENT_EVENTS = ['payment_failed', 'champion_departed', 'escalation_opened'] as const;
export type UrgentEvent = (typeof URGENT_EVENTS)[number];

const holds: Record<UrgentEvent, (s: Record<string, SignalValue>) => boolean> = {
  payment_failed: (s) => s['billing.paymentStatus'] === 'failed',
  champion_departed: (s) => s['relationship.championStatus'] === 'departed',
  escalation_opened: (s) => s['support.activeEscalation'] === true,
};

const titles: Record<UrgentEvent, string> = {
  payment_failed: 'payment failed',
  champion_departed: 'champion left',
  escalation_opened: 'escalation opened',
};

/** The configured events holding now, each with the start of its streak (carried from the previous run). */
export function eventStreaks(
  configured: readonly UrgentEvent[],
  signals: Record<string, SignalValue>,
  previous: Readonly<Record<string, string>> | undefined,
  at: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of configured) if (holds[e](signals)) out[e] = previous?.[e] ?? at;
  return out;
}

/** One alert per event occurrence (claimed once by its key), due the next day. */
export function urgentEventAlerts(accountName: string, day: string, streaks: Readonly<Record<string, string>>): Alert[] {
  return Object.entries(streaks).map(([event, since]) => ({
    playbook: 'urgent_event' as const,
    key: `event:${event}:${since}`,
    title: `${accountName}: ${titles[event as UrgentEvent] ?? event} — act now`,
    audience: ['csm'],
    due: addDays(day, 1),
    priority: 'high',
  }));
}
