// `healthscore rescore --from-store`: a local run's store rewritten with another model, from the
// signals each stored day kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreSnapshot } from '../../lib/scoring/engine.ts';
import { DynamoStore } from '../../pipeline/store/dynamo-store.ts';
import { startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import type { DayRecord } from '../../pipeline/store/records.ts';
import { runCli } from '../support/cli.ts';
import { healthyLayered, preset } from '../support/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'healthscore-rescore-'));
const storeDir = join(dir, 'store');
const days = ['2026-10-01', '2026-10-02', '2026-10-03'];
const signals = (i: number) => ({ ...healthyLayered, 'usage.trend14d': [0.2, -0.15, -0.4][i] as number });

/** A day as a run under the categories model left it (only the parts rescore reads matter). */
const row = (day: string, i: number): DayRecord => ({
  accountId: 'acme',
  day,
  runId: `${day}T05:00:00Z`,
  asOf: `${day}T05:00:00.000Z`,
  score: 50,
  tier: 'yellow',
  completeness: 1,
  layers: {},
  drivers: [],
  rules: [],
  flags: [],
  signals: signals(i),
  staleSources: [],
  failedSources: [],
  model: 'categories',
  modelVersion: '1',
  modelScore: 50,
  override: 'none',
  tierState: { confirmed: 'yellow', confirmedSince: days[0] as string, pending: null, pendingRuns: 0 },
  change7d: null,
  change30d: null,
  urgentDrop: null,
  urgentSince: null,
  renewalRiskSince: null,
});

async function storedRows(): Promise<DayRecord[]> {
  const local = await startLocalDynamo({ path: storeDir });
  try {
    return await new DynamoStore(local.client, { tableName: local.tableName }).history('acme', days[0] as string, days[2] as string);
  } finally {
    await local.close();
  }
}

beforeAll(async () => {
  const local = await startLocalDynamo({ path: storeDir });
  try {
    await new DynamoStore(local.client, { tableName: local.tableName }).putDays(days.map(row));
  } finally {
    await local.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('healthscore rescore --from-store', () => {
  it('given a store scored with one model, when rescored with layered, then each day holds layered’s score, tier, drivers and change log', async () => {
    const r = await runCli(['rescore', '--from-store', storeDir, '--model', 'layered']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^rescored 3 days of 1 accounts in local store .* with layered@1: 3 scores and \d+ confirmed tiers changed\n$/,
    );
    const rows = await storedRows();
    const layered = preset('layered');
    expect(rows.map((d) => [d.model, d.score])).toEqual(
      days.map((_, i) => ['layered', scoreSnapshot(layered, { accountId: 'acme', asOf: days[i] as string, signals: signals(i) }).score]),
    );
    expect(rows[2]?.lastChange?.text).toMatch(/^2026-10-03: −\d+ — usage trend −15% → −40% \(−\d+ pts\)$/);
    expect(rows[0]?.tierState.confirmed).toBe('green');
  });

  it.each([
    [['rescore', '--model', 'layered'], /--from-store <dir\|table> is required/],
    [['rescore', '--from-store', './nowhere'], /--model is required/],
    [
      ['rescore', '--from-store', './nowhere', '--model', 'layered', '--confirm-hours', '0'],
      /--confirm-hours must be a number of hours above 0/,
    ],
  ])('given %j, then a usage error with exit 2', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
