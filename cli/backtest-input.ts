// File input for `healthscore backtest`: outcomes read whole (they are small), history streamed line
// by line as AccountSnapshots. Every bad line becomes a problem with its line number; none is dropped
// silently.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type InputProblem, type OutcomeFormat, readOutcomes } from '../lib/backtest/outcomes.ts';
import { type AccountSnapshot, parseSnapshot } from '../lib/signals/snapshot.ts';
import { UsageError } from './command.ts';

/** Opens a file for reading, turning a missing or unreadable file into a usage error naming the option. */
export async function openInput(path: string, option: string): Promise<Readable> {
  if (path === '-') return process.stdin;
  const stream = createReadStream(path, 'utf8');
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
  } catch (err) {
    throw new UsageError(`cannot read ${option} ${path}: ${(err as Error).message}`);
  }
  return stream;
}

const lines = (input: Readable) => createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });

export async function readOutcomesFile(path: string) {
  const format: OutcomeFormat | undefined = /\.csv$/i.test(path) ? 'csv' : /\.jsonl?$/i.test(path) ? 'jsonl' : undefined;
  return readOutcomes(lines(await openInput(path, '--outcomes')), format);
}

/** The history as snapshots; `position.line` is the line of the snapshot last yielded. */
export interface HistoryStream {
  snapshots: AsyncIterable<AccountSnapshot>;
  position: { line: number };
  problems: InputProblem[];
}

export function historyStream(input: Readable): HistoryStream {
  const position = { line: 0 };
  const problems: InputProblem[] = [];
  async function* snapshots(): AsyncGenerator<AccountSnapshot> {
    let lineNo = 0;
    for await (const line of lines(input)) {
      lineNo++;
      position.line = lineNo;
      if (line.trim() === '') continue;
      let snap: AccountSnapshot;
      try {
        snap = parseSnapshot(JSON.parse(line));
      } catch (err) {
        const message = err instanceof SyntaxError ? `not valid JSON: ${err.message}` : (err as Error).message;
        problems.push({ source: 'history', line: lineNo, error: message });
        continue;
      }
      yield snap;
    }
  }
  return { snapshots: snapshots(), position, problems };
}
