// The deploy config (YAML, zod-validated): what an admin decides about a deployment — schedule, CRM,
// batching and concurrency, retention, alarm e-mail, secret names, model — plus the run config
// sections (no secrets) the stack embeds into each function's HEALTHSCORE_CONFIG. Every problem is
// reported at once, with the file and the path of the offending key.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { channelVendors, crmVendors, requireVendor, sourceVendors, vendors } from '../connectors/registry.ts';
import { isSensitiveName } from '../connectors/shared/http-trace.ts';
import { valueAt } from '../connectors/shared/vendor.ts';
import { issueLines } from '../lib/zod-issues.ts';
import { RUN_MODES, URGENT_EVENTS } from '../pipeline/run-config.ts';
import { defaultRunTimeoutMinutes, type ScheduleCadence, scheduleCadence } from './schedule-cadence.ts';
import { validateVendorSections } from './vendor-sections.ts';

/** A registered CRM's id. */
export type Crm = string;
/** A registered source's id. */
export type Source = string;

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const secretRef = z
  .string()
  .regex(
    /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512})$/,
    'expected a Secrets Manager secret name (e.g. healthscore/<vendor>) or the secret’s full ARN',
  );

const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const scheduleExpression = z
  .string()
  .refine(
    (s) => /^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/.test(s) || /^cron\(\S+( \S+){5}\)$/.test(s),
    'expected an EventBridge Scheduler expression: cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 5 * * ? *), or rate(1 day)',
  );

const section = z.record(z.string(), z.unknown());

const baseSchema = z.strictObject({
  /** The CloudFormation stack name. */
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,39}$/, 'up to 40 letters, digits and hyphens, starting with a letter (it prefixes the function names)')
    .default('Healthscore'),
  /** Where to deploy; unset, the CDK CLI's current account and region are used. */
  env: z
    .strictObject({
      account: z
        .string()
        .regex(/^\d{12}$/, 'a 12-digit AWS account id')
        .optional(),
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')
        .optional(),
    })
    .optional(),
  schedule: z
    .strictObject({
      expression: scheduleExpression.default('cron(0 5 * * ? *)'),
      timezone: z.string().refine(validTimeZone, 'expected an IANA time zone such as Europe/Berlin or UTC').default('UTC'),
      /** Off: the stack deploys with the schedule disabled (start runs by hand until the secrets are in place). */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  crm: z.string(),
  /** live: write to the CRM and alert; shadow: score and keep history, write and send nothing; paused: runs exit at once. */
  mode: z.enum(RUN_MODES, { error: `mode must be ${RUN_MODES.join(', ')}` }).default('live'),
  /** A preset name (models/<name>.yaml) or a model / model-set file, relative to this file. */
  model: z.string().min(1).default('portfolio'),
  /** Accounts per batch: one Distributed Map item, one score-batch invocation. */
  batchSize: z.int().min(1).max(1000).default(100),
  /** Upper bound for the Distributed Map's MaxConcurrency; the stack may choose less (see docs/deploy.md). */
  maxConcurrency: z.int().min(1).max(1000).default(10),
  /** Measured CRM calls per batch (the dashboard's vendor calls ÷ batches), replacing the built-in estimate. */
  crmCallsPerBatch: z.int().positive().optional(),
  /** Batches that may fail (after retries) before the run's map fails. */
  toleratedFailurePercent: z.number().min(0).max(100).default(5),
  /** Days a day's score history is kept before DynamoDB's TTL removes it (the method needs 400). */
  retentionDays: z.int().min(400, 'retentionDays must be at least 400: trends and backtests read a year of history').default(400),
  maxStaleDays: z.int().min(0).max(30).default(3),
  logRetentionDays: z
    .int()
    .refine((d) => LOG_RETENTION_DAYS.includes(d), `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
    .default(90),
  /** A run still going after this long is stopped; default: a little less than the schedule's period, at most 20 h. */
  runTimeoutMinutes: z.int().min(1).max(10_080).optional(),
  /** The former whole-hours setting, still read: give one of the two. */
  runTimeoutHours: z.int().min(1).max(168).optional(),
  /** How runs follow one another (the run config's cadence section). */
  cadence: z
    .strictObject({
      /** A tier change (or a flag, an urgent drop) must hold across runs this many hours before it alerts. */
      confirmHours: z.number().positive().max(168).default(20),
      /** Events that alert on the first run that sees them, once. */
      urgentEvents: z.array(z.enum(URGENT_EVENTS)).default([]),
    })
    .prefault({}),
  /** Accounts the portfolio is expected to hold: sizes the synth-time check of calls per day against vendor daily limits. */
  expectedAccounts: z.int().positive().default(1000),
  /** Vendor daily API limits, when the account's plan allows more than the documented minimum. */
  dailyLimits: z.record(z.string(), z.int().positive()).prefault({}),
  alarmEmail: z.union([z.email(), z.array(z.email()).min(1)], { error: 'alarmEmail must be an e-mail address (or a list of them)' }),
  table: z
    .strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{3,255}$/, '3-255 letters, digits, _ . -')
        .default('healthscore'),
    })
    .prefault({}),
  /** The customer-managed KMS key the secrets are encrypted with, if not the default aws/secretsmanager key. */
  secretsKmsKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)')
    .optional(),
  /** true: bundle the AWS SDK version the code was tested with instead of using the one in the nodejs24.x runtime (+0.4 MB). */
  bundleAwsSdk: z.boolean().default(false),
});

/** The schema for the vendors registered now: a CRM among the CRMs, a secret and a run section per vendor. */
function deployConfigSchema() {
  const crms = crmVendors().map((v) => v.id);
  const perVendor = <T extends z.ZodType>(each: (channel: boolean) => T) =>
    z.strictObject(Object.fromEntries(vendors().map((v) => [v.id, each(v.kind === 'channel').optional()]))).prefault({});
  return baseSchema.extend({
    crm: z.enum(crms as [string, ...string[]], { error: `crm must be ${crms.join(' or ')}` }),
    /** Secrets Manager secret per vendor (name or ARN); defaults to healthscore/<vendor> for configured vendors. */
    secrets: perVendor(() => secretRef),
    /** The run config's vendor sections (as in healthscore.config.yaml, without secrets). */
    run: perVendor((channel) => (channel ? z.strictObject({ enabled: z.boolean().default(true) }) : section)),
  });
}

type ParsedDeployConfig = z.output<typeof baseSchema> & {
  crm: Crm;
  secrets: Record<string, string | undefined>;
  run: Record<string, Record<string, unknown> | undefined>;
};

export interface ModelChoice {
  /** A preset name, or the model file's absolute path on this machine. */
  ref: string;
  kind: 'preset' | 'file';
}

export interface DeployConfig extends Omit<ParsedDeployConfig, 'secrets' | 'model' | 'runTimeoutHours' | 'runTimeoutMinutes'> {
  model: ModelChoice;
  /** The run timeout in minutes: as configured, or derived from the schedule. */
  runTimeoutMinutes: number;
  /** Runs a day and the shortest gap between two, read from the schedule expression. */
  cadenceOfSchedule: ScheduleCadence;
  /** The configured sources, in run order. */
  sources: Source[];
  /** Secret per vendor the functions use (CRM, sources, channels when enabled). */
  secrets: Record<string, string>;
  /** Where the config came from, for messages. */
  source: string;
}

export class DeployConfigError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}: invalid deploy config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DeployConfigError';
    this.problems = problems;
  }
}

const isPresetName = (ref: string) => /^[a-z][a-z0-9-]*$/.test(ref);

/** Validates a parsed YAML document; `baseDir` is where relative model paths start. */
export function parseDeployConfig(raw: unknown, source: string, baseDir: string): DeployConfig {
  const r = deployConfigSchema().safeParse(raw ?? {});
  if (!r.success) throw new DeployConfigError(source, issueLines(r.error));
  const c = r.data as unknown as ParsedDeployConfig;
  const problems: string[] = [];
  for (const { id: other } of crmVendors()) {
    if (other === c.crm) continue;
    if (c.run[other]) problems.push(`run.${other}: crm is ${c.crm}; remove this section or set crm: ${other}`);
    if (c.secrets[other]) problems.push(`secrets.${other}: crm is ${c.crm}; remove this secret or set crm: ${other}`);
  }
  const sources = sourceVendors()
    .map((v) => v.id)
    .filter((s) => c.run[s] !== undefined);
  for (const { id: s } of sourceVendors())
    if (c.secrets[s] && !c.run[s]) problems.push(`secrets.${s}: there is no run.${s} section; add it (even {}) or remove the secret`);

  const secrets: Record<string, string> = {};
  for (const id of [c.crm, ...sources]) secrets[id] = c.secrets[id] ?? requireVendor(id).secret.defaultSecretName;
  for (const { id } of channelVendors()) {
    const named = c.secrets[id];
    if (named && c.run[id]?.enabled !== false) secrets[id] = named;
    if (c.run[id]?.enabled === true && !named)
      problems.push(`secrets.${id}: run.${id}.enabled is true; name the secret holding ${requireVendor(id).secret.holds}`);
  }

  for (const vendor of [c.crm, ...sources]) {
    const path = requireVendor(vendor).secret.path;
    if (valueAt(c.run[vendor], path) !== undefined)
      problems.push(
        `run.${vendor}.${path.join('.')}: a secret never goes into the deploy config (it would end up in the template); put it in the Secrets Manager secret ${secrets[vendor]}`,
      );
  }
  // Any other field named like a credential (node-zendesk's `token`, a `privateAppToken`...) is refused too.
  const walk = (value: unknown, path: string) => {
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (isSensitiveName(k) && typeof v === 'string')
        problems.push(
          `${path}.${k}: looks like a credential; secrets never go into the deploy config (they would end up in the template): use Secrets Manager`,
        );
      walk(v, `${path}.${k}`);
    }
  };
  for (const vendor of [c.crm, ...sources]) {
    const path = requireVendor(vendor).secret.path;
    const section = structuredClone(c.run[vendor] ?? {}) as Record<string, unknown>;
    // The known secret field is reported above with its own message.
    const parent = valueAt(section, path.slice(0, -1));
    if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[path.at(-1) as string];
    walk(section, `run.${vendor}`);
  }
  problems.push(...validateVendorSections(c.crm, sources, c.run));

  // An unreadable cron form (e.g. L or #) is taken as daily: the check below then only catches the obvious.
  const cadence = scheduleCadence(c.schedule.expression) ?? { runsPerDay: 1, periodMinutes: 1440 };
  if (c.runTimeoutHours !== undefined && c.runTimeoutMinutes !== undefined)
    problems.push('runTimeoutHours: give runTimeoutMinutes or runTimeoutHours, not both (runTimeoutMinutes is the current name)');
  const explicit = c.runTimeoutMinutes ?? (c.runTimeoutHours === undefined ? undefined : c.runTimeoutHours * 60);
  const runTimeoutMinutes = explicit ?? defaultRunTimeoutMinutes(cadence.periodMinutes);
  const key = c.runTimeoutMinutes === undefined && c.runTimeoutHours !== undefined ? 'runTimeoutHours' : 'runTimeoutMinutes';
  if (runTimeoutMinutes < 1)
    problems.push(
      `schedule.expression: runs ${cadence.periodMinutes} minute(s) apart leave no time for a run; schedule them further apart`,
    );
  else if (runTimeoutMinutes >= cadence.periodMinutes)
    problems.push(
      `${key}: ${key === 'runTimeoutHours' ? `${c.runTimeoutHours} h` : `${runTimeoutMinutes} min`} is not shorter than the schedule's period (${cadence.periodMinutes} min); two runs would overlap and share one rate budget`,
    );

  const model: ModelChoice = isPresetName(c.model)
    ? { ref: c.model, kind: 'preset' }
    : { ref: isAbsolute(c.model) ? c.model : resolve(baseDir, c.model), kind: 'file' };

  if (problems.length) throw new DeployConfigError(source, problems);
  const { secrets: _names, model: _model, runTimeoutHours: _hours, runTimeoutMinutes: _minutes, ...rest } = c;
  return { ...rest, model, sources, secrets, source, runTimeoutMinutes, cadenceOfSchedule: cadence };
}

/** Reads and validates a deploy config file (YAML). */
export function loadDeployConfig(path: string): DeployConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new DeployConfigError(path, [`cannot read the deploy config (${why}); start from cdk/deploy.example.yaml`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length)
    throw new DeployConfigError(
      path,
      doc.errors.map((e) => `YAML: ${e.message}`),
    );
  return parseDeployConfig(doc.toJS(), path, dirname(resolve(path)));
}
