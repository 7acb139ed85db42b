// The canonical signal catalog of the scoring method (docs/scoring-method.md §2): key, type, unit
// and allowed values. Connectors may add keys of their own; these are the ones every part agrees on.

export type SignalType =
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] };

export interface SignalSpec {
  key: string;
  type: SignalType;
  unit: string;
  meaning: string;
}

const num = (min?: number, max?: number): SignalType => ({
  kind: 'number',
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const int = (min?: number, max?: number): SignalType => ({
  kind: 'integer',
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const bool: SignalType = { kind: 'boolean' };
const oneOf = (...values: string[]): SignalType => ({ kind: 'enum', values });

const specs = [
  {
    key: 'usage.trend14d',
    type: num(-1),
    unit: 'ratio',
    meaning: 'average daily usage, last 14 days vs the prior 14, minus 1; -1 = no usage',
  },
  { key: 'usage.daysSinceLastActive', type: int(0), unit: 'days', meaning: 'days since any user was active' },
  { key: 'usage.licenseUtilization', type: num(0), unit: 'ratio', meaning: 'active users (30 d) / paid seats' },
  { key: 'usage.featureAdoption', type: num(0, 1), unit: 'share', meaning: 'share of core features used in 30 d' },
  { key: 'usage.stickiness', type: num(0, 1), unit: 'share', meaning: 'DAU / MAU' },
  { key: 'support.ticketVolumeRatio', type: num(0), unit: 'ratio', meaning: 'tickets in 30 d / average 30-d volume over the prior 90 d' },
  { key: 'support.csat', type: num(0, 1), unit: 'share', meaning: 'satisfied share of the last 5 rated tickets' },
  { key: 'support.escalations90d', type: int(0), unit: 'tickets', meaning: 'escalated tickets in 90 d' },
  { key: 'support.activeEscalation', type: bool, unit: '', meaning: 'an escalation is open now' },
  { key: 'support.openTicketsAged', type: int(0), unit: 'tickets', meaning: 'open tickets older than 30 days' },
  { key: 'support.sentiment', type: oneOf('positive', 'neutral', 'negative'), unit: '', meaning: 'recent ticket sentiment' },
  { key: 'billing.paymentStatus', type: oneOf('current', 'late', 'failed'), unit: '', meaning: 'latest invoice state' },
  { key: 'billing.daysOverdue', type: int(0), unit: 'days', meaning: 'days the oldest unpaid invoice is past due' },
  {
    key: 'billing.subscriptionChange',
    type: oneOf('upgrade', 'stable', 'downgrade', 'cancel_pending'),
    unit: '',
    meaning: 'subscription change in the last 90 d',
  },
  { key: 'billing.mrrChange90d', type: num(-1), unit: 'ratio', meaning: 'MRR now / MRR 90 d ago, minus 1' },
  { key: 'commercial.daysToRenewal', type: int(), unit: 'days', meaning: 'days until the contract renews' },
  { key: 'growth.seatChange90d', type: num(-1), unit: 'ratio', meaning: 'seats now / seats 90 d ago, minus 1' },
  {
    key: 'relationship.championStatus',
    type: oneOf('active', 'new', 'departed', 'none'),
    unit: '',
    meaning: 'champion in role, new (< 90 d), departed, or none',
  },
  { key: 'relationship.execSponsorEngaged', type: bool, unit: '', meaning: 'a conversation with an executive sponsor in 90 d' },
  { key: 'relationship.engagedContacts30d', type: int(0), unit: 'contacts', meaning: 'distinct customer contacts engaged in 30 d' },
  { key: 'relationship.leadershipChange90d', type: bool, unit: '', meaning: 'new executive at the customer in 90 d' },
  { key: 'relationship.csmSentiment', type: oneOf('green', 'yellow', 'red'), unit: '', meaning: "the CSM's structured read" },
  {
    key: 'engagement.emailResponseHours',
    type: num(0),
    unit: 'hours',
    meaning: 'median customer reply time over 30 d; 336+ = no reply in 14 d',
  },
  { key: 'engagement.meetingAttendance', type: num(0, 1), unit: 'share', meaning: 'attended / scheduled meetings, 90 d' },
  { key: 'engagement.daysSinceLastCsmTouch', type: int(0), unit: 'days', meaning: 'days since the last two-way CSM interaction' },
  { key: 'outcome.nps', type: num(0, 10), unit: 'points', meaning: 'latest NPS answers, averaged' },
  { key: 'outcome.successPlanOnTrack', type: bool, unit: '', meaning: 'success-plan goals on track' },
  { key: 'outcome.roiDocumented', type: bool, unit: '', meaning: 'ROI confirmed in a business review' },
  { key: 'lifecycle.accountAgeDays', type: int(0), unit: 'days', meaning: 'days since the contract started' },
] as const satisfies readonly SignalSpec[];

/** A key of the catalog: a connector that declares it provides a misspelt key does not compile. */
export type CatalogKey = (typeof specs)[number]['key'];

export const signalCatalog: ReadonlyMap<string, SignalSpec> = new Map(specs.map((s) => [s.key, s]));

export type SignalValue = number | boolean | string;

/** Why `value` is not a valid value of the known signal `key`, or undefined when it is (or the key is not in the catalog). */
export function signalValueProblem(key: string, value: unknown): string | undefined {
  const spec = signalCatalog.get(key);
  if (spec === undefined) {
    const t = typeof value;
    return t === 'number' || t === 'boolean' || t === 'string'
      ? t === 'number' && !Number.isFinite(value)
        ? 'expected a finite number'
        : undefined
      : 'expected a number, boolean or string';
  }
  const type = spec.type;
  switch (type.kind) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected ${type.kind === 'integer' ? 'an integer' : 'a number'}`;
      if (type.kind === 'integer' && !Number.isInteger(value)) return 'expected an integer';
      if (type.min !== undefined && value < type.min) return `expected at least ${type.min}`;
      if (type.max !== undefined && value > type.max) return `expected at most ${type.max}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'enum':
      return typeof value === 'string' && type.values.includes(value) ? undefined : `expected one of ${type.values.join(', ')}`;
  }
}
