// The messages the pipeline benchmark's three processes exchange: the orchestrator
// (bench/pipeline.ts), the vendors' process (bench/pipeline-world.ts) and the run's process
// (bench/pipeline-runner.ts). Plain JSON, as IPC carries it.
import type { Causes } from './pipeline-causes.ts';
import type { SeededCounts } from './pipeline-seed.ts';

/** What the run needs to reach the world: each vendor's connector section pointed at its fake (vendor id → section, in registry order), and the table. */
export interface Endpoints {
  connectors: [string, Record<string, unknown>][];
  dynamo: { endpoint: string; tableName: string };
}

/** What one vendor's fake received since the previous mark. */
export interface VendorLog {
  calls: number;
  rateLimited: number;
  byEndpoint: Record<string, number>;
  /** When each answer was sent (epoch ms, real time). */
  times: number[];
}

/** `diff` compares the CRM's score properties with the previous `diff` (the first one only takes the snapshot). */
export type WorldRequest = { type: 'mark' } | { type: 'diff'; days: [string, string] } | { type: 'close' };

export type WorldReply =
  | { type: 'ready'; endpoints: Endpoints; seedMs: number; counts: SeededCounts; days: string[]; maxRssMb: number }
  | {
      type: 'mark';
      vendors: Record<string, VendorLog>;
      companiesWritten: number;
      tasksCreated: number;
      slackMessages: number;
      cpuMs: number;
      maxRssMb: number;
    }
  | { type: 'diff'; companies: number; byProperty: Record<string, number>; examples: Record<string, string>; causes: Causes }
  | { type: 'closed'; maxRssMb: number };

export type RunnerRequest =
  | { type: 'start'; endpoints: Endpoints; scale: number; batchSize: number; concurrency: number }
  | { type: 'run'; day: string }
  | { type: 'close' };

/** One run, as the run's process measured it. */
export interface DayRun {
  type: 'day';
  day: string;
  /** Epoch ms (real) at the run's start, after planning, and at its end. */
  startedAt: number;
  plannedAt: number;
  endedAt: number;
  /** Calls and 429s per vendor, as the connectors counted them (connectors/shared/http-trace.ts). */
  calls: Record<string, number>;
  rateLimited: Record<string, number>;
  scored: number;
  accounts: number;
  tiers: Record<string, number>;
  writes: { written: number; unchanged: number; rejected: number; failed: number; calls: number };
  alerts: number;
  failedSources: Record<string, string>;
  cpuMs: number;
  maxRssMb: number;
  heapPeakMb: number;
  /** Peak heap and RSS per step (plan, each source's sync inside it, batches), and the heap at its start after a full GC. */
  steps: Record<string, { heapMb: number; rssMb: number; startHeapMb: number }>;
  /** The most heap live after a full GC at the end of every 10th batch. */
  batchLiveHeapMb: number;
}

export type RunnerReply = { type: 'ready'; maxRssMb: number } | DayRun | { type: 'closed'; maxRssMb: number; heapPeakMb: number };
