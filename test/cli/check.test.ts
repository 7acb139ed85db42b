// `healthscore check` against the local fakes: a working configuration passes; each way a real
// account can disappoint (a wrong token, a mapped property or label the portal lacks, events without
// the group key, accounts whose domain no Stripe customer has) is named with its fix; and nothing is
// ever written to a vendor.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededPortalMapping } from '../../connectors/hubspot/fake/seed.ts';
import { localRunConfigSections } from '../../pipeline/demo/local-vendors.ts';
import { addPayingCustomer } from '../../pipeline/demo/seed-vendors.ts';
import { runCli } from '../support/cli.ts';
import { type CliWorld, startCliWorld } from '../support/cli-world.ts';

let w: CliWorld;
/** The end of the world's first day, where the fakes' recent activity is. */
const asOf = () => `${w.world.firstDay}T23:30:00Z`;
beforeAll(async () => {
  w = await startCliWorld({ accounts: 6, setup: true });
});
afterAll(async () => {
  await w?.close();
});

const hubspotSection = (extra: Record<string, unknown>) => ({
  hubspot: { basePath: w.v.hubspot?.url, portalId: '4242', ...seededPortalMapping, ...extra },
});

describe('healthscore check', () => {
  it('given the sandbox configuration, when checked, then every finding is ok or a note and the exit code is 0; no write reaches any vendor and Mixpanel gets one query', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'healthscore-check-')), 'trace.jsonl');
    const servers = [w.v.hubspot?.server, w.v.stripe.server, w.v.zendesk.server, w.v.mixpanel.server].filter((x) => x !== undefined);
    const before = servers.map((srv) => srv.log.length);
    const { code, stdout } = await runCli(['check', '--as-of', asOf(), '--config', w.writeConfig('ok.yaml')], undefined, {
      ...w.env,
      HEALTHSCORE_HTTP_TRACE: trace,
    });
    expect(stdout).not.toMatch(/^(WARN|FAIL)/m);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^ok {4}hubspot access: the token in the environment variable HUBSPOT_ACCESS_TOKEN reads this portal's companies \(6 in all\)/m,
    );
    expect(stdout).toMatch(/^ok {4}stripe joins: 6 of 6 sample accounts \(100%\) join a record/m);
    expect(stdout).toMatch(/^ok {4}zendesk access: .* is an admin/m);
    expect(stdout).toMatch(/^ok {4}zendesk mapping: support\.csat will come from legacy satisfaction ratings/m);
    expect(stdout).toMatch(/^ok {4}model coverage: model categories: expected completeness/m);
    expect(stdout).toMatch(
      /^ok {4}hubspot access: the private app in the environment variable HUBSPOT_ACCESS_TOKEN has every scope a run and setup use/m,
    );
    expect(stdout).toMatch(
      /^ok {4}hubspot quota: \d+ of 500000 requests a day left \(HubSpot's daily API usage of private apps\); 1 run a day of this portfolio spend about \d+/m,
    );
    const lines = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { vendor: string; method: string; url: string });
    // Reads sent as POST: searches, batch reads, and the token's own description.
    const writes = lines.filter((l) => l.method !== 'GET' && !/\/(search|batch\/read|access-token-info)$/.test(new URL(l.url).pathname));
    expect(writes).toEqual([]);
    expect(lines.filter((l) => l.vendor === 'mixpanel')).toHaveLength(1);
    // The same seen by the fakes themselves: every request they received was a read.
    const received = servers.flatMap((srv, i) => srv.log.slice(before[i]));
    expect(received.length).toBeGreaterThan(10);
    expect(received.filter((r) => r.method !== 'GET' && !/\/(search|batch\/read|access-token-info)$/.test(r.path))).toEqual([]);
  });

  it('given a wrong CRM token, then exit 2 and the failure names the variable to fix, without the token', async () => {
    const { code, stdout } = await runCli(['check', '--as-of', asOf(), '--config', w.writeConfig('ok.yaml')], undefined, {
      ...w.env,
      HUBSPOT_ACCESS_TOKEN: 'pat-na1-wrong-token-0000',
    });
    expect(code).toBe(2);
    expect(stdout).toMatch(/^FAIL {2}hubspot access: .*HUBSPOT_ACCESS_TOKEN/m);
    expect(stdout).not.toContain('pat-na1-wrong-token-0000');
  });

  it('given a mapped property the portal lacks and a champion label it does not define, then each is named with its fix: a warning and a failure', async () => {
    const path = w.writeConfig(
      'mapping.yaml',
      hubspotSection({
        company: { ...seededPortalMapping.company, nps: 'nps_typo' },
        contact: { ...seededPortalMapping.contact, champion: { kind: 'associationLabel', label: 'Champion' } },
      }),
    );
    const { code, stdout } = await runCli(['check', '--as-of', asOf(), '--config', path], undefined, w.env);
    expect(stdout).toMatch(
      /^WARN {2}hubspot mapping: company property "nps_typo" \(company\.nps, for outcome\.nps\) does not exist in this portal/m,
    );
    expect(stdout).toMatch(
      /^FAIL {2}hubspot mapping: contact\.champion: no company→contact association label "Champion".*Fix the label in the config/m,
    );
    expect(code).toBe(2);
  });

  it('given NPS mapped to a HubSpot property of the wrong type, then a failure names property, found type, expected type and the fix', async () => {
    const path = w.writeConfig('types.yaml', hubspotSection({ company: { ...seededPortalMapping.company, nps: 'csm_sentiment' } }));
    const { code, stdout } = await runCli(['check', '--as-of', asOf(), '--config', path], undefined, w.env);
    expect(stdout).toMatch(
      /^FAIL {2}hubspot mapping: company property "csm_sentiment" \(company\.nps\) is of type enumeration, but the connector reads it as number and needs HubSpot type number \(or an enumeration whose options are numbers\): point company\.nps at a property of that type/m,
    );
    expect(stdout).toMatch(/^ok {4}hubspot mapping: 6 of the first 6 companies listed are in scope \(lifecyclestage is customer\)$/m);
    expect(code).toBe(2);
  });

  it('given Mixpanel events without the configured group key property, then a warning names the property to fix', async () => {
    const mixpanel = { ...localRunConfigSections(w.v).mixpanel, groupKeyProperty: 'company_key_typo' };
    const { code, stdout } = await runCli(
      ['check', '--as-of', asOf(), '--config', w.writeConfig('mp2.yaml', { mixpanel })],
      undefined,
      w.env,
    );
    expect(stdout).toMatch(
      /^WARN {2}mixpanel mapping: no "Session Start" event in the last 30 days has the property company_key_typo: check groupKeyProperty/m,
    );
    expect(stdout).toMatch(/^WARN {2}mixpanel joins: 0 of 6 sample accounts \(0%\) join a record/m);
    expect(code).toBe(1);
  });

  it('given zendesk.csat: survey on an account with only legacy ratings, then a warning says which setting to use', async () => {
    const zendesk = { ...localRunConfigSections(w.v).zendesk, csat: 'survey' };
    const { code, stdout } = await runCli(
      ['check', '--as-of', asOf(), '--config', w.writeConfig('csat.yaml', { zendesk })],
      undefined,
      w.env,
    );
    expect(stdout).toMatch(
      /^WARN {2}zendesk mapping: zendesk\.csat is survey but this account has no survey responses: set csat: auto \(or legacy\)/m,
    );
    expect(code).toBe(1);
  });

  it('given no Stripe id mapped, an account whose domain no Stripe customer has and a customer whose domain no account has, then the joins warn naming each and why', async () => {
    const [extra] =
      w.v.hubspot?.seedAccounts([{ key: 'nobill', name: 'No Billing Ltd', domain: 'nobill.example', contacts: [] }]) ?? new Map();
    // And a paying customer whose domain no CRM account has: with every account in the sample, it is named.
    addPayingCustomer(w.v, { id: 'cus_orphan', name: 'Orphan Co', email: 'ap@orphan.example', seats: 2 });
    const noIds = { ...seededPortalMapping.company, identities: { mixpanelGroupKey: 'mixpanel_group_key' } };
    const { code, stdout } = await runCli(
      ['check', '--as-of', asOf(), '--config', w.writeConfig('domain.yaml', hubspotSection({ company: noIds }))],
      undefined,
      w.env,
    );
    expect(stdout).toMatch(
      new RegExp(
        `^WARN {2}stripe joins: 6 of 7 sample accounts \\(86%\\) join a record: the others get no signals from it; not joined, e.g. ${extra?.[1]}: no Stripe customer has the domain nobill\\.example; map stripeCustomerId on the account to join it`,
        'm',
      ),
    );
    expect(stdout).toMatch(
      /^WARN {2}stripe joins: 1 of its live records join no CRM account, e\.g\. Stripe customer cus_orphan \(Orphan Co, ap@orphan\.example\): no CRM account has the domain orphan\.example or this id in stripeCustomerId; map stripeCustomerId on its CRM account to join it/m,
    );
    expect(code).toBe(1);
  });

  it('given --json, then the report has the documented shape', async () => {
    const { stdout } = await runCli(
      ['check', '--as-of', asOf(), '--config', w.writeConfig('ok.yaml'), '--json', '--sample', '3'],
      undefined,
      w.env,
    );
    const r = JSON.parse(stdout);
    expect(Object.keys(r).sort()).toEqual(['counts', 'coverage', 'exitCode', 'findings', 'joins', 'quota', 'sample']);
    expect(r.sample).toEqual({ requested: 3, listed: 3 });
    expect(r.findings[0]).toEqual({ vendor: 'hubspot', area: 'access', status: 'ok', message: expect.any(String) });
    expect(r.joins.stripe).toEqual({ joined: 3, of: 3, examples: [] });
    expect(Object.keys(r.coverage).sort()).toEqual(['expectedCompleteness', 'model', 'signals', 'unknownShare']);
    expect(r.quota.zendesk).toMatchObject({ per: 'minute', from: 'the X-Rate-Limit header' });
  });

  // Last: the fake's scopes cannot be given back.
  it('given a private app without the scope to write companies, then exit 2 naming the scope and where to add it', async () => {
    w.v.hubspot?.revokeScope('crm.objects.companies.write');
    const { code, stdout } = await runCli(['check', '--as-of', asOf(), '--config', w.writeConfig('ok.yaml')], undefined, w.env);
    expect(stdout).toMatch(
      /^FAIL {2}hubspot access: the private app in the environment variable HUBSPOT_ACCESS_TOKEN lacks the scope crm\.objects\.companies\.write \(writing the score back\): add it in HubSpot › Settings › Integrations › Private apps/m,
    );
    expect(code).toBe(2);
  });
});

describe('healthscore check on Salesforce', () => {
  let sf: CliWorld;
  beforeAll(async () => {
    sf = await startCliWorld({ crm: 'salesforce', accounts: 4 });
  });
  afterAll(async () => {
    await sf?.close();
  });
  const at = () => `${sf.world.firstDay}T23:30:00Z`;

  it('given an org before setup and a mapping naming a field it lacks, then both are warnings with their fix, and the API usage is read from Salesforce', async () => {
    const sections = localRunConfigSections(sf.v);
    const salesforce = sections.salesforce as { mapping: { account: Record<string, unknown> } };
    const path = sf.writeConfig('sf.yaml', {
      salesforce: { ...salesforce, mapping: { ...salesforce.mapping, account: { ...salesforce.mapping.account, nps: 'NPS_Typo__c' } } },
    });
    const { code, stdout } = await runCli(['check', '--as-of', at(), '--config', path], undefined, sf.env);
    expect(stdout).toMatch(
      /^ok {4}salesforce access: the accessToken sign-in with the environment variable SALESFORCE_ACCESS_TOKEN works/m,
    );
    expect(stdout).toMatch(
      /^WARN {2}salesforce mapping: Account field NPS_Typo__c \(mapping\.account\.nps, for outcome\.nps\) does not exist/m,
    );
    expect(stdout).toMatch(
      /^WARN {2}salesforce mapping: 10 score fields are missing or hidden from the integration user .*run `healthscore setup`/m,
    );
    expect(stdout).toMatch(
      /^ok {4}salesforce quota: \d+ of \d+ requests a day left \(the Sforce-Limit-Info header\); 1 run a day of this portfolio spend about \d+/m,
    );
    expect(code).toBe(1);
  });

  it('given the renewal date mapped to a date-time field, then check fails naming the field, both types and the fix; the scope is counted on the first accounts', async () => {
    const sections = localRunConfigSections(sf.v);
    const salesforce = sections.salesforce as { mapping: { account: Record<string, unknown> } };
    const path = sf.writeConfig('sf-types.yaml', {
      salesforce: {
        ...salesforce,
        mapping: { ...salesforce.mapping, account: { ...salesforce.mapping.account, renewalDate: 'LastModifiedDate' } },
      },
    });
    const { code, stdout } = await runCli(['check', '--as-of', at(), '--config', path], undefined, sf.env);
    expect(stdout).toMatch(
      /^FAIL {2}salesforce mapping: Account\.LastModifiedDate is of type datetime, but mapping\.account\.renewalDate \(for commercial\.daysToRenewal\) is read as a Date: map a field of that type in mapping\.account\.renewalDate, or set it to null$/m,
    );
    expect(stdout).toMatch(
      /^note {2}salesforce mapping: \d+ of the first \d+ accounts are in scope \(Type is Customer - Direct or Customer - Channel\)/m,
    );
    expect(code).toBe(2);
  });
});
