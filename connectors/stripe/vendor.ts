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
  createSource: async (section) => createStripeSource(section as never),
};
