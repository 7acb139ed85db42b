// Schedules other than daily: an hourly deploy synthesizes with a run timeout under the hour, and
// synthesis warns when runs a day × calls a run would pass a vendor's daily allowance.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build-app.ts';
import { cadenceBudgets, cadenceWarnings } from '../../cdk/cadence-budget.ts';
import { parseDeployConfig } from '../../cdk/deploy-config.ts';
import { scheduleCadence } from '../../cdk/schedule-cadence.ts';
import { exampleRaw, writeConfig } from './support/configs.ts';
import type { TemplateJson } from './support/template.ts';

const hourly = (extra: Record<string, unknown> = {}) => ({ ...exampleRaw(), schedule: { expression: 'rate(1 hour)' }, ...extra });

describe('an hourly schedule', () => {
  it('given rate(1 hour), when synthesized, then the schedule fires hourly and the state machine stops a run after 54 minutes', () => {
    const { app, stack } = buildApp({ configPath: writeConfig(hourly()), bundling: false });
    const json = app.synth().getStackByName(stack.stackName).template as TemplateJson;
    const resources = Object.values(json.Resources);
    const schedule = resources.find((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedule?.Properties?.ScheduleExpression).toBe('rate(1 hour)');
    const machine = resources.find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(JSON.stringify(machine?.Properties?.DefinitionString)).toContain('\\"TimeoutSeconds\\":3240');
  });

  it('given schedule forms, then runs a day and the shortest gap are read from them', () => {
    expect(scheduleCadence('rate(15 minutes)')).toEqual({ runsPerDay: 96, periodMinutes: 15 });
    expect(scheduleCadence('rate(2 days)')).toEqual({ runsPerDay: 1, periodMinutes: 2880 });
    expect(scheduleCadence('cron(0 8,12,17 ? * MON-FRI *)')).toEqual({ runsPerDay: 3, periodMinutes: 240 });
    expect(scheduleCadence('cron(0 L * * ? *)')).toBeUndefined();
  });
});

describe('runs a day against vendor daily limits', () => {
  it('given 20,000 HubSpot accounts run hourly, then synthesis warns that the day’s calls pass the daily limit', () => {
    const c = parseDeployConfig(hourly({ expectedAccounts: 20_000 }), 'test.yaml', '/tmp');
    const [crm] = cadenceBudgets(c, 20);
    // 200 listing pages + 200 batches × 20 calls, 24 times a day.
    expect(crm).toEqual({ vendor: 'hubspot', runsPerDay: 24, callsPerRun: 4200, perDay: 100_800, limitPerDay: 250_000 });
    expect(cadenceWarnings(c, 60)).toEqual([
      'hubspot: rate(1 hour) runs 24 times a day × ~12200 calls a run ≈ 292800 calls a day, above the 250000 a day allowed (for 20000 accounts, batches of 100); schedule fewer runs, or set dailyLimits if the plan allows more',
    ]);
  });

  it('given the same portfolio run daily, or hourly on a plan with a higher limit, then there is no warning', () => {
    expect(cadenceWarnings(parseDeployConfig({ ...exampleRaw(), expectedAccounts: 20_000 }, 'test.yaml', '/tmp'), 60)).toEqual([]);
    const raised = parseDeployConfig(hourly({ expectedAccounts: 20_000, dailyLimits: { hubspot: 625_000 } }), 'test.yaml', '/tmp');
    expect(cadenceWarnings(raised, 60)).toEqual([]);
  });

  it('given Mixpanel and a run every 2 minutes, then its hourly query allowance is what runs short', () => {
    const c = parseDeployConfig({ ...exampleRaw(), schedule: { expression: 'rate(2 minutes)' } }, 'test.yaml', '/tmp');
    expect(cadenceWarnings(c, 10).filter((w) => w.startsWith('mixpanel:'))).toHaveLength(1);
  });
});
