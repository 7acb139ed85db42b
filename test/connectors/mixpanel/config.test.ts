// Configuration choices that change where and how the source reads: region hosts, explicit base
// URLs, and several active events (distinct users across events need the raw export).
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBaseUrls } from '../../../connectors/mixpanel/config.ts';
import type { MixpanelFake } from '../../../connectors/mixpanel/fake/server.ts';
import { mixpanelConfigSchema } from '../../../connectors/mixpanel/index.ts';
import { account, daysAgo, setup } from './helpers.ts';

let fake: MixpanelFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const minimal = { serviceAccount: { username: 'sa', secret: 'secret-123456' }, projectId: 42, activeEvents: ['Session Start'] };

describe('mixpanel configuration', () => {
  it('given a region, when resolved, then the Query API and the export use that residency’s two hosts', () => {
    expect(resolveBaseUrls(mixpanelConfigSchema.parse(minimal))).toEqual({
      query: 'https://mixpanel.com/api/query',
      export: 'https://data.mixpanel.com/api/2.0',
    });
    expect(resolveBaseUrls(mixpanelConfigSchema.parse({ ...minimal, region: 'eu' }))).toEqual({
      query: 'https://eu.mixpanel.com/api/query',
      export: 'https://data-eu.mixpanel.com/api/2.0',
    });
    expect(resolveBaseUrls(mixpanelConfigSchema.parse({ ...minimal, region: 'in' })).export).toBe('https://data-in.mixpanel.com/api/2.0');
    const explicit = mixpanelConfigSchema.parse({
      ...minimal,
      queryBaseUrl: 'http://127.0.0.1:9/api/query/',
      exportBaseUrl: 'http://127.0.0.1:9/api/2.0',
    });
    expect(resolveBaseUrls(explicit)).toEqual({ query: 'http://127.0.0.1:9/api/query', export: 'http://127.0.0.1:9/api/2.0' });
  });

  it('given two active events, when synced, then the export counts a user active through both events once per day', async () => {
    const s = await setup({ config: { activeEvents: ['Session Start', 'Page Viewed'] } });
    fake = s.fake;
    for (let n = 1; n <= 28; n++) {
      s.fake.seedDailyUsers([
        { group: 'acme', day: daysAgo(n), users: ['u1', 'u2'] },
        { group: 'acme', day: daysAgo(n), users: ['u2', 'u3'], event: 'Page Viewed' },
      ]);
    }
    const report = await s.source.sync(s.ctx);
    expect(report.checkpoint).toMatchObject({ path: 'export', queries: 0, exports: 1 });
    const acme = (await s.source.read([account('crm-acme', 'acme')], s.ctx)).signals.get('crm-acme');
    // DAU 3 every day for 28 of the last 30 days; 3 distinct users in 30 days.
    expect(acme).toMatchObject({ 'usage.trend14d': 0, 'mixpanel.activeUsers30d': 3, 'usage.stickiness': 0.9333 });
  });
});
