// `healthscore check` for Salesforce, read-only: the configured OAuth flow completes; the integration
// user sees the objects and mapped fields a run reads (the org schema, as each run reads it); the
// score fields exist (else `setup` is due); and the org's API usage as Salesforce reports it.
import type { CheckContext, InspectResult, VendorCheck } from '../shared/check.ts';
import { findingsFor } from '../shared/check.ts';
import { SalesforceClient } from './client.ts';
import { parseSalesforceConfig } from './config.ts';
import { readOrgSchema } from './org-schema.ts';
import { SCORE_FIELD } from './setup.ts';

const finding = findingsFor('salesforce');

export function createSalesforceCheck(section: unknown): VendorCheck {
  const config = parseSalesforceConfig(section);
  const client = new SalesforceClient(config);

  async function inspect(ctx: CheckContext): Promise<InspectResult> {
    const out: InspectResult = { findings: [] };
    const { signal } = ctx;
    try {
      const schema = await readOrgSchema(client, config.mapping, signal);
      out.findings.push(
        finding(
          'access',
          'ok',
          `the ${config.auth?.flow ?? 'accessToken'} sign-in with ${ctx.secretName} works and the integration user reads the org's schema`,
        ),
      );
      for (const w of schema.warnings) out.findings.push(finding('mapping', 'warn', w));
      if (schema.warnings.length === 0) out.findings.push(finding('mapping', 'ok', 'every mapped field, object and contact role exists'));
    } catch (err) {
      out.findings.push(
        finding(
          'access',
          'fail',
          `${(err as Error).message} — check the sign-in settings and ${ctx.secretName} (connectors/salesforce/README.md)`,
        ),
      );
      return out;
    }
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
    const account = (await client.call(() => client.conn.sobject('Account').describe() as Promise<unknown>, { signal })) as {
      fields?: { name: string }[];
    };
    const have = new Set((account.fields ?? []).map((f) => f.name.toLowerCase()));
    const missing = Object.values(SCORE_FIELD).filter((f) => !have.has(f.toLowerCase()));
    out.findings.push(
      missing.length === 0
        ? finding('mapping', 'ok', 'the score fields exist on Account and the integration user sees them')
        : finding(
            'mapping',
            'warn',
            `${missing.length} score fields are missing or hidden from the integration user (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): run \`healthscore setup\`, which creates them and grants them through its permission set`,
          ),
    );
    try {
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_record_count.htm (an estimate, refreshed by Salesforce)
      const counts = (await client.call(
        () => client.conn.request(`/services/data/v${config.version}/limits/recordCount?sObjects=Account`) as Promise<unknown>,
        { signal },
      )) as { sObjects?: { name?: string; count?: number }[] };
      const accounts = counts.sObjects?.find((o) => o.name === 'Account')?.count;
      if (accounts !== undefined) out.accounts = accounts;
    } catch {
      // The count only sizes the quota estimate; without it the estimate says so.
    }
    const usage = client.usage;
    if (usage) out.quota = { limit: usage.limit, remaining: usage.limit - usage.used, per: 'day', from: 'the Sforce-Limit-Info header' };
    return out;
  }

  return { inspect };
}
