// How the handlers are bundled: locally by esbuild (no Docker), as minified ESM for Node 24, with
// the AWS SDK left to the Lambda runtime, and with code the deployment can never run left out, as
// each vendor's deploy entry says (`bundling`: the other CRM's SDK, unused API groups, transports
// we replace). The model files are copied alongside.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { vendorDeploy } from '../connectors/deploy-registry.ts';
import { vendors } from '../connectors/registry.ts';
import type { Crm } from './deploy-config.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Lambda's code root: where the bundle (and the copied models) live at run time. */
export const TASK_ROOT = '/var/task';
export const MODELS_DIR_IN_BUNDLE = `${TASK_ROOT}/models`;

/** The AWS SDK v3 ships with the nodejs24.x runtime (CDK's default for NodejsFunction); bundleAwsSdk pins ours instead. */
const RUNTIME_PROVIDED = ['@aws-sdk/*'];

/** CJS packages call require() for Node built-ins; an ESM bundle gets one from createRequire. */
export const ESM_BANNER =
  "import { createRequire as __hsCreateRequire } from 'node:module'; const require = __hsCreateRequire(import.meta.url);";

export interface BundlePlan {
  externals: string[];
  aliases: Record<string, string>;
}

/** What is left out of, or replaced in, the bundle of a deployment with this CRM. */
export function bundlePlan(crm: Crm, bundleAwsSdk = false): BundlePlan {
  const aliases: Record<string, string> = {};
  const externals = bundleAwsSdk ? [] : [...RUNTIME_PROVIDED];
  for (const v of vendors()) {
    const b = vendorDeploy(v.id).bundling;
    const rules = [b?.always, v.kind === 'crm' ? (v.id === crm ? b?.whenUsed : b?.whenUnused) : undefined];
    for (const rule of rules) {
      Object.assign(aliases, rule?.aliases?.() ?? {});
      externals.push(...(rule?.externals?.() ?? []));
    }
  }
  return { externals, aliases };
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
