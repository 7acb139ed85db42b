// Usage signals with exact expected values, computed through fetch against the fake Mixpanel.

import { afterEach, describe, expect, it } from 'vitest';
import type { MixpanelFake } from '../../../connectors/mixpanel/fake/server.ts';
import { callStats } from '../../../connectors/shared/http-trace.ts';
import type { AccountRef } from '../../../connectors/shared/source.ts';
import { ASOF, account, daysAgo, seedDays, setup } from './helpers.ts';

let fake: MixpanelFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** acme: 20 users a day for the prior 14 days, 23 a day for the last 14 (up 15%). */
function seedGrowingAcme(f: MixpanelFake) {
  seedDays(f, 'acme', 15, 40, 20);
  seedDays(f, 'acme', 1, 14, 23);
  f.seedDailyUsers([
    { group: 'acme', day: daysAgo(3), users: 4, event: 'Report Built' },
    // 40 days ago: outside the 30-day adoption window.
    { group: 'acme', day: daysAgo(40), users: 2, event: 'Dashboard Shared' },
  ]);
}

describe('mixpanel usage signals', () => {
  it('given usage up 15% over the prior 14 days, when read, then usage.trend14d is 0.15 and the other signals are exact', async () => {
    const s = await setup();
    fake = s.fake;
    seedGrowingAcme(s.fake);
    await s.source.sync(s.ctx);
    const out = await s.source.read([account('crm-acme', 'acme')], s.ctx);
    const acme = out.signals.get('crm-acme');
    expect(acme?.['usage.trend14d']).toBeCloseTo(0.15, 10);
    expect(acme?.['usage.daysSinceLastActive']).toBe(0);
    // 23 distinct users over 30 days; mean DAU = (14 × 23 + 16 × 20) / 30 = 21.4.
    expect(acme?.['mixpanel.activeUsers30d']).toBe(23);
    expect(acme?.['usage.stickiness']).toBeCloseTo(21.4 / 23, 4);
    expect(acme?.['usage.featureAdoption']).toBeCloseTo(1 / 3, 4);
    expect(out.unmatched).toEqual([]);
  });

  it('given no events in the last 14 days, when read, then usage.trend14d is exactly -1 and daysSinceLastActive is at least 14', async () => {
    const s = await setup();
    fake = s.fake;
    seedDays(s.fake, 'quiet', 15, 28, 5);
    s.fake.seedDailyUsers([{ group: 'gone', day: daysAgo(41), users: 3 }]);
    await s.source.sync(s.ctx);
    const out = await s.source.read([account('crm-quiet', 'quiet'), account('crm-gone', 'gone')], s.ctx);
    expect(out.signals.get('crm-quiet')).toEqual({
      'usage.trend14d': -1,
      'usage.daysSinceLastActive': 14,
      'usage.featureAdoption': 0,
      'usage.stickiness': 0.4667, // mean DAU (14 days × 5) / 30 = 2.33 over 5 monthly users
      'mixpanel.activeUsers30d': 5,
    });
    expect(out.signals.get('crm-gone')).toMatchObject({
      'usage.trend14d': -1,
      'usage.daysSinceLastActive': 40,
      'mixpanel.activeUsers30d': 0,
      'usage.stickiness': 0,
    });
  });

  it('given accounts Mixpanel does not know or without a group key, when read, then they get no keys and are reported unmatched', async () => {
    const s = await setup();
    fake = s.fake;
    seedGrowingAcme(s.fake);
    await s.source.sync(s.ctx);
    const out = await s.source.read([account('crm-acme', 'acme'), account('crm-ghost', 'ghost'), account('crm-nokey')], s.ctx);
    expect([...out.signals.keys()]).toEqual(['crm-acme']);
    expect(out.signals.has('crm-ghost')).toBe(false);
    expect(out.unmatched).toEqual([
      { accountId: 'crm-ghost', reason: 'no Mixpanel events with company_id = "ghost" in the last 90 days' },
      { accountId: 'crm-nokey', reason: 'no mixpanelGroupKey identity and no company domain to use as the group key' },
    ]);
  });

  it('given accounts without a group key but with a domain, when read, then the domain is their group key, and a domain without events is reported with the fix', async () => {
    const s = await setup();
    fake = s.fake;
    seedDays(s.fake, 'acme.com', 1, 40, 6);
    await s.source.sync(s.ctx);
    const withDomain = (accountId: string, domain: string): AccountRef => ({ ...account(accountId), domain });
    const out = await s.source.read([withDomain('crm-acme', 'https://www.acme.com'), withDomain('crm-other', 'other.com')], s.ctx);
    expect(out.signals.get('crm-acme')).toMatchObject({ 'mixpanel.activeUsers30d': 6, 'usage.daysSinceLastActive': 0 });
    expect(out.unmatched).toEqual([
      {
        accountId: 'crm-other',
        reason:
          'no Mixpanel events with company_id = "other.com" in the last 90 days (the key is the account\'s domain: map mixpanelGroupKey if your product sends another value)',
      },
    ]);
  });

  it('given events on the day of asOf, when synced, then they are not used (only complete days before asOf count)', async () => {
    const s = await setup();
    fake = s.fake;
    seedGrowingAcme(s.fake);
    s.fake.seedDailyUsers([{ group: 'acme', day: daysAgo(0), users: 100 }]);
    await s.source.sync(s.ctx);
    const acme = (await s.source.read([account('crm-acme', 'acme')], s.ctx)).signals.get('crm-acme');
    expect(acme?.['usage.trend14d']).toBeCloseTo(0.15, 10);
    expect(acme?.['mixpanel.activeUsers30d']).toBe(23);
  });

  it('given a group silent beyond the lookback that an earlier run saw, when a later run reads it, then daysSinceLastActive counts from the earlier sighting', async () => {
    const s = await setup();
    fake = s.fake;
    s.fake.seedDailyUsers([{ group: 'gone', day: daysAgo(41), users: 3 }]);
    await s.source.sync(s.ctx);
    const later = { ...s.ctx, asOf: new Date(ASOF.getTime() + 100 * 86_400_000) };
    await s.source.sync(later);
    const out = await s.source.read([account('crm-gone', 'gone')], later);
    expect(out.signals.get('crm-gone')).toMatchObject({ 'usage.trend14d': -1, 'usage.daysSinceLastActive': 140 });
  });

  it('given a read for an asOf the last sync did not cover, when read, then nothing stale is returned and the accounts are reported', async () => {
    const s = await setup();
    fake = s.fake;
    seedGrowingAcme(s.fake);
    await s.source.sync(s.ctx);
    const next = { ...s.ctx, asOf: new Date(ASOF.getTime() + 86_400_000) };
    const out = await s.source.read([account('crm-acme', 'acme')], next);
    expect(out.signals.size).toBe(0);
    expect(out.unmatched[0]?.reason).toMatch(/aggregates are for 2026-10-31, not 2026-11-01/);
  });

  it('given a synced portfolio, when batches are read, then no vendor call is made', async () => {
    const s = await setup();
    fake = s.fake;
    seedGrowingAcme(s.fake);
    await s.source.sync(s.ctx);
    const before = callStats().mixpanel?.calls;
    await s.source.read([account('crm-acme', 'acme')], s.ctx);
    await s.source.read([account('crm-ghost', 'ghost')], s.ctx);
    expect(callStats().mixpanel?.calls).toBe(before);
  });
});
