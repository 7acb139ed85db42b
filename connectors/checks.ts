// Each vendor's `healthscore check` (its folder's check.ts), kept out of the registry entries so the
// Lambda bundles, which never run a check, do not carry this code. A vendor without a line here is
// checked for its secret and config only.
import type { VendorCheck } from './shared/check.ts';

type CheckFactory = (section: unknown) => Promise<VendorCheck>;

const CHECKS: Record<string, CheckFactory> = {
  hubspot: async (s) => (await import('./hubspot/check.ts')).createHubSpotCheck(s),
  salesforce: async (s) => (await import('./salesforce/check.ts')).createSalesforceCheck(s),
  stripe: async (s) => (await import('./stripe/check.ts')).createStripeCheck(s),
  zendesk: async (s) => (await import('./zendesk/check.ts')).createZendeskCheck(s),
  mixpanel: async (s) => (await import('./mixpanel/check.ts')).createMixpanelCheck(s),
};

export const checkFor = (vendor: string): CheckFactory | undefined => CHECKS[vendor];
