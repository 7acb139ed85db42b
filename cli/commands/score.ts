// `healthscore score`: AccountSnapshot JSONL in, one score result per line out, in input order.
// A bad line is reported on stderr as {"line": N, "error": "..."}; the other lines are still scored.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import { scoreAccount } from '../../lib/scoring/engine.ts';
import { parseSnapshot } from '../../lib/signals/snapshot.ts';
import { loadModel } from '../../pipeline/model-files.ts';
import { type Command, EXIT_BAD_RECORDS, EXIT_OK, parseCommandArgs, UsageError } from '../command.ts';
import { BufferedWriter, tableHeader, tableRow } from '../output.ts';

const usage = `
Usage: healthscore score --model <preset|file> [--input FILE|-] [--format jsonl|table]

Scores account snapshots (JSONL, one AccountSnapshot per line) with a model.

Options:
  --model, -m   a preset (layered, categories, onboarding), the portfolio model set, or a YAML file (required)
  --input, -i   the snapshots file; '-' or absent reads standard input
  --format, -f  jsonl (default): one result object per line; table: a terminal table

Exit codes: 0 all lines scored · 1 some lines bad (reported on stderr, the rest scored) · 2 usage or model error
`;

export interface ScoreLinesSummary {
  scored: number;
  bad: number;
}

/** Scores a stream of JSONL lines; each bad line goes to `onBad` and the rest carry on. */
export async function scoreLines(
  lines: AsyncIterable<string>,
  models: CompiledModel | CompiledModelSet,
  out: BufferedWriter,
  format: 'jsonl' | 'table',
  onBad: (line: number, error: string) => void,
): Promise<ScoreLinesSummary> {
  let lineNo = 0;
  let scored = 0;
  let bad = 0;
  if (format === 'table') await out.write(tableHeader());
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      bad++;
      onBad(lineNo, `not valid JSON: ${(err as Error).message}`);
      continue;
    }
    try {
      const result = scoreAccount(models, parseSnapshot(json));
      await out.write(format === 'jsonl' ? `${JSON.stringify(result)}\n` : tableRow(result));
      scored++;
    } catch (err) {
      bad++;
      onBad(lineNo, (err as Error).message);
    }
  }
  await out.flush();
  return { scored, bad };
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score account snapshots (JSONL) with a model',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      model: { type: 'string', short: 'm' },
      input: { type: 'string', short: 'i' },
      format: { type: 'string', short: 'f', default: 'jsonl' },
    });
    if (!values.model) throw new UsageError('--model is required');
    const format = values.format;
    if (format !== 'jsonl' && format !== 'table') throw new UsageError(`--format must be jsonl or table, not '${format}'`);
    const models = loadModel(values.model);
    const input = values.input === undefined || values.input === '-' ? process.stdin : createReadStream(values.input, 'utf8');
    const opened = new Promise<void>((resolve, reject) => {
      if (input === process.stdin) return resolve();
      input.once('open', () => resolve());
      input.once('error', reject);
    });
    try {
      await opened;
    } catch (err) {
      throw new UsageError(`cannot read --input ${values.input}: ${(err as Error).message}`);
    }
    const errors = new BufferedWriter(process.stderr);
    const summary = await scoreLines(
      createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }),
      models,
      new BufferedWriter(process.stdout),
      format,
      (line, error) => {
        void errors.write(`${JSON.stringify({ line, error })}\n`);
      },
    );
    await errors.flush();
    if (summary.bad > 0) {
      process.stderr.write(`healthscore score: ${summary.bad} of ${summary.bad + summary.scored} lines could not be scored (see above)\n`);
      return EXIT_BAD_RECORDS;
    }
    return EXIT_OK;
  },
};
