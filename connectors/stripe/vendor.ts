// Stripe's registry entry: billing and seats, read with a secret or restricted key, joined to the CRM
// by the customer id the CRM holds.

import type { SourceVendor } from '../shared/vendor.ts';
import { stripeConfigSchema, stripeRenamedKeys } from './config.ts';
import { createStripeSource } from './stripe-source.ts';

export const stripeVendor: SourceVendor<'stripe'> = {
  id: 'stripe',
  kind: 'source',
  configSchema: stripeConfigSchema,
  renamedKeys: stripeRenamedKeys,
  secret: {
    path: ['apiKey'],
    env: 'STRIPE_API_KEY',
    holds: 'the secret or restricted key',
    defaultSecretName: 'healthscore/stripe',
    placeholder: 'sk_live_placeholder',
  },
  signals: [
    'billing.paymentStatus',
    'billing.daysOverdue',
    'billing.subscriptionChange',
    'billing.mrrChange90d',
    'growth.seatChange90d',
    'commercial.daysToRenewal',
    'stripe.seats',
  ],
  identityField: 'stripeCustomerId',
  // Stripe reads per customer only when the day's sync did not run. Its default depends on the key
  // (25/s test, 100/s live), unknown at deploy time: the test-mode figure is the safe one unless set.
  workerBudgets: (section) => {
    const { rateLimit } = stripeConfigSchema.parse(section);
    return [
      {
        path: ['rateLimit', 'requests'],
        limit: rateLimit.requests ?? 25,
        windowMs: rateLimit.perMs,
        crmRequests: false,
        safety: rateLimit.safety,
      },
    ];
  },
  createSource: async (section) => createStripeSource(section as never),
};
