// The score command's contract (scoring-method.md §5), through the real binary.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { healthyLayered } from '../support/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'healthscore-cli-'));
const line = (accountId: string, signals: Record<string, unknown>) => JSON.stringify({ accountId, asOf: '2026-11-01', signals });

describe('healthscore score', () => {
  it('given a file of snapshots, when scored with layered, then one result per line in input order, per the contract', async () => {
    const input = join(dir, 'good.jsonl');
    writeFileSync(
      input,
      `${line('b-healthy', healthyLayered)}\n\n${line('a-departed', { ...healthyLayered, 'relationship.championStatus': 'departed', 'commercial.daysToRenewal': 30 })}\n`,
    );
    const { code, stdout, stderr } = await runCli(['score', '--model', 'layered', '--input', input]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const results = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results.map((r) => r.accountId)).toEqual(['b-healthy', 'a-departed']);
    expect(Object.keys(results[0])).toEqual([
      'accountId',
      'asOf',
      'model',
      'modelVersion',
      'score',
      'tier',
      'completeness',
      'layers',
      'drivers',
      'rules',
      'flags',
    ]);
    expect(results[1]).toMatchObject({
      model: 'layered',
      score: 40,
      tier: 'yellow',
      completeness: 1,
      rules: ['champion_departed'],
      flags: ['renewal_risk'],
    });
  });

  it('given one malformed line and one wrongly typed signal, then the others are scored, each bad line reported with its number, exit 1', async () => {
    const input = [
      line('ok-1', healthyLayered),
      '{"accountId": "broken", ',
      line('typed', { 'usage.trend14d': 'down' }),
      line('ok-2', healthyLayered),
    ].join('\n');
    const { code, stdout, stderr } = await runCli(['score', '--model', 'layered', '--input', '-'], input);
    expect(code).toBe(1);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).accountId),
    ).toEqual(['ok-1', 'ok-2']);
    const errors = stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(errors).toEqual([
      { line: 2, error: expect.stringMatching(/^not valid JSON/) },
      { line: 3, error: 'account typed: signal usage.trend14d = "down": expected a number' },
    ]);
    expect(stderr).toMatch(/2 of 4 lines could not be scored/);
  });

  it('given --format table, then a header and a row per account', async () => {
    const { code, stdout } = await runCli(
      ['score', '-m', 'categories', '-f', 'table'],
      line('acme', {
        'billing.paymentStatus': 'failed',
        'usage.trend14d': 0.2,
        'usage.featureAdoption': 0.9,
        'support.csat': 1,
        'support.escalations90d': 0,
      }),
    );
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^account\s+score\s+tier/);
    expect(stdout).toMatch(/acme\s+\d+/);
  });

  it.each([
    [['score'], /--model is required/],
    [['score', '--model', 'nope'], /model not found \(presets: categories, layered/],
    [['score', '--model', 'layered', '--format', 'xml'], /--format must be jsonl or table/],
    [['score', '--model', 'layered', '--input', '/does/not/exist'], /cannot read --input/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('given %j, then a usage error with exit 2', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('healthscore models', () => {
  it('given models show layered, then the preset YAML is printed', async () => {
    const { code, stdout } = await runCli(['models', 'show', 'layered']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^id: layered$/m);
  });

  it('given a file with several problems, when validated, then every problem is listed and the exit code is 2', async () => {
    const file = join(dir, 'bad.yaml');
    const signals = Array.from({ length: 11 }, (_, i) => `      - { key: test.s${i}, map: { a: 100 } }`).join('\n');
    writeFileSync(
      file,
      `id: bad\nlayers:\n  - id: all\n    weight: 90\n    signals:\n${signals}\nrules:\n  - { id: x, kind: boost, when: { signal: a.b, eq: 1 } }\n`,
    );
    const { code, stderr } = await runCli(['models', 'validate', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}: rules[0].kind: unknown kind "boost"`);
    expect(stderr).toContain(`${file}: layers: layer weights must sum to 100 (they sum to 90)`);
    expect(stderr).toContain(`${file}: layers: the model scores 11 signals`);
    expect(stderr).toMatch(/3 problems found/);
  });

  it('given a valid copy of a preset, when validated, then exit 0', async () => {
    const { stdout: yaml } = await runCli(['models', 'show', 'categories']);
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, yaml.replace('id: categories', 'id: mine'));
    const { code, stdout } = await runCli(['models', 'validate', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/valid/);
  });
});
