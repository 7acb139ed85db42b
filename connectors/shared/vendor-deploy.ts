// What only a deployment needs to know of a vendor: what the Lambda bundler must stub or leave out
// for it (so a bundle carries only the SDKs its deployment uses), the rate budgets a score-batch
// worker spends on it, a CRM's calls per batch and the vendor's daily allowance. cdk/ reads these
// through connectors/deploy-registry.ts; no Lambda bundle imports them (the run needs none), so they
// cost the bundles nothing. A vendor without any leaves its deploy entry out.
import { fileURLToPath } from 'node:url';
import type { VendorSection } from './vendor.ts';

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

/** The absolute path of a stub next to `moduleUrl` (a vendor's bundle-stubs/ folder). */
export const stubPath = (moduleUrl: string, relative: string): string => fileURLToPath(new URL(relative, moduleUrl));

/** A rate budget a worker process enforces: `limit` requests per `windowMs`, or `limit` requests in flight. */
export interface WorkerBudget {
  /** Where the limit lives in the vendor's section (what the stack overrides for each worker). */
  path: readonly string[];
  limit: number;
  /** Undefined for a concurrency limit. */
  windowMs: number | undefined;
  /** The CRM's request budget, the one a batch's own calls are measured against. */
  crmRequests: boolean;
  /** The share of each worker's part the client keeps free (its config's `safety`), so the plan counts only what it uses. */
  safety?: number;
}

/** The worker budget of a section's main `rateLimit` (requests per `perMs`, its safety kept free). */
export function requestBudget(
  rateLimit: { requests?: number | undefined; perMs: number; safety: number },
  crmRequests: boolean,
  fallback = 0,
): WorkerBudget {
  return {
    path: ['rateLimit', 'requests'],
    limit: rateLimit.requests ?? fallback,
    windowMs: rateLimit.perMs,
    crmRequests,
    safety: rateLimit.safety,
  };
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

export interface VendorDeploy<Id extends string = string> {
  id: Id;
  bundling?: VendorBundling;
  /** The budgets a score-batch worker spends on this vendor, read from its section (secret placeholder in). */
  workerBudgets?(section: VendorSection): WorkerBudget[];
  /** A run's share of the vendor's daily allowance; vendors without a tight one leave it out. */
  allowance?: RunAllowance;
  /** A CRM's calls for one batch of `accounts` (reads + write-back + tasks), from the connector's batching. */
  callsPerBatch?(accounts: number, assumed: AssumedVolumes): number;
}
