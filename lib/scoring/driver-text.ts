// One-line sentences a CSM understands at a glance, e.g. "Usage down 32% vs prior 14 days (−24 pts)".
import type { SignalValue } from '../signals/catalog.ts';

const pct = (x: number) => `${Math.round(Math.abs(x) * 100)}%`;
const share = (x: number) => `${Math.round(x * 100)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const change = (x: number, what: string, window: string) =>
  Math.abs(x) < 0.005 ? `${what} flat over ${window}` : `${what} ${x > 0 ? 'up' : 'down'} ${pct(x)} over ${window}`;

type Phrase = (v: SignalValue) => string;

const phrases: Record<string, Phrase> = {
  'usage.trend14d': (v) =>
    v === -1
      ? 'No usage in the last 14 days'
      : Math.abs(v as number) < 0.005
        ? 'Usage flat vs prior 14 days'
        : `Usage ${(v as number) > 0 ? 'up' : 'down'} ${pct(v as number)} vs prior 14 days`,
  'usage.daysSinceLastActive': (v) => `Last active ${plural(v as number, 'day')} ago`,
  'usage.licenseUtilization': (v) => `${share(v as number)} of paid seats active (30 d)`,
  'usage.featureAdoption': (v) => `Uses ${share(v as number)} of core features (30 d)`,
  'usage.stickiness': (v) => `Stickiness (DAU/MAU) ${share(v as number)}`,
  'support.ticketVolumeRatio': (v) => `Ticket volume ${(v as number).toFixed(1)}× normal (30 d)`,
  'support.csat': (v) => `CSAT ${share(v as number)} on the last 5 rated tickets`,
  'support.escalations90d': (v) => (v === 0 ? 'No escalations in 90 days' : `${plural(v as number, 'escalation')} in 90 days`),
  'support.activeEscalation': (v) => (v ? 'Escalation open now' : 'No open escalation'),
  'support.openTicketsAged': (v) => `${plural(v as number, 'open ticket')} older than 30 days`,
  'support.sentiment': (v) => `Support sentiment ${String(v)}`,
  'billing.paymentStatus': (v) =>
    v === 'current' ? 'Payments current' : v === 'late' ? 'Latest invoice late' : 'Latest invoice payment failed',
  'billing.daysOverdue': (v) => (v === 0 ? 'Nothing overdue' : `Oldest unpaid invoice ${plural(v as number, 'day')} overdue`),
  'billing.subscriptionChange': (v) =>
    v === 'cancel_pending'
      ? 'Cancellation pending'
      : v === 'stable'
        ? 'Subscription stable (90 d)'
        : v === 'upgrade'
          ? 'Upgraded in the last 90 days'
          : 'Downgraded in the last 90 days',
  'billing.mrrChange90d': (v) => change(v as number, 'MRR', '90 days'),
  'commercial.daysToRenewal': (v) =>
    (v as number) < 0 ? `Renewal ${plural(-(v as number), 'day')} past` : `Renewal in ${plural(v as number, 'day')}`,
  'growth.seatChange90d': (v) => change(v as number, 'Seats', '90 days'),
  'relationship.championStatus': (v) =>
    v === 'active'
      ? 'Champion active'
      : v === 'new'
        ? 'New champion (under 90 days in role)'
        : v === 'departed'
          ? 'Champion departed, no replacement'
          : 'No champion identified',
  'relationship.execSponsorEngaged': (v) => (v ? 'Executive sponsor engaged (90 d)' : 'No executive sponsor conversation in 90 days'),
  'relationship.engagedContacts30d': (v) =>
    `${plural(v as number, 'contact')} engaged in 30 days${(v as number) < 3 ? ' (thinly threaded)' : ''}`,
  'relationship.leadershipChange90d': (v) => (v ? 'New executive at the customer (90 d)' : 'No leadership change (90 d)'),
  'relationship.csmSentiment': (v) => `CSM sentiment ${String(v)}`,
  'engagement.emailResponseHours': (v) =>
    (v as number) >= 336 ? 'No customer reply in 14 days' : `Customer replies in ${Math.round(v as number)} h (median, 30 d)`,
  'engagement.meetingAttendance': (v) => `${share(v as number)} of scheduled meetings attended (90 d)`,
  'engagement.daysSinceLastCsmTouch': (v) =>
    // Sources read a bounded window (HubSpot: 90 days), so a long gap is stated as "none in N days", which is true either way.
    (v as number) >= 90 ? `No two-way CSM touch in the last ${v} days` : `Last two-way CSM touch ${plural(v as number, 'day')} ago`,
  'outcome.nps': (v) => `NPS ${Number.isInteger(v) ? String(v) : (v as number).toFixed(1)}`,
  'outcome.successPlanOnTrack': (v) => (v ? 'Success plan on track' : 'Success plan off track'),
  'outcome.roiDocumented': (v) => (v ? 'ROI documented' : 'ROI not documented'),
  'lifecycle.accountAgeDays': (v) => `Customer for ${plural(v as number, 'day')}`,
};

export function points(impact: number): string {
  const r = Math.round(impact);
  return r === 0 ? '0 pts' : `${r < 0 ? '−' : '+'}${Math.abs(r)} pts`;
}

export function signalSentence(key: string, label: string, value: SignalValue, impact: number): string {
  const phrase = phrases[key];
  return `${phrase ? phrase(value) : `${label}: ${String(value)}`} (${points(impact)})`;
}

export function ruleSentence(kind: 'set' | 'cap' | 'floor' | 'flag', reason: string, value: number): string {
  switch (kind) {
    case 'set':
      return `${reason}: score set to ${value}`;
    case 'cap':
      return `${reason}: score capped at ${value}`;
    case 'floor':
      return `${reason}: score held at ${value} or more`;
    case 'flag':
      return reason;
  }
}
