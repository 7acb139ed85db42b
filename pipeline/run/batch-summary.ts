// A batch's summary before anything happened: every count at zero. The batch, the dry run and the
// run's summary (which adds batches up) start from it.
import type { BatchSummary } from '../store/records.ts';

export function emptySummary(): BatchSummary {
  return {
    scored: 0,
    unknown: 0,
    tiers: { green: 0, yellow: 0, red: 0, unknown: 0 },
    movements: {},
    unmatched: {},
    rejected: [],
    failedSources: {},
    staleAccounts: 0,
    writes: { written: 0, unchanged: 0, rejected: 0, failed: 0, calls: 0 },
    writeProblems: [],
    alerts: [],
    overrides: { applied: 0, expired: 0 },
    dataErrors: [],
    calls: {},
    rateLimited: {},
    lifecycle: emptyLifecycleCounts(),
  };
}

export function emptyLifecycleCounts(): NonNullable<BatchSummary['lifecycle']> {
  return { started: 0, churned: 0, returned: 0, leftScope: 0, frozen: 0, outcomes: {} };
}
