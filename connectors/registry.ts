// The vendor registry: one line per vendor. The run config, the coverage check, the deploy config and
// the stack's secret grants iterate it, so adding a vendor is its folder (with a vendor.ts) plus a
// line here. `registerVendor` adds an entry at run time (a test registers a vendor from the test tree).
import { hubspotVendor } from './hubspot/vendor.ts';
import { mixpanelVendor } from './mixpanel/vendor.ts';
import { salesforceVendor } from './salesforce/vendor.ts';
import type { ChannelVendor, CrmVendor, SourceVendor, VendorEntry } from './shared/vendor.ts';
import { slackVendor } from './slack/vendor.ts';
import { stripeVendor } from './stripe/vendor.ts';
import { zendeskVendor } from './zendesk/vendor.ts';

const entries: VendorEntry[] = [hubspotVendor, salesforceVendor, stripeVendor, zendeskVendor, mixpanelVendor, slackVendor];

/** Adds a vendor; returns the function that removes it again. */
export function registerVendor(entry: VendorEntry): () => void {
  if (entries.some((e) => e.id === entry.id)) throw new Error(`vendor '${entry.id}' is already registered`);
  entries.push(entry);
  return () => {
    const at = entries.indexOf(entry);
    if (at >= 0) entries.splice(at, 1);
  };
}

export const vendors = (): readonly VendorEntry[] => entries;
export const vendorById = (id: string): VendorEntry | undefined => entries.find((e) => e.id === id);
export const crmVendors = (): CrmVendor[] => entries.filter((e): e is CrmVendor => e.kind === 'crm');
export const sourceVendors = (): SourceVendor[] => entries.filter((e): e is SourceVendor => e.kind === 'source');
export const channelVendors = (): ChannelVendor[] => entries.filter((e): e is ChannelVendor => e.kind === 'channel');

/** The registered vendor with this id, or an error naming the ones there are. */
export function requireVendor(id: string): VendorEntry {
  const entry = vendorById(id);
  if (!entry) throw new Error(`no vendor '${id}' is registered (known: ${entries.map((e) => e.id).join(', ')})`);
  return entry;
}
