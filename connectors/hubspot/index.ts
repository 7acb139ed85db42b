// The HubSpot connector's public surface for the run orchestration, the CLI and the demo.

export {
  type ContactMarker,
  type HubSpotChurnConfig,
  type HubSpotConfig,
  type HubSpotConfigInput,
  type HubSpotScopeConfig,
  hubSpotConfigSchema,
  parseHubSpotConfig,
  scorePropertyGroup,
  scorePropertyNames,
} from './config.ts';
export { createHubSpotConnector } from './connector.ts';
export { championMemoryKey } from './source.ts';
