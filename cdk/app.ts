// The app the AWS CDK CLI runs: npx aws-cdk@2 deploy --app "node cdk/app.ts" (see docs/deploy.md).
// The deploy config is healthscore.deploy.yaml in the current folder, or the file named by
// `-c config=<file>` or HEALTHSCORE_DEPLOY_CONFIG.
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.ts';
import { DeployConfigError } from './deploy-config.ts';

const configPath =
  (new App().node.tryGetContext('config') as string | undefined) ?? process.env.HEALTHSCORE_DEPLOY_CONFIG ?? 'healthscore.deploy.yaml';

try {
  buildApp({ configPath }).app.synth();
} catch (err) {
  if (!(err instanceof DeployConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
