// `healthscore check` for Salesforce, read-only: the configured OAuth flow completes; the integration
// user sees the objects and mapped fields a run reads (the org schema, as each run reads it), each of
// the type the connector reads (a mismatch fails); the scope field exists and its values are the
// picklist's, with how many of the first accounts are in scope; the score fields exist (else `setup`
// is due); and the org's API usage as Salesforce reports it.
import type { CheckContext, InspectResult, VendorCheck } from '../shared/check.ts';
import { findingsFor } from '../shared/check.ts';
import type { CrmAccount } from '../shared/crm.ts';
import { listSalesforceAccounts } from './accounts.ts';
import { SalesforceClient } from './client.ts';
import { parseSalesforceConfig, type SalesforceMapping } from './config.ts';
import { SCORE_FIELD } from './field-specs.ts';
import { type OrgSchema, readOrgSchema } from './org-schema.ts';

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
      const failing = new Set([...schema.mismatches, ...schema.errors]);
      for (const w of schema.warnings) out.findings.push(finding('mapping', failing.has(w) ? 'fail' : 'warn', w));
      if (schema.warnings.length === 0)
        out.findings.push(finding('mapping', 'ok', 'every mapped field, object and contact role exists, of the type the connector reads'));
      if (schema.errors.length === 0)
        out.findings.push(
          await scopeFinding(schema, config.mapping, signal).catch((err: unknown) =>
            finding('mapping', 'warn', `the first accounts could not be listed to count the scope: ${(err as Error).message}`),
          ),
        );
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

  /** How many of the first accounts (one query page, up to 200) the scope keeps, and the commonest reason for the rest. */
  async function scopeFinding(schema: OrgSchema, m: SalesforceMapping, signal?: AbortSignal) {
    const scope = m.scope;
    if (!scope) return finding('mapping', 'note', 'mapping.scope is null: every Account is scored as a customer');
    const sample: CrmAccount[] = [];
    for await (const page of listSalesforceAccounts(client, { ...schema.mapping, churn: null }, signal ? { signal } : {})) {
      sample.push(...page.accounts);
      if (sample.length >= SCOPE_SAMPLE) break;
    }
    const accounts = sample.slice(0, SCOPE_SAMPLE);
    const inScope = accounts.filter((a) => a.scope?.in !== false).length;
    const reasons = new Map<string, number>();
    for (const a of accounts) if (a.scope?.reason) reasons.set(a.scope.reason, (reasons.get(a.scope.reason) ?? 0) + 1);
    const top = [...reasons].sort((x, y) => y[1] - x[1]).slice(0, 3);
    const rest = top.length > 0 ? `; the others are not scored (${top.map(([r, n]) => `${n}: ${r}`).join('; ')})` : '';
    return finding(
      'mapping',
      'note',
      `${inScope} of the first ${accounts.length} accounts are in scope (${scope.field} is ${scope.values.join(' or ')})${rest}`,
    );
  }

  return { inspect };
}

/** Accounts the scope note counts: the first ones listed. */
const SCOPE_SAMPLE = 200;
