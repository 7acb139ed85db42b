// `healthscore check`: prove a configuration against the real vendors before the first run. Read
// calls only; each finding says what to do. The JSON shape is documented in the README ("check").
import { dirname, resolve } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requireVendor } from '../../connectors/registry.ts';
import { type CheckReport, runCheck } from '../../pipeline/check/run-check.ts';
import { loadModel } from '../../pipeline/model-files.ts';
import { ConfigErrorList, environmentSecrets, loadRunConfig, type SecretSource } from '../../pipeline/run-config.ts';
import { type Command, parseCommandArgs, positiveOption, UsageError } from '../command.ts';

const usage = `
Usage: healthscore check --config FILE [--json] [--secrets-from env|aws] [--sample N] [--runs-per-day N] [--max-unknown SHARE] [--as-of ISO]

Proves a configuration against the real vendors before the first run, with read calls only (no
write to any vendor; one Mixpanel query). Per configured vendor:
  access    reachable, credentials valid, permissions cover what a run reads (Stripe: each endpoint
            tried once; Zendesk: the API user is an admin)
  mapping   mapped properties / fields, association labels, score properties (else: run setup)
  joins     on a sample of CRM accounts, the share each source joins (by id, else by domain), with
            examples that did not and why
  coverage  the completeness the model can expect on that sample, and the share that would be unknown
  quota     what the vendor reports left, against what --runs-per-day runs of this portfolio spend

Options:
  --config        the run config YAML (required)
  --json          print the report as JSON (shape: README, "Checking a configuration")
  --secrets-from  env (default: the same environment variables as run) or aws (Secrets Manager, the
                  deployed secret names: healthscore/<vendor> unless SECRET_<VENDOR> names another)
  --sample        CRM accounts to sample for joins and coverage (default 200)
  --runs-per-day  scheduled runs a day, for the quota estimate (default 1)
  --max-unknown   warn when more than this share of the sample would be unknown (default 0.2)
  --as-of         the instant recent-activity windows end at (default: now)

Exit codes: 0 all ok (notes only) · 1 warnings · 2 a failure (or a usage error)
`;

const mark = { ok: 'ok  ', note: 'note', warn: 'WARN', fail: 'FAIL' } as const;

/** The report as lines for a terminal: findings by vendor, then the totals. */
export function formatCheck(r: CheckReport): string {
  const lines = r.findings.map((f) => `${mark[f.status]}  ${f.vendor} ${f.area}: ${f.message}`);
  lines.push(
    '',
    `${r.counts.ok} ok · ${r.counts.note} notes · ${r.counts.warn} warnings · ${r.counts.fail} failures (sample: ${r.sample.listed} accounts)`,
  );
  return lines.join('\n');
}

const envName = (vendor: string) => `SECRET_${vendor.toUpperCase()}`;

function awsSecrets(): SecretSource {
  const client = new SecretsManagerClient({});
  return async (vendor) => {
    const id = process.env[envName(vendor)] ?? requireVendor(vendor).secret.defaultSecretName;
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: id }));
      return out.SecretString || undefined;
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  };
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'prove a configuration against the real vendors before the first run (read calls only)',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      json: { type: 'boolean' },
      'secrets-from': { type: 'string' },
      sample: { type: 'string' },
      'runs-per-day': { type: 'string' },
      'max-unknown': { type: 'string' },
      'as-of': { type: 'string' },
    });
    const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
    if (Number.isNaN(asOf.getTime())) throw new UsageError(`--as-of is not a date: '${values['as-of']}'`);
    if (!values.config) throw new UsageError('--config is required');
    const from = values['secrets-from'] ?? 'env';
    if (from !== 'env' && from !== 'aws') throw new UsageError(`--secrets-from must be env or aws, not '${from}'`);
    const maxUnknown = values['max-unknown'] === undefined ? 0.2 : Number(values['max-unknown']);
    if (!(maxUnknown >= 0 && maxUnknown <= 1))
      throw new UsageError(`--max-unknown must be a share from 0 to 1, not '${values['max-unknown']}'`);
    let config: ReturnType<typeof loadRunConfig>;
    try {
      config = loadRunConfig(values.config);
    } catch (err) {
      if (err instanceof ConfigErrorList) throw new UsageError(err.message);
      throw err;
    }
    const secretName = (vendor: string) => {
      const entry = requireVendor(vendor);
      return from === 'aws'
        ? `the Secrets Manager secret ${process.env[envName(vendor)] ?? entry.secret.defaultSecretName}`
        : `the environment variable ${!process.env[entry.secret.env] && entry.secret.legacyEnv && process.env[entry.secret.legacyEnv] ? entry.secret.legacyEnv : entry.secret.env}`;
    };
    const report = await runCheck(
      config,
      from === 'aws' ? awsSecrets() : environmentSecrets,
      secretName,
      loadModel(config.model, dirname(resolve(values.config))),
      {
        sample: values.sample === undefined ? 200 : positiveOption('sample', values.sample, 10_000),
        runsPerDay: values['runs-per-day'] === undefined ? 1 : positiveOption('runs-per-day', values['runs-per-day'], 1440),
        maxUnknownShare: maxUnknown,
        asOf,
      },
    );
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCheck(report)}\n`);
    return report.exitCode;
  },
};
