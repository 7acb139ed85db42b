// Test kit for the Zendesk source: a fake on a compressed clock (1 vendor minute = 100 ms), a source
// whose budgets and retry waits are compressed the same way, and date helpers relative to asOf.

import type { AccountRef, SourceContext } from '../../../connectors/shared/source.ts';
import type { ZendeskConfigInput } from '../../../connectors/zendesk/config.ts';
import { startZendeskFake, type ZendeskFake, type ZendeskFakeOptions } from '../../../connectors/zendesk/fake/server.ts';
import { createZendeskSource } from '../../../connectors/zendesk/zendesk-source.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';

export const SCALE = 600;
export const WINDOW_MS = 60_000 / SCALE;

export const ASOF = new Date('2026-06-01T12:00:00Z');
/** An ISO time `days` (fractions allowed) before `from`. */
export const daysAgo = (days: number, from = ASOF) => new Date(from.getTime() - days * 86_400_000).toISOString();
export const plusDays = (days: number, from = ASOF) => new Date(from.getTime() + days * 86_400_000);

export function startFake(options: ZendeskFakeOptions = {}): Promise<ZendeskFake> {
  return startZendeskFake({ clockScale: SCALE, ...options });
}

export function sourceFor(fake: ZendeskFake, extra: Partial<ZendeskConfigInput> = {}) {
  return createZendeskSource({
    username: fake.username,
    apiToken: fake.token,
    baseUrl: fake.endpointUri,
    rateLimit: { requests: 200, perMs: WINDOW_MS, incremental: { requests: 10, perMs: WINDOW_MS } },
    retry: { baseDelayMs: 5, maxDelayMs: 40, maxTotalWaitMs: 5_000 },
    ...extra,
  });
}

export function context(asOf = ASOF, state = new MemoryStateStore()): SourceContext {
  return { asOf, state };
}

export const account = (accountId: string, zendeskOrganizationId?: number | string): AccountRef => ({
  accountId,
  identities: zendeskOrganizationId === undefined ? {} : { zendeskOrganizationId: String(zendeskOrganizationId) },
});

/** Syncs then reads one organization's signals. */
export async function signalsOf(fake: ZendeskFake, org: number, extra: Partial<ZendeskConfigInput> = {}, ctx = context()) {
  const source = sourceFor(fake, extra);
  const report = await source.sync?.(ctx);
  const result = await source.read([account('acct', org)], ctx);
  return { signals: result.signals.get('acct'), result, report };
}
