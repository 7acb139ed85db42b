// `healthscore backtest --from-store` without --outcomes: the outcomes the runs recorded in the store
// (churned, renewed, expanded, contracted) are the backtest's outcomes, the report says so, and every
// number is the one worked out by hand for this small portfolio. A file given with --outcomes wins; a
// store with no recorded outcome is a clear error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { DynamoStore } from '../../pipeline/store/dynamo-store.ts';
import { startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import type { RecordedOutcome } from '../../pipeline/store/records.ts';
import { runCli } from '../support/cli.ts';
import { storedDay } from '../support/stored-day.ts';

const dir = mkdtempSync(join(tmpdir(), 'healthscore-backtest-recorded-'));
const storeDir = join(dir, 'store');
const emptyDir = join(dir, 'empty-store');
const ghostDir = join(dir, 'ghost-store');

// Every signal of the `categories` model (the portfolio's default for accounts 60 days or older), set
// so the score is known: A scores 100 (green); B 56 (yellow: usage 50, support 56.67, billing 60,
// engagement 60, growth 60 → 15 + 11.33 + 12 + 9 + 9 = 56.33); C 16 (red: usage 15, support 13.33,
// billing 15, engagement 20, growth 20 → 4.5 + 2.67 + 3 + 3 + 3 = 16.17). No rule's condition holds.
type Profile = Record<string, SignalValue>;
const A: Profile = {
  'lifecycle.accountAgeDays': 400,
  'usage.trend14d': 0.2,
  'usage.featureAdoption': 0.8,
  'support.ticketVolumeRatio': 0.5,
  'support.csat': 0.9,
  'support.escalations90d': 0,
  'billing.paymentStatus': 'current',
  'billing.subscriptionChange': 'upgrade',
  'outcome.nps': 10,
  'growth.seatChange90d': 0.1,
  'usage.licenseUtilization': 0.8,
};
const B: Profile = {
  ...A,
  'usage.trend14d': -0.2,
  'usage.featureAdoption': 0.5,
  'support.ticketVolumeRatio': 1.5,
  'support.csat': 0.7,
  'support.escalations90d': 1,
  'billing.paymentStatus': 'late',
  'billing.subscriptionChange': 'stable',
  'outcome.nps': 8,
  'growth.seatChange90d': 0,
  'usage.licenseUtilization': 0.5,
};
const C: Profile = {
  ...A,
  'usage.trend14d': -0.5,
  'usage.featureAdoption': 0.2,
  'support.ticketVolumeRatio': 3,
  'support.csat': 0.5,
  'support.escalations90d': 2,
  'billing.paymentStatus': 'failed',
  'billing.subscriptionChange': 'downgrade',
  'outcome.nps': 3,
  'growth.seatChange90d': -0.2,
  'usage.licenseUtilization': 0.2,
};

// Each account's stored days: 2026-01-01 and 2026-03-01 as given, and 2026-04-01 red for everyone,
// a day no outcome may use (every outcome is dated 2026-04-20 or earlier: 30 days before is 2026-03-21 at the latest).
const accounts: [string, Profile, Profile][] = [
  ['c1', A, C],
  ['c2', A, C],
  ['c3', A, C],
  ['c4', A, B],
  ['c5', A, B],
  ['c6', A, A],
  ['r1', A, A],
  ['r2', A, A],
  ['r3', A, B],
  ['e1', A, A],
  ['k1', A, C],
  ['x1', A, C],
  ['d1', A, A],
];

const outcome = (accountId: string, date: string, kind: RecordedOutcome['kind']): RecordedOutcome => ({
  accountId,
  date,
  kind,
  evidence: `planted ${kind} of ${accountId}`,
  runId: `run-${date}`,
});
const recorded: RecordedOutcome[] = [
  outcome('c1', '2026-04-15', 'churned'),
  outcome('c2', '2026-04-15', 'churned'),
  outcome('c3', '2026-04-20', 'churned'),
  outcome('c4', '2026-04-20', 'churned'),
  outcome('c5', '2026-04-10', 'churned'),
  outcome('c6', '2026-04-10', 'churned'),
  outcome('r1', '2026-04-15', 'renewed'),
  outcome('r2', '2026-04-15', 'renewed'),
  outcome('r3', '2026-04-15', 'renewed'),
  outcome('e1', '2026-04-15', 'expanded'),
  { ...outcome('k1', '2026-04-15', 'contracted'), change: { measure: 'seats', from: 50, to: 30 } },
  // Expanded first (its 30-day snapshot is 2026-01-01: A), churned later (2026-03-01: C): two examples.
  { ...outcome('x1', '2026-02-15', 'expanded'), change: { measure: 'mrr', from: 100_000, to: 150_000 } },
  outcome('x1', '2026-04-15', 'churned'),
  // Renewed and expanded on one day: one example, counted as the expansion.
  outcome('d1', '2026-04-15', 'renewed'),
  outcome('d1', '2026-04-15', 'expanded'),
];

beforeAll(async () => {
  const local = await startLocalDynamo({ path: storeDir });
  try {
    const store = new DynamoStore(local.client, { tableName: local.tableName });
    await store.putDays(
      accounts.flatMap(([id, jan, mar]) => [
        storedDay(id, '2026-01-01', jan),
        storedDay(id, '2026-03-01', mar),
        storedDay(id, '2026-04-01', C),
      ]),
    );
    await store.putOutcomes(recorded);
  } finally {
    await local.close();
  }
  const ghost = await startLocalDynamo({ path: ghostDir });
  try {
    const store = new DynamoStore(ghost.client, { tableName: ghost.tableName });
    await store.putDays([storedDay('c1', '2026-03-01', C), storedDay('r1', '2026-03-01', A)]);
    await store.putOutcomes([
      outcome('c1', '2026-04-15', 'churned'),
      outcome('r1', '2026-04-15', 'renewed'),
      outcome('ghost', '2026-04-15', 'churned'),
    ]);
  } finally {
    await ghost.close();
  }
  const empty = await startLocalDynamo({ path: emptyDir });
  try {
    await new DynamoStore(empty.client, { tableName: empty.tableName }).putDays([storedDay('c1', '2026-01-01', A)]);
  } finally {
    await empty.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = (d: string) =>
  `15 recorded by the runs in local store ${d} (table healthscore): 7 churned, 4 renewed, 3 expanded, 1 contracted; 1 on the same day as another outcome of the account counted once (churned before expanded before contracted before renewed)`;

describe('healthscore backtest --from-store without --outcomes', () => {
  it('given a store whose runs recorded outcomes, when backtested with the portfolio model at 30 days, then the recorded outcomes are used and every number is the one worked out by hand', async () => {
    const { code, stdout, stderr } = await runCli([
      'backtest',
      '--from-store',
      storeDir,
      '--model',
      'portfolio',
      '--horizons',
      '30',
      '-f',
      'json',
    ]);
    expect(stderr).toMatch(/^timing: /);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.outcomesFrom).toEqual({
      source: 'store',
      label: `local store ${storeDir} (table healthscore)`,
      kinds: { churned: 7, renewed: 4, expanded: 3, contracted: 1 },
      sameDay: 1,
      text: source(storeDir),
    });
    expect(report.inputs).toMatchObject({ outcomes: 14, outcomesUsed: 14, unknownAccounts: 0, outcomeLines: 15, badOutcomeLines: 0 });
    expect(report.problems).toEqual([]);
    const [h] = report.horizons;
    // Churners score 16, 16, 16, 16 (c1–c3, x1), 56, 56 (c4, c5), 100 (c6); the others 16 (k1), 56 (r3) and 100 five times
    // (r1, r2, e1, x1's expansion, d1). AUC = (4 × 6.5 + 2 × 5.5 + 2.5) / 49 = 39.5 / 49.
    expect(h).toMatchObject({
      days: 30,
      accounts: 14,
      churned: 7,
      expanded: 3,
      baseRate: 0.5,
      leftOut: { noSnapshot: 0, unscored: 0 },
      auc: 0.8061,
      aucCi90: null,
      // Average precision: 4/7 × 4/5 + 2/7 × 6/8 + 1/7 × 7/14.
      prAuc: 0.7429,
      tiers: {
        red: { accounts: 5, churned: 4, expanded: 0, churnRate: 0.8, expansionRate: 0, lift: 1.6 },
        yellow: { accounts: 3, churned: 2, expanded: 0, churnRate: 0.6667, expansionRate: 0, lift: null },
        green: { accounts: 6, churned: 1, expanded: 3, churnRate: 0.1667, expansionRate: 0.5, lift: 0.3333 },
      },
      red: { flagged: 5, churnedFlagged: 4, precision: 0.8, recall: 0.5714 },
      redYellow: { flagged: 8, churnedFlagged: 6, precision: 0.75, recall: 0.8571 },
    });
    expect(h.calibration.filter((b: { accounts: number }) => b.accounts > 0)).toEqual([
      { from: 10, to: 19, accounts: 5, churned: 4, churnRate: 0.8 },
      { from: 50, to: 59, accounts: 3, churned: 2, churnRate: 0.6667 },
      { from: 90, to: 100, accounts: 6, churned: 1, churnRate: 0.1667 },
    ]);
  });

  it('given the same store, when the report is text, then it names the recorded outcomes it used', async () => {
    const { code, stdout } = await runCli(['backtest', '--from-store', storeDir, '--model', 'portfolio', '--horizons', '30']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Backtest of model set (default categories) (version 1)',
      `Outcome source: ${source(storeDir)}`,
      'Outcomes: 14 used',
    ]);
    expect(stdout).toMatch(/^At 30 days before the outcome: 14 accounts, 7 churned \(base churn rate 50\.0%\), 3 expanded$/m);
    expect(stdout).toMatch(/^ {2}ROC AUC 0\.806 · PR AUC 0\.743 {3}/m);
  });

  it('given the same store, when the report is HTML, then the page names the recorded outcomes too', async () => {
    const { code, stdout } = await runCli(['backtest', '--from-store', storeDir, '--model', 'portfolio', '--horizons', '30', '-f', 'html']);
    expect(code).toBe(0);
    expect(stdout).toContain(`<p class="sub">Outcomes: ${source(storeDir)}.</p>`);
  });

  it('given a recorded outcome of an account with no stored day, then it is reported by account and run, the others used, exit 1', async () => {
    const { code, stdout, stderr } = await runCli(['backtest', '--from-store', ghostDir, '--model', 'portfolio', '--horizons', '30']);
    expect(code).toBe(1);
    const problem =
      'account ghost has no snapshot in the history at all (unknown account): its churned outcome on 2026-04-15 was recorded by run run-2026-04-15';
    expect(stdout).toContain(`Outcomes: 2 used; 1 recorded outcome(s) unusable (1 for accounts not in the history)\n`);
    expect(stdout).toContain(`Input problems (line: reason):\n  outcomes: ${problem}\n`);
    expect(stderr).toContain(`${JSON.stringify({ source: 'outcomes', error: problem })}\n`);
    expect(stderr).toContain('healthscore backtest: 1 recorded outcome(s) or stored day(s) could not be used (see above)\n');
  });

  it('given an outcomes file as well, when backtested from the store, then the file is used and the report says so', async () => {
    const file = join(dir, 'outcomes.csv');
    writeFileSync(file, 'accountId,date,outcome\nc1,2026-04-15,churned\nk1,2026-04-15,Contracted\nr1,2026-04-15,renewed\n');
    const { code, stdout } = await runCli([
      'backtest',
      '--from-store',
      storeDir,
      '--outcomes',
      file,
      '-m',
      'portfolio',
      '--horizons',
      '30',
      '-f',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.outcomesFrom).toEqual({
      source: 'file',
      label: file,
      kinds: { churned: 1, renewed: 1, expanded: 0, contracted: 1 },
      sameDay: 0,
      text: `3 from the file ${file}: 1 churned, 1 renewed, 0 expanded, 1 contracted; the file given with --outcomes is used, not any outcomes the runs recorded in the store`,
    });
    expect(report.horizons[0]).toMatchObject({ accounts: 3, churned: 1, expanded: 0 });
    expect(report.horizons[0].tiers.red).toMatchObject({ accounts: 2, churned: 1 });
  });

  it('given a store whose runs recorded no outcome yet, then a clear usage error saying how to give a file, exit 2', async () => {
    const { code, stdout, stderr } = await runCli(['backtest', '--from-store', emptyDir, '--model', 'portfolio', '--horizons', '30']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `local store ${emptyDir} (table healthscore) holds no recorded outcomes: its runs have recorded no churn, renewal, expansion or contraction yet. Give the outcomes as a file with --outcomes FILE (JSONL or CSV with accountId, date and outcome)`,
    );
  });

  it('given --history without --outcomes, then a usage error saying outcomes come from a file or from a store, exit 2', async () => {
    const history = join(dir, 'history.jsonl');
    writeFileSync(history, `${JSON.stringify({ accountId: 'c1', asOf: '2026-01-01', signals: A })}\n`);
    const { code, stderr } = await runCli(['backtest', '--history', history, '--model', 'portfolio']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--outcomes FILE is required with --history: outcomes come from a file, or from a store (--from-store REF without --outcomes uses the outcomes the runs recorded there)',
    );
  });
});
