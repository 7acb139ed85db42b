// What every CLI command provides, and the errors that map to exit codes:
// 0 ok · 1 some input records bad (the rest processed) · 2 usage or configuration error.
import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_BAD_RECORDS = 1;
export const EXIT_USAGE = 2;

/** A whole-number option from 1 to `max`, or a usage error naming it. */
export function positiveOption(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, not '${value}'`);
  return n;
}

/** --crm, for the commands that start the local fakes. */
export function crmOption(value: string): 'hubspot' | 'salesforce' {
  if (value !== 'hubspot' && value !== 'salesforce') throw new UsageError(`--crm must be hubspot or salesforce, not '${value}'`);
  return value;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with `--help` built in and parse problems turned into UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
