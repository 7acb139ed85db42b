// How many batches may run at once (the Distributed Map's MaxConcurrency) and the rate budget each
// worker gets, so that N parallel Lambdas together never exceed what one process would be allowed.
// The formula is documented in docs/deploy.md ("Concurrency"); the numbers here are its inputs.
import { vendorDeploy } from '../connectors/deploy-registry.ts';
import { requireVendor } from '../connectors/registry.ts';
import { ASSUMED_VOLUMES } from '../connectors/shared/vendor-deploy.ts';
import type { VendorBudget } from './vendor-sections.ts';

/** Generous per-account volumes the CRM call estimate assumes (replace with crmCallsPerBatch once measured). */
export const ASSUMED = ASSUMED_VOLUMES;

/** CRM calls one batch of `b` accounts makes (reads + write-back + tasks), as the CRM's deploy entry estimates them. */
export function estimateCrmCallsPerBatch(crm: string, b: number): number {
  const entry = requireVendor(crm);
  if (entry.kind !== 'crm') throw new ConcurrencyError(`${crm} is not a CRM`);
  const estimate = vendorDeploy(crm).callsPerBatch;
  if (!estimate) throw new ConcurrencyError(`${crm} has no callsPerBatch in its deploy entry (connectors/${crm}/deploy.ts)`);
  return estimate(b, ASSUMED);
}

export interface WorkerShare {
  vendor: string;
  path: readonly string[];
  total: number;
  perWorker: number;
  windowMs: number | undefined;
}

export interface ConcurrencyPlan {
  maxConcurrency: number;
  /** Why not more: the deploy config's cap, or the budget that would run short. */
  limitedBy: string;
  crmCallsPerBatch: number;
  /** Seconds of a worker's timeout its vendor calls may take (the rest is kept for retries and the stop margin). */
  workSeconds: number;
  /** CRM calls one worker can make within workSeconds at its share of the budget. */
  crmCallsPossible: number;
  shares: WorkerShare[];
}

export class ConcurrencyError extends Error {
  override name = 'ConcurrencyError';
}

/** The stop margin the score-batch handler keeps before its deadline. */
export const HANDLER_STOP_MARGIN_S = 15;

/** Requests a worker with `share` of a budget can start in `seconds` (a rolling window refills every windowMs). */
const callsWithin = (share: number, windowMs: number, seconds: number) => share * (1 + Math.floor((seconds * 1000) / windowMs));
/** What a worker's client uses of its share: the safety part is kept free (connectors/shared/rate-limit.ts). */
const used = (share: number, safety = 0) => Math.max(1, Math.floor(share * (1 - safety)));

export function planConcurrency(input: {
  crm: string;
  batchSize: number;
  maxConcurrency: number;
  crmCallsPerBatch?: number | undefined;
  timeoutSeconds: number;
  budgets: readonly VendorBudget[];
}): ConcurrencyPlan {
  const calls = input.crmCallsPerBatch ?? estimateCrmCallsPerBatch(input.crm, input.batchSize);
  const workSeconds = Math.floor((input.timeoutSeconds - HANDLER_STOP_MARGIN_S) / 2);
  const crm = input.budgets.find((b) => b.crmRequests);
  if (!crm?.windowMs) throw new ConcurrencyError(`no request budget for ${input.crm}`);
  const crmWindow = crm.windowMs;

  /** Why `n` workers cannot run, or undefined when they can. */
  const shortfall = (n: number): string | undefined => {
    for (const b of input.budgets)
      if (Math.floor(b.limit / n) < 1) return `${b.vendor} ${b.path.join('.')} (${b.limit}) leaves no budget for ${n} workers`;
    if (callsWithin(used(Math.floor(crm.limit / n), crm.safety), crmWindow, workSeconds) < calls)
      return `${crm.vendor}'s budget: ${n} workers would not finish a batch (${calls} calls) within ${workSeconds} s`;
    return undefined;
  };

  let n = input.maxConcurrency;
  while (n >= 1 && shortfall(n) !== undefined) n--;
  if (n < 1) {
    const possible = callsWithin(used(crm.limit, crm.safety), crmWindow, workSeconds);
    // With a measured figure, calls are taken as proportional to the batch size.
    let fits = input.batchSize;
    if (input.crmCallsPerBatch) fits = Math.max(1, Math.floor((input.batchSize * possible) / input.crmCallsPerBatch));
    else while (fits > 1 && estimateCrmCallsPerBatch(input.crm, fits) > possible) fits--;
    throw new ConcurrencyError(
      `batchSize ${input.batchSize} needs about ${calls} ${input.crm} calls per batch, but even a single worker can make only ${possible} ` +
        `within ${workSeconds} s at ${crm.limit} per ${crmWindow} ms: lower batchSize (to ${fits} or less) or raise ${input.crm}'s ${crm.path.join('.')}`,
    );
  }
  const limitedBy = n === input.maxConcurrency ? 'maxConcurrency in the deploy config' : (shortfall(n + 1) as string);
  return {
    maxConcurrency: n,
    limitedBy,
    crmCallsPerBatch: calls,
    workSeconds,
    crmCallsPossible: callsWithin(used(Math.floor(crm.limit / n), crm.safety), crmWindow, workSeconds),
    shares: input.budgets.map((b) => ({
      vendor: b.vendor,
      path: b.path,
      total: b.limit,
      perWorker: Math.floor(b.limit / n),
      windowMs: b.windowMs,
    })),
  };
}
