// The run's configuration (YAML, zod-validated): which CRM, which sources, the model, batching and
// the table. Secrets are never in the file: they come from the environment (the CLI) or Secrets
// Manager (the Lambdas) through a SecretSource, and are merged into each vendor's section here.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { channelVendors, crmVendors, requireVendor, sourceVendors, vendors } from '../connectors/registry.ts';
import type { CrmConnector } from '../connectors/shared/crm.ts';
import { ConfigError } from '../connectors/shared/errors.ts';
import { renameKeys } from '../connectors/shared/rate-limit.ts';
import type { SignalSource } from '../connectors/shared/source.ts';
import { type VendorSection, withValueAt } from '../connectors/shared/vendor.ts';
import type { SlackNotifier } from '../connectors/slack/webhook.ts';
import { URGENT_EVENTS } from '../lib/history/urgent-events.ts';
import { issueLines } from '../lib/zod-issues.ts';
import type { AccountsPolicy, Cadence } from './run/deps.ts';

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

/** Which CRM records are customers beside the CRM's own scope rule, and what counts as an outcome. */
const accountsSchema = z.strictObject({
  requireLiveSubscription: z.boolean().default(false),
  changeShare: z.number().gt(0).lt(1).default(0.1),
});

const baseSchema = z.strictObject({
  crm: z.string(),
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
  accounts: accountsSchema.prefault({}),
});

/** The run config: the settings above plus one section per registered vendor (CRM, sources, channels). */
export type RunConfig = z.infer<typeof baseSchema> & Readonly<Record<string, unknown>>;

/**
 * The settings alone (vendor sections passed through unjudged): for a step that needs only the
 * table, so its bundle need not carry the registry and, through it, every connector.
 */
export function parseRunSettings(raw: unknown): z.infer<typeof baseSchema> {
  return baseSchema.loose().parse(raw);
}

/** The schema for the vendors registered now: a CRM among the CRMs, and a section per vendor. */
function runConfigSchema() {
  const crms = crmVendors().map((v) => v.id);
  const sections = Object.fromEntries(
    vendors().map((v) => [v.id, v.kind === 'channel' ? z.strictObject({ enabled: z.boolean().default(true) }).optional() : section]),
  );
  return baseSchema.extend({ crm: z.enum(crms as [string, ...string[]]) }).extend(sections);
}

/** A vendor's section of the run config, as written (no secret), or undefined when absent. */
export function vendorSection(config: RunConfig, id: string): VendorSection | undefined {
  return (config as unknown as Record<string, VendorSection | undefined>)[id];
}

/** Resolves a vendor's secret (by vendor id); undefined when it is not configured. */
export type SecretSource = (vendor: string) => Promise<string | undefined>;

export const environmentSecrets: SecretSource = async (vendor) => {
  const { env, legacyEnv } = requireVendor(vendor).secret;
  return process.env[env] || (legacyEnv ? process.env[legacyEnv] : undefined) || undefined;
};

export function parseRunConfig(raw: unknown, source: string): RunConfig {
  const r = runConfigSchema().safeParse(raw);
  if (r.success) return r.data as unknown as RunConfig;
  const problems = issueLines(r.error).map((line) => `${source}: ${line}`);
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

/** The CRM and every source the config turns on, by id. */
export function configuredSources(config: RunConfig): string[] {
  return [
    config.crm,
    ...sourceVendors()
      .filter((v) => vendorSection(config, v.id) !== undefined)
      .map((v) => v.id),
  ];
}

export interface Connectors {
  crm: CrmConnector;
  sources: SignalSource[];
  slack: SlackNotifier | undefined;
  /** Keys of an earlier release the config still uses, by vendor: each warning names the new key. */
  configWarnings: Record<string, string[]>;
}

/** The renamed keys each vendor section still uses, as warnings naming the new key (by vendor id). */
export function configWarnings(config: RunConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of vendors()) {
    const section = vendorSection(config, v.id);
    if (section === undefined || !v.renamedKeys) continue;
    const { warnings } = renameKeys(section, v.renamedKeys);
    if (warnings.length > 0) out[v.id] = warnings;
  }
  return out;
}

/** Builds the configured connectors, loading only their code; a configured vendor without its secret is a clear error. */
export async function buildConnectors(config: RunConfig, secrets: SecretSource): Promise<Connectors> {
  const withSecret = async (id: string): Promise<VendorSection> => {
    const entry = requireVendor(id);
    const secret = await secrets(id);
    if (secret === undefined)
      throw new ConfigError(id as never, `no secret configured: set ${entry.secret.env} (or the ${id} secret in Secrets Manager)`);
    return withValueAt(vendorSection(config, id), entry.secret.path, secret);
  };
  const crmEntry = requireVendor(config.crm);
  if (crmEntry.kind !== 'crm') throw new ConfigError(config.crm as never, 'is not a CRM');
  const crm = await crmEntry.createCrm(await withSecret(config.crm));
  const sources: SignalSource[] = [];
  for (const v of sourceVendors())
    if (vendorSection(config, v.id) !== undefined) sources.push(await v.createSource(await withSecret(v.id)));
  let slack: SlackNotifier | undefined;
  for (const v of channelVendors()) {
    if (vendorSection(config, v.id)?.enabled === false) continue;
    const url = await secrets(v.id);
    if (url) slack = await v.createChannel(withValueAt({}, v.secret.path, url));
  }
  return { crm, sources, slack, configWarnings: configWarnings(config) };
}

/** The run config's cadence as the pipeline takes it. */
export function cadenceOf(config: RunConfig): Cadence {
  return {
    confirmHours: config.cadence.confirmHours,
    urgentEvents: config.cadence.urgentEvents,
    ...(config.cadence.runTimeoutMinutes !== undefined ? { runTimeoutMinutes: config.cadence.runTimeoutMinutes } : {}),
  };
}

/** The run config's `accounts` section as the pipeline takes it. */
export function accountsOf(config: RunConfig): AccountsPolicy {
  return { requireLiveSubscription: config.accounts.requireLiveSubscription, changeShare: config.accounts.changeShare };
}
