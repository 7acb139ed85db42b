// Config keys renamed by the one rate-limit shape keep working for a release: the connector reads
// the old value where the new key lives (with the old meaning), and the run summary says which key to use.
import { afterEach, describe, expect, it } from 'vitest';
import { parseHubSpotConfig } from '../../connectors/hubspot/config.ts';
import { parseStripeConfig } from '../../connectors/stripe/config.ts';
import { parseZendeskConfig } from '../../connectors/zendesk/config.ts';
import { formatSummary } from '../../pipeline/run/summary.ts';
import { buildConnectors, configWarnings, parseRunConfig } from '../../pipeline/run-config.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const oldStyle = {
  crm: 'hubspot',
  hubspot: { portalId: '1', rateLimit: { limit: 150, windowMs: 10_000 }, requestTimeoutMs: 5000 },
  stripe: { limits: { requests: 20 } },
  zendesk: { subdomain: 'acme', username: 'api@acme.example', limits: { planPerMinute: 400 } },
};

describe('renamed config keys', () => {
  it('given a config written with the old keys, when parsed, then each vendor reads the old value at its new key, with the old meaning', () => {
    const hubspot = parseHubSpotConfig({ ...oldStyle.hubspot, accessToken: 'pat-na1-x' });
    // The old limit already had the margin taken off: the new shape keeps it whole (safety 0).
    expect(hubspot.rateLimit).toMatchObject({ requests: 150, perMs: 10_000, safety: 0 });
    expect(hubspot.timeoutMs).toBe(5000);
    expect(parseStripeConfig({ ...oldStyle.stripe, apiKey: 'sk_test_abcdef123' }).rateLimit).toMatchObject({ requests: 20, safety: 0 });
    expect(parseZendeskConfig({ ...oldStyle.zendesk, apiToken: 'token-123456' }).rateLimit).toMatchObject({ requests: 400, safety: 0.1 });
  });

  it('given both the old and the new key, when parsed, then the new one wins and the warning says to remove the old', () => {
    const c = parseRunConfig({ crm: 'hubspot', hubspot: { portalId: '1', rateLimit: { limit: 50, requests: 190 } } }, 'cfg.yaml');
    expect(configWarnings(c)).toEqual({
      hubspot: ['config key rateLimit.limit is ignored because rateLimit.requests is set: remove rateLimit.limit'],
    });
    expect(
      parseHubSpotConfig({ portalId: '1', accessToken: 'pat-na1-x', rateLimit: { limit: 50, requests: 190 } }).rateLimit.requests,
    ).toBe(190);
  });

  it('given the old keys, when the connectors are built, then they carry one warning per old key naming the new key', async () => {
    const config = parseRunConfig(oldStyle, 'cfg.yaml');
    const built = await buildConnectors(
      config,
      async (id) => ({ hubspot: 'pat-na1-x', stripe: 'sk_test_abcdef123', zendesk: 'token-123456' })[id as 'hubspot'],
    );
    expect(built.configWarnings).toEqual({
      hubspot: [
        'config key rateLimit.limit is deprecated and will be removed in the next release: use rateLimit.requests',
        'config key rateLimit.windowMs is deprecated and will be removed in the next release: use rateLimit.perMs',
        'config key requestTimeoutMs is deprecated and will be removed in the next release: use timeoutMs',
      ],
      stripe: ['config key limits.requests is deprecated and will be removed in the next release: use rateLimit.requests'],
      zendesk: ['config key limits.planPerMinute is deprecated and will be removed in the next release: use rateLimit.requests'],
    });
    const current = parseRunConfig({ crm: 'hubspot', hubspot: { portalId: '1', rateLimit: { requests: 190 } } }, 'cfg.yaml');
    expect(configWarnings(current)).toEqual({});
  });

  it('given the connectors carry a renamed-key warning, when a day runs, then the summary prints it as a WARNING naming the new key', async () => {
    h = await startHarness({ accounts: 3, days: 1 }, {});
    h.deps.configWarnings = configWarnings(parseRunConfig(oldStyle, 'cfg.yaml'));
    const summary = await h.runDay(0);
    expect(summary.complete).toBe(true);
    expect(formatSummary(summary)).toContain(
      'WARNING stripe: config key limits.requests is deprecated and will be removed in the next release: use rateLimit.requests',
    );
  });
});
