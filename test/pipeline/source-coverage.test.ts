// A model the configured sources cannot fill is caught before any account is scored "unknown".
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../pipeline/model-files.ts';
import { coverageProblems, reachableSignals } from '../../pipeline/source-coverage.ts';

describe('source coverage', () => {
  it('given only the CRM and Mixpanel, then categories cannot reach 50% but layered can', () => {
    const sources = ['hubspot', 'mixpanel'];
    expect(coverageProblems(loadModel('categories'), sources)).toEqual([
      expect.objectContaining({
        model: 'categories',
        reachable: 0.45,
        minimum: 0.5,
        missing: expect.arrayContaining(['support.csat', 'billing.paymentStatus']),
      }),
    ]);
    expect(coverageProblems(loadModel('layered'), sources)).toEqual([]);
  });

  it('given every source, then every preset and the portfolio set are reachable', () => {
    const all = ['salesforce', 'stripe', 'zendesk', 'mixpanel'];
    for (const m of ['layered', 'categories', 'onboarding', 'portfolio']) expect(coverageProblems(loadModel(m), all)).toEqual([]);
  });

  it('given Mixpanel and Stripe, then licence utilization is derived; without Stripe it is not', () => {
    expect(reachableSignals(['mixpanel', 'stripe']).has('usage.licenseUtilization')).toBe(true);
    expect(reachableSignals(['mixpanel']).has('usage.licenseUtilization')).toBe(false);
  });
});
