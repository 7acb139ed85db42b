// Runs per day × calls per run against each vendor's daily (or hourly) allowance: an hourly schedule
// that fits a daily one's budget may not fit the vendor's day. Synthesis prints these as warnings;
// they are estimates (the portfolio size is the deploy config's expectedAccounts).
import type { DeployConfig } from './deploy-config.ts';

/** The lowest documented daily allowances: HubSpot Free/Starter private apps, a Salesforce Enterprise org's base. */
export const DOCUMENTED_DAILY_LIMITS = { hubspot: 250_000, salesforce: 100_000 } as const;
/** Mixpanel Query API calls one run makes: the usage source's fixed handful of segmented queries (6 in the demo). */
export const MIXPANEL_QUERIES_PER_RUN = 6;
/** Mixpanel's Query API allows 60 queries an hour. */
const MIXPANEL_QUERIES_PER_HOUR = 60;

export interface CadenceBudget {
  vendor: string;
  runsPerDay: number;
  callsPerRun: number;
  perDay: number;
  limitPerDay: number;
}

/** `crmCallsPerBatch`: the concurrency plan's figure (measured when the deploy config gives one, estimated otherwise). */
export function cadenceBudgets(c: DeployConfig, crmCallsPerBatch: number): CadenceBudget[] {
  const runsPerDay = c.cadenceOfSchedule.runsPerDay;
  const batches = Math.ceil(c.expectedAccounts / c.batchSize);
  // Listing the accounts (100 a page on HubSpot, 2,000 on Salesforce) plus every batch's reads and writes.
  const listing = Math.ceil(c.expectedAccounts / (c.crm === 'hubspot' ? 100 : 2000));
  const crmPerRun = listing + batches * crmCallsPerBatch;
  const out: CadenceBudget[] = [
    {
      vendor: c.crm,
      runsPerDay,
      callsPerRun: crmPerRun,
      perDay: runsPerDay * crmPerRun,
      limitPerDay: c.dailyLimits[c.crm] ?? DOCUMENTED_DAILY_LIMITS[c.crm],
    },
  ];
  if (c.sources.includes('mixpanel')) {
    // Runs closer than an hour apart share one hour's 60 queries: compare per hour, expressed per day.
    const runsPerHour = Math.max(1, Math.ceil(60 / c.cadenceOfSchedule.periodMinutes));
    out.push({
      vendor: 'mixpanel',
      runsPerDay,
      callsPerRun: MIXPANEL_QUERIES_PER_RUN,
      perDay: runsPerHour * MIXPANEL_QUERIES_PER_RUN * 24,
      limitPerDay: MIXPANEL_QUERIES_PER_HOUR * 24,
    });
  }
  return out;
}

/** One sentence per vendor whose allowance the schedule would exceed. */
export function cadenceWarnings(c: DeployConfig, crmCallsPerBatch: number): string[] {
  return cadenceBudgets(c, crmCallsPerBatch)
    .filter((b) => b.perDay > b.limitPerDay)
    .map(
      (b) =>
        `${b.vendor}: ${c.schedule.expression} runs ${b.runsPerDay} times a day × ~${b.callsPerRun} calls a run ≈ ${b.perDay} calls a day, ` +
        `above the ${b.limitPerDay} a day allowed (for ${c.expectedAccounts} accounts, batches of ${c.batchSize}); ` +
        'schedule fewer runs, or set dailyLimits if the plan allows more',
    );
}
