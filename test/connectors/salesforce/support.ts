// Shared set-up for the Salesforce connector tests: a fake org on loopback and a connector (real
// jsforce) pointed at it, with retries compressed so waits take milliseconds.

import {
  createSalesforceConnector,
  type SalesforceConfigInput,
  type SalesforceConnector,
} from '../../../connectors/salesforce/connector.ts';
import { customizedOrgMapping } from '../../../connectors/salesforce/fake-seed.ts';
import { type SalesforceFake, type SalesforceFakeOptions, startSalesforceFake } from '../../../connectors/salesforce/fake-server.ts';
import type { ScoreProperties } from '../../../connectors/shared/crm.ts';
import type { SeedAccount } from '../../../connectors/shared/crm-seed.ts';

export const fastRetry = { baseDelayMs: 1, maxDelayMs: 4, maxTotalWaitMs: 2_000 };

export interface Org {
  fake: SalesforceFake;
  connector: SalesforceConnector;
}

export async function startOrg(fakeOptions: SalesforceFakeOptions = {}, config: Partial<SalesforceConfigInput> = {}): Promise<Org> {
  const fake = await startSalesforceFake(fakeOptions);
  return { fake, connector: connectTo(fake, config) };
}

/** A connector on the fake; the customized org's mapping unless `config.mapping` says otherwise. */
export function connectTo(fake: SalesforceFake, config: Partial<SalesforceConfigInput> = {}): SalesforceConnector {
  return createSalesforceConnector({
    instanceUrl: fake.instanceUrl,
    accessToken: fake.accessToken,
    retry: fastRetry,
    mapping: customizedOrgMapping,
    ...config,
  });
}

/** `count` plain accounts named Account 001… */
export function plainAccounts(count: number, extra: Partial<SeedAccount> = {}): SeedAccount[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return { key: `a${n}`, name: `Account ${n}`, domain: `account${n}.example`, ...extra };
  });
}

export function scoreOf(score: number, overrides: Partial<ScoreProperties> = {}): ScoreProperties {
  return {
    score,
    tier: score >= 70 ? 'green' : score >= 40 ? 'yellow' : 'red',
    drivers: 'Usage down 32% vs prior 14 days (-24 pts)',
    change7d: -3,
    change30d: 5,
    completeness: 0.85,
    flags: '',
    modelId: 'layered@1',
    updatedAt: '2026-03-01T06:00:00.000Z',
    ...overrides,
  };
}

/** REST query calls (first pages and nextRecordsUrl pages) the fake answered. */
export const queryCalls = (fake: SalesforceFake) => fake.server.calls('GET', /\/query(\/|$)/);
export const patchCalls = (fake: SalesforceFake) => fake.server.calls('PATCH', /\/composite\/sobjects$/);

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
