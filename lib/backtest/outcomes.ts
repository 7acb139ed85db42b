// Outcome records (churned / renewed / expanded / contracted on a date) parsed from JSONL or CSV
// lines. Pure: the caller hands in lines; every bad line comes back as a problem with its line
// number, never dropped. Only `churned` is the positive class of every metric; the other kinds are
// outcomes of customers who stayed.
import { parseInstant } from '../days.ts';

export const OUTCOME_KINDS = ['renewed', 'churned', 'expanded', 'contracted'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface OutcomeRecord {
  accountId: string;
  /** The outcome's date as written in the input (or as the run recorded it). */
  date: string;
  /** `date` as a UTC instant (ms). */
  at: number;
  outcome: OutcomeKind;
  /** Line in the outcomes file (1-based), for messages; absent on an outcome a run recorded. */
  line?: number;
  /** The run that recorded the outcome in the store; absent on an outcome read from a file. */
  runId?: string;
}

/** One input line (or recorded outcome) that could not be used, with the reason. */
export interface InputProblem {
  source: 'outcomes' | 'history';
  /** The line in the input file; absent for an outcome recorded by a run (the error names it). */
  line?: number;
  error: string;
}

export type OutcomeFormat = 'jsonl' | 'csv';

/** Splits one CSV line into fields (RFC 4180 quoting: "a, b" and "" for a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(quoted ? field : field.trim());
  return fields;
}

const columnName = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');

/**
 * Reads outcome lines one at a time. The format is taken from the first non-blank line: a JSON object
 * means JSONL, anything else a CSV header naming the columns accountId, date and outcome (any order,
 * other columns ignored).
 */
export class OutcomeReader {
  format: OutcomeFormat | undefined;
  private columns: { accountId: number; date: number; outcome: number } | undefined;
  private badHeaderLine: number | undefined;
  private readonly seen = new Map<string, number>();
  private lineNo = 0;

  constructor(format?: OutcomeFormat) {
    this.format = format;
  }

  /** The next line's record, its problem, or undefined for a blank line or the CSV header. */
  push(rawLine: string): OutcomeRecord | InputProblem | undefined {
    this.lineNo++;
    const line = this.lineNo === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (line.trim() === '') return undefined;
    this.format ??= line.trimStart().startsWith('{') ? 'jsonl' : 'csv';
    if (this.badHeaderLine !== undefined) return this.problem(`not read: the CSV header on line ${this.badHeaderLine} is unusable`);
    if (this.format === 'csv' && this.columns === undefined) return this.readHeader(line);
    const fields = this.format === 'jsonl' ? this.jsonFields(line) : this.csvFields(line);
    if (typeof fields === 'string') return this.problem(fields);
    return this.record(fields);
  }

  private problem(error: string): InputProblem {
    return { source: 'outcomes', line: this.lineNo, error };
  }

  private readHeader(line: string): InputProblem | undefined {
    const names = splitCsvLine(line).map(columnName);
    const idx = { accountId: names.indexOf('accountid'), date: names.indexOf('date'), outcome: names.indexOf('outcome') };
    const missing = Object.entries(idx)
      .filter(([, i]) => i < 0)
      .map(([k]) => k);
    if (missing.length > 0) {
      this.badHeaderLine = this.lineNo;
      return this.problem(`CSV header must name the columns accountId, date and outcome (missing: ${missing.join(', ')})`);
    }
    this.columns = idx;
    return undefined;
  }

  private jsonFields(line: string): Record<'accountId' | 'date' | 'outcome', unknown> | string {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      return `not valid JSON: ${(err as Error).message}`;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'expected a JSON object with accountId, date and outcome';
    const o = json as Record<string, unknown>;
    return { accountId: o.accountId, date: o.date, outcome: o.outcome };
  }

  private csvFields(line: string): Record<'accountId' | 'date' | 'outcome', unknown> | string {
    const cols = this.columns as { accountId: number; date: number; outcome: number };
    const f = splitCsvLine(line);
    const width = Math.max(cols.accountId, cols.date, cols.outcome) + 1;
    if (f.length < width) return `expected at least ${width} CSV fields, found ${f.length}`;
    return { accountId: f[cols.accountId], date: f[cols.date], outcome: f[cols.outcome] };
  }

  private record(f: Record<'accountId' | 'date' | 'outcome', unknown>): OutcomeRecord | InputProblem {
    if (typeof f.accountId !== 'string' || f.accountId.trim() === '') return this.problem('accountId must be a non-empty string');
    const accountId = f.accountId.trim();
    if (typeof f.date !== 'string') return this.problem(`account ${accountId}: date must be an ISO date such as 2026-03-31`);
    const date = f.date.trim();
    const at = parseInstant(date);
    if (at === undefined) return this.problem(`account ${accountId}: date ${JSON.stringify(f.date)} is not a real ISO date (YYYY-MM-DD)`);
    const value = typeof f.outcome === 'string' ? f.outcome.trim().toLowerCase() : f.outcome;
    if (!OUTCOME_KINDS.includes(value as OutcomeKind)) {
      return this.problem(`account ${accountId}: unknown outcome ${JSON.stringify(f.outcome)} (expected ${OUTCOME_KINDS.join(', ')})`);
    }
    const key = `${accountId}\u0000${at}`;
    const first = this.seen.get(key);
    if (first !== undefined) return this.problem(`account ${accountId}: a second outcome on ${date} (the first is on line ${first})`);
    this.seen.set(key, this.lineNo);
    return { accountId, date, at, outcome: value as OutcomeKind, line: this.lineNo };
  }
}

export const isProblem = (x: OutcomeRecord | InputProblem): x is InputProblem => 'error' in x;

/** Reads every outcome line; the records in input order and the problems with their lines. */
export async function readOutcomes(
  lines: AsyncIterable<string> | Iterable<string>,
  format?: OutcomeFormat,
): Promise<{ outcomes: OutcomeRecord[]; problems: InputProblem[]; lines: number }> {
  const reader = new OutcomeReader(format);
  const outcomes: OutcomeRecord[] = [];
  const problems: InputProblem[] = [];
  let count = 0;
  for await (const line of lines) {
    count++;
    const r = reader.push(line);
    if (r === undefined) continue;
    if (isProblem(r)) problems.push(r);
    else outcomes.push(r);
  }
  return { outcomes, problems, lines: count };
}
