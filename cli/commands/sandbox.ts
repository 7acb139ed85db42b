// `healthscore sandbox`: serves the demo's seeded vendor fakes and a local DynamoDB until Ctrl-C,
// with a run config and an env file pointing at them, so every other command (setup, run,
// run --dry-run, backtest) can be tried unchanged without a single real account.
import { isAbsolute, relative } from 'node:path';
import { startSandbox } from '../../pipeline/demo/sandbox.ts';
import { type Command, crmOption, EXIT_OK, parseCommandArgs, positiveOption } from '../command.ts';

const usage = `
Usage: healthscore sandbox [--crm hubspot|salesforce] [--accounts N] [--out DIR]

Starts local fakes of HubSpot (or Salesforce), Stripe, Zendesk, Mixpanel and Slack seeded with the
demo portfolio, and DynamoDB (dynalite), then serves them until Ctrl-C. Writes DIR/healthscore.config.yaml
(a run config pointing at them), DIR/sandbox.env (the fakes' dummy credentials: load it with
'set -a; . DIR/sandbox.env; set +a') and DIR/outcomes.jsonl (the demo's renewals and churns, for
backtest), and prints the commands to try next. Nothing leaves this machine. The fakes keep the
vendors' real rate limits, and everything is gone when the sandbox stops.

Options:
  --crm        hubspot (default) or salesforce
  --accounts   demo accounts (default 200, at most 5000)
  --out        folder for the config, env file and outcomes (default out/sandbox)
`;

const shortPath = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
};

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
const stopRequested = () =>
  new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'serve seeded local fakes of every vendor (and DynamoDB) for the other commands to try',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      crm: { type: 'string', default: 'hubspot' },
      accounts: { type: 'string', default: '200' },
      out: { type: 'string', default: 'out/sandbox' },
    });
    const crm = crmOption(values.crm);
    const accounts = positiveOption('accounts', values.accounts, 5000);
    const stop = stopRequested();
    const sandbox = await startSandbox({ crm, accounts, outDir: values.out, now: new Date() });
    try {
      const config = shortPath(sandbox.configPath);
      const crmName = crm === 'hubspot' ? 'HubSpot' : 'Salesforce';
      process.stdout.write(
        [
          `healthscore sandbox: ${crmName}, Stripe, Zendesk, Mixpanel and Slack fakes with ${accounts} demo accounts, DynamoDB (dynalite) at ${sandbox.dynamoEndpoint}`,
          `run config: ${sandbox.configPath}`,
          `env file:   ${sandbox.envPath}`,
          `outcomes:   ${sandbox.outcomesPath}`,
          '',
          'Try next, in another terminal in this folder:',
          `  set -a; . ${shortPath(sandbox.envPath)}; set +a`,
          `  npx healthscore setup --config ${config}`,
          `  npx healthscore run --config ${config} --dry-run --limit 20`,
          `  npx healthscore run --config ${config}`,
          `  npx healthscore backtest --from-store ${sandbox.tableName} --outcomes ${shortPath(sandbox.outcomesPath)} --model portfolio --horizons 30`,
          '',
          'Serving until Ctrl-C.',
          '',
        ].join('\n'),
      );
      const signal = await stop;
      process.stderr.write(`healthscore sandbox: ${signal}: stopping the fakes and DynamoDB\n`);
    } finally {
      await sandbox.close();
    }
    return EXIT_OK;
  },
};
