// Outcome files: JSONL or CSV, and every bad line reported with its number and reason.
import { describe, expect, it } from 'vitest';
import { readOutcomes, splitCsvLine } from '../../../lib/backtest/outcomes.ts';
import { parseInstant } from '../../../lib/days.ts';

describe('outcome files', () => {
  it('given JSONL outcomes, when read, then each becomes a record with its line number and instant', async () => {
    const r = await readOutcomes([
      '{"accountId":"acme","date":"2026-03-31","outcome":"churned","mrr":1200}',
      '',
      '{"accountId":"globex","date":"2026-04-15T10:00:00Z","outcome":"Renewed"}',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.outcomes).toEqual([
      { accountId: 'acme', date: '2026-03-31', at: Date.UTC(2026, 2, 31), outcome: 'churned', line: 1 },
      { accountId: 'globex', date: '2026-04-15T10:00:00Z', at: Date.UTC(2026, 3, 15, 10), outcome: 'renewed', line: 3 },
    ]);
  });

  it('given a contraction in JSONL and in CSV, when read, then it is an outcome like the others', async () => {
    const jsonl = await readOutcomes(['{"accountId":"acme","date":"2026-03-31","outcome":"contracted"}']);
    const csv = await readOutcomes(['accountId,date,outcome', 'globex,2026-04-01,Contracted']);
    expect([...jsonl.problems, ...csv.problems]).toEqual([]);
    expect([...jsonl.outcomes, ...csv.outcomes]).toEqual([
      { accountId: 'acme', date: '2026-03-31', at: Date.UTC(2026, 2, 31), outcome: 'contracted', line: 1 },
      { accountId: 'globex', date: '2026-04-01', at: Date.UTC(2026, 3, 1), outcome: 'contracted', line: 2 },
    ]);
  });

  it('given a CSV with a header in any column order and quoted fields, when read, then the columns are found by name', async () => {
    const r = await readOutcomes([
      '\uFEFFoutcome,Account ID,date,notes',
      'expanded,"Acme, Inc.",2026-01-31,"said ""yes"""',
      'churned,globex,2026-02-01,',
    ]);
    expect(r.problems).toEqual([]);
    expect(r.outcomes.map((o) => [o.accountId, o.outcome, o.line])).toEqual([
      ['Acme, Inc.', 'expanded', 2],
      ['globex', 'churned', 3],
    ]);
  });

  it('given bad lines, when read, then each is reported with its line and reason and the good lines are kept', async () => {
    const r = await readOutcomes([
      'accountId,date,outcome',
      'acme,2026-02-30,churned',
      'globex,2026-03-01,lost',
      ',2026-03-01,renewed',
      'initech,March 1st,renewed',
      'umbrella,2026-03-01,renewed',
      'umbrella,2026-03-01,churned',
      'hooli',
    ]);
    expect(r.outcomes.map((o) => o.accountId)).toEqual(['umbrella']);
    expect(r.problems.map((p) => [p.line, p.error])).toEqual([
      [2, 'account acme: date "2026-02-30" is not a real ISO date (YYYY-MM-DD)'],
      [3, 'account globex: unknown outcome "lost" (expected renewed, churned, expanded, contracted)'],
      [4, 'accountId must be a non-empty string'],
      [5, 'account initech: date "March 1st" is not a real ISO date (YYYY-MM-DD)'],
      [7, 'account umbrella: a second outcome on 2026-03-01 (the first is on line 6)'],
      [8, 'expected at least 3 CSV fields, found 1'],
    ]);
    expect(r.problems.every((p) => p.source === 'outcomes')).toBe(true);
  });

  it('given JSONL with a broken line and a non-object, then both are reported', async () => {
    const r = await readOutcomes(['{"accountId":"a","date":"2026-01-01","outcome":"churned"}', '{"accountId":', '[1,2]']);
    expect(r.outcomes).toHaveLength(1);
    expect(r.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(r.problems[0]?.error).toMatch(/^not valid JSON/);
  });

  it('given a CSV header without an outcome column, then the header is reported and every row after it too', async () => {
    const r = await readOutcomes(['accountId,date,status', 'acme,2026-01-01,churned']);
    expect(r.problems).toEqual([
      { source: 'outcomes', line: 1, error: 'CSV header must name the columns accountId, date and outcome (missing: outcome)' },
      { source: 'outcomes', line: 2, error: 'not read: the CSV header on line 1 is unusable' },
    ]);
    expect(r.outcomes).toEqual([]);
  });
});

describe('dates and CSV fields', () => {
  it('given a date-time without a zone, then it is read as UTC (the result never depends on the machine)', () => {
    expect(parseInstant('2026-03-01T12:00')).toBe(Date.UTC(2026, 2, 1, 12));
    expect(parseInstant('2026-03-01T12:00+02:00')).toBe(Date.UTC(2026, 2, 1, 10));
    expect(parseInstant('2026-13-01')).toBeUndefined();
    expect(parseInstant('2025-02-29')).toBeUndefined();
    expect(parseInstant('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('given quotes and commas, then a CSV line splits as RFC 4180 says', () => {
    expect(splitCsvLine('a, "b, c" ,"d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
  });
});
