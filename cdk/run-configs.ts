// The run config each function receives as HEALTHSCORE_CONFIG (JSON, no secrets). Each function gets
// only the sections it uses — so it reads only the secrets it needs — and score-batch workers get
// their share of every rate budget they can spend, so N of them together stay within it.
import { channelVendors, vendors } from '../connectors/registry.ts';
import { renameKeys } from '../connectors/shared/rate-limit.ts';
import { parseRunConfig } from '../pipeline/run-config.ts';
import type { ConcurrencyPlan } from './concurrency.ts';
import { type DeployConfig, DeployConfigError } from './deploy-config.ts';

export type FunctionRole = 'plan' | 'scoreBatch' | 'summarize' | 'setup';

/** Which vendors' sections (and so secrets) each function needs. */
export function vendorsFor(role: FunctionRole, c: DeployConfig): string[] {
  if (role === 'summarize') return [];
  if (role === 'setup') return [c.crm];
  return [c.crm, ...c.sources, ...(role === 'scoreBatch' ? deployedChannels(c) : [])];
}

/** The alert channels whose secret the deploy config names (only score-batch sends alerts). */
export function deployedChannels(c: DeployConfig): string[] {
  return channelVendors()
    .map((v) => v.id)
    .filter((id) => c.secrets[id] !== undefined);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    at[key] = { ...((at[key] as Record<string, unknown> | undefined) ?? {}) };
    at = at[key] as Record<string, unknown>;
  }
  at[path.at(-1) as string] = value;
}

/** Lambda caps all environment variables of a function at 4 KB together. */
export const ENV_LIMIT_BYTES = 4096;

export function runConfigFor(role: FunctionRole, c: DeployConfig, concurrency: ConcurrencyPlan, modelRef: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    crm: c.crm,
    mode: c.mode,
    model: modelRef,
    batchSize: c.batchSize,
    maxStaleDays: c.maxStaleDays,
    retentionDays: c.retentionDays,
    table: { name: c.table.name },
    // plan skips a run while the last one is within this timeout (the state machine stops it there).
    cadence: {
      runTimeoutMinutes: c.runTimeoutMinutes,
      ...(c.cadence.confirmHours !== 20 ? { confirmHours: c.cadence.confirmHours } : {}),
      ...(c.cadence.urgentEvents.length > 0 ? { urgentEvents: c.cadence.urgentEvents } : {}),
    },
  };
  const channels = new Set(channelVendors().map((v) => v.id));
  for (const vendor of vendorsFor(role, c)) if (!channels.has(vendor)) out[vendor] = structuredClone(c.run[vendor] ?? {});
  if (role === 'scoreBatch') {
    // Keys of an earlier release move first, so a worker's share lands where its vendor reads it (plan still warns of them).
    for (const vendor of Object.keys(out)) {
      const renames = vendors().find((v) => v.id === vendor)?.renamedKeys;
      if (renames) out[vendor] = renameKeys(out[vendor], renames).section;
    }
    for (const share of concurrency.shares) setPath(out[share.vendor] as Record<string, unknown>, share.path, share.perWorker);
  }
  for (const channel of channels) out[channel] = { enabled: vendorsFor(role, c).includes(channel) };
  parseRunConfig(out, `HEALTHSCORE_CONFIG of ${role}`);
  return out;
}

/** The JSON for HEALTHSCORE_CONFIG, checked against Lambda's environment size limit (with `otherEnvBytes` of the rest). */
export function runConfigJson(
  role: FunctionRole,
  c: DeployConfig,
  concurrency: ConcurrencyPlan,
  modelRef: string,
  otherEnvBytes: number,
): string {
  const json = JSON.stringify(runConfigFor(role, c, concurrency, modelRef));
  if (Buffer.byteLength(json) + otherEnvBytes > ENV_LIMIT_BYTES)
    throw new DeployConfigError(c.source, [
      `run: the ${role} function's run config is ${Buffer.byteLength(json)} bytes as JSON; with its other variables it passes Lambda's 4 KB environment limit — drop settings that repeat a default`,
    ]);
  return json;
}
