// `healthscore models show|validate|list`: read a preset, check a model file before deploying it.
import { stringify } from 'yaml';
import { ModelConfigError } from '../../lib/model/validate.ts';
import { loadModel, presetNames, readModelText } from '../../pipeline/model-files.ts';
import { type Command, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError } from '../command.ts';

const usage = `
Usage: healthscore models <list|show|validate> [NAME|FILE]

  list            the presets shipped with healthscore
  show <preset>   print a preset as YAML (copy it to start your own model)
  validate <file> check a model or model-set file; lists every problem by YAML path

Exit codes: 0 valid · 2 invalid model or usage error
`;

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list, show or validate scoring models',
  usage,
  async run(argv) {
    const { positionals } = parseCommandArgs(argv, {}, true);
    const [sub, ref, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    switch (sub) {
      case 'list':
        process.stdout.write(`${presetNames().join('\n')}\n`);
        return EXIT_OK;
      case 'show': {
        if (!ref) throw new UsageError('models show needs a preset name');
        process.stdout.write(readModelText(ref).text);
        return EXIT_OK;
      }
      case 'validate': {
        if (!ref) throw new UsageError('models validate needs a file');
        try {
          const m = loadModel(ref);
          const summary =
            'fallback' in m
              ? { set: true, default: m.fallback.id, entries: m.select.length }
              : { model: m.id, version: m.version, signals: m.signals.length, rules: m.rules.length };
          process.stdout.write(`${ref}: valid\n${stringify(summary)}`);
          return EXIT_OK;
        } catch (err) {
          if (!(err instanceof ModelConfigError)) throw err;
          process.stderr.write(`${err.message}\n${err.issues.length} problem${err.issues.length === 1 ? '' : 's'} found\n`);
          return EXIT_USAGE;
        }
      }
      default:
        throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'a subcommand is required');
    }
  },
};
