// Stripe's deploy entry: the request budget a score-batch worker spends on it.
import { requestBudget, type VendorDeploy } from '../shared/vendor-deploy.ts';
import { stripeConfigSchema } from './config.ts';

export const stripeDeploy: VendorDeploy<'stripe'> = {
  id: 'stripe',
  // Stripe reads per customer only when the day's sync did not run. Its default depends on the key
  // (25/s test, 100/s live), unknown at deploy time: the test-mode figure is the safe one unless set.
  workerBudgets: (section) => {
    const { rateLimit } = stripeConfigSchema.parse(section);
    return [requestBudget(rateLimit, false, 25)];
  },
};
