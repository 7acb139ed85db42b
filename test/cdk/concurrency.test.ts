// MaxConcurrency and the per-worker budgets: N workers together never exceed a budget, each can
// finish its batch before its deadline at its share, and a batch too big for the budget is refused
// with a batch size that fits.
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, estimateCrmCallsPerBatch, planConcurrency } from '../../cdk/concurrency.ts';
import type { VendorBudget } from '../../cdk/vendor-sections.ts';
import { workerBudgets } from '../../cdk/vendor-sections.ts';

const hubspot = (limit = 90, windowMs = 10_000): VendorBudget => ({
  vendor: 'hubspot',
  path: ['rateLimit', 'requests'],
  limit,
  windowMs,
  crmRequests: true,
});
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return '';
};
const base = { crm: 'hubspot' as const, batchSize: 100, maxConcurrency: 10, timeoutSeconds: 900 };

describe('concurrency', () => {
  it('given the default HubSpot budget, when planned, then the deploy config’s cap binds and each worker gets a tenth', () => {
    const p = planConcurrency({ ...base, budgets: workerBudgets('hubspot', ['stripe'], { hubspot: { portalId: '1' }, stripe: {} }) });
    expect(p.maxConcurrency).toBe(10);
    expect(p.limitedBy).toBe('maxConcurrency in the deploy config');
    expect(p.workSeconds).toBe(442);
    expect(p.shares).toEqual([
      { vendor: 'hubspot', path: ['rateLimit', 'requests'], total: 100, perWorker: 10, windowMs: 10_000 },
      { vendor: 'stripe', path: ['rateLimit', 'requests'], total: 25, perWorker: 2, windowMs: 1000 },
    ]);
    expect(p.crmCallsPossible).toBeGreaterThanOrEqual(p.crmCallsPerBatch);
  });

  it('given any budgets and cap, when planned, then N workers’ shares never add up to more than a budget', () => {
    for (const limit of [1, 7, 25, 90, 190])
      for (const cap of [1, 3, 10, 40, 200]) {
        const budgets: VendorBudget[] = [hubspot(limit * 10, 1000), { ...hubspot(limit), vendor: 'stripe', crmRequests: false }];
        const p = planConcurrency({ ...base, batchSize: 10, maxConcurrency: cap, budgets });
        for (const s of p.shares) expect(s.perWorker * p.maxConcurrency).toBeLessThanOrEqual(s.total);
        for (const s of p.shares) expect(s.perWorker).toBeGreaterThanOrEqual(1);
      }
  });

  it('given a tight CRM budget, when more workers would starve, then fewer run and the budget is named', () => {
    // 10 requests per 10 s shared by N: a worker makes floor(10 / N) × 45 calls in 442 s; a batch needs 69.
    const p = planConcurrency({ ...base, batchSize: 100, maxConcurrency: 50, budgets: [hubspot(10)] });
    expect(p.maxConcurrency).toBe(5);
    expect(p.limitedBy).toMatch(/^hubspot's budget: 6 workers would not finish a batch \(69 calls\) within 442 s$/);
  });

  it('given a concurrency limit (Salesforce: 25 long-running requests), when planned, then it caps the workers', () => {
    const budgets = workerBudgets('salesforce', [], { salesforce: { instanceUrl: 'https://acme.my.salesforce.com' } });
    const p = planConcurrency({ ...base, crm: 'salesforce', maxConcurrency: 100, budgets });
    expect(p.maxConcurrency).toBe(25);
    expect(p.limitedBy).toMatch(/^salesforce rateLimit\.concurrency \(25\) leaves no budget for 26 workers$/);
  });

  it('given a batch no single worker can finish in time, when planned, then it is refused with a batch size that fits', () => {
    const plan = () => planConcurrency({ ...base, batchSize: 1000, budgets: [hubspot(10, 60_000)] });
    expect(plan).toThrow(ConcurrencyError);
    expect(plan).toThrow(
      /batchSize 1000 needs about \d+ hubspot calls per batch, but even a single worker can make only 80 .*lower batchSize \(to \d+ or less\)/,
    );
    const fits = Number(/to (\d+) or less/.exec(messageOf(plan))?.[1]);
    expect(estimateCrmCallsPerBatch('hubspot', fits)).toBeLessThanOrEqual(80);
    expect(planConcurrency({ ...base, batchSize: fits, budgets: [hubspot(10, 60_000)] }).maxConcurrency).toBe(1);
  });

  it('given measured calls per batch, when planned, then they replace the estimate', () => {
    const p = planConcurrency({ ...base, crmCallsPerBatch: 400, budgets: [hubspot(90)] });
    expect(p.crmCallsPerBatch).toBe(400);
    expect(p.maxConcurrency).toBe(10);
    expect(planConcurrency({ ...base, crmCallsPerBatch: 4000, budgets: [hubspot(90)] }).maxConcurrency).toBe(1);
    expect(() => planConcurrency({ ...base, crmCallsPerBatch: 8100, budgets: [hubspot(90)] })).toThrow(/lower batchSize \(to 50 or less\)/);
  });

  it('given the connectors’ batching, when estimated, then calls grow with the batch and Salesforce reads per 200 ids', () => {
    // HubSpot: 2 company reads (50 with history), 1 association read, 20 contact reads, 30 search pages,
    // 6 + 4 association reads, 1 write, 5 tasks.
    expect(estimateCrmCallsPerBatch('hubspot', 100)).toBe(69);
    expect(estimateCrmCallsPerBatch('hubspot', 200)).toBeGreaterThan(estimateCrmCallsPerBatch('hubspot', 100));
    // Salesforce: 6 describes, 8 queries on the accounts, 9 by id (roles 1, email messages 4, attendees 4), 1 write, 5 tasks.
    expect(estimateCrmCallsPerBatch('salesforce', 100)).toBe(29);
    expect(estimateCrmCallsPerBatch('salesforce', 400)).toBeGreaterThan(2 * estimateCrmCallsPerBatch('salesforce', 100));
  });
});
