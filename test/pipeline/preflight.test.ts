// The plan's fast check (issue #16): a live run on a CRM without the properties / fields every write
// needs (setup not run, or run by a release before the `churned` tier value) stops before reading
// anything, with the sentence to act on; a shadow run, which writes nothing, goes ahead.
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalVendors, startLocalVendors } from '../../pipeline/demo/local-vendors.ts';
import { loadModel } from '../../pipeline/model-files.ts';
import type { RunDeps } from '../../pipeline/run/deps.ts';
import { runAll } from '../../pipeline/run/run-all.ts';
import { DynamoStore } from '../../pipeline/store/dynamo-store.ts';
import { type LocalDynamo, startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';

let vendors: LocalVendors | undefined;
let dynamo: LocalDynamo | undefined;

afterEach(async () => {
  await vendors?.close();
  await dynamo?.close();
});

async function world(crm: 'hubspot' | 'salesforce'): Promise<RunDeps & { vendors: LocalVendors }> {
  [vendors, dynamo] = await Promise.all([startLocalVendors({ crm }), startLocalDynamo()]);
  const store = new DynamoStore(dynamo.client, { tableName: dynamo.tableName });
  vendors.hubspot?.seedAccounts([{ key: 'a', name: 'Acme', domain: 'acme.example' }]);
  vendors.salesforce?.seedAccounts([{ key: 'a', name: 'Acme', domain: 'acme.example' }]);
  return { crm: vendors.crm, sources: [], store, models: loadModel('portfolio'), vendors };
}

const options = (day: string, mode: 'live' | 'shadow' = 'live') => ({
  asOf: new Date(`${day}T23:30:00Z`),
  batchSize: 100,
  maxStaleDays: 3,
  mode,
});

describe('given a HubSpot portal where setup never ran', () => {
  it('then a live run stops before listing, naming the properties and setup; a shadow run goes ahead; after setup it runs', async () => {
    const deps = await world('hubspot');
    await expect(runAll(deps, options('2026-10-01'))).rejects.toThrow(
      /^hubspot: the company properties healthscore_score, healthscore_tier, .* that every run writes do not exist in this portal: run `healthscore setup` \(it creates them\), then run again$/,
    );
    expect(await deps.store.getRun('2026-10-01T23:30:00Z')).toBeUndefined();
    expect((await runAll(deps, options('2026-10-02', 'shadow'))).scored).toBe(1);
    await deps.crm.setup();
    expect((await runAll(deps, options('2026-10-03'))).scored).toBe(1);
  });

  it('then a tier property without the churned option (set up by an older release) stops the run until setup adds it', async () => {
    const deps = await world('hubspot');
    await deps.crm.setup();
    const tier = deps.vendors.hubspot?.properties().find((p) => p.name === 'healthscore_tier');
    deps.vendors.hubspot?.store.defineProperty('companies', {
      ...(tier as NonNullable<typeof tier>),
      options: (tier?.options ?? []).filter((o) => o.value !== 'churned'),
    });
    await expect(runAll(deps, options('2026-10-01'))).rejects.toThrow(
      'hubspot: the company property healthscore_tier has no option "churned", which the run writes: run `healthscore setup` (it adds the missing options and keeps the others), then run again',
    );
    await deps.crm.setup();
    expect((await runAll(deps, options('2026-10-02'))).scored).toBe(1);
  });
});

describe('given a Salesforce org where setup never ran', () => {
  it('then a live run stops naming the Account fields and setup; after setup it runs', async () => {
    const deps = await world('salesforce');
    await expect(runAll(deps, options('2026-10-01'))).rejects.toThrow(
      /^salesforce: the Account fields Health_Score__c, Health_Tier__c, .* that every run writes do not exist or are hidden from the integration user: run `healthscore setup`/,
    );
    await deps.crm.setup();
    expect((await runAll(deps, options('2026-10-02'))).scored).toBe(1);
  });
});
