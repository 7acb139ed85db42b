// The run config's vendor sections as the deploy sees them: validated at synth with each connector's
// own schema (a placeholder stands in for the secret, which only the Lambda reads), and the rate
// budgets they configure, which the stack shares out between parallel score-batch workers.

import { hubSpotConfigSchema } from '../connectors/hubspot/config.ts';
import { requireVendor } from '../connectors/registry.ts';
import { salesforceConfigSchema } from '../connectors/salesforce/config.ts';
import { withValueAt } from '../connectors/shared/vendor.ts';
import { stripeConfigSchema } from '../connectors/stripe/config.ts';
import { issueLines } from '../lib/zod-issues.ts';

type Vendor = string;
type Sections = Record<string, Record<string, unknown> | undefined>;

/** The section with a value shaped like the vendor's credential, so only the non-secret settings are judged. */
function withPlaceholder(vendor: Vendor, section: Record<string, unknown>): Record<string, unknown> {
  const { path, placeholder } = requireVendor(vendor).secret;
  return withValueAt(section, path, placeholder);
}

function parsed(vendor: Vendor, section: Record<string, unknown>) {
  return requireVendor(vendor).configSchema.safeParse(withPlaceholder(vendor, section));
}

/** Every problem in the configured vendor sections, as `run.<vendor>.<path>: message`. */
export function validateVendorSections(crm: Vendor, sources: readonly Vendor[], run: Sections): string[] {
  const problems: string[] = [];
  for (const vendor of [crm, ...sources]) {
    const r = parsed(vendor, run[vendor] ?? {});
    if (!r.success) problems.push(...issueLines(r.error, { prefix: ['run', vendor] }));
  }
  return problems;
}

/** A rate budget a worker process enforces: `limit` requests per `windowMs`, or `limit` requests in flight. */
export interface VendorBudget {
  vendor: Vendor;
  /** Where the limit lives in the vendor's section (what the stack overrides for each worker). */
  path: readonly string[];
  limit: number;
  /** Undefined for a concurrency limit. */
  windowMs: number | undefined;
  /** The CRM's request budget, the one a batch's own calls are measured against. */
  crmRequests: boolean;
}

/**
 * The budgets a score-batch worker can spend, with their effective values (defaults applied).
 * Zendesk and Mixpanel are absent on purpose: their read() serves a batch from the state that
 * plan's sync stored, without vendor calls; their syncs run once per run, in plan, alone.
 */
export function workerBudgets(crm: Vendor, sources: readonly Vendor[], run: Sections): VendorBudget[] {
  const out: VendorBudget[] = [];
  if (crm === 'hubspot') {
    const c = hubSpotConfigSchema.parse(withPlaceholder('hubspot', run.hubspot ?? {}));
    out.push({
      vendor: 'hubspot',
      path: ['rateLimit', 'limit'],
      limit: c.rateLimit.limit,
      windowMs: c.rateLimit.windowMs,
      crmRequests: true,
    });
  } else {
    const c = salesforceConfigSchema.parse(withPlaceholder('salesforce', run.salesforce ?? {}));
    out.push(
      { vendor: 'salesforce', path: ['budget', 'limit'], limit: c.budget.limit, windowMs: c.budget.windowMs, crmRequests: true },
      { vendor: 'salesforce', path: ['budget', 'concurrency'], limit: c.budget.concurrency, windowMs: undefined, crmRequests: false },
    );
  }
  if (sources.includes('stripe')) {
    // Stripe reads per customer only when the day's sync did not run. Its default depends on the key
    // (20/s test, 90/s live), unknown here: the test-mode figure is the safe one unless set.
    const c = stripeConfigSchema.parse(withPlaceholder('stripe', run.stripe ?? {}));
    out.push({
      vendor: 'stripe',
      path: ['limits', 'requests'],
      limit: c.limits.requests ?? 20,
      windowMs: c.limits.windowMs,
      crmRequests: false,
    });
  }
  return out;
}
