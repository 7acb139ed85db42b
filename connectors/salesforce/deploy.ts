// Salesforce's deploy entry: jsforce stubbed out of other CRMs' bundles, the worker's request and
// concurrency budgets, the call estimate per batch and the daily allowance.
import { requestBudget, stubPath, type VendorDeploy } from '../shared/vendor-deploy.ts';
import { salesforceConfigSchema } from './config.ts';

export const salesforceDeploy: VendorDeploy<'salesforce'> = {
  id: 'salesforce',
  // jsforce and its HTTP stack (about 1.5 MB minified) stay out of a deployment with another CRM.
  // So does jose, which only signs the JWT bearer assertion.
  bundling: {
    whenUnused: {
      aliases: () => ({
        jsforce: stubPath(import.meta.url, './bundle-stubs/not-bundled.ts'),
        jose: stubPath(import.meta.url, './bundle-stubs/no-jose.ts'),
      }),
    },
  },
  workerBudgets: (section) => {
    const { rateLimit } = salesforceConfigSchema.parse(section);
    return [
      requestBudget(rateLimit, true),
      { path: ['rateLimit', 'concurrency'], limit: rateLimit.concurrency ?? 25, windowMs: undefined, crmRequests: false },
    ];
  },
  // 5 SOQL queries per 200 ids (2,000 rows a page), writes 200 per call.
  // Per 200 ids: seven queries on the accounts (2,000 rows a page) and three by the ids found (about
  // 600 literal ids a query under the URI limit); the org's schema (six describes) once per worker.
  callsPerBatch: (b, { contactsPerAccount: c, engagementsPerTypePerAccount: e, taskShare }) => {
    const pages = (rows: number, per: number) => Math.ceil(rows / per);
    let reads = 6;
    for (let done = 0; done < b; done += 200) {
      const n = Math.min(200, b - done);
      // Account, Contact, Opportunity (≈2 an account), Contract, AccountContactRelation, Task (e-mails and calls), Event
      reads +=
        1 + pages(n * c, 2000) + pages(n * 2, 2000) + pages(n, 2000) + pages(n * c, 2000) + pages(n * 2 * e, 2000) + pages(n * e, 2000);
      // then by id: contact roles of the opportunities, EmailMessage of the email Tasks, EventWhoRelation of the events
      reads += pages(n * 2, 600) + pages(n * e, 600) + pages(n * e, 600);
    }
    return reads + Math.ceil(b / 200) + Math.ceil(b * taskShare);
  },
  // An Enterprise org's base allocation: 100,000 a day. A run lists accounts 2,000 a page, then its batches.
  allowance: {
    perDay: 100_000,
    callsPerRun: (accounts, batchSize, perBatch) => Math.ceil(accounts / 2000) + Math.ceil(accounts / batchSize) * perBatch,
  },
};
