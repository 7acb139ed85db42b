// Stripe's deploy entry: the request budget a score-batch worker spends on it.
import type { VendorDeploy } from '../shared/vendor-deploy.ts';
import { stripeConfigSchema } from './config.ts';

export const stripeDeploy: VendorDeploy<'stripe'> = {
  id: 'stripe',
  // Stripe reads per customer only when the day's sync did not run. Its default depends on the key
  // (20/s test, 90/s live), unknown at deploy time: the test-mode figure is the safe one unless set.
  workerBudgets: (section) => {
    const { limits } = stripeConfigSchema.parse(section);
    return [{ path: ['limits', 'requests'], limit: limits.requests ?? 20, windowMs: limits.windowMs, crmRequests: false }];
  },
};
