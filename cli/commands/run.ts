// `healthscore run --config FILE` and `healthscore setup --config FILE`: the same pipeline as the
// Lambdas and the demo, against the real vendors, with secrets from the environment
// (HUBSPOT_ACCESS_TOKEN, STRIPE_API_KEY, ... — see README) and the table named in the config.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, QuotaExhaustedError } from '../../connectors/shared/errors.ts';
import { dryRun } from '../../pipeline/dry-run/dry-run.ts';
import { loadModel } from '../../pipeline/model-files.ts';
import { unmatchedCsv, unmatchedRows } from '../../pipeline/run/identity.ts';
import { activeMode, isPaused, PAUSED_MESSAGE } from '../../pipeline/run/mode.ts';
import { RunOrderError } from '../../pipeline/run/plan.ts';
import { runAll } from '../../pipeline/run/run-all.ts';
import { formatSummary } from '../../pipeline/run/summary.ts';
import {
  accountsOf,
  buildConnectors,
  ConfigErrorList,
  cadenceOf,
  configuredSources,
  environmentSecrets,
  loadRunConfig,
  type RunConfig,
} from '../../pipeline/run-config.ts';
import { coverageProblems, describeCoverageProblem } from '../../pipeline/source-coverage.ts';
import { DynamoStore } from '../../pipeline/store/dynamo-store.ts';
import { type Command, EXIT_BAD_RECORDS, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError } from '../command.ts';
import { formatDryRun } from '../dry-run-output.ts';

const runUsage = `
Usage: healthscore run --config FILE [--as-of ISO] [--run-id ID] [--json] [--unmatched-csv FILE]
       healthscore run --config FILE --dry-run [--limit N | --accounts ID,...] [--as-of ISO] [--json]

Runs the pipeline once against the configured vendors: list the CRM's accounts, read every source,
score, store the day in DynamoDB, write changed values back to the CRM, alert on confirmed changes.
The config's mode decides: live (default) as above; shadow scores and keeps history but writes
nothing to the CRM and sends no alert (the summary says what would have been); paused exits at once.
Secrets come from the environment: HUBSPOT_ACCESS_TOKEN or SALESFORCE_SECRET (a JSON object with named
keys; a bare token in SALESFORCE_ACCESS_TOKEN still works), STRIPE_API_KEY, ZENDESK_API_TOKEN,
MIXPANEL_SERVICE_ACCOUNT_SECRET, SLACK_WEBHOOK_URL. AWS credentials and region as
for any AWS SDK program. Each run is its own run (history keeps the day's latest score per account);
--run-id resumes one that was cut short (no duplicate writes or alerts). While the last run is still
in progress (until the cadence's runTimeoutMinutes after its instant) a new run is skipped, never overlapped.

Options:
  --config   the run config YAML (see examples/healthscore.config.yaml)      (required)
  --as-of    the instant to score at (default: now)
  --run-id   resume a run (it keeps the instant it was planned with), or name a new one
             (default: a new run whose id is the as-of instant, e.g. 2026-10-12T05:00:00Z)
  --json     print the run summary (or the dry run's preview) as JSON; a run's JSON also lists every
             unmatched account and unclaimed vendor record with its reason ("unmatchedRows")
  --unmatched-csv  write those rows (side,source,id,reason) to FILE: the accounts a source could not
             join and the vendors' live records no account claims (matched by domain when the CRM
             holds no id field), for RevOps to fix the joins from
  --dry-run  preview: read and score, print per account the signals and their source, score, tier,
             drivers, alerts and each CRM property a run would change (current → new); write nothing
             anywhere (no CRM writes or tasks, no Slack, no table rows, no saved cursors). The
             portfolio-wide syncs still run (their cost is printed first) from the table's stored
             state when the configured table exists, from nothing otherwise
  --limit    with --dry-run: only the first N accounts the CRM lists
  --accounts with --dry-run: only these CRM record ids, comma-separated

Exit codes: 0 complete · 1 finished with failed sources, rejected writes or a stop at a vendor quota · 2 configuration error
`;

const setupUsage = `
Usage: healthscore setup --config FILE

Creates the "Health score" properties (HubSpot) or custom fields (Salesforce) the run writes to.
Idempotent: a second run changes nothing.
`;

/** --limit / --accounts, which only a dry run takes. */
function previewScope(values: { 'dry-run'?: boolean | undefined; limit?: string | undefined; accounts?: string | undefined }) {
  if (!values['dry-run']) {
    if (values.limit !== undefined || values.accounts !== undefined) throw new UsageError('--limit and --accounts go with --dry-run');
    return {};
  }
  if (values.limit !== undefined && values.accounts !== undefined) throw new UsageError('give --limit or --accounts, not both');
  if (values.limit !== undefined) {
    const n = Number(values.limit);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--limit must be a whole number of accounts (1 or more), not '${values.limit}'`);
    return { limit: n };
  }
  if (values.accounts !== undefined) {
    const ids = values.accounts
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) throw new UsageError('--accounts needs CRM record ids, comma-separated');
    return { accountIds: ids };
  }
  return {};
}

function readConfig(configPath: string): RunConfig {
  try {
    return loadRunConfig(configPath);
  } catch (err) {
    if (err instanceof ConfigErrorList) throw new UsageError(err.message);
    throw err;
  }
}

async function prepare(configPath: string, config = readConfig(configPath)) {
  const connectors = await buildConnectors(config, environmentSecrets).catch((err: unknown) => {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  });
  return { config, connectors };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run the pipeline once against the real vendors (credentials from the environment)',
  usage: runUsage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      'as-of': { type: 'string' },
      'run-id': { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      limit: { type: 'string' },
      accounts: { type: 'string' },
      'unmatched-csv': { type: 'string' },
    });
    if (!values.config) throw new UsageError('--config is required');
    const scope = previewScope(values);
    const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
    if (Number.isNaN(asOf.getTime())) throw new UsageError(`--as-of is not a date: '${values['as-of']}'`);
    const configOnly = readConfig(values.config);
    // The kill switch: a paused deployment's runs stop before touching any vendor (a preview writes nothing, so it may go on).
    if (isPaused(configOnly) && !values['dry-run']) {
      process.stderr.write(`healthscore run: ${PAUSED_MESSAGE} (${values.config})\n`);
      return EXIT_OK;
    }
    const { config, connectors } = await prepare(values.config, configOnly);
    const client = new DynamoDBClient({
      ...(config.table.region ? { region: config.table.region } : {}),
      ...(config.table.endpoint ? { endpoint: config.table.endpoint } : {}),
    });
    const store = new DynamoStore(client, { tableName: config.table.name, retentionDays: config.retentionDays });
    const models = loadModel(config.model, dirname(resolve(values.config)));
    const sources = configuredSources(config);
    for (const p of coverageProblems(models, sources))
      process.stderr.write(`healthscore run: warning: ${describeCoverageProblem(p, sources)}\n`);
    const log = (event: string, detail: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ event, ...detail })}\n`);
    try {
      if (values['dry-run']) {
        const preview = await dryRun(
          {
            crm: connectors.crm,
            sources: connectors.sources,
            models,
            store,
            log,
            cadence: cadenceOf(config),
            accounts: accountsOf(config),
          },
          { asOf, batchSize: config.batchSize, maxStaleDays: config.maxStaleDays, ...scope },
          {
            onSync: (_source, cost) => process.stderr.write(`dry run: syncing first — ${cost}\n`),
            onBatch: (done, total) => process.stderr.write(`batch ${done}/${total} previewed\n`),
          },
        );
        process.stdout.write(values.json ? `${JSON.stringify(preview, null, 2)}\n` : `${formatDryRun(preview)}\n`);
        const troubled = preview.notFound.length > 0 || Object.keys(preview.failedSources).length > 0 || preview.dataErrors.length > 0;
        return troubled ? EXIT_BAD_RECORDS : EXIT_OK;
      }
      const summary = await runAll(
        { ...connectors, store, models, log, cadence: cadenceOf(config), accounts: accountsOf(config) },
        {
          asOf,
          batchSize: config.batchSize,
          maxStaleDays: config.maxStaleDays,
          mode: activeMode(config),
          ...(values['run-id'] ? { runId: values['run-id'] } : {}),
        },
        { onBatch: (done, total) => process.stderr.write(`batch ${done}/${total} done\n`) },
      );
      const rows = values.json || values['unmatched-csv'] ? await unmatchedRows(store, summary.runId) : [];
      if (values['unmatched-csv']) writeFileSync(values['unmatched-csv'], unmatchedCsv(rows));
      process.stdout.write(
        values.json ? `${JSON.stringify({ ...summary, unmatchedRows: rows }, null, 2)}\n` : `${formatSummary(summary)}\n`,
      );
      if (summary.skipped) return EXIT_OK;
      const troubled =
        !summary.complete || Object.keys(summary.failedSources).length > 0 || summary.writes.rejected + summary.writes.failed > 0;
      return troubled ? EXIT_BAD_RECORDS : EXIT_OK;
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`healthscore run: ${err.message}\n`);
        return EXIT_USAGE;
      }
      if (err instanceof RunOrderError) {
        process.stderr.write(`healthscore run: ${err.message}\n`);
        return EXIT_USAGE;
      }
      if ((err as Error).name === 'ResourceNotFoundException') {
        process.stderr.write(
          `healthscore run: DynamoDB table '${config.table.name}' not found${config.table.region ? ` in ${config.table.region}` : ''}: deploy the stack (docs/deploy.md) or create a table with string keys pk (hash) and sk (range), TTL attribute expiresAt\n`,
        );
        return EXIT_USAGE;
      }
      if (err instanceof QuotaExhaustedError) {
        process.stderr.write(`healthscore run: ${err.message}; the run resumes from its checkpoint next time\n`);
        return EXIT_BAD_RECORDS;
      }
      throw err;
    } finally {
      client.destroy();
    }
  },
};

export const setupCommand: Command = {
  name: 'setup',
  summary: 'create the CRM properties / fields the score is written to (idempotent)',
  usage: setupUsage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { config: { type: 'string' } });
    if (!values.config) throw new UsageError('--config is required');
    const { connectors } = await prepare(values.config);
    try {
      const report = await connectors.crm.setup();
      process.stdout.write(
        `created: ${report.created.join(', ') || 'none'}\nupdated: ${report.updated.join(', ') || 'none'}\nunchanged: ${report.unchanged.join(', ') || 'none'}\n`,
      );
      for (const w of (report as { warnings?: string[] }).warnings ?? []) process.stderr.write(`warning: ${w}\n`);
      return EXIT_OK;
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`healthscore setup: ${err.message}\n`);
        return EXIT_USAGE;
      }
      throw err;
    }
  },
};
