// What the Lambda bundler leaves out for HubSpot: in a HubSpot deployment, the SDK's API groups the
// connector never reaches and the SDK's optional limiter and multipart support; in any other, the
// whole SDK. cdk/bundling.ts applies it through the registry entry.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { stubPath, type VendorBundling } from '../shared/vendor-deploy.ts';

/**
 * The HubSpot SDK's lazily required API groups the connector reaches (client.crm.companies,
 * .associations.v4, .objects (batch) and .objects.tasks, .properties). Every other lazy require is
 * left external: never loaded, so never needed. test/cdk/bundle.test.ts checks the connector's uses.
 */
export const HUBSPOT_KEPT: Record<string, readonly string[]> = {
  'src/client.js': ['crm'],
  'src/discovery/crm/CrmDiscovery.js': ['associations', 'companies', 'objects', 'properties'],
  'src/discovery/crm/associations/AssociationsDiscovery.js': ['v4'],
  'src/discovery/crm/associations/v4/AssociationsDiscovery.js': [],
  'src/discovery/crm/objects/ObjectsDiscovery.js': ['tasks'],
};

/** The lazy `get x() { … require('./path') … }` accessors of one SDK file: getter name → required path. */
export function lazyRequires(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/get (\w+)\(\) \{[^}]*?require\('(\.\/[^']+)'\)/g)) out.set(m[1] as string, m[2] as string);
  return out;
}

/** The import paths (as written in the SDK) of the HubSpot API groups left out of the bundle. */
export function unusedHubSpotGroups(): string[] {
  const libDir = dirname(createRequire(import.meta.url).resolve('@hubspot/api-client'));
  const out: string[] = [];
  for (const [file, kept] of Object.entries(HUBSPOT_KEPT)) {
    const getters = lazyRequires(readFileSync(join(libDir, file), 'utf8'));
    if (getters.size === 0)
      throw new Error(`@hubspot/api-client: no lazy API groups found in ${file}; the SDK changed, review connectors/hubspot/bundle.ts`);
    for (const name of kept)
      if (!getters.has(name)) throw new Error(`@hubspot/api-client: ${file} no longer has the '${name}' group the connector uses`);
    for (const [name, path] of getters) if (!kept.includes(name)) out.push(path);
  }
  return out;
}

export const hubspotBundling: VendorBundling = {
  whenUsed: {
    aliases: () => ({
      'form-data': stubPath(import.meta.url, './bundle-stubs/no-form-data.ts'),
      bottleneck: stubPath(import.meta.url, './bundle-stubs/no-bottleneck.ts'),
    }),
    externals: unusedHubSpotGroups,
  },
  whenUnused: { aliases: () => ({ '@hubspot/api-client': stubPath(import.meta.url, './bundle-stubs/not-bundled.ts') }) },
};
