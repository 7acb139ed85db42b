// Stands in for jose (which signs the Salesforce JWT bearer assertion) in bundles built for another
// CRM. Reaching it means the deploy config and the code disagree.
export class SignJWT {
  constructor() {
    throw new Error('jose is not in this bundle (deployed without crm: salesforce); set crm: salesforce and redeploy');
  }
}
