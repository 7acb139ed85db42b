// What a vendor tells the rest of the system about itself, so that nothing outside connectors/ needs
// a list of vendors: its kind, its config schema, where its secret lives, the catalog signals it can
// provide, its identity key on the CRM side and its factories. What only a deployment needs (bundling
// rules, worker budgets, call estimates, allowances) is in the vendor's deploy.ts entry
// (shared/vendor-deploy.ts), which the Lambda bundles never import. An entry holds no module-level
// call, so a bundle that never builds a connector can drop it. Each vendor folder exports one entry
// (vendor.ts); connectors/registry.ts lists them.
import type { z } from 'zod';
import type { CatalogKey } from '../../lib/signals/catalog.ts';
import type { SlackNotifier } from '../slack/webhook.ts';
import type { CrmConnector } from './crm.ts';
import type { RenamedKey } from './rate-limit.ts';
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

interface VendorCommon<Id extends string> {
  id: Id;
  /** The vendor's own schema for its section (the secret included). */
  configSchema: z.ZodType;
  secret: VendorSecret;
  /** Config keys of an earlier release still read, each with a warning naming its new key (rate-limit.ts). */
  renamedKeys?: readonly RenamedKey[];
}

/** A signal a source provides: a catalog key, or a key of its own under its id (e.g. `stripe.seats`). */
export type ProvidedSignal<Id extends string> = CatalogKey | `${Id}.${string}`;

export interface CrmVendor<Id extends string = string> extends VendorCommon<Id> {
  kind: 'crm';
  signals: readonly ProvidedSignal<Id>[];
  createCrm(section: VendorSection): Promise<CrmConnector>;
}

export interface SourceVendor<Id extends string = string> extends VendorCommon<Id> {
  kind: 'source';
  signals: readonly ProvidedSignal<Id>[];
  /** The key of AccountRef.identities the CRM's mapping fills for this source. */
  identityField: string;
  createSource(section: VendorSection): Promise<SignalSource>;
}

export interface ChannelVendor<Id extends string = string> extends VendorCommon<Id> {
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
