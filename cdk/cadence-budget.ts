// Runs per day × calls per run against each vendor's daily (or hourly) allowance: an hourly schedule
// that fits a daily one's budget may not fit the vendor's day. Synthesis prints these as warnings;
// they are estimates (the portfolio size is the deploy config's expectedAccounts).
import { vendorDeploy } from '../connectors/deploy-registry.ts';
import type { DeployConfig } from './deploy-config.ts';

export interface CadenceBudget {
  vendor: string;
  runsPerDay: number;
  callsPerRun: number;
  perDay: number;
  limitPerDay: number;
}

/**
 * The CRM and each configured source with an allowance in its deploy entry. `crmCallsPerBatch`:
 * the concurrency plan's figure (measured when the deploy config gives one, estimated otherwise).
 */
export function cadenceBudgets(c: DeployConfig, crmCallsPerBatch: number): CadenceBudget[] {
  const { runsPerDay, periodMinutes } = c.cadenceOfSchedule;
  return [c.crm, ...c.sources].flatMap((id): CadenceBudget[] => {
    const allowance = vendorDeploy(id).allowance;
    if (!allowance) return [];
    const callsPerRun = allowance.callsPerRun(c.expectedAccounts, c.batchSize, crmCallsPerBatch);
    // An hourly allowance is shared by runs closer than an hour apart: compare per hour, expressed per day.
    const perDay = allowance.hourly ? Math.max(1, Math.ceil(60 / periodMinutes)) * callsPerRun * 24 : runsPerDay * callsPerRun;
    return [{ vendor: id, runsPerDay, callsPerRun, perDay, limitPerDay: c.dailyLimits[id] ?? allowance.perDay }];
  });
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
