// `healthscore check` for HubSpot, read-only: the token opens the portal and may read what a run
// reads (companies, contacts, their properties and association labels); every mapped property
// exists and has a type the connector can read; every mapped association label exists; the scope
// property exists, its values are options of it, and how many companies of the first page are in
// scope; the score properties exist (else `setup` is due).
import type { CheckContext, Finding, InspectResult, QuotaReading, VendorCheck } from '../shared/check.ts';
import { findingsFor } from '../shared/check.ts';
import { ConfigError } from '../shared/errors.ts';
import { observedFetch } from '../shared/http-trace.ts';
import { listHubSpotAccounts } from './accounts.ts';
import { createHubSpotCaller, type HubSpotCaller } from './client.ts';
import { type HubSpotConfig, parseHubSpotConfig, scorePropertyNames } from './config.ts';
import { checkAssociationLabels, missingMappedProperties } from './portal-check.ts';
import { expectedKinds, missingOptions, type PortalProperty, typeMismatches } from './property-types.ts';

const finding = findingsFor('hubspot');

/** The scopes a run and `setup` use, each with what needs it (scope names from HubSpot's API specs). */
export const REQUIRED_SCOPES: Record<string, string> = {
  'crm.objects.companies.read': 'listing and reading companies',
  'crm.objects.companies.write': 'writing the score back',
  'crm.objects.contacts.read': 'reading contacts and their emails, calls and meetings',
  'crm.objects.contacts.write': 'creating tasks on a confirmed tier change',
  'crm.schemas.companies.write': '`setup` creating the score properties',
};

/** One read of HubSpot's account endpoints, outside the SDK (it has no method for them); undefined when refused. */
async function accountRead<T>(config: HubSpotConfig, path: string, init: RequestInit = {}): Promise<T | undefined> {
  const res = await observedFetch('hubspot')(`${config.basePath.replace(/\/+$/, '')}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${config.accessToken}`, 'content-type': 'application/json', ...init.headers },
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    await res.body?.cancel();
    return undefined;
  }
  return (await res.json()) as T;
}

/** Scope findings from the token's own description (private app tokens only). */
async function scopeFindings(config: HubSpotConfig, ctx: CheckContext): Promise<Finding[]> {
  // https://developers.hubspot.com/docs/api/private-apps — POST /oauth/v2/private-apps/get/access-token-info
  const info = await accountRead<{ scopes?: string[] }>(config, '/oauth/v2/private-apps/get/access-token-info', {
    method: 'POST',
    body: JSON.stringify({ tokenKey: config.accessToken }),
  });
  if (!info?.scopes)
    return [
      finding(
        'access',
        'note',
        `the token's scopes could not be read (not a private app token?): a missing scope shows as a 403 naming it`,
      ),
    ];
  const missing = Object.entries(REQUIRED_SCOPES).filter(([scope]) => !info.scopes?.includes(scope));
  if (missing.length === 0) return [finding('access', 'ok', `the private app in ${ctx.secretName} has every scope a run and setup use`)];
  return missing.map(([scope, use]) =>
    finding(
      'access',
      'fail',
      `the private app in ${ctx.secretName} lacks the scope ${scope} (${use}): add it in HubSpot › Settings › Integrations › Private apps and use the new token`,
    ),
  );
}

/** The day's API usage of private apps, as HubSpot reports it. */
async function dailyUsage(config: HubSpotConfig): Promise<QuotaReading | undefined> {
  // https://developers.hubspot.com/docs/api-reference/account-account-info-v3/api-usage/get-usage-details
  const usage = await accountRead<{ results?: { name?: string; usageLimit?: number; currentUsage?: number }[] }>(
    config,
    '/account-info/v3/api-usage/daily/private-apps',
  );
  const r = usage?.results?.find((x) => x.name === 'private-apps-api-calls-daily');
  if (typeof r?.usageLimit !== 'number' || typeof r.currentUsage !== 'number') return undefined;
  return {
    limit: r.usageLimit,
    remaining: Math.max(0, r.usageLimit - r.currentUsage),
    per: 'day',
    from: "HubSpot's daily API usage of private apps",
  };
}

export function createHubSpotCheck(section: unknown): VendorCheck {
  const config = parseHubSpotConfig(section);
  const caller = createHubSpotCaller(config);

  async function inspect(ctx: CheckContext): Promise<InspectResult> {
    const out: InspectResult = { findings: [] };
    const { signal } = ctx;
    let companyProperties: Set<string>;
    let companyDefinitions: PortalProperty[];
    try {
      // Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (retrieve properties)
      const res = await caller.call('read companies properties', (sdk) => sdk.crm.properties.coreApi.getAll('companies', false), {
        ...(signal ? { signal } : {}),
      });
      companyProperties = new Set(res.results.map((p) => p.name));
      companyDefinitions = res.results;
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
    out.findings.push(...(await scopeFindings(config, ctx)));
    const quota = await dailyUsage(config);
    if (quota) out.quota = quota;
    // A missing scope property is a failure of its own (below), not one more warning.
    for (const problem of await missingMappedProperties(caller, signal))
      if (!problem.includes('(company.scope.property,')) out.findings.push(finding('mapping', 'warn', problem));
    out.findings.push(...(await typeFindings(caller, companyDefinitions, signal)));
    out.findings.push(...(await accountScopeFindings(caller, companyDefinitions, signal)));
    const churn = config.company.churn;
    const churnProperty = churn && companyDefinitions.find((p) => p.name === churn.property);
    const churnOptions = churnProperty && missingOptions('company.churn.values', churnProperty, churn.values);
    if (churnOptions) out.findings.push(finding('mapping', 'warn', churnOptions));
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

/** A failure per mapped property whose HubSpot type does not hold what the connector reads from it. */
async function typeFindings(caller: HubSpotCaller, companies: PortalProperty[], signal?: AbortSignal): Promise<Finding[]> {
  const config = caller.config;
  const needsContacts = expectedKinds(config).some((e) => e.object === 'contacts');
  const contacts = needsContacts
    ? // Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (retrieve properties)
      (await caller.call('read contacts properties', (sdk) => sdk.crm.properties.coreApi.getAll('contacts', false), { signal })).results
    : [];
  const byName = (ps: PortalProperty[]) => new Map(ps.map((p) => [p.name, p]));
  const problems = typeMismatches(config, { companies: byName(companies), contacts: byName(contacts) });
  if (problems.length === 0) return [finding('mapping', 'ok', 'every mapped property that exists has a type the connector reads')];
  return problems.map((p) => finding('mapping', 'fail', p));
}

/** The scope: its property exists, its values are options of it, and how many of the first page's companies are in it. */
async function accountScopeFindings(caller: HubSpotCaller, companies: PortalProperty[], signal?: AbortSignal): Promise<Finding[]> {
  const scope = caller.config.company.scope;
  if (scope === false)
    return [finding('mapping', 'note', 'company.scope is false: every company is scored, prospects and former customers included')];
  const property = companies.find((p) => p.name === scope.property);
  if (!property)
    return [
      finding(
        'mapping',
        'fail',
        `company property "${scope.property}" (company.scope.property) does not exist in this portal: every company would read as out of scope and none would be scored; name an existing property, or set company.scope to false to score every company`,
      ),
    ];
  const out: Finding[] = [];
  const missing = missingOptions('company.scope.values', property, scope.values);
  if (missing) out.push(finding('mapping', 'warn', missing));
  // One page of the listing, read as a run reads it (the sample of the scope).
  const first = await listHubSpotAccounts(caller, signal ? { signal } : {})
    [Symbol.asyncIterator]()
    .next();
  const accounts = first.done ? [] : first.value.accounts;
  const inScope = accounts.filter((a) => a.scope?.in !== false);
  const rule = `${scope.property} is ${scope.values.join(' or ')}`;
  if (accounts.length === 0) out.push(finding('mapping', 'note', `the portal lists no company yet, so none is in scope (${rule})`));
  else if (inScope.length === 0)
    out.push(
      finding(
        'mapping',
        'warn',
        `none of the first ${accounts.length} companies listed is in scope (${rule}), e.g. ${accounts
          .slice(0, 3)
          .map((a) => `${a.accountId}: ${a.scope?.reason}`)
          .join('; ')}: check company.scope, or nothing will be scored`,
      ),
    );
  else
    out.push(
      finding(
        'mapping',
        inScope.length === accounts.length ? 'ok' : 'note',
        `${inScope.length} of the first ${accounts.length} companies listed are in scope (${rule})${inScope.length === accounts.length ? '' : '; the others are listed and not scored'}`,
      ),
    );
  return out;
}
