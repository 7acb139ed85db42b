// Stands in for jsforce in bundles built for `crm: hubspot`, keeping jsforce and its HTTP stack
// (about 1.5 MB minified) out of them. Reaching it means the deploy config and the code disagree.
const notBundled = (): never => {
  throw new Error('jsforce is not in this bundle (deployed with crm: hubspot); set crm: salesforce and redeploy');
};

export default new Proxy({}, { get: notBundled });
