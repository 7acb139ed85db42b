// The run on a standard Salesforce org (nothing custom until setup): the default mapping scores every
// account from Salesforce's own objects, and a mapping naming a custom field the org lacks still runs
// while the summary names the field.
import { afterEach, describe, expect, it } from 'vitest';
import { loadModel } from '../../pipeline/model-files.ts';
import { formatSummary } from '../../pipeline/run/summary.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const world = { accounts: 6, days: 2 };
const USAGE_KEYS = [
  'mixpanel.activeUsers30d',
  'usage.daysSinceLastActive',
  'usage.featureAdoption',
  'usage.licenseUtilization',
  'usage.stickiness',
  'usage.trend14d',
];

describe('a standard Salesforce org', () => {
  it('given the default mapping, when a day runs, then every account is scored with roles, activity and renewal from standard objects and no warning', async () => {
    h = await startHarness(world, { crm: 'salesforce', salesforceFake: { standard: true } });
    const summary = await h.runDay(0);
    expect(summary.complete).toBe(true);
    expect(summary.scored).toBe(h.world.accounts.length);
    expect(summary.warnings).toEqual({});
    const rows = await Promise.all(h.world.accounts.map((a) => h?.store.history(h.ids.get(a.key) as string, h.dayOf(0), h.dayOf(0))));
    const signals = rows.map((r) => r?.[0]?.signals ?? {});
    const having = (key: string) => signals.filter((s) => key in s).length;
    expect(having('relationship.championStatus')).toBe(signals.length);
    for (const key of [
      'relationship.execSponsorEngaged',
      'engagement.daysSinceLastCsmTouch',
      'commercial.daysToRenewal',
      'lifecycle.accountAgeDays',
    ])
      expect(having(key), key).toBeGreaterThan(0);
  });

  it('given the default mapping and a product that sends the company domain as its Mixpanel group key, when a day runs, then every source joins by Website domain and completeness reaches the model minimum', async () => {
    h = await startHarness({ ...world, mixpanelGroupKeys: 'domains' }, { crm: 'salesforce', salesforceFake: { standard: true } });
    const summary = await h.runDay(0);
    expect(summary.matchedByDomain).toEqual({ stripe: 6, zendesk: 6 });
    expect(summary.unmatched).toEqual({ salesforce: 0, stripe: 0, zendesk: 0, mixpanel: 0 });
    expect(summary.unknown).toBe(0);
    const model = loadModel('categories');
    if ('fallback' in model) throw new Error('categories is one model, not a set');
    const minimum = model.config.minCompleteness;
    for (const a of h.world.accounts) {
      const [row] = await h.store.history(h.ids.get(a.key) as string, h.dayOf(0), h.dayOf(0));
      expect(row?.completeness, a.key).toBeGreaterThanOrEqual(minimum);
      expect(row?.tier, a.key).not.toBe('unknown');
      // Exactly these signals, each from a standard object or a source joined by domain (engagement.daysSinceLastCsmTouch only where a touch happened).
      expect(
        Object.keys(row?.signals ?? {})
          .filter((k) => k !== 'engagement.daysSinceLastCsmTouch')
          .sort(),
        a.key,
      ).toEqual(
        [
          'billing.daysOverdue',
          'billing.mrrChange90d',
          'billing.paymentStatus',
          'billing.subscriptionChange',
          'commercial.daysToRenewal',
          'growth.seatChange90d',
          'lifecycle.accountAgeDays',
          'relationship.championStatus',
          'relationship.engagedContacts30d',
          'relationship.execSponsorEngaged',
          'stripe.seats',
          'support.activeEscalation',
          'support.csat',
          'support.escalations90d',
          'support.openTicketsAged',
          'support.sentiment',
          'support.ticketVolumeRatio',
          ...USAGE_KEYS,
        ].sort(),
      );
    }
  });

  it('given a mapping naming a custom field the org lacks, when a day runs, then it completes and the summary names the field', async () => {
    h = await startHarness(world, {
      crm: 'salesforce',
      salesforceFake: { standard: true },
      salesforceMapping: { account: { nps: 'NPS_Score__c' } },
    });
    const summary = await h.runDay(0);
    expect(summary.complete).toBe(true);
    expect(summary.scored).toBe(h.world.accounts.length);
    expect(summary.warnings.salesforce).toEqual([
      expect.stringMatching(/^Account field NPS_Score__c \(mapping\.account\.nps, for outcome\.nps\) does not exist/),
    ]);
    expect(formatSummary(summary)).toContain('WARNING salesforce: Account field NPS_Score__c');
  });
});
