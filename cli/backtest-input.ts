// File input for `healthscore backtest`: outcomes read whole (they are small), history streamed line
// by line as AccountSnapshots. Every bad line becomes a problem with its line number; none is dropped
// silently.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type InputProblem, type OutcomeFormat, type OutcomeRecord, readOutcomes } from '../lib/backtest/outcomes.ts';
import { historyFromStore } from '../lib/backtest/store-history.ts';
import { type AccountSnapshot, parseSnapshot } from '../lib/signals/snapshot.ts';
import { openHistoryStore } from './backtest-store.ts';
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

/** The history as snapshots; `position.line` is the line (or stored day) of the snapshot last yielded. */
export interface HistoryStream {
  snapshots: AsyncIterable<AccountSnapshot>;
  position: { line: number };
  problems: InputProblem[];
  /** What `position.line` counts, for the timing line. */
  unit: 'lines' | 'stored days';
  /** Where the history comes from, for messages. */
  label: string;
  close(): Promise<void>;
}

/** The history of --history FILE, or of --from-store <dir|table> read for the given outcomes. */
export async function openHistory(
  source: { file: string } | { store: string },
  outcomes: readonly OutcomeRecord[],
  horizons: readonly number[],
): Promise<HistoryStream> {
  if ('file' in source) return historyStream(await openInput(source.file, '--history'), source.file);
  const opened = await openHistoryStore(source.store);
  const position = { line: 0 };
  async function* counted(): AsyncGenerator<AccountSnapshot> {
    for await (const snap of historyFromStore(opened.store, outcomes, horizons)) {
      position.line++;
      yield snap;
    }
  }
  return { snapshots: counted(), position, problems: [], unit: 'stored days', label: opened.label, close: opened.close };
}

export function historyStream(input: Readable, label: string): HistoryStream {
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
  return {
    snapshots: snapshots(),
    position,
    problems,
    unit: 'lines',
    label,
    close: async () => {
      if (input !== process.stdin) input.destroy();
    },
  };
}
