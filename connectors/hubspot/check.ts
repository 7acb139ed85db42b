// `healthscore check` for HubSpot, read-only: the token opens the portal and may read what a run
// reads (companies, contacts, their properties and association labels); every mapped property
// exists; every mapped association label exists; the score properties exist (else `setup` is due).
import type { CheckContext, InspectResult, VendorCheck } from '../shared/check.ts';
import { findingsFor } from '../shared/check.ts';
import { ConfigError } from '../shared/errors.ts';
import { createHubSpotCaller } from './client.ts';
import { parseHubSpotConfig, scorePropertyNames } from './config.ts';
import { checkAssociationLabels, missingMappedProperties } from './portal-check.ts';

const finding = findingsFor('hubspot');

export function createHubSpotCheck(section: unknown): VendorCheck {
  const config = parseHubSpotConfig(section);
  const caller = createHubSpotCaller(config);

  async function inspect(ctx: CheckContext): Promise<InspectResult> {
    const out: InspectResult = { findings: [] };
    const { signal } = ctx;
    let companyProperties: Set<string>;
    try {
      // Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (retrieve properties)
      const res = await caller.call('read companies properties', (sdk) => sdk.crm.properties.coreApi.getAll('companies', false), {
        ...(signal ? { signal } : {}),
      });
      companyProperties = new Set(res.results.map((p) => p.name));
      // Docs: https://developers.hubspot.com/docs/guides/api/crm/search (total counts the matches)
      const count = await caller.call(
        'count companies',
        (sdk) => sdk.crm.companies.searchApi.doSearch({ filterGroups: [], properties: ['name'], limit: 1, after: '0', sorts: [] }),
        { ...(signal ? { signal } : {}) },
      );
      out.accounts = count.total;
      out.findings.push(finding('access', 'ok', `the token in ${ctx.secretName} reads this portal's companies (${count.total} in all)`));
    } catch (err) {
      out.findings.push(
        finding(
          'access',
          'fail',
          `${(err as Error).message} — check the private app token in ${ctx.secretName} and its scopes (connectors/hubspot/README.md)`,
        ),
      );
      return out;
    }
    for (const problem of await missingMappedProperties(caller, signal)) out.findings.push(finding('mapping', 'warn', problem));
    try {
      await checkAssociationLabels(caller, signal);
      out.findings.push(finding('mapping', 'ok', 'every association label the mapping names exists from companies to contacts'));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      out.findings.push(finding('mapping', 'fail', err.message.replace(/^hubspot: /, '')));
    }
    const missingScore = Object.values(scorePropertyNames).filter((p) => !companyProperties.has(p));
    out.findings.push(
      missingScore.length === 0
        ? finding('mapping', 'ok', 'the score properties exist on companies')
        : finding(
            'mapping',
            'warn',
            `${missingScore.length} score properties do not exist yet (${missingScore.slice(0, 3).join(', ')}${missingScore.length > 3 ? ', …' : ''}): run \`healthscore setup\` before the first run`,
          ),
    );
    return out;
  }

  return { inspect };
}
