// `healthscore rescore --from-store REF --model <preset|file>`: after a model change, recompute the
// stored history with the new model from the signals each day kept (pipeline/rescore), so trends,
// tier confirmation and backtests compare like with like. The next run writes the new scores back.
import { loadModel } from '../../pipeline/model-files.ts';
import { rescoreFromStore } from '../../pipeline/rescore/rescore-history.ts';
import { openHistoryStore } from '../backtest-store.ts';
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.ts';

const usage = `
Usage: healthscore rescore --from-store REF --model <preset|file> [--table NAME] [--confirm-hours N] [--json]

Recomputes every stored day with the model given, from the signals the day kept: score, tier,
layers, drivers, trend, confirmed tier and what changed. A CSM override stands as it was. Each
account's state is rebuilt, so the next run continues from the new model without re-baselining;
that run writes the changed scores to the CRM. Run it while no run is in progress.

Options:
  --from-store REF      a local run's store directory, or a deployed DynamoDB table name
  --model               the new model: a preset name or a model / model-set file        (required)
  --table               the table's name inside a local store (default healthscore)
  --confirm-hours       hours a tier change must hold across runs (default 20, as the run)
  --json                print the report as JSON
`;

export const rescoreCommand: Command = {
  name: 'rescore',
  summary: 'recompute the stored history with a new model, from the stored signals',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      'from-store': { type: 'string' },
      model: { type: 'string', short: 'm' },
      table: { type: 'string' },
      'confirm-hours': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values['from-store']) throw new UsageError('--from-store <dir|table> is required');
    if (!values.model) throw new UsageError('--model is required');
    const confirmHours = values['confirm-hours'] === undefined ? undefined : Number(values['confirm-hours']);
    if (confirmHours !== undefined && !(confirmHours > 0))
      throw new UsageError(`--confirm-hours must be a number of hours above 0, not '${values['confirm-hours']}'`);
    const models = loadModel(values.model);
    const opened = await openHistoryStore(values['from-store'], values.table);
    try {
      const report = await rescoreFromStore(opened.store, models, confirmHours === undefined ? {} : { confirmHours });
      process.stdout.write(
        values.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : `rescored ${report.rows} days of ${report.accounts} accounts in ${opened.label} with ${report.models.join(', ') || values.model}: ` +
              `${report.scoresChanged} scores and ${report.tiersChanged} confirmed tiers changed\n`,
      );
      return EXIT_OK;
    } finally {
      await opened.close();
    }
  },
};
