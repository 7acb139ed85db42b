// The `healthscore` command line: dispatches to one command per file in cli/commands/.
import { ModelConfigError } from '../lib/model/validate.ts';
import { type Command, EXIT_USAGE, UsageError } from './command.ts';
import { backtestCommand } from './commands/backtest.ts';
import { checkCommand } from './commands/check.ts';
import { demoCommand } from './commands/demo.ts';
import { modelsCommand } from './commands/models.ts';
import { rescoreCommand } from './commands/rescore.ts';
import { runCommand, setupCommand } from './commands/run.ts';
import { sandboxCommand } from './commands/sandbox.ts';
import { scoreCommand } from './commands/score.ts';

const commands: Command[] = [
  scoreCommand,
  modelsCommand,
  demoCommand,
  sandboxCommand,
  runCommand,
  checkCommand,
  setupCommand,
  backtestCommand,
  rescoreCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'healthscore - customer health scores from your CRM, billing, support and usage data',
    '',
    'Usage: healthscore <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'healthscore <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`healthscore: unknown command '${name}'\n\n${help()}\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage.trim()}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`healthscore ${name}: ${err.message}\n\n${command.usage.trim()}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof ModelConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
