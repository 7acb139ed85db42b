// What a vendor tells the rest of the system about itself, so that nothing outside connectors/ needs
// a list of vendors: its kind, its config schema, where its secret lives, the catalog signals it can
// provide, its identity key on the CRM side, its factories, and what the Lambda bundler must stub
// for it (so a bundle carries only the SDKs its deployment uses). An entry holds no module-level
// call, so a bundle that never builds a connector can drop it. Each vendor folder exports one entry
// (vendor.ts); connectors/registry.ts lists them.
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { CatalogKey } from '../../lib/signals/catalog.ts';
import type { SlackNotifier } from '../slack/webhook.ts';
import type { CrmConnector } from './crm.ts';
import type { SignalSource } from './source.ts';

/** A vendor section of the run config, secret merged in (still unvalidated: the factory parses it). */
export type VendorSection = Record<string, unknown>;

export interface VendorSecret {
  /** Where the secret goes in the vendor's section, e.g. ['serviceAccount', 'secret']. */
  path: readonly string[];
  /** The environment variable the CLI reads it from. */
  env: string;
  /** An older variable still read (before `env`), for configs written before it. */
  legacyEnv?: string;
  /** What the secret holds, for the message when it is empty. */
  holds: string;
  /** The Secrets Manager secret a deployment uses unless the deploy config names another. */
  defaultSecretName: string;
  /** A value shaped like the secret, so a deploy-time check judges only the non-secret settings. */
  placeholder: string;
}

/** Module replacements (package → absolute path of a stub) and modules left external, for esbuild. */
export interface BundleRule {
  /** A function, not a value: an entry must stay free of module-level calls, so a bundle that never reads it can drop it. */
  aliases?: () => Record<string, string>;
  externals?: () => string[];
}

/**
 * What the Lambda bundler does about a vendor's code: `always`, and for a CRM, `whenUsed` by the
 * deployment or `whenUnused` (the other CRM's SDK is stubbed out, never shipped).
 */
export interface VendorBundling {
  always?: BundleRule;
  whenUsed?: BundleRule;
  whenUnused?: BundleRule;
}

interface VendorCommon<Id extends string> {
  id: Id;
  /** The vendor's own schema for its section (the secret included). */
  configSchema: z.ZodType;
  secret: VendorSecret;
  bundling?: VendorBundling;
}

/** The absolute path of a stub next to `moduleUrl` (a vendor's bundle-stubs/ folder). */
export const stubPath = (moduleUrl: string, relative: string): string => fileURLToPath(new URL(relative, moduleUrl));

/** A signal a source provides: a catalog key, or a key of its own under its id (e.g. `stripe.seats`). */
export type ProvidedSignal<Id extends string> = CatalogKey | `${Id}.${string}`;

/** A rate budget a worker process enforces: `limit` requests per `windowMs`, or `limit` requests in flight. */
export interface WorkerBudget {
  /** Where the limit lives in the vendor's section (what the stack overrides for each worker). */
  path: readonly string[];
  limit: number;
  /** Undefined for a concurrency limit. */
  windowMs: number | undefined;
  /** The CRM's request budget, the one a batch's own calls are measured against. */
  crmRequests: boolean;
}

/** Per-account volumes a CRM call estimate assumes. */
export interface AssumedVolumes {
  contactsPerAccount: number;
  /** Emails, meetings and calls per account within the lookback, each. */
  engagementsPerTypePerAccount: number;
  /** Share of accounts whose confirmed tier changes in a day (one CRM task each). */
  taskShare: number;
}

/** Generous per-account volumes the CRM call estimates assume (the deploy's concurrency and `check`'s quota). */
export const ASSUMED_VOLUMES: AssumedVolumes = {
  contactsPerAccount: 10,
  engagementsPerTypePerAccount: 20,
  taskShare: 0.05,
};

/** What a run spends of a vendor's allowance over a day, for the synth-time check of a schedule. */
export interface RunAllowance {
  /** Calls one run makes for `accounts` accounts, given the CRM's calls per batch of `batchSize`. */
  callsPerRun(accounts: number, batchSize: number, crmCallsPerBatch: number): number;
  /** The lowest documented allowance per day (e.g. HubSpot Free/Starter, a Salesforce Enterprise org's base). */
  perDay: number;
  /** When the allowance is hourly (e.g. Mixpanel's 60 queries an hour): runs closer than an hour share it. */
  hourly?: boolean;
}

interface VendorWithBudgets<Id extends string> extends VendorCommon<Id> {
  /** The budgets a score-batch worker spends on this vendor, read from its section (secret placeholder in). */
  workerBudgets?(section: VendorSection): WorkerBudget[];
  /** A run's share of the vendor's daily allowance; vendors without a tight one leave it out. */
  allowance?: RunAllowance;
}

export interface CrmVendor<Id extends string = string> extends VendorWithBudgets<Id> {
  kind: 'crm';
  /** CRM calls one batch of `accounts` makes (reads + write-back + tasks), from the connector's batching. */
  callsPerBatch(accounts: number, assumed: AssumedVolumes): number;
  signals: readonly ProvidedSignal<Id>[];
  createCrm(section: VendorSection): Promise<CrmConnector>;
}

export interface SourceVendor<Id extends string = string> extends VendorWithBudgets<Id> {
  kind: 'source';
  signals: readonly ProvidedSignal<Id>[];
  /** The key of AccountRef.identities the CRM's mapping fills for this source. */
  identityField: string;
  createSource(section: VendorSection): Promise<SignalSource>;
}

export interface ChannelVendor<Id extends string = string> extends VendorWithBudgets<Id> {
  kind: 'channel';
  createChannel(section: VendorSection): Promise<SlackNotifier>;
}

export type VendorEntry = CrmVendor | SourceVendor | ChannelVendor;

/** A copy of `section` with `value` placed at `path` (objects on the way are copied, never shared). */
export function withValueAt(section: VendorSection | undefined, path: readonly string[], value: string): VendorSection {
  const out: VendorSection = structuredClone(section ?? {});
  let at = out;
  for (const key of path.slice(0, -1)) {
    at[key] = { ...((at[key] as VendorSection | undefined) ?? {}) };
    at = at[key] as VendorSection;
  }
  at[path.at(-1) as string] = value;
  return out;
}

/** The value at `path` in a section, or undefined. */
export function valueAt(section: unknown, path: readonly string[]): unknown {
  let at = section;
  for (const key of path) at = at && typeof at === 'object' ? (at as VendorSection)[key] : undefined;
  return at;
}
