// Runs one bundled handler the way Lambda would, in this (child) process: imports the bundle's
// index.mjs, calls `handler(event, context)`, and prints one line `RESULT <json>` or `ERROR <json>`.
// Usage: node test/cdk/support/invoke-bundle.ts <index.mjs> <event as JSON>
import { pathToFileURL } from 'node:url';

const [bundle, eventJson] = process.argv.slice(2);
const started = Date.now();
const context = {
  functionName: 'bundle-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bundle-test',
  memoryLimitInMB: '1024',
  awsRequestId: '00000000-0000-4000-8000-000000000001',
  logGroupName: '/aws/lambda/bundle-test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 300_000 - (Date.now() - started),
};

try {
  const mod = (await import(pathToFileURL(String(bundle)).href)) as { handler?: (e: unknown, c: unknown) => Promise<unknown> };
  if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
  const result = eventJson === undefined ? 'loaded' : await mod.handler(JSON.parse(eventJson), context);
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (err) {
  console.log(`ERROR ${JSON.stringify({ name: (err as Error).name, message: (err as Error).message })}`);
  process.exitCode = 1;
}
