// The HubSpot CRM connector: the identity of record (companies and their join keys), the signal
// source, and the sink the score is written back to, all through one SDK client, one rate budget
// and one retry policy per process.
import type { CrmConnector } from '../shared/crm.ts';
import { listHubSpotAccounts } from './accounts.ts';
import { createHubSpotCaller } from './client.ts';
import { type HubSpotConfigInput, parseHubSpotConfig } from './config.ts';
import { checkAssociationLabels, checkScoreProperties, missingMappedProperties } from './portal-check.ts';
import { previewHubSpotWrites } from './preview-writes.ts';
import { setupHubSpotProperties } from './setup.ts';
import { createHubSpotSource } from './source.ts';
import { createHubSpotTask } from './tasks.ts';
import { writeHubSpotScores } from './writer.ts';

/** Validates `config` (throws ConfigError naming each bad field) and builds the connector. */
export function createHubSpotConnector(config: HubSpotConfigInput): CrmConnector {
  const parsed = parseHubSpotConfig(config);
  const caller = createHubSpotCaller(parsed);
  const appBase = parsed.appBaseUrl.replace(/\/+$/, '');
  return {
    kind: 'hubspot',
    listAccounts: (options) => listHubSpotAccounts(caller, options),
    source: createHubSpotSource(caller),
    async setup() {
      await checkAssociationLabels(caller);
      const report = await setupHubSpotProperties(caller, parsed.company.override);
      const warnings = await missingMappedProperties(caller);
      return warnings.length > 0 ? { ...report, warnings } : report;
    },
    preflight: (signal) => checkScoreProperties(caller, signal),
    writeScores: (rows, signal) => writeHubSpotScores(caller, rows, signal),
    previewWrites: (rows, signal) => previewHubSpotWrites(caller, rows, signal),
    createTask: (task) => createHubSpotTask(caller, task),
    recordUrl: (accountId) => `${appBase}/contacts/${parsed.portalId}/record/0-2/${encodeURIComponent(accountId)}`,
  };
}
