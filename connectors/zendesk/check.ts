// `healthscore check` for Zendesk, read-only: the API user signs in and is an admin (incremental
// exports and satisfaction ratings need one), and the account's per-minute limit from its rate
// headers against the configured plan limit. Joins: the sample accounts resolved as the run resolves
// them — by the CRM's zendeskOrganizationId, else by the organizations' domain_names (read through
// the incremental organization export, as the run's first sync reads them).
import type { CheckContext, Finding, InspectResult, Joins, VendorCheck } from '../shared/check.ts';
import { findingsFor, sampleJoins } from '../shared/check.ts';
import { type DomainRecord, indexByDomain, matchByDomain } from '../shared/domain-match.ts';
import { type AccountRef, IDENTITY } from '../shared/source.ts';
import { parseZendeskConfig } from './config.ts';
import { onBase } from './support-sync.ts';
import { createZendeskClient, getBody, toZendeskError, zendeskTransport } from './zendesk-client.ts';
import { organizationExportPage, rawOrganization } from './zendesk-raw.ts';

const finding = findingsFor('zendesk');

interface Me {
  user?: { id?: number | null; email?: string; role?: string };
}

export function createZendeskCheck(section: unknown): VendorCheck {
  const config = parseZendeskConfig(section);

  async function inspect(ctx: CheckContext): Promise<InspectResult> {
    const out: InspectResult = { findings: [] };
    const send = zendeskTransport(config, ctx.signal);
    const basic = Buffer.from(`${config.username}/token:${config.apiToken}`).toString('base64');
    let res: Response;
    try {
      // https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
      res = await send(`${config.endpointUri}/users/me.json`, { headers: { authorization: `Basic ${basic}`, accept: 'application/json' } });
    } catch (err) {
      out.findings.push(finding('access', 'fail', `${toZendeskError(err).message.replace(/^zendesk: /, '')}`));
      return out;
    }
    const me = (await res.json()) as Me;
    // Bad credentials can come back as an anonymous user with 200 rather than a 401.
    if (!me.user?.id) {
      out.findings.push(
        finding(
          'access',
          'fail',
          `Zendesk answered as an anonymous user: check username (${config.username}) and the API token in ${ctx.secretName}`,
        ),
      );
      return out;
    }
    if (me.user.role === 'admin')
      out.findings.push(finding('access', 'ok', `${config.username} signs in with ${ctx.secretName} and is an admin`));
    else
      out.findings.push(
        finding(
          'access',
          'fail',
          `${config.username} is ${me.user.role === 'agent' ? 'an agent' : `a user with role ${me.user.role}`}, not an admin: incremental exports and satisfaction ratings need an admin's API token (make the API user an admin, or use an admin's token)`,
        ),
      );
    out.findings.push(await csatFinding(send, basic));
    const limit = Number(res.headers.get('x-rate-limit'));
    const remaining = Number(res.headers.get('x-rate-limit-remaining'));
    if (Number.isFinite(limit) && limit > 0) {
      out.quota = { limit, remaining: Number.isFinite(remaining) ? remaining : limit, per: 'minute', from: 'the X-Rate-Limit header' };
      if (config.rateLimit.requests > limit)
        out.findings.push(
          finding(
            'quota',
            'warn',
            `rateLimit.requests is ${config.rateLimit.requests} but this account allows ${limit} requests a minute: set rateLimit.requests to ${limit}`,
          ),
        );
    }
    return out;
  }

  /** Which CSAT the account answers with (the run's own probe: one survey response), against `zendesk.csat`. */
  async function csatFinding(send: ReturnType<typeof zendeskTransport>, basic: string): Promise<Finding> {
    let survey = false;
    try {
      // https://developer.zendesk.com/api-reference/ticketing/ticket-management/csat_survey_responses/#list-survey-responses
      const r = await send(`${config.endpointUri}/guide/survey_responses?page[size]=1`, {
        headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
      });
      const body = (await r.json()) as { survey_responses?: unknown[] };
      survey = (body.survey_responses?.length ?? 0) > 0;
    } catch {
      // Refused or absent (plans below Professional): the legacy ratings are the account's CSAT.
    }
    const mode = survey ? 'the updated CSAT (survey responses)' : 'legacy satisfaction ratings';
    if (config.csat === 'legacy' && survey)
      return finding('mapping', 'warn', `this account answers with ${mode} but zendesk.csat is legacy: set csat: auto (or survey)`);
    if (config.csat === 'survey' && !survey)
      return finding('mapping', 'warn', `zendesk.csat is survey but this account has no survey responses: set csat: auto (or legacy)`);
    return finding('mapping', 'ok', `support.csat will come from ${mode}`);
  }

  async function joins(sample: readonly AccountRef[], ctx: CheckContext): Promise<Joins> {
    const client = createZendeskClient(config, ctx.signal);
    const orgs = new Map<string, DomainRecord>();
    // https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-organization-export
    let resource: Parameters<typeof getBody>[1] = ['incremental', 'organizations', { start_time: 0, per_page: config.pageSize }];
    for (;;) {
      const page = organizationExportPage.parse(await getBody(client, resource));
      for (const raw of page.organizations) {
        const o = rawOrganization.safeParse(raw);
        if (!o.success) continue;
        if (o.data.deleted_at) orgs.delete(String(o.data.id));
        else orgs.set(String(o.data.id), { id: String(o.data.id), domains: o.data.domain_names ?? [], label: o.data.name });
      }
      if (page.end_of_stream || !page.next_page) break;
      resource = onBase(page.next_page, config.endpointUri);
    }
    const records = [...orgs.values()];
    const byDomain = matchByDomain({
      key: IDENTITY.zendeskOrganizationId,
      noun: 'Zendesk organization',
      accounts: config.matchByDomain ? sample : sample.filter((a) => a.identities[IDENTITY.zendeskOrganizationId]),
      byDomain: config.matchByDomain ? indexByDomain(records) : new Map(),
      records,
    });
    const accounts = sampleJoins(
      sample,
      IDENTITY.zendeskOrganizationId,
      (id) => (orgs.has(id) ? undefined : `Zendesk has no organization ${id}`),
      config.matchByDomain ? byDomain : undefined,
    );
    return { accounts, unclaimed: byDomain.unclaimed };
  }

  return { inspect, joins };
}
