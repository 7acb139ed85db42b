// `healthscore backtest` through the real binary: documented JSON keys, an HTML page that needs no
// network, bad input lines reported and counted, clear messages for too few churners, and a year of
// weekly history for 2,000 accounts streamed with at most outcomes × horizons snapshots held.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelFile } from '../../lib/model/validate.ts';
import { plantedFixture } from '../support/backtest-fixture.ts';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'healthscore-backtest-'));
const history = join(dir, 'history.jsonl');
const outcomes = join(dir, 'outcomes.jsonl');
const fx = plantedFixture({ accounts: 500, weeks: 52, seed: 17 });

beforeAll(() => {
  writeFileSync(history, `${[...fx.snapshots()].map((s) => JSON.stringify(s)).join('\n')}\n`);
  writeFileSync(outcomes, `${fx.outcomes.map((o) => JSON.stringify(o)).join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const timing =
  /^timing: outcomes [\d.]+ s · history [\d.]+ s \([\d,]+ lines, [\d,]+ snapshots\/s\) · metrics.* · total [\d.]+ s · peak memory \d+ MB$/m;

describe('healthscore backtest --format json', () => {
  it('given history and outcomes, when run with --calibrate, then the JSON has the documented keys and the timing goes to stderr', async () => {
    const { code, stdout, stderr } = await runCli([
      'backtest',
      '--history',
      history,
      '--outcomes',
      outcomes,
      '--model',
      'layered',
      '--calibrate',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(timing);
    const report = JSON.parse(stdout);
    expect(report.horizons.map((h: { days: number }) => h.days)).toEqual([60, 90]);
    for (const h of report.horizons) {
      expect(h.auc).toBeGreaterThan(0.5);
      expect(h.auc).toBeLessThan(1);
      expect(Object.keys(h.tiers)).toEqual(['red', 'yellow', 'green']);
      expect(Object.keys(h.tiers.red)).toEqual(['accounts', 'churned', 'expanded', 'churnRate', 'expansionRate', 'lift']);
      expect(typeof h.red.precision).toBe('number');
      expect(typeof h.red.recall).toBe('number');
      expect(h.aucCi90.low).toBeLessThan(h.auc);
      expect(h.calibration).toHaveLength(10);
    }
    expect(report.calibrated.status).toBe('fitted');
    expect(report.calibrated.horizons.map((h: { days: number; auc: number }) => [h.days, typeof h.auc])).toEqual([
      [60, 'number'],
      [90, 'number'],
    ]);
    expect(typeof report.calibrated.horizons[1].baseline.auc).toBe('number');
    expect(report.inputs).toMatchObject({
      outcomes: 500,
      outcomesUsed: 500,
      badOutcomeLines: 0,
      badHistoryLines: 0,
      retainedSnapshots: 1000,
    });
  });

  it('given the same run in text format, then the terminal report ends with the timing', async () => {
    const { code, stdout } = await runCli(['backtest', '--history', history, '--outcomes', outcomes, '-m', 'layered', '--horizons', '90']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Backtest of layered \(version 1\)/);
    expect(stdout).toMatch(/At 90 days before the outcome: \d+ accounts, \d+ churned/);
    expect(stdout).not.toMatch(/At 60 days/);
    expect(stdout.trim().split('\n').at(-1)).toMatch(timing);
  });
});

describe('healthscore backtest --format html', () => {
  it('given --out, when run with --calibrate, then one self-contained page with inline SVG charts, the JSON, the text and a valid calibrated model are written', async () => {
    const out = join(dir, 'report');
    const { code, stdout, stderr } = await runCli([
      'backtest',
      '--history',
      history,
      '--outcomes',
      outcomes,
      '--model',
      'layered',
      '--calibrate',
      '--format',
      'html',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(timing);
    const page = readFileSync(join(out, 'backtest.html'), 'utf8');
    expect(stdout).toBe(page);
    expect(page).toMatch(/^<!doctype html>/);
    // Opens offline: nothing fetched, nothing run.
    expect(page).not.toMatch(/https?:|<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
    expect(page.match(/<svg /g)?.length).toBe(5);
    for (const title of [
      'ROC: churners caught',
      'Churn lift per tier',
      'Calibration: observed churn rate',
      'Before / after on held-out',
      'ROC on held-out',
    ]) {
      expect(page).toContain(title);
    }
    expect(JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8')).calibrated.status).toBe('fitted');
    expect(readFileSync(join(out, 'backtest.txt'), 'utf8')).toMatch(/calibrated model written to .*layered-calibrated\.yaml/);
    const model = parseModelFile(readFileSync(join(out, 'layered-calibrated.yaml'), 'utf8'), 'layered-calibrated.yaml');
    expect(model.kind).toBe('model');
  });
});

describe('bad input', () => {
  it('given outcomes for an unknown account, with a bad date and an unknown value, and two bad history lines, then each is reported with its line and counted, the rest used, exit 1', async () => {
    const csv = join(dir, 'bad-outcomes.csv');
    const good = fx.outcomes.slice(0, 200);
    writeFileSync(
      csv,
      [
        'accountId,date,outcome',
        ...good.slice(0, 100).map((o) => `${o.accountId},${o.date},${o.outcome}`),
        'nobody-here,2025-09-01,churned',
        `${good[100]?.accountId},2025-13-01,churned`,
        `${good[101]?.accountId},2025-09-01,cancelled`,
        ...good.slice(102).map((o) => `${o.accountId},${o.date},${o.outcome}`),
      ].join('\n'),
    );
    const badHistory = join(dir, 'bad-history.jsonl');
    const lines = readFileSync(history, 'utf8').split('\n');
    lines.splice(
      3,
      0,
      '{"accountId": "acct-00001", "asOf": ',
      '{"accountId":"acct-00002","asOf":"2025-01-06","signals":{"outcome.nps":42}}',
    );
    writeFileSync(badHistory, lines.join('\n'));

    const { code, stdout, stderr } = await runCli([
      'backtest',
      '--history',
      badHistory,
      '--outcomes',
      csv,
      '--model',
      'layered',
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.inputs).toMatchObject({ outcomes: 199, outcomesUsed: 198, unknownAccounts: 1, badOutcomeLines: 3, badHistoryLines: 2 });
    expect(report.problems.map((p: { source: string; line: number }) => [p.source, p.line])).toEqual([
      ['outcomes', 102],
      ['outcomes', 103],
      ['outcomes', 104],
      ['history', 4],
      ['history', 5],
    ]);
    expect(report.problems[0].error).toMatch(/nobody-here has no snapshot in the history at all/);
    expect(report.problems[1].error).toMatch(/"2025-13-01" is not a real ISO date/);
    expect(report.problems[2].error).toMatch(/unknown outcome "cancelled"/);
    expect(report.problems[3].error).toMatch(/^not valid JSON/);
    expect(report.problems[4].error).toMatch(/signal outcome.nps = 42: expected at most 10/);
    expect(stderr).toContain('{"source":"outcomes","line":103,');
    expect(stderr).toMatch(/healthscore backtest: 5 input line\(s\) could not be used/);
  });

  it('given a missing option or an unreadable file, then a usage error, exit 2', async () => {
    const missing = await runCli(['backtest', '--history', history, '--model', 'layered']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--outcomes FILE is required with --history: outcomes come from a file, or from a store/);
    const unreadable = await runCli(['backtest', '--history', join(dir, 'nope.jsonl'), '--outcomes', outcomes, '--model', 'layered']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read --history .*nope\.jsonl/);
    const set = await runCli(['backtest', '--history', history, '--outcomes', outcomes, '--model', 'portfolio', '--calibrate']);
    expect(set.code).toBe(2);
    expect(set.stderr).toMatch(/--calibrate needs a single model, not a model set/);
  });
});

describe('too few churners', () => {
  it('given only 3 churned outcomes, then the report says why churn metrics and calibration are withheld instead of printing numbers', async () => {
    const few = join(dir, 'few.jsonl');
    const churned = fx.outcomes.filter((o) => o.outcome === 'churned').slice(0, 3);
    const rest = fx.outcomes.filter((o) => o.outcome !== 'churned').slice(0, 60);
    writeFileSync(few, [...churned, ...rest].map((o) => JSON.stringify(o)).join('\n'));
    const { code, stdout } = await runCli(['backtest', '--history', history, '--outcomes', few, '--model', 'layered', '--calibrate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ROC AUC – · PR AUC –/);
    expect(stdout).toMatch(/note: only 3 churned accounts at 90 days: churn metrics \(AUC, precision, recall, lift\) need at least 5/);
    expect(stdout).toMatch(/Calibration at 90 days: not done: too few outcomes to calibrate: 3 churned outcomes/);
    const json = JSON.parse(
      (await runCli(['backtest', '--history', history, '--outcomes', few, '--model', 'layered', '--format', 'json'])).stdout,
    );
    expect(json.horizons[1]).toMatchObject({ churned: 3, auc: null, prAuc: null, red: { precision: null, recall: null } });
  });
});

describe('streaming a year of weekly history', () => {
  it('given 2,000 accounts × 52 weekly snapshots, when backtested and calibrated, then every line is read and at most outcomes × horizons snapshots are held', async () => {
    const big = plantedFixture({ accounts: 2000, weeks: 52, seed: 23 });
    const bigHistory = join(dir, 'big-history.jsonl');
    const bigOutcomes = join(dir, 'big-outcomes.csv');
    let count = 0;
    const chunks: string[] = [];
    for (const s of big.snapshots()) {
      chunks.push(JSON.stringify(s));
      count++;
    }
    writeFileSync(bigHistory, `${chunks.join('\n')}\n`);
    writeFileSync(bigOutcomes, `accountId,date,outcome\n${big.outcomes.map((o) => `${o.accountId},${o.date},${o.outcome}`).join('\n')}\n`);
    expect(count).toBeGreaterThan(95_000);

    const { code, stdout, stderr } = await runCli([
      'backtest',
      '--history',
      bigHistory,
      '--outcomes',
      bigOutcomes,
      '--model',
      'layered',
      '--calibrate',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.inputs).toMatchObject({ outcomes: 2000, snapshots: count, historyLines: count, badHistoryLines: 0 });
    expect(report.inputs.retainedSnapshots).toBeLessThanOrEqual(2000 * 2);
    expect(report.calibrated.horizons[1].auc).toBeGreaterThan(report.calibrated.horizons[1].baseline.auc);
    expect(stderr).toMatch(timing);
  });
});
