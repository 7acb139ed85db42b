// Walks the project's own import graph (relative specifiers, static and dynamic imports) from a set
// of entry files, so architecture tests can ask which modules production code can reach.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

/** The repository-relative paths a file imports (type-only imports included: they name a dependency too). */
export function importsOf(file: string): string[] {
  const source = readFileSync(resolve(REPO_ROOT, file), 'utf8');
  const out: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const target = resolve(REPO_ROOT, dirname(file), match[2] as string);
    if (existsSync(target)) out.push(relative(REPO_ROOT, target));
  }
  return out;
}

/** Every `.ts` file under a repository-relative folder (recursively). */
export function tsFilesUnder(folder: string): string[] {
  const abs = resolve(REPO_ROOT, folder);
  const out: string[] = [];
  for (const name of readdirSync(abs)) {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) out.push(...tsFilesUnder(relative(REPO_ROOT, path)));
    else if (name.endsWith('.ts')) out.push(relative(REPO_ROOT, path));
  }
  return out.sort();
}

/**
 * Every module reachable from the entries, each with the chain of imports that reaches it
 * (entry first), so a failure names the path to fix.
 */
export function reachableFrom(entries: readonly string[]): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  const queue: string[] = [];
  for (const entry of entries) {
    chains.set(entry, [entry]);
    queue.push(entry);
  }
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const chain = chains.get(file) ?? [file];
    for (const target of importsOf(file)) {
      if (chains.has(target)) continue;
      chains.set(target, [...chain, target]);
      queue.push(target);
    }
  }
  return chains;
}
