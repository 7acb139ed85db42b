// Salesforce's request rules (connectors/salesforce/fake-rules.ts, the README's table): the fake
// answers each broken rule with Salesforce's error, and an HTTP trace of the connector's traffic on
// a standard org (setup, listing, a read, a write) audits clean against the same rules, while a trace
// holding a broken request does not.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditSalesforceTrace, salesforceRules } from '../../../connectors/salesforce/fake/rules.ts';
import { takeSalesforceRuleViolations } from '../../../connectors/salesforce/fake/server.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';
import { collect, type Org, plainAccounts, scoreOf, startOrg } from './support.ts';

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

const query = async (soql: string) => {
  const o = org as Org;
  const res = await fetch(`${o.fake.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { authorization: `Bearer ${o.fake.accessToken}` },
  });
  return { status: res.status, body: (await res.json()) as { errorCode: string; message: string }[] };
};

describe('the fake answers a broken rule as Salesforce does', () => {
  it('given three semi-joins in one WHERE, then EXCEEDED_MAX_SEMIJOIN_SUBSELECTS', async () => {
    org = await startOrg({ standard: true });
    const r = await query(
      'SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account) AND Id IN (SELECT ContactId FROM OpportunityContactRole) AND OwnerId IN (SELECT Id FROM User)',
    );
    expect(r.status).toBe(400);
    expect(r.body[0]?.errorCode).toBe('EXCEEDED_MAX_SEMIJOIN_SUBSELECTS');
    expect(takeSalesforceRuleViolations()).toEqual(['semi-join-max-2: GET /services/data/v62.0/query']);
  });

  it('given every rule of the table, then each has a Salesforce doc link and says whether it is confirmed or inferred', () => {
    for (const rule of salesforceRules) {
      expect(rule.doc).toMatch(/^https:\/\/(developer|help)\.salesforce\.com\//);
      expect(['confirmed', 'inferred']).toContain(rule.evidence);
    }
  });
});

describe('the connector keeps to the rules', () => {
  it('given the connector traced while it sets up, lists, reads and writes on a standard org with both features on, then every Salesforce request keeps to the rules table, and a broken one is caught', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-rules-'));
    const file = join(dir, 'trace.jsonl');
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    try {
      org = await startOrg({ standard: true, features: { contactsToMultipleAccounts: true, enhancedEmail: true } }, { mapping: {} });
      const ids = [
        ...org.fake
          .seedAccounts(
            plainAccounts(300, {
              contractStart: '2025-01-01',
              contacts: [{ key: 'c', name: 'C Champ', email: 'c@x.example', champion: true, inRoleSince: '2025-02-01' }],
              activities: [
                { kind: 'email', at: '2026-02-20T10:00:00Z', direction: 'outbound', contactKey: 'c', threadId: 't' },
                { kind: 'email', at: '2026-02-20T16:00:00Z', direction: 'inbound', contactKey: 'c', threadId: 't' },
                { kind: 'meeting', at: '2026-02-18T10:00:00Z', contactKeys: ['c'], outcome: 'completed' },
              ],
            }),
          )
          .values(),
      ];
      await org.connector.setup();
      await collect(org.connector.listAccounts());
      const refs = ids.map((accountId) => ({ accountId, identities: {} }));
      await org.connector.source.sync?.({ asOf: new Date('2026-03-01T00:00:00Z'), state: new MemoryStateStore() });
      const read = await org.connector.source.read(refs, { asOf: new Date('2026-03-01T00:00:00Z'), state: new MemoryStateStore() });
      expect(read.signals.size).toBe(300);
      await org.connector.writeScores(refs.map((a) => ({ accountId: a.accountId, values: scoreOf(55), previous: undefined })));
      const trace = readFileSync(file, 'utf8');
      const soql = trace
        .trim()
        .split('\n')
        .map((l) => new URL((JSON.parse(l) as { url: string }).url).searchParams.get('q') ?? '');
      for (const object of ['OpportunityContactRole', 'EmailMessage', 'EventWhoRelation', 'AccountContactRelation', 'Contract'])
        expect(soql.some((q) => q.includes(`FROM ${object} `))).toBe(true);
      expect(auditSalesforceTrace(trace)).toEqual([]);

      const broken = JSON.stringify({
        vendor: 'salesforce',
        method: 'GET',
        url: `${org.fake.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent("SELECT Id FROM EventWhoRelation WHERE EventId IN (SELECT Id FROM Event WHERE AccountId = '001')")}`,
      });
      expect(auditSalesforceTrace(`${trace}${broken}\n`)).toEqual(['semi-join-no-activities: GET /services/data/v62.0/query']);
    } finally {
      delete process.env.HEALTHSCORE_HTTP_TRACE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
