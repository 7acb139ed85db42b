// Everything one run needs, built once by the caller (the CLI, a Lambda, a test) and passed in:
// connectors, the store, the model, and the run's options. Nothing here reads the clock.

import type { CrmConnector } from '../../connectors/shared/crm.ts';
import type { SignalSource } from '../../connectors/shared/source.ts';
import type { SlackNotifier } from '../../connectors/slack/webhook.ts';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';

export interface RunOptions {
  /** The instant the run scores at (a simulated day in the demo, "now" in production). */
  asOf: Date;
  /** Defaults to the asOf day: one run per day, and a re-run of the day resumes it. */
  runId?: string;
  batchSize: number;
  /** How many days a failed source's last signals may stand in for it (marked stale). */
  maxStaleDays: number;
  /** shadow: score and keep history, write nothing to the CRM, send no alert (default live). */
  mode?: 'live' | 'shadow';
}

export type RunLog = (event: string, detail: Record<string, unknown>) => void;

export interface RunDeps {
  crm: CrmConnector;
  /** Billing, support and usage sources (the CRM's own source is `crm.source`). */
  sources: SignalSource[];
  store: DynamoStore;
  models: CompiledModel | CompiledModelSet;
  slack?: SlackNotifier | undefined;
  log?: RunLog;
}

export const defaultRunOptions = { batchSize: 100, maxStaleDays: 3 } as const;
