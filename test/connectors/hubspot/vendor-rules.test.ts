// HubSpot's request rules (connectors/hubspot/fake/rules.ts, the README's table): the fake answers
// a request breaking one with HubSpot's own error body; the connector keeps to them at the default
// batch size with history-based signals intact; and an HTTP trace of the connector's traffic audits
// clean against the same table (while a trace holding a broken request does not).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditHubSpotTrace, hubSpotRules } from '../../../connectors/hubspot/fake/rules.ts';
import { takeHubSpotRuleViolations } from '../../../connectors/hubspot/fake/server.ts';
import type { SeedAccount } from '../../../connectors/shared/fake/crm-seed.ts';
import { connect, ctx, fake, type HubSpotFake, scoreValues } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

const AS_OF = '2026-03-01T00:00:00.000Z';
const daysBefore = (n: number) => new Date(Date.parse(AS_OF) - n * 86_400_000).toISOString();

async function post(path: string, body: unknown) {
  const res = await fetch(`${f.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(101 + i) }));

describe('the fake answers a broken rule as HubSpot does', () => {
  const cases: [string, string, unknown, RegExp][] = [
    [
      'batch-read-history-50',
      '/crm/v3/objects/companies/batch/read',
      { inputs: ids(51), properties: ['name'], propertiesWithHistory: ['name'] },
      /^The maximum number of inputs supported in a batch request for property histories is 50\. Please reduce the number of items and try again$/,
    ],
    [
      'batch-100',
      '/crm/v3/objects/companies/batch/read',
      { inputs: ids(101), properties: ['name'] },
      /maximum number of inputs supported in a batch is 100/,
    ],
    ['associations-batch-1000', '/crm/v4/associations/companies/contacts/batch/read', { inputs: ids(1001) }, /batch is 1000/],
    ['search-page-200', '/crm/v3/objects/emails/search', { limit: 201 }, /less than or equal to 200/],
    ['search-results-10000', '/crm/v3/objects/emails/search', { limit: 200, after: '9900' }, /more than 10000 results/],
    [
      'search-filter-groups',
      '/crm/v3/objects/emails/search',
      { filterGroups: Array.from({ length: 6 }, () => ({ filters: [] })) },
      /maximum is 5/,
    ],
    ['search-one-sort', '/crm/v3/objects/emails/search', { sorts: ['hs_timestamp', '-createdate'] }, /one sort/],
    [
      'search-in-values',
      '/crm/v3/objects/emails/search',
      { filterGroups: [{ filters: [{ propertyName: 'associations.company', operator: 'IN', value: '1' }] }] },
      /values/,
    ],
    [
      'search-body-3000',
      '/crm/v3/objects/emails/search',
      { properties: Array.from({ length: 300 }, (_, i) => `property_${i}`) },
      /maximum is 3000/,
    ],
    [
      'property-option-hidden',
      '/crm/v3/properties/companies/batch/create',
      {
        inputs: [
          {
            name: 'x_tier',
            label: 'X',
            type: 'enumeration',
            fieldType: 'select',
            groupName: 'companyinformation',
            options: [{ label: 'A', value: 'a' }],
          },
        ],
      },
      /required attributes are not set \[hidden\]/,
    ],
  ];

  it.each(cases)(
    'given a request breaking %s, then a 400 VALIDATION_ERROR with HubSpot’s message, recorded for the audit',
    async (id, path, body, message) => {
      f = await fake();
      const r = await post(path, body);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
      expect(String(r.body.message)).toMatch(message);
      expect(takeHubSpotRuleViolations()).toEqual([`${id}: POST ${path}`]);
    },
  );

  it('given every rule of the table, then each has a HubSpot doc link and says whether it is confirmed or inferred', () => {
    for (const rule of hubSpotRules) {
      expect(rule.doc).toMatch(/^https:\/\/(developers|knowledge)\.hubspot\.com\//);
      expect(['confirmed', 'inferred']).toContain(rule.evidence);
    }
    expect(new Set(hubSpotRules.map((r) => r.id)).size).toBe(hubSpotRules.length);
  });
});

describe('the connector keeps to the rules', () => {
  it('given 100 accounts whose champions and CSM sentiment come from property history, when read as one default batch, then every account has its history-based signals', async () => {
    f = await fake();
    const accounts: SeedAccount[] = Array.from({ length: 100 }, (_, i) => ({
      key: `a${i}`,
      name: `A${i}`,
      domain: `a${i}.example`,
      contractStart: '2024-01-01',
      csmSentiment: 'green',
      contacts: [
        { key: 'old', name: 'Old Champ', email: `old${i}@a.example`, champion: true, inRoleSince: '2024-06-01', leftOn: daysBefore(10) },
        { key: 'new', name: 'New Champ', email: `new${i}@a.example`, champion: true, inRoleSince: daysBefore(i % 2 === 0 ? 20 : 200) },
      ],
    }));
    const seeded = f.seedAccounts(accounts);
    const r = await connect(f).source.read(
      [...seeded.values()].map((accountId) => ({ accountId, identities: {} })),
      ctx(AS_OF),
    );
    expect(r.rejected).toEqual([]);
    expect(r.signals.size).toBe(100);
    for (const [key, id] of seeded) {
      const i = Number(key.slice(1));
      // "new" vs "active" is read from when hs_buying_role became CHAMPION (property history).
      expect(r.signals.get(id)?.['relationship.championStatus']).toBe(i % 2 === 0 ? 'new' : 'active');
      expect(r.signals.get(id)?.['relationship.csmSentiment']).toBe('green');
    }
    const reads = f.server.calls('POST', /\/crm\/v3\/objects\/(companies|contacts)\/batch\/read$/);
    expect(reads.every((c) => c.status === 200)).toBe(true);
    expect(f.server.calls('POST', '/crm/v3/objects/companies/batch/read')).toHaveLength(2);
    expect(f.server.calls('POST', '/crm/v3/objects/contacts/batch/read')).toHaveLength(4);
  });

  it('given the connector traced while it sets up, lists, reads and writes, then every HubSpot request in the trace keeps to the rules table, and a broken one is caught', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hs-rules-'));
    const file = join(dir, 'trace.jsonl');
    process.env.HEALTHSCORE_HTTP_TRACE = file;
    try {
      f = await fake();
      const seeded = f.seedAccounts(
        Array.from({ length: 120 }, (_, i) => ({
          key: `a${i}`,
          name: `A${i}`,
          domain: `a${i}.example`,
          contacts: [{ key: 'c', name: 'C Champ', email: `c${i}@a.example`, champion: true, inRoleSince: '2025-01-01' }],
          activities: [{ kind: 'email', at: daysBefore(3), direction: 'inbound', contactKey: 'c', threadId: `t${i}` }],
        })),
      );
      const connector = connect(f);
      await connector.setup();
      for await (const _page of connector.listAccounts()) {
        // every page of the listing
      }
      const refs = [...seeded.values()].map((accountId) => ({ accountId, identities: {} }));
      await connector.source.sync?.(ctx(AS_OF));
      await connector.source.read(refs, ctx(AS_OF));
      await connector.writeScores(refs.map((a) => ({ accountId: a.accountId, values: scoreValues(55), previous: undefined })));
      const trace = readFileSync(file, 'utf8');
      const paths = new Set(
        trace
          .trim()
          .split('\n')
          .map((l) => new URL((JSON.parse(l) as { url: string }).url).pathname),
      );
      for (const p of [
        '/crm/v3/objects/companies/batch/read',
        '/crm/v3/objects/emails/search',
        '/crm/v3/objects/companies/batch/update',
        '/crm/v3/properties/companies/batch/create',
      ])
        expect(paths).toContain(p);
      expect(auditHubSpotTrace(trace)).toEqual([]);

      const broken = JSON.stringify({
        vendor: 'hubspot',
        method: 'POST',
        url: `${f.url}/crm/v3/objects/contacts/batch/read`,
        requestBody: { inputs: ids(60), propertiesWithHistory: ['jobtitle'] },
      });
      expect(auditHubSpotTrace(`${trace}${broken}\n`)).toEqual(['batch-read-history-50: POST /crm/v3/objects/contacts/batch/read']);
    } finally {
      delete process.env.HEALTHSCORE_HTTP_TRACE;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
