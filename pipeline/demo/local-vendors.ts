// Every vendor on this machine: the fakes of the CRM (HubSpot or Salesforce), Stripe, Zendesk,
// Mixpanel and Slack on loopback, with connectors pointed at them through the official clients.
// Vendor time is compressed (rate-limit windows shrink by `scale`), so many simulated days run in
// minutes while every limit keeps its real ratio.

import type { HubSpotConfigInput } from '../../connectors/hubspot/config.ts';
import { createHubSpotConnector } from '../../connectors/hubspot/connector.ts';
import { type HubSpotFake, type PortalKind, seededPortalMapping, startHubSpotFake } from '../../connectors/hubspot/fake/server.ts';
import { type MixpanelFake, startMixpanelFake } from '../../connectors/mixpanel/fake/server.ts';
import { createMixpanelSource } from '../../connectors/mixpanel/index.ts';
import { requireVendor } from '../../connectors/registry.ts';
import type { SalesforceMappingInput } from '../../connectors/salesforce/config.ts';
import { createSalesforceConnector, type SalesforceConfigInput } from '../../connectors/salesforce/connector.ts';
import { customizedOrgMapping, customizedOrgMappingInput } from '../../connectors/salesforce/fake/seed.ts';
import { type SalesforceFake, type SalesforceFakeOptions, startSalesforceFake } from '../../connectors/salesforce/fake/server.ts';
import type { CrmConnector } from '../../connectors/shared/crm.ts';
import type { SignalSource } from '../../connectors/shared/source.ts';
import { type SlackFake, startSlackFake } from '../../connectors/slack/fake/server.ts';
import { createSlackNotifier, type SlackNotifier } from '../../connectors/slack/webhook.ts';
import { type StripeFake, startStripeFake } from '../../connectors/stripe/fake/server.ts';
import { createStripeSource } from '../../connectors/stripe/stripe-source.ts';
import { startZendeskFake, type ZendeskFake } from '../../connectors/zendesk/fake/server.ts';
import { createZendeskSource } from '../../connectors/zendesk/zendesk-source.ts';
import { FEATURES } from './world.ts';

export type CrmKind = 'hubspot' | 'salesforce';

export interface LocalVendors {
  crmKind: CrmKind;
  hubspot?: HubSpotFake;
  salesforce?: SalesforceFake;
  stripe: StripeFake;
  zendesk: ZendeskFake;
  mixpanel: MixpanelFake;
  slackFake: SlackFake;
  crm: CrmConnector;
  sources: SignalSource[];
  slack: SlackNotifier;
  close(): Promise<void>;
}

export interface LocalVendorOptions {
  crm?: CrmKind;
  /** Vendor time runs this many times faster than real time (default 1000). */
  scale?: number;
  /** Which sources to connect (default all); a test may leave one out. */
  sources?: ('stripe' | 'zendesk' | 'mixpanel')[];
  /**
   * The HubSpot portal: `customized` (default) holds the custom properties the demo's mapping reads;
   * `plain` is a fresh portal with standard properties only, read with the connector's defaults
   * unless `hubspotMapping` says otherwise.
   */
  hubspotPortal?: PortalKind;
  /** Company / contact mapping for HubSpot (default: the seeded portal's mapping on a customized portal). */
  hubspotMapping?: Pick<HubSpotConfigInput, 'company' | 'contact'>;
  /** The Salesforce org's settings (session timeout, connected app, a standard org, its features...). */
  salesforceFake?: SalesforceFakeOptions;
  /** How the connector authenticates to that org; the client credentials flow, as an unattended run would, by default. */
  salesforceAuth?: (fake: SalesforceFake) => Pick<SalesforceConfigInput, 'auth' | 'secret' | 'instanceUrl'>;
  /** The Salesforce mapping (default: the customized org's; the connector's defaults on a standard org). */
  salesforceMapping?: SalesforceMappingInput;
  /**
   * `domain`: the customized CRM's mapping without its Stripe and Zendesk id fields, so those sources
   * join accounts by domain as on a CRM that holds no vendor ids (the demo); `fields` (default): by id.
   */
  joinBy?: 'fields' | 'domain';
}

/** The customized portal's / org's mapping without the Stripe and Zendesk id fields (joined by domain instead). */
const withoutBillingAndSupportIds = {
  hubspot: {
    ...seededPortalMapping,
    company: { ...seededPortalMapping.company, identities: { mixpanelGroupKey: seededPortalMapping.company.identities.mixpanelGroupKey } },
  },
  salesforce: { ...customizedOrgMapping, identity: { mixpanelGroupKey: customizedOrgMapping.identity.mixpanelGroupKey } },
};

const clientCredentials = (fake: SalesforceFake): Pick<SalesforceConfigInput, 'auth' | 'secret'> => ({
  auth: { flow: 'clientCredentials', clientId: fake.app.consumerKey, myDomainUrl: fake.instanceUrl },
  secret: JSON.stringify({ clientSecret: fake.app.consumerSecret }),
});

const fastRetry = { baseDelayMs: 5, maxDelayMs: 100, maxTotalWaitMs: 20_000 };

export async function startLocalVendors(options: LocalVendorOptions = {}): Promise<LocalVendors> {
  const scale = options.scale ?? 1000;
  const crmKind = options.crm ?? 'hubspot';
  const wanted = new Set(options.sources ?? ['stripe', 'zendesk', 'mixpanel']);
  const [stripe, zendesk, mixpanel, slackFake] = await Promise.all([
    startStripeFake({ clockScale: scale }),
    startZendeskFake({ clockScale: scale }),
    startMixpanelFake({ clockScale: scale }),
    startSlackFake(),
  ]);
  let hubspot: HubSpotFake | undefined;
  let salesforce: SalesforceFake | undefined;
  let crm: CrmConnector;
  if (crmKind === 'hubspot') {
    const portal = options.hubspotPortal ?? 'customized';
    hubspot = await startHubSpotFake({ clockScale: scale, portal });
    crm = createHubSpotConnector({
      ...(options.hubspotMapping ??
        (portal === 'customized' ? (options.joinBy === 'domain' ? withoutBillingAndSupportIds.hubspot : seededPortalMapping) : {})),
      accessToken: hubspot.token,
      basePath: hubspot.url,
      portalId: '4242',
      rateLimit: { limit: 90, windowMs: 10_000 / scale, searchLimit: 4, searchWindowMs: 1_000 / scale },
      retry: fastRetry,
    });
  } else {
    salesforce = await startSalesforceFake(options.salesforceFake);
    crm = createSalesforceConnector({
      ...(options.salesforceAuth ?? clientCredentials)(salesforce),
      retry: fastRetry,
      mapping:
        options.salesforceMapping ??
        (options.salesforceFake?.standard
          ? {}
          : options.joinBy === 'domain'
            ? withoutBillingAndSupportIds.salesforce
            : customizedOrgMapping),
    });
  }
  const sources: SignalSource[] = [];
  if (wanted.has('stripe')) {
    sources.push(
      createStripeSource({
        apiKey: stripe.apiKey,
        baseUrl: stripe.url,
        limits: { requests: 20, windowMs: 1000 / scale },
        retry: fastRetry,
      }),
    );
  }
  if (wanted.has('zendesk')) {
    sources.push(
      createZendeskSource({
        username: zendesk.username,
        apiToken: zendesk.token,
        baseUrl: zendesk.endpointUri,
        limits: { planPerMinute: 200, incrementalPerMinute: 10, windowMs: 60_000 / scale },
        retry: fastRetry,
      }),
    );
  }
  if (wanted.has('mixpanel')) {
    sources.push(
      createMixpanelSource({
        region: 'us',
        queryBaseUrl: mixpanel.queryBaseUrl,
        exportBaseUrl: mixpanel.exportBaseUrl,
        serviceAccount: mixpanel.serviceAccount,
        projectId: mixpanel.projectId,
        groupKeyProperty: mixpanel.groupKeyProperty,
        activeEvents: ['Session Start'],
        coreFeatures: [...FEATURES],
        limits: { queryWindowMs: 3_600_000 / scale, exportWindowMs: 3_600_000 / scale, exportSecondMs: 1000 / scale },
        retry: fastRetry,
      }),
    );
  }
  return {
    crmKind,
    ...(hubspot ? { hubspot } : {}),
    ...(salesforce ? { salesforce } : {}),
    stripe,
    zendesk,
    mixpanel,
    slackFake,
    crm,
    sources,
    slack: createSlackNotifier({ webhookUrl: slackFake.webhookUrl, windowMs: Math.max(1, Math.round(1000 / scale)) }),
    close: async () => {
      await Promise.all([stripe.close(), zendesk.close(), mixpanel.close(), slackFake.close(), hubspot?.close(), salesforce?.close()]);
    },
  };
}

/** The fakes' dummy credentials under the environment variables the CLI reads secrets from (each vendor's registry entry). */
export function localVendorSecrets(v: LocalVendors): Record<string, string> {
  const env = (id: string) => requireVendor(id).secret;
  return {
    ...(v.hubspot ? { [env('hubspot').env]: v.hubspot.token } : {}),
    // An access token goes under the older variable the Salesforce connector still reads.
    ...(v.salesforce ? { [env('salesforce').legacyEnv as string]: v.salesforce.accessToken } : {}),
    [env('stripe').env]: v.stripe.apiKey,
    [env('zendesk').env]: v.zendesk.token,
    [env('mixpanel').env]: v.mixpanel.serviceAccount.secret,
    [env('slack').env]: v.slackFake.webhookUrl,
  };
}

/** The run config's vendor sections (no secrets) pointing at these fakes, as a config file would hold them. */
export function localRunConfigSections(v: LocalVendors): Record<string, Record<string, unknown>> {
  return {
    // The fakes hold customized accounts: the config maps the custom fields they hold, as a user's would.
    ...(v.hubspot ? { hubspot: { basePath: v.hubspot.url, portalId: '4242', ...seededPortalMapping } } : {}),
    ...(v.salesforce ? { salesforce: { instanceUrl: v.salesforce.instanceUrl, mapping: customizedOrgMappingInput } } : {}),
    stripe: { baseUrl: v.stripe.url },
    zendesk: { username: v.zendesk.username, baseUrl: v.zendesk.endpointUri },
    mixpanel: {
      region: 'us',
      queryBaseUrl: v.mixpanel.queryBaseUrl,
      exportBaseUrl: v.mixpanel.exportBaseUrl,
      serviceAccount: { username: v.mixpanel.serviceAccount.username },
      projectId: v.mixpanel.projectId,
      activeEvents: ['Session Start'],
      coreFeatures: [...FEATURES],
    },
  };
}
