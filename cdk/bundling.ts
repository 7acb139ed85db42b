// How the handlers are bundled: locally by esbuild (no Docker), as minified ESM for Node 24, with
// the AWS SDK left to the Lambda runtime, and with code the deployment can never run left out —
// the other CRM's SDK, the HubSpot SDK's API groups the connector does not use, and node-fetch
// (node-zendesk's default transport, which we replace). The model files are copied alongside.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Crm } from './deploy-config.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const stub = (name: string) => fileURLToPath(new URL(`./bundle-stubs/${name}`, import.meta.url));

/** Lambda's code root: where the bundle (and the copied models) live at run time. */
export const TASK_ROOT = '/var/task';
export const MODELS_DIR_IN_BUNDLE = `${TASK_ROOT}/models`;

/** The AWS SDK v3 ships with the nodejs24.x runtime (CDK's default for NodejsFunction); bundleAwsSdk pins ours instead. */
const RUNTIME_PROVIDED = ['@aws-sdk/*'];

/** CJS packages call require() for Node built-ins; an ESM bundle gets one from createRequire. */
export const ESM_BANNER =
  "import { createRequire as __hsCreateRequire } from 'node:module'; const require = __hsCreateRequire(import.meta.url);";

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
      throw new Error(`@hubspot/api-client: no lazy API groups found in ${file}; the SDK changed, review cdk/bundling.ts`);
    for (const name of kept)
      if (!getters.has(name)) throw new Error(`@hubspot/api-client: ${file} no longer has the '${name}' group the connector uses`);
    for (const [name, path] of getters) if (!kept.includes(name)) out.push(path);
  }
  return out;
}

export interface BundlePlan {
  externals: string[];
  aliases: Record<string, string>;
}

/** What is left out of, or replaced in, the bundle of a deployment with this CRM. */
export function bundlePlan(crm: Crm, bundleAwsSdk = false): BundlePlan {
  const aliases: Record<string, string> = { 'cross-fetch': stub('native-fetch.ts') };
  if (crm === 'hubspot') {
    aliases.jsforce = stub('jsforce-not-bundled.ts');
    aliases['form-data'] = stub('no-form-data.ts');
    aliases.bottleneck = stub('no-bottleneck.ts');
  } else aliases['@hubspot/api-client'] = stub('hubspot-not-bundled.ts');
  return { externals: [...(bundleAwsSdk ? [] : RUNTIME_PROVIDED), ...(crm === 'hubspot' ? unusedHubSpotGroups() : [])], aliases };
}

export interface CopiedFile {
  /** Absolute path on this machine. */
  from: string;
  /** Path inside the bundle. */
  to: string;
}

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** NodejsFunction bundling for a deployment: the plan above, plus models/ and the model files copied in. */
export function lambdaBundling(crm: Crm, copies: readonly CopiedFile[], bundleAwsSdk = false): BundlingOptions {
  const plan = bundlePlan(crm, bundleAwsSdk);
  return {
    format: OutputFormat.ESM,
    target: 'node24',
    minify: true,
    sourceMap: false,
    mainFields: ['module', 'main'],
    banner: ESM_BANNER,
    externalModules: plan.externals,
    esbuildArgs: { '--alias': Object.entries(plan.aliases).map(([from, to]) => `${from}=${to}`), '--legal-comments': 'none' },
    forceDockerBundling: false,
    logLevel: LogLevel.WARNING,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => [
        `mkdir -p ${q(join(outputDir, 'models'))}`,
        `cp ${q(join(inputDir, 'models'))}/*.yaml ${q(join(outputDir, 'models'))}/`,
        ...copies.flatMap((c) => [`mkdir -p ${q(dirname(join(outputDir, c.to)))}`, `cp ${q(c.from)} ${q(join(outputDir, c.to))}`]),
      ],
    },
  };
}
