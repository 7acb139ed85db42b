// `healthscore backtest --from-store`: the run's stored history (a local run's dynalite store on
// disk) gives the same backtest as the same history in a JSONL file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../pipeline/store/dynamo-store.ts';
import { startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import { plantedFixture } from '../support/backtest-fixture.ts';
import { runCli } from '../support/cli.ts';
import { storedDay } from '../support/stored-day.ts';

const dir = mkdtempSync(join(tmpdir(), 'healthscore-backtest-store-'));
const storeDir = join(dir, 'store');
const history = join(dir, 'history.jsonl');
const outcomes = join(dir, 'outcomes.jsonl');
const fx = plantedFixture({ accounts: 150, weeks: 30, seed: 31 });

beforeAll(async () => {
  const snaps = [...fx.snapshots()];
  writeFileSync(history, `${snaps.map((s) => JSON.stringify(s)).join('\n')}\n`);
  writeFileSync(outcomes, `${fx.outcomes.map((o) => JSON.stringify(o)).join('\n')}\n`);
  const local = await startLocalDynamo({ path: storeDir });
  try {
    const store = new DynamoStore(local.client, { tableName: local.tableName });
    // Rows as the run writes them; a backtest reads their signals.
    await store.putDays(snaps.map((s) => storedDay(s.accountId, s.asOf, s.signals)));
  } finally {
    await local.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('healthscore backtest --from-store', () => {
  it('given a local run store holding the history, when backtested from it, then every metric equals the backtest of the same history as a file', async () => {
    const fromStore = await runCli([
      'backtest',
      '--from-store',
      storeDir,
      '--outcomes',
      outcomes,
      '--model',
      'layered',
      '--format',
      'json',
    ]);
    const fromFile = await runCli(['backtest', '--history', history, '--outcomes', outcomes, '--model', 'layered', '--format', 'json']);
    expect(fromStore.stderr).toMatch(/^timing: .* history [\d.]+ s \([\d,]+ stored days, /m);
    expect(fromStore.code).toBe(0);
    expect(fromFile.code).toBe(0);
    const a = JSON.parse(fromStore.stdout);
    const b = JSON.parse(fromFile.stdout);
    expect(a.horizons).toEqual(b.horizons);
    expect(a.horizons[1].accounts).toBeGreaterThan(100);
    expect(a.inputs).toMatchObject({ outcomes: 150, outcomesUsed: 150, badHistoryLines: 0 });
    // Only days an outcome can use were read: never more than the file holds.
    expect(a.inputs.snapshots).toBeLessThan(b.inputs.snapshots);
  });

  it('given a table name, when backtested, then the table is read through the AWS SDK with endpoint and credentials from the environment; a missing table is a clear error, for the history and for the recorded outcomes', async () => {
    const local = await startLocalDynamo();
    try {
      await new DynamoStore(local.client, { tableName: local.tableName }).putDays(
        [...fx.snapshots()].map((s) => storedDay(s.accountId, s.asOf, s.signals)),
      );
      const env = {
        AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      };
      const ok = await runCli(
        ['backtest', '--from-store', local.tableName, '--outcomes', outcomes, '-m', 'layered', '-f', 'json'],
        undefined,
        env,
      );
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout).inputs.outcomesUsed).toBe(150);
      const missing = await runCli(['backtest', '--from-store', 'no-such-table', '--outcomes', outcomes, '-m', 'layered'], undefined, env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(
        /cannot read the history from DynamoDB table no-such-table: no such table \(check the name and AWS_REGION\)/,
      );
      const noRecorded = await runCli(['backtest', '--from-store', 'no-such-table', '-m', 'layered'], undefined, env);
      expect(noRecorded.code).toBe(2);
      expect(noRecorded.stderr).toContain(
        'cannot read the recorded outcomes from DynamoDB table no-such-table: no such table (check the name and AWS_REGION)',
      );
    } finally {
      await local.close();
    }
  });

  it('given a path with no store, or both --history and --from-store, then a usage error, exit 2', async () => {
    const none = await runCli(['backtest', '--from-store', join(dir, 'nothing-here'), '--outcomes', outcomes, '--model', 'layered']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--from-store .*nothing-here: no local store there/);
    const both = await runCli(['backtest', '--from-store', storeDir, '--history', history, '--outcomes', outcomes, '--model', 'layered']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --history or --from-store, not both/);
  });
});
