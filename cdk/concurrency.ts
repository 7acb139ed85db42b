// How many batches may run at once (the Distributed Map's MaxConcurrency) and the rate budget each
// worker gets, so that N parallel Lambdas together never exceed what one process would be allowed.
// The formula is documented in docs/deploy.md ("Concurrency"); the numbers here are its inputs.
import type { VendorBudget } from './vendor-sections.ts';

const ceil = Math.ceil;

/** Generous per-account volumes the CRM call estimate assumes (replace with crmCallsPerBatch once measured). */
export const ASSUMED = {
  contactsPerAccount: 10,
  /** Emails, meetings and calls per account within the lookback, each. */
  engagementsPerTypePerAccount: 20,
  /** Share of accounts whose confirmed tier changes in a day (one CRM task each). */
  taskShare: 0.05,
} as const;

/**
 * CRM calls one batch of `b` accounts makes (reads + write-back + tasks), from the connectors' batching:
 * HubSpot reads records with property history 50 per call, searches the engagement window 200 a page
 * and reads 1,000 association inputs per call, and writes 100 per call; Salesforce runs, per 200 ids,
 * seven queries on the accounts (2,000 rows a page) and three by the ids found (about 600 literal ids
 * per query under the URI limit), reads the org's schema once per process (six describes, counted per
 * batch since a worker may be new), and writes 200 per call.
 */
export function estimateCrmCallsPerBatch(crm: 'hubspot' | 'salesforce', b: number): number {
  const { contactsPerAccount: c, engagementsPerTypePerAccount: e, taskShare } = ASSUMED;
  const tasks = ceil(b * taskShare);
  if (crm === 'hubspot')
    return (
      ceil(b / 50) + // companies batch read, with history
      ceil(b / 1000) + // company → contacts (v4 associations)
      ceil((b * c) / 50) + // contacts, with history
      3 * ceil((b * e) / 200) + // emails, meetings, calls: search pages within the window
      3 * ceil((b * e) / 1000) + // email / meeting / call → companies
      2 * ceil((b * e) / 1000) + // meeting / call → contacts
      ceil(b / 100) + // score write-back
      tasks
    );
  const PAGE = 2000;
  const IDS_PER_QUERY = 600;
  let reads = 6; // the org's schema: global describe + up to five object describes
  for (let done = 0; done < b; done += 200) {
    const n = Math.min(200, b - done);
    // Account, Contact, Opportunity (≈2 an account), Contract, AccountContactRelation, Task (e-mails and calls), Event
    reads +=
      1 +
      ceil((n * c) / PAGE) +
      ceil((n * 2) / PAGE) +
      ceil(n / PAGE) +
      ceil((n * c) / PAGE) +
      ceil((n * 2 * e) / PAGE) +
      ceil((n * e) / PAGE);
    // then by id: contact roles of the opportunities, EmailMessage of the email Tasks, EventWhoRelation of the events
    reads += ceil((n * 2) / IDS_PER_QUERY) + ceil((n * e) / IDS_PER_QUERY) + ceil((n * e) / IDS_PER_QUERY);
  }
  return reads + ceil(b / 200) + tasks;
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

export function planConcurrency(input: {
  crm: 'hubspot' | 'salesforce';
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
    if (callsWithin(Math.floor(crm.limit / n), crmWindow, workSeconds) < calls)
      return `${crm.vendor}'s budget: ${n} workers would not finish a batch (${calls} calls) within ${workSeconds} s`;
    return undefined;
  };

  let n = input.maxConcurrency;
  while (n >= 1 && shortfall(n) !== undefined) n--;
  if (n < 1) {
    const possible = callsWithin(crm.limit, crmWindow, workSeconds);
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
    crmCallsPossible: callsWithin(Math.floor(crm.limit / n), crmWindow, workSeconds),
    shares: input.budgets.map((b) => ({
      vendor: b.vendor,
      path: b.path,
      total: b.limit,
      perWorker: Math.floor(b.limit / n),
      windowMs: b.windowMs,
    })),
  };
}
