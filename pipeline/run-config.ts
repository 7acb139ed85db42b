// The run's configuration (YAML, zod-validated): which CRM, which sources, the model, batching and
// the table. Secrets are never in the file: they come from the environment (the CLI) or Secrets
// Manager (the Lambdas) through a SecretSource, and are merged into each vendor's section here.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { createHubSpotConnector } from '../connectors/hubspot/index.ts';
import { createMixpanelSource } from '../connectors/mixpanel/index.ts';
import { createSalesforceConnector } from '../connectors/salesforce/connector.ts';
import type { CrmConnector } from '../connectors/shared/crm.ts';
import { ConfigError } from '../connectors/shared/errors.ts';
import type { SignalSource } from '../connectors/shared/source.ts';
import type { SlackNotifier } from '../connectors/slack/webhook.ts';
import { createSlackNotifier } from '../connectors/slack/webhook.ts';
import { createStripeSource } from '../connectors/stripe/stripe-source.ts';
import { createZendeskSource } from '../connectors/zendesk/zendesk-source.ts';
import { URGENT_EVENTS } from '../lib/history/urgent-events.ts';
import type { Cadence } from './run/deps.ts';

const section = z.record(z.string(), z.unknown()).optional();

/**
 * live: write to the CRM and alert. shadow: score and keep history, but write nothing to the CRM and
 * send no alert (the summary says what would have been). paused: the kill switch — runs exit at once.
 */
export const RUN_MODES = ['live', 'shadow', 'paused'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export { URGENT_EVENTS } from '../lib/history/urgent-events.ts';

/** How runs follow one another; every field has a default, so the section is optional. */
const cadenceSchema = z.strictObject({
  /** A tier change (or a flag, an urgent drop) must hold across runs at least this many hours before it alerts. */
  confirmHours: z.number().positive().max(168).default(20),
  /** An unfinished run blocks the next for this long after its instant (the deploy sets it from the schedule). */
  runTimeoutMinutes: z.number().int().min(1).max(10_080).optional(),
  urgentEvents: z.array(z.enum(URGENT_EVENTS)).default([]),
});

export const runConfigSchema = z.strictObject({
  crm: z.enum(['hubspot', 'salesforce']),
  mode: z.enum(RUN_MODES).default('live'),
  /** A preset, model set, or model file (relative to the config file). */
  model: z.string().min(1).default('portfolio'),
  batchSize: z.number().int().min(1).max(1000).default(100),
  maxStaleDays: z.number().int().min(0).max(30).default(3),
  table: z
    .strictObject({ name: z.string().min(3).default('healthscore'), region: z.string().optional(), endpoint: z.url().optional() })
    .prefault({}),
  retentionDays: z.number().int().min(400).default(400),
  cadence: cadenceSchema.prefault({}),
  hubspot: section,
  salesforce: section,
  stripe: section,
  zendesk: section,
  mixpanel: section,
  slack: z.strictObject({ enabled: z.boolean().default(true) }).optional(),
});
export type RunConfig = z.infer<typeof runConfigSchema>;

/**
 * Where each vendor's secret lives in its section, the environment variable the CLI reads it from,
 * and what the secret holds. Salesforce's is a JSON object with named keys (connectors/salesforce/README.md),
 * which the connector merges into `salesforce.auth`.
 */
export const SECRETS = {
  hubspot: { path: ['accessToken'], env: 'HUBSPOT_ACCESS_TOKEN', holds: 'the private app access token' },
  salesforce: {
    path: ['secret'],
    env: 'SALESFORCE_SECRET',
    holds: 'a JSON object with the keys salesforce.auth.flow needs (privateKey, clientSecret, refreshToken or accessToken)',
  },
  stripe: { path: ['apiKey'], env: 'STRIPE_API_KEY', holds: 'the secret or restricted key' },
  zendesk: { path: ['apiToken'], env: 'ZENDESK_API_TOKEN', holds: 'the API token' },
  mixpanel: { path: ['serviceAccount', 'secret'], env: 'MIXPANEL_SERVICE_ACCOUNT_SECRET', holds: "the service account's secret" },
  slack: { path: ['webhookUrl'], env: 'SLACK_WEBHOOK_URL', holds: 'the incoming webhook URL' },
} as const;

/** Environment variables read before SECRETS' own, kept working for configs written before them. */
const LEGACY_ENV: Partial<Record<keyof typeof SECRETS, string>> = { salesforce: 'SALESFORCE_ACCESS_TOKEN' };
export type SecretName = keyof typeof SECRETS;

/** Resolves a vendor's secret; undefined when it is not configured. */
export type SecretSource = (name: SecretName) => Promise<string | undefined>;

export const environmentSecrets: SecretSource = async (name) => {
  const legacy = LEGACY_ENV[name];
  return process.env[SECRETS[name].env] || (legacy ? process.env[legacy] : undefined) || undefined;
};

export function parseRunConfig(raw: unknown, source: string): RunConfig {
  const r = runConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${source}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new ConfigErrorList(problems);
}

export class ConfigErrorList extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigErrorList';
    this.problems = problems;
  }
}

export function loadRunConfig(path: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigErrorList([`${path}: cannot read the run config (${(err as Error).message})`]);
  }
  return parseRunConfig(parse(text), path);
}

function withSecret(
  sectionValue: Record<string, unknown> | undefined,
  name: SecretName,
  secret: string | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(sectionValue ?? {});
  if (secret === undefined) return out;
  const path = SECRETS[name].path as readonly string[];
  let at = out;
  for (const key of path.slice(0, -1)) {
    at[key] = { ...((at[key] as Record<string, unknown> | undefined) ?? {}) };
    at = at[key] as Record<string, unknown>;
  }
  at[path.at(-1) as string] = secret;
  return out;
}

/** The CRM and every source the config turns on, by name. */
export function configuredSources(config: RunConfig): string[] {
  return [config.crm, ...(['stripe', 'zendesk', 'mixpanel'] as const).filter((s) => config[s] !== undefined)];
}

export interface Connectors {
  crm: CrmConnector;
  sources: SignalSource[];
  slack: SlackNotifier | undefined;
}

/** Builds the configured connectors; a configured source without its secret is a clear error. */
export async function buildConnectors(config: RunConfig, secrets: SecretSource): Promise<Connectors> {
  const need = async (name: SecretName) => {
    const s = await secrets(name);
    if (s === undefined)
      throw new ConfigError(
        name === 'slack' ? 'slack' : name,
        `no secret configured: set ${SECRETS[name].env} (or the ${name} secret in Secrets Manager)`,
      );
    return s;
  };
  const crm =
    config.crm === 'hubspot'
      ? createHubSpotConnector(withSecret(config.hubspot, 'hubspot', await need('hubspot')) as never)
      : createSalesforceConnector(withSecret(config.salesforce, 'salesforce', await need('salesforce')) as never);
  const sources: SignalSource[] = [];
  if (config.stripe) sources.push(createStripeSource(withSecret(config.stripe, 'stripe', await need('stripe')) as never));
  if (config.zendesk) sources.push(createZendeskSource(withSecret(config.zendesk, 'zendesk', await need('zendesk')) as never));
  if (config.mixpanel) sources.push(createMixpanelSource(withSecret(config.mixpanel, 'mixpanel', await need('mixpanel')) as never));
  const slackUrl = config.slack?.enabled === false ? undefined : await secrets('slack');
  return { crm, sources, slack: slackUrl ? createSlackNotifier({ webhookUrl: slackUrl }) : undefined };
}

/** The run config's cadence as the pipeline takes it. */
export function cadenceOf(config: RunConfig): Cadence {
  return {
    confirmHours: config.cadence.confirmHours,
    urgentEvents: config.cadence.urgentEvents,
    ...(config.cadence.runTimeoutMinutes !== undefined ? { runTimeoutMinutes: config.cadence.runTimeoutMinutes } : {}),
  };
}
