// Deploy configs for the CDK tests: the shipped example as a plain object to vary, and a writer
// that puts a variant in a temporary folder (with any model files next to it).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const EXAMPLE_CONFIG = fileURLToPath(new URL('../../../cdk/deploy.example.yaml', import.meta.url));

/** The example deploy config, parsed from YAML, for a test to change. */
export function exampleRaw(): Record<string, unknown> & { run: Record<string, Record<string, unknown>> } {
  return parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));
}

/** Writes `config` (and `files`: name → text) into a fresh temporary folder; returns the config's path. */
export function writeConfig(config: unknown, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'healthscore-deploy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const path = join(dir, 'healthscore.deploy.yaml');
  writeFileSync(path, typeof config === 'string' ? config : stringify(config));
  return path;
}
