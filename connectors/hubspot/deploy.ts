// HubSpot's deploy entry: the bundling rules (bundle.ts), the worker's request budget, the call
// estimate per batch and the daily allowance a schedule is checked against.
import { requestBudget, type VendorDeploy } from '../shared/vendor-deploy.ts';
import { hubspotBundling } from './bundle.ts';
import { hubSpotConfigSchema } from './config.ts';

export const hubspotDeploy: VendorDeploy<'hubspot'> = {
  id: 'hubspot',
  bundling: hubspotBundling,
  workerBudgets: (section) => {
    const { rateLimit } = hubSpotConfigSchema.parse(section);
    return [requestBudget(rateLimit, true)];
  },
  // Reads 100 records and 1,000 association inputs per call, writes 100 per call.
  // Records with property history 50 a call; the engagement window searched 200 a page; association inputs 1,000 a call.
  callsPerBatch: (b, { contactsPerAccount: c, engagementsPerTypePerAccount: e, taskShare }) =>
    Math.ceil(b / 50) + // companies batch read, with history
    Math.ceil(b / 1000) + // company → contacts (v4 associations)
    Math.ceil((b * c) / 50) + // contacts, with history
    3 * Math.ceil((b * e) / 200) + // emails, meetings, calls: search pages within the window
    3 * Math.ceil((b * e) / 1000) + // email / meeting / call → companies
    2 * Math.ceil((b * e) / 1000) + // meeting / call → contacts
    Math.ceil(b / 100) + // score write-back
    Math.ceil(b * taskShare),
  // Private apps on Free/Starter: 250,000 a day. A run lists companies 100 a page, then its batches.
  allowance: {
    perDay: 250_000,
    callsPerRun: (accounts, batchSize, perBatch) => Math.ceil(accounts / 100) + Math.ceil(accounts / batchSize) * perBatch,
  },
};
