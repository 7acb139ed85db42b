// Stands in for @hubspot/api-client in bundles built for `crm: salesforce`, keeping the HubSpot SDK
// (about 1 MB minified) out of them. Reaching it means the deploy config and the code disagree.
const notBundled = (): never => {
  throw new Error('the HubSpot SDK is not in this bundle (deployed with crm: salesforce); set crm: hubspot and redeploy');
};

export class Client {
  constructor() {
    notBundled();
  }
}

export const AssociationTypes: Record<string, number> = new Proxy({}, { get: notBundled });
