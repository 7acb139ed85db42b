// HubSpot in a local world: the fake portal (customized unless a test asks for a plain one), and the
// connector pointed at it with HubSpot's limits compressed by the world's scale.
import type { LocalFakeEntry, LocalWorld } from '../../shared/local-fake.ts';
import { localRetry } from '../../shared/local-fake.ts';
import type { HubSpotConfigInput } from '../config.ts';
import { type HubSpotFake, type PortalKind, seededPortalMapping, startHubSpotFake } from './server.ts';

export interface HubSpotLocalKnobs {
  /**
   * The HubSpot portal: `customized` (default) holds the custom properties the demo's mapping reads;
   * `plain` is a fresh portal with standard properties only, read with the connector's defaults
   * unless `hubspotMapping` says otherwise.
   */
  hubspotPortal?: PortalKind;
  /** Company / contact mapping for HubSpot (default: the seeded portal's mapping on a customized portal). */
  hubspotMapping?: Pick<HubSpotConfigInput, 'company' | 'contact'>;
}

/** The customized portal's mapping without the Stripe and Zendesk id fields (joined by domain instead). */
const joinedByDomain = {
  ...seededPortalMapping,
  company: { ...seededPortalMapping.company, identities: { mixpanelGroupKey: seededPortalMapping.company.identities.mixpanelGroupKey } },
};

function mappingFor(world: LocalWorld, portal: PortalKind): Pick<HubSpotConfigInput, 'company' | 'contact'> {
  const knobs = world.knobs as HubSpotLocalKnobs;
  if (knobs.hubspotMapping) return knobs.hubspotMapping;
  if (portal !== 'customized') return {};
  return world.joinBy === 'domain' ? joinedByDomain : seededPortalMapping;
}

export const hubspotLocalFake: LocalFakeEntry<HubSpotFake> = {
  id: 'hubspot',
  async start(world) {
    const portal = (world.knobs as HubSpotLocalKnobs).hubspotPortal ?? 'customized';
    const fake = await startHubSpotFake({ clockScale: world.scale, portal });
    return {
      fake,
      connector: {
        ...mappingFor(world, portal),
        accessToken: fake.token,
        basePath: fake.url,
        portalId: '4242',
        rateLimit: { requests: 100, perMs: 10_000 / world.scale, search: { requests: 5, perMs: 1_000 / world.scale } },
        retry: localRetry,
      },
      // The fake holds customized accounts: the config maps the custom fields they hold, as a user's would.
      runConfig: { basePath: fake.url, portalId: '4242', ...seededPortalMapping },
      secret: fake.token,
      requests: fake.server.log,
      close: () => fake.close(),
    };
  },
};
