// Everything one run needs, built once by the caller (the CLI, a Lambda, a test) and passed in:
// connectors, the store, the model, and the run's options. Nothing here reads the clock.

import type { CrmConnector } from '../../connectors/shared/crm.ts';
import type { SignalSource } from '../../connectors/shared/source.ts';
import type { SlackNotifier } from '../../connectors/slack/webhook.ts';
import type { UrgentEvent } from '../../lib/history/urgent-events.ts';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';

export interface RunOptions {
  /** The instant the run scores at (a simulated day in the demo, "now" in production). */
  asOf: Date;
  /** Defaults to the asOf instant (runIdAt): each scheduled run is its own run, and a re-run of the same instant resumes it. */
  runId?: string;
  batchSize: number;
  /** How many days a failed source's last signals may stand in for it (marked stale). */
  maxStaleDays: number;
  /** shadow: score and keep history, write nothing to the CRM, send no alert (default live). */
  mode?: 'live' | 'shadow';
}

/** How runs follow one another (the run config's `cadence` section). */
export interface Cadence {
  /** A tier change (or a flag, an urgent drop) must hold across runs this many hours before it alerts (default 20). */
  confirmHours?: number;
  /** A run still unfinished this long after its instant no longer blocks the next one (default 20 h). */
  runTimeoutMinutes?: number;
  /** Events that alert on the first run that sees them, once (default none). */
  urgentEvents?: readonly UrgentEvent[];
}

/** Which accounts are customers and what counts as an outcome (the run config's `accounts` section). */
export interface AccountsPolicy {
  /** Only accounts with a live subscription (a billing source's evidence) are customers, beside the CRM's scope rule (default false). */
  requireLiveSubscription?: boolean;
  /** The least relative change of MRR or seats, held a billing period, recorded as expanded / contracted (default 0.1). */
  changeShare?: number;
}

export type RunLog = (event: string, detail: Record<string, unknown>) => void;

export interface RunDeps {
  crm: CrmConnector;
  /** Billing, support and usage sources (the CRM's own source is `crm.source`). */
  sources: SignalSource[];
  store: DynamoStore;
  models: CompiledModel | CompiledModelSet;
  slack?: SlackNotifier | undefined;
  cadence?: Cadence;
  accounts?: AccountsPolicy;
  log?: RunLog;
  /** Configuration warnings by vendor (e.g. a renamed key still used), reported with the run's own warnings. */
  configWarnings?: Record<string, string[]>;
}

export const defaultRunOptions = { batchSize: 100, maxStaleDays: 3 } as const;
