// Shared set-up for the Salesforce connector tests: a fake org on loopback and a connector (real
// jsforce) pointed at it, with retries compressed so waits take milliseconds.

import { readFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import {
  createSalesforceConnector,
  type SalesforceConfigInput,
  type SalesforceConnector,
} from '../../../connectors/salesforce/connector.ts';
import { customizedOrgMapping } from '../../../connectors/salesforce/fake/seed.ts';
import { type SalesforceFake, type SalesforceFakeOptions, startSalesforceFake } from '../../../connectors/salesforce/fake/server.ts';
import type { ScoreProperties } from '../../../connectors/shared/crm.ts';
import type { SeedAccount } from '../../../connectors/shared/fake/crm-seed.ts';

export const fastRetry = { baseDelayMs: 1, maxDelayMs: 4, maxTotalWaitMs: 2_000 };

export interface Org {
  fake: SalesforceFake;
  connector: SalesforceConnector;
}

/** Starts orgs for the tests of a file and closes each after its test: `const start = orgsClosedAfterEach()`. */
export function orgsClosedAfterEach(): typeof startOrg {
  const open: Org[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.fake.close()));
  });
  return async (fakeOptions, config) => {
    const o = await startOrg(fakeOptions, config);
    open.push(o);
    return o;
  };
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
    lastChange: '',
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

const keyFile = (name: string) => readFileSync(new URL(`../../support/salesforce-jwt/${name}`, import.meta.url), 'utf8');
/** A key pair made for these tests only (never uploaded to any org): the app's certificate and key, and another key. */
export const testKeys = {
  certificate: keyFile('test-only-app.crt'),
  privateKey: keyFile('test-only-app.key'),
  otherPrivateKey: keyFile('test-only-other.key'),
};

/** The JWT bearer flow against the fake's connected app, signed with `privateKey` (the right key by default). */
export function jwtConfig(fake: SalesforceFake, overrides: Record<string, unknown> = {}, privateKey = testKeys.privateKey) {
  return {
    auth: {
      flow: 'jwt',
      consumerKey: fake.app.consumerKey,
      username: fake.integrationUser.username,
      loginUrl: fake.instanceUrl,
      ...overrides,
    },
    secret: JSON.stringify({ privateKey }),
  } as Partial<SalesforceConfigInput>;
}

export function refreshTokenConfig(fake: SalesforceFake, refreshToken: string, clientSecret = fake.app.consumerSecret) {
  return {
    auth: { flow: 'refreshToken', clientId: fake.app.consumerKey, loginUrl: fake.instanceUrl },
    secret: JSON.stringify({ clientSecret, refreshToken }),
  } as Partial<SalesforceConfigInput>;
}

export function clientCredentialsConfig(fake: SalesforceFake, myDomainUrl = fake.instanceUrl, clientSecret = fake.app.consumerSecret) {
  return {
    auth: { flow: 'clientCredentials', clientId: fake.app.consumerKey, myDomainUrl },
    secret: JSON.stringify({ clientSecret }),
  } as Partial<SalesforceConfigInput>;
}

/** A connector with no access token, only the given auth (the fake's pre-issued session is not used). */
export function connectWith(config: Partial<SalesforceConfigInput>): SalesforceConnector {
  return createSalesforceConnector({ retry: fastRetry, ...config });
}

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
