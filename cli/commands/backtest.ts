// `healthscore backtest`: checks a model against real outcomes (churned / renewed / expanded /
// contracted) using only the data known H days before each outcome, and with --calibrate fits weights
// and tier thresholds from them. Outcomes (a file, or those the runs recorded in the store) are read
// first; the history is streamed once.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_EXCLUSIONS, parseExclusions } from '../../lib/backtest/features.ts';
import { htmlReport } from '../../lib/backtest/html-report.ts';
import { backtestReport, DEFAULT_HORIZONS, selectFromHistory, withInputLines } from '../../lib/backtest/run.ts';
import { textReport } from '../../lib/backtest/text-report.ts';
import { DEFAULT_TARGET_RECALL } from '../../lib/backtest/thresholds.ts';
import { loadModel } from '../../pipeline/model-files.ts';
import { type BacktestOutcomes, type HistorySource, type HistoryStream, openHistory, readBacktestOutcomes } from '../backtest-input.ts';
import { openHistoryStore, storeFailure } from '../backtest-store.ts';
import { type Command, EXIT_BAD_RECORDS, EXIT_OK, parseCommandArgs, UsageError } from '../command.ts';

const usage = `
Usage: healthscore backtest --history FILE --outcomes FILE --model <preset|file> [options]
       healthscore backtest --from-store REF [--outcomes FILE] --model <preset|file> [options]

Checks a model against what really happened: for each outcome and horizon H, scores the account's
latest snapshot dated on or before (outcome date - H days) and reports churn per tier, precision and
recall of red and red+yellow, ROC and PR AUC, lift, and churn by score band. Only churned counts as
churn; renewed, expanded and contracted are customers who stayed.

Options:
  --history FILE        AccountSnapshot JSONL, many asOf dates per account ('-' reads standard input)
  --from-store REF      instead of --history: the run's stored history; REF is a local run's store
                        directory, or a deployed DynamoDB table name (AWS credentials from the environment)
  --outcomes FILE       JSONL or CSV with accountId, date, outcome (churned, renewed, expanded, contracted);
                        required with --history. With --from-store and no --outcomes, the outcomes the
                        runs recorded in that store are used (the report says which were used)
  --model, -m           a preset (layered, categories, onboarding, portfolio) or a model file          (required)
  --horizons LIST       days before the outcome, comma-separated (default 60,90)
  --format, -f          text (default) | json | html
  --out DIR             also write backtest.json, backtest.html, backtest.txt (and the calibrated model) there
  --calibrate           fit signal weights and tier thresholds at the longest horizon (logistic regression,
                        out-of-time validation) and report before/after on held-out outcomes only
  --target-recall X     share of churners the calibrated red tier must catch (default ${DEFAULT_TARGET_RECALL})
  --exclude LIST        post-decision signals kept out of fitting: key or key=value, comma-separated, or 'none'
                        (default ${DEFAULT_EXCLUSIONS.map((x) => `${x.key}=${x.value}`).join(',')})
  --seed N              seed of the bootstrap and of k-fold assignment (default 20260101)

Timing goes to standard error for json and html, to the end of the report for text.
Exit codes: 0 ok · 1 some input lines or recorded outcomes unusable (each reported, the rest used) · 2 usage or model error
`;

function parseHorizons(text: string): number[] {
  const hs = text.split(',').map((s) => Number(s.trim()));
  if (hs.length === 0 || hs.some((h) => !Number.isInteger(h) || h < 0 || h > 3650)) {
    throw new UsageError(`--horizons must be whole numbers of days such as 60,90, not '${text}'`);
  }
  return [...new Set(hs)].sort((a, b) => a - b);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'check a model against real churns, renewals and expansions; --calibrate fits weights and thresholds',
  usage,
  async run(argv) {
    const t0 = performance.now();
    let t1 = t0;
    const { values } = parseCommandArgs(argv, {
      history: { type: 'string' },
      'from-store': { type: 'string' },
      outcomes: { type: 'string' },
      model: { type: 'string', short: 'm' },
      horizons: { type: 'string', default: DEFAULT_HORIZONS.join(',') },
      format: { type: 'string', short: 'f', default: 'text' },
      out: { type: 'string' },
      calibrate: { type: 'boolean', default: false },
      'target-recall': { type: 'string', default: String(DEFAULT_TARGET_RECALL) },
      exclude: { type: 'string' },
      seed: { type: 'string', default: '20260101' },
    });
    const store = values['from-store'];
    if (values.history === undefined && store === undefined) throw new UsageError('--history FILE or --from-store <dir|table> is required');
    if (values.history !== undefined && store !== undefined) throw new UsageError('give --history or --from-store, not both');
    if (values.history !== undefined && values.outcomes === undefined) {
      throw new UsageError(
        '--outcomes FILE is required with --history: outcomes come from a file, or from a store (--from-store REF without --outcomes uses the outcomes the runs recorded there)',
      );
    }
    if (!values.model) throw new UsageError('--model is required');
    const format = values.format;
    if (format !== 'text' && format !== 'json' && format !== 'html')
      throw new UsageError(`--format must be text, json or html, not '${format}'`);
    const horizons = parseHorizons(values.horizons);
    const targetRecall = Number(values['target-recall']);
    if (!(targetRecall > 0 && targetRecall <= 1))
      throw new UsageError(`--target-recall must be a share above 0 and at most 1, not '${values['target-recall']}'`);
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not '${values.seed}'`);
    const exclusions = values.exclude === undefined ? DEFAULT_EXCLUSIONS : parseExclusions(values.exclude);
    const models = loadModel(values.model);
    if (values.calibrate && 'fallback' in models) throw new UsageError('--calibrate needs a single model, not a model set');

    // The checks above leave exactly one of the two.
    const source: HistorySource = store !== undefined ? { store: await openHistoryStore(store) } : { file: values.history as string };
    let outcomes: BacktestOutcomes;
    let history: HistoryStream;
    let selector: Awaited<ReturnType<typeof selectFromHistory>>;
    try {
      outcomes = await readBacktestOutcomes(values.outcomes, source);
      t1 = performance.now();
      history = await openHistory(source, outcomes.outcomes, horizons);
      try {
        selector = await selectFromHistory(outcomes.outcomes, history.snapshots, horizons, (_, error) => {
          history.problems.push({ source: 'history', line: history.position.line, error });
        });
      } catch (err) {
        if (history.unit === 'lines') throw err;
        throw new UsageError(`cannot read the history from ${history.label}: ${storeFailure(err)}`);
      } finally {
        await history.close();
      }
    } finally {
      if ('store' in source) await source.store.close();
    }
    const t2 = performance.now();
    const metrics = { bootstrap: { seed } };
    const report = withInputLines(
      backtestReport(models, selector, {
        metrics,
        ...(values.calibrate ? { calibrate: { targetRecall, exclusions, seed, metrics } } : {}),
      }),
      {
        outcomeLines: outcomes.lines,
        historyLines: history.position.line,
        problems: [...outcomes.problems, ...history.problems],
        outcomesFrom: outcomes.from,
      },
    );
    const t3 = performance.now();

    let savedModel: string | undefined;
    if (values.out) {
      await mkdir(values.out, { recursive: true });
      if (report.calibrated?.status === 'fitted') {
        savedModel = join(values.out, `${report.calibrated.model.id}.yaml`);
        await writeFile(savedModel, report.calibrated.yaml);
      }
      await writeFile(join(values.out, 'backtest.json'), `${JSON.stringify(report, null, 2)}\n`);
      await writeFile(join(values.out, 'backtest.html'), htmlReport(report));
      await writeFile(join(values.out, 'backtest.txt'), textReport(report, savedModel));
    }
    const body =
      format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'html' ? htmlReport(report) : textReport(report, savedModel);
    await write(process.stdout, body);

    const total = performance.now() - t0;
    const rate = Math.round(report.inputs.snapshots / Math.max((t2 - t1) / 1000, 1e-3));
    const timing = `timing: outcomes ${seconds(t1 - t0)} · history ${seconds(t2 - t1)} (${(report.inputs.historyLines ?? 0).toLocaleString('en-US')} ${history.unit}, ${rate.toLocaleString('en-US')} snapshots/s) · metrics${values.calibrate ? ' and calibration' : ''} ${seconds(t3 - t2)} · total ${seconds(total)} · peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`;
    if (format === 'text') await write(process.stdout, `\n${timing}`);
    else process.stderr.write(timing);

    const bad = (report.inputs.badOutcomeLines ?? 0) + (report.inputs.badHistoryLines ?? 0);
    if (bad > 0) {
      for (const p of report.problems.slice(0, 20)) process.stderr.write(`${JSON.stringify(p)}\n`);
      process.stderr.write(
        `healthscore backtest: ${bad} ${report.outcomesFrom?.source === 'store' ? 'recorded outcome(s) or stored day(s)' : 'input line(s)'} could not be used${bad > 20 ? ' (first 20 above; all in --format json)' : ' (see above)'}\n`,
      );
      return EXIT_BAD_RECORDS;
    }
    return EXIT_OK;
  },
};
