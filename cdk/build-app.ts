// Builds the CDK app from a deploy config: the healthscore stack, with cdk-nag's AWS Solutions and
// Serverless packs registered as validation plugins, so any unacknowledged finding fails synthesis.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { type DeployConfig, loadDeployConfig } from './deploy-config.ts';
import { HealthscoreStack } from './healthscore-stack.ts';

export interface BuildOptions {
  /** The deploy config file (YAML). */
  configPath: string;
  /** Where the cloud assembly goes; the CDK CLI passes its own (CDK_OUTDIR). */
  outdir?: string;
  /** false: skip esbuild (templates only, for tests that do not look at the code). */
  bundling?: boolean;
}

export interface BuiltApp {
  app: App;
  stack: HealthscoreStack;
  config: DeployConfig;
}

export function buildApp(options: BuildOptions): BuiltApp {
  const config = loadDeployConfig(options.configPath);
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.bundling === false ? { context: { 'aws:cdk:bundling-stacks': [] } } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const stack = new HealthscoreStack(app, config.stackName, {
    config,
    description: 'healthscore: customer health scores from the CRM, billing, support and product analytics',
    ...(config.env
      ? {
          env: {
            ...(config.env.account ? { account: config.env.account } : {}),
            ...(config.env.region ? { region: config.env.region } : {}),
          },
        }
      : {}),
  });
  return { app, stack, config };
}
