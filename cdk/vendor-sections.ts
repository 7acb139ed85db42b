// The run config's vendor sections as the deploy sees them: validated at synth with each connector's
// own schema (a placeholder stands in for the secret, which only the Lambda reads), and the rate
// budgets they configure, which the stack shares out between parallel score-batch workers.

import { vendorDeploy } from '../connectors/deploy-registry.ts';
import { requireVendor } from '../connectors/registry.ts';
import { withValueAt } from '../connectors/shared/vendor.ts';
import type { WorkerBudget } from '../connectors/shared/vendor-deploy.ts';
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

/** A rate budget a worker process enforces, with the vendor it belongs to. */
export interface VendorBudget extends WorkerBudget {
  vendor: Vendor;
}

/**
 * The budgets a score-batch worker can spend, with their effective values (defaults applied), as
 * each configured vendor's registry entry reads them. A source without budgets here (Zendesk,
 * Mixpanel) serves a batch from the state plan's sync stored, without vendor calls.
 */
export function workerBudgets(crm: Vendor, sources: readonly Vendor[], run: Sections): VendorBudget[] {
  return [crm, ...sources].flatMap((vendor) =>
    (vendorDeploy(vendor).workerBudgets?.(withPlaceholder(vendor, run[vendor] ?? {})) ?? []).map((b) => ({ vendor, ...b })),
  );
}
