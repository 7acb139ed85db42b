// The deployment's side of the vendor registry: one line per vendor that has deploy-only data
// (connectors/<vendor>/deploy.ts). Only cdk/ (and the bench's estimate) read it, so the Lambda
// bundles carry none of it. `registerVendorDeploy` adds an entry at run time (tests).
import { hubspotDeploy } from './hubspot/deploy.ts';
import { mixpanelDeploy } from './mixpanel/deploy.ts';
import { salesforceDeploy } from './salesforce/deploy.ts';
import type { VendorDeploy } from './shared/vendor-deploy.ts';
import { stripeDeploy } from './stripe/deploy.ts';
import { zendeskDeploy } from './zendesk/deploy.ts';

const entries: VendorDeploy[] = [hubspotDeploy, salesforceDeploy, stripeDeploy, zendeskDeploy, mixpanelDeploy];

/** Adds a vendor's deploy entry; returns the function that removes it again. */
export function registerVendorDeploy(entry: VendorDeploy): () => void {
  if (entries.some((e) => e.id === entry.id)) throw new Error(`vendor '${entry.id}' already has a deploy entry`);
  entries.push(entry);
  return () => {
    const at = entries.indexOf(entry);
    if (at >= 0) entries.splice(at, 1);
  };
}

/** A vendor's deploy-only data; an empty entry for a vendor that needs none. */
export const vendorDeploy = (id: string): VendorDeploy => entries.find((e) => e.id === id) ?? { id };
