// Input for `healthscore backtest`: outcomes read whole (they are small) from a file or from the
// outcomes the runs recorded in the store, history streamed line by line (or stored day by day) as
// AccountSnapshots. Every bad line becomes a problem with its line number; none is dropped silently.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type InputProblem, type OutcomeFormat, type OutcomeRecord, readOutcomes } from '../lib/backtest/outcomes.ts';
import { countKinds, type OutcomesFrom, outcomesFrom } from '../lib/backtest/recorded-outcomes.ts';
import { historyFromStore } from '../lib/backtest/store-history.ts';
import { type AccountSnapshot, parseSnapshot } from '../lib/signals/snapshot.ts';
import { type OpenedStore, readRecordedOutcomes } from './backtest-store.ts';
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

/** Where the history comes from: --history FILE, or the store opened for --from-store (the caller closes it). */
export type HistorySource = { file: string } | { store: OpenedStore };

export interface BacktestOutcomes {
  outcomes: OutcomeRecord[];
  problems: InputProblem[];
  /** Lines of the file, or recorded outcomes read from the store. */
  lines: number;
  from: OutcomesFrom;
}

/** The outcomes of --outcomes FILE when given (it wins), else the ones the runs recorded in the --from-store store. */
export async function readBacktestOutcomes(file: string | undefined, source: HistorySource): Promise<BacktestOutcomes> {
  if (file !== undefined) {
    const read = await readOutcomesFile(file);
    return { ...read, from: outcomesFrom('file', file, countKinds(read.outcomes), { storeToo: 'store' in source }) };
  }
  if (!('store' in source)) throw new UsageError('--outcomes FILE is required with --history');
  const recorded = await readRecordedOutcomes(source.store);
  return {
    outcomes: recorded.outcomes,
    problems: recorded.problems,
    lines: recorded.outcomes.length + recorded.problems.length + recorded.sameDay,
    from: outcomesFrom('store', source.store.label, recorded.kinds, { sameDay: recorded.sameDay }),
  };
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

/** The history of --history FILE, or of the store opened for --from-store, read for the given outcomes (the caller closes the store). */
export async function openHistory(
  source: HistorySource,
  outcomes: readonly OutcomeRecord[],
  horizons: readonly number[],
): Promise<HistoryStream> {
  if ('file' in source) return historyStream(await openInput(source.file, '--history'), source.file);
  const opened = source.store;
  const position = { line: 0 };
  async function* counted(): AsyncGenerator<AccountSnapshot> {
    for await (const snap of historyFromStore(opened.store, outcomes, horizons)) {
      position.line++;
      yield snap;
    }
  }
  return { snapshots: counted(), position, problems: [], unit: 'stored days', label: opened.label, close: async () => undefined };
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
