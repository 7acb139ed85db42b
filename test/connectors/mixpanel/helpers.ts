// Shared setup for the Mixpanel tests: a fake project on a compressed clock, a source pointed at it
// with budgets compressed the same way, and small builders for accounts and seeded activity.
import { fakeDay, type MixpanelFake, type MixpanelFakeOptions, startMixpanelFake } from '../../../connectors/mixpanel/fake/server.ts';
import { createMixpanelSource, type MixpanelConfigInput } from '../../../connectors/mixpanel/index.ts';
import type { AccountRef, SourceContext } from '../../../connectors/shared/source.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';

/** A run at 06:00 UTC: the last complete day is 2026-10-31. */
export const ASOF = new Date('2026-11-01T06:00:00Z');
/** One vendor hour lasts one real second. */
export const SCALE = 3600;
export const CORE_FEATURES = ['Report Built', 'Dashboard Shared', 'Alert Created'];

/** `yyyy-mm-dd` of the day `n` days before ASOF's day (1 = the last complete day). */
export const daysAgo = (n: number, asOf = ASOF) => fakeDay(asOf, -n);

export function sourceConfig(fake: MixpanelFake, overrides: Partial<MixpanelConfigInput> = {}): MixpanelConfigInput {
  return {
    queryBaseUrl: fake.queryBaseUrl,
    exportBaseUrl: fake.exportBaseUrl,
    serviceAccount: fake.serviceAccount,
    projectId: fake.projectId,
    groupKeyProperty: 'company_id',
    activeEvents: ['Session Start'],
    coreFeatures: CORE_FEATURES,
    rateLimit: {
      perMs: 3_600_000 / SCALE,
      export: { perMs: 3_600_000 / SCALE },
      exportPerSecond: { perMs: 1 },
    },
    retry: { baseDelayMs: 5, maxDelayMs: 40 },
    ...overrides,
  };
}

export async function setup(options: { fake?: MixpanelFakeOptions; config?: Partial<MixpanelConfigInput> } = {}) {
  const fake = await startMixpanelFake({ clockScale: SCALE, ...options.fake });
  const source = createMixpanelSource(sourceConfig(fake, options.config));
  const ctx: SourceContext = { asOf: ASOF, state: new MemoryStateStore() };
  return { fake, source, ctx };
}

export const account = (accountId: string, mixpanelGroupKey?: string): AccountRef => ({
  accountId,
  identities: mixpanelGroupKey === undefined ? {} : { mixpanelGroupKey },
});

/** `users` users of `group` active every day from `fromAgo` back to `toAgo` days ago (inclusive). */
export function seedDays(fake: MixpanelFake, group: string, fromAgo: number, toAgo: number, users: number, event?: string) {
  for (let n = fromAgo; n <= toAgo; n++) fake.seedDailyUsers([{ group, day: daysAgo(n), users, ...(event ? { event } : {}) }]);
}

/**
 * A deterministic portfolio of `count` groups `g1`…: each active on 12 of the last 40 days with 1–4
 * users, some using core features.
 */
export function seedPortfolio(fake: MixpanelFake, count: number) {
  for (let i = 1; i <= count; i++) {
    const group = `g${i}`;
    for (let k = 0; k < 12; k++) fake.seedDailyUsers([{ group, day: daysAgo(1 + ((i * 7 + k * 3) % 40)), users: 1 + ((i + k) % 4) }]);
    if (i % 2 === 0) fake.seedDailyUsers([{ group, day: daysAgo(1 + (i % 20)), users: 1, event: 'Report Built' }]);
    if (i % 3 === 0) fake.seedDailyUsers([{ group, day: daysAgo(2 + (i % 25)), users: 1, event: 'Alert Created' }]);
  }
}
