// Outcomes recorded by the runs as backtest outcomes: one example per account and day (a churn
// first), a fixed order, a bad stored date reported by account and run, and an unknown account's
// problem naming the run instead of a file line.
import { describe, expect, it } from 'vitest';
import { fromRecordedOutcomes, outcomesFrom, toOutcomeRecord } from '../../../lib/backtest/recorded-outcomes.ts';
import { runBacktest } from '../../../lib/backtest/run.ts';
import { healthyLayered, preset } from '../../support/models.ts';

describe('recorded outcomes as backtest outcomes', () => {
  it('given a recorded contraction, when converted, then it is a contracted outcome carrying its run instead of a line', () => {
    expect(toOutcomeRecord({ accountId: 'acme', date: '2026-03-31', kind: 'contracted', runId: 'r7' })).toEqual({
      accountId: 'acme',
      date: '2026-03-31',
      at: Date.UTC(2026, 2, 31),
      outcome: 'contracted',
      runId: 'r7',
    });
  });

  it('given outcomes in scan order, two on one day for one account and a bad date, then one example per account and day, ordered by date and account, and the bad one reported', () => {
    const r = fromRecordedOutcomes([
      { accountId: 'b', date: '2026-05-01', kind: 'renewed', runId: 'r3' },
      { accountId: 'b', date: '2026-05-01', kind: 'expanded', runId: 'r3' },
      { accountId: 'a', date: '2026-05-01', kind: 'contracted', runId: 'r3' },
      { accountId: 'a', date: '2026-05-01', kind: 'churned', runId: 'r3' },
      { accountId: 'a', date: '2026-02-01', kind: 'expanded', runId: 'r1' },
      { accountId: 'c', date: '2026-02-30', kind: 'churned', runId: 'r2' },
    ]);
    expect(r.outcomes.map((o) => [o.accountId, o.date, o.outcome])).toEqual([
      ['a', '2026-02-01', 'expanded'],
      ['a', '2026-05-01', 'churned'],
      ['b', '2026-05-01', 'expanded'],
    ]);
    expect(r.kinds).toEqual({ renewed: 1, churned: 1, expanded: 2, contracted: 1 });
    expect(r.sameDay).toBe(2);
    expect(r.problems).toEqual([
      {
        source: 'outcomes',
        error: 'account c: the churned outcome recorded by run r2 has date "2026-02-30", not a real ISO date (YYYY-MM-DD)',
      },
    ]);
    expect(outcomesFrom('store', 'DynamoDB table t', r.kinds, { sameDay: r.sameDay }).text).toBe(
      '5 recorded by the runs in DynamoDB table t: 1 churned, 1 renewed, 2 expanded, 1 contracted; 2 on the same day as another outcome of the account counted once (churned before expanded before contracted before renewed)',
    );
  });

  it('given a recorded outcome of an account with no stored day, when backtested, then the problem names the run, not a line', async () => {
    const { outcomes } = fromRecordedOutcomes([
      { accountId: 'a', date: '2026-06-30', kind: 'renewed', runId: 'r1' },
      { accountId: 'ghost', date: '2026-06-30', kind: 'churned', runId: 'r9' },
    ]);
    const report = await runBacktest(preset('layered'), outcomes, [{ accountId: 'a', asOf: '2026-04-01', signals: healthyLayered }], {
      horizons: [60],
    });
    expect(report.inputs).toMatchObject({ outcomes: 2, outcomesUsed: 1, unknownAccounts: 1 });
    expect(report.problems).toEqual([
      {
        source: 'outcomes',
        error:
          'account ghost has no snapshot in the history at all (unknown account): its churned outcome on 2026-06-30 was recorded by run r9',
      },
    ]);
  });
});
