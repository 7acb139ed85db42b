// Zendesk's deploy entry: node-zendesk's transport replaced by the platform's fetch in every bundle.
import { stubPath, type VendorDeploy } from '../shared/vendor-deploy.ts';

export const zendeskDeploy: VendorDeploy<'zendesk'> = {
  id: 'zendesk',
  // node-zendesk's default transport (cross-fetch → node-fetch) is replaced by the platform's fetch.
  bundling: { always: { aliases: () => ({ 'cross-fetch': stubPath(import.meta.url, './bundle-stubs/native-fetch.ts') }) } },
};
