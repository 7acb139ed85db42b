// npm run synth [-- <deploy config>]: synthesizes the stack offline into cdk.out/ (esbuild bundles
// locally; no Docker, no network, no AWS credentials), runs the cdk-nag checks, and prints each
// function's bundle size. Without an argument it uses the example config, cdk/deploy.example.yaml.
import { join } from 'node:path';
import { buildApp } from './build-app.ts';
import { bundleSizes, formatBundleSizes } from './bundle-size.ts';
import { REPO_ROOT } from './bundling.ts';
import { cadenceWarnings } from './cadence-budget.ts';
import { DeployConfigError } from './deploy-config.ts';

const configPath = process.argv[2] ?? join(REPO_ROOT, 'cdk', 'deploy.example.yaml');
const outdir = join(REPO_ROOT, 'cdk.out');

try {
  const { app, stack, config } = buildApp({ configPath, outdir });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const c = stack.concurrency;
  console.log(`synthesized ${stack.stackName} from ${config.source}`);
  console.log(`  template: ${join(outdir, artifact.templateFile)}`);
  console.log('  cdk-nag (AwsSolutions, Serverless): no unacknowledged findings');
  console.log(
    `  MaxConcurrency ${c.maxConcurrency} (limited by ${c.limitedBy}); ~${c.crmCallsPerBatch} ${config.crm} calls per batch of ${config.batchSize}, ` +
      `${c.crmCallsPossible} possible per worker in ${c.workSeconds} s`,
  );
  console.log(
    `  schedule ${config.schedule.expression}: ${config.cadenceOfSchedule.runsPerDay} run(s) a day, each stopped after ${config.runTimeoutMinutes} min`,
  );
  for (const w of cadenceWarnings(config, c.crmCallsPerBatch)) console.warn(`warning: ${w}`);
  console.log('bundle sizes:');
  console.log(formatBundleSizes(bundleSizes(outdir, artifact.stackName, artifact.template)));
} catch (err) {
  if (!(err instanceof DeployConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
