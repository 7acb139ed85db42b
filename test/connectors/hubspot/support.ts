// Shared set-up for the HubSpot connector tests: a fake with compressed vendor time, a connector
// pointed at it through the real SDK with a matching compressed budget, and small seed builders.

import type { HubSpotConfigInput } from '../../../connectors/hubspot/config.ts';
import { createHubSpotConnector } from '../../../connectors/hubspot/connector.ts';
import {
  type HubSpotFake,
  type HubSpotFakeOptions,
  seededPortalMapping,
  startHubSpotFake,
} from '../../../connectors/hubspot/fake/server.ts';
import type { CrmAccount, CrmConnector, ScoreProperties } from '../../../connectors/shared/crm.ts';
import type { SeedAccount } from '../../../connectors/shared/fake/crm-seed.ts';
import type { SourceContext } from '../../../connectors/shared/source.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';

/** Vendor time runs 100× faster: HubSpot's 10-second window lasts 100 ms. */
export const SCALE = 100;

export async function fake(options: HubSpotFakeOptions = {}): Promise<HubSpotFake> {
  return startHubSpotFake({ clockScale: SCALE, ...options });
}

/**
 * The config of a connector on the fake, its budget and retry waits compressed like the fake's
 * clock, mapping the custom properties the seeded (customized) portal holds; `overrides` replace
 * whole sections.
 */
export function connectConfig(f: HubSpotFake, overrides: Partial<HubSpotConfigInput> = {}): HubSpotConfigInput {
  return {
    ...seededPortalMapping,
    accessToken: f.token,
    basePath: f.url,
    portalId: '4242',
    rateLimit: { requests: 100, perMs: 10_000 / SCALE, search: { requests: 5, perMs: 1_000 / SCALE } },
    retry: { baseDelayMs: 5, maxDelayMs: 50, maxTotalWaitMs: 5_000 },
    ...overrides,
  };
}

/** A connector on the fake (see connectConfig). */
export function connect(f: HubSpotFake, overrides: Partial<HubSpotConfigInput> = {}): CrmConnector {
  return createHubSpotConnector(connectConfig(f, overrides));
}

export async function collect(pages: AsyncIterable<{ accounts: CrmAccount[]; rejected: { recordId: string; reason: string }[] }>) {
  const accounts: CrmAccount[] = [];
  const rejected: { recordId: string; reason: string }[] = [];
  let count = 0;
  for await (const p of pages) {
    count++;
    accounts.push(...p.accounts);
    rejected.push(...p.rejected);
  }
  return { accounts, rejected, pages: count };
}

export function ctx(asOf: string, state = new MemoryStateStore()): SourceContext {
  return { asOf: new Date(asOf), state };
}

/** `n` plain accounts keyed acct-0… */
export function plainAccounts(n: number, extra: Partial<SeedAccount> = {}): SeedAccount[] {
  return Array.from({ length: n }, (_, i) => ({ key: `acct-${i}`, name: `Account ${i}`, domain: `account${i}.example`, ...extra }));
}

export function scoreValues(score: number | null, overrides: Partial<ScoreProperties> = {}): ScoreProperties {
  return {
    score,
    tier: score === null ? 'unknown' : score >= 70 ? 'green' : score >= 40 ? 'yellow' : 'red',
    drivers: 'Usage down 32% vs prior 14 days (−24 pts)',
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

export type { CrmConnector, HubSpotFake };
