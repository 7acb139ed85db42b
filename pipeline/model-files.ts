// Finds and loads models: a preset by name (models/<name>.yaml) or a model / model-set file by
// path. Model-set entries are resolved relative to the set's own file.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompiledModel, type CompiledModelSet, compileModel, compileModelSet } from '../lib/model/compile.ts';
import { ModelConfigError, parseModelFile } from '../lib/model/validate.ts';

/** Where the presets live; HEALTHSCORE_MODELS_DIR overrides it (e.g. inside a Lambda bundle). */
export function presetsDir(): string {
  return process.env.HEALTHSCORE_MODELS_DIR ?? fileURLToPath(new URL('../models/', import.meta.url));
}

export function presetNames(): string[] {
  return readdirSync(presetsDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

const isPresetName = (ref: string) => /^[a-z][a-z0-9-]*$/.test(ref) && !ref.includes('/');

/** The text of a preset or model file, with the name messages should use for it. */
export function readModelText(ref: string, baseDir = process.cwd()): { text: string; source: string; path: string } {
  const path = isPresetName(ref) ? resolve(presetsDir(), `${ref}.yaml`) : resolve(baseDir, ref);
  try {
    return { text: readFileSync(path, 'utf8'), source: isPresetName(ref) ? `preset ${ref}` : ref, path };
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    const hint = isPresetName(ref) ? ` (presets: ${presetNames().join(', ')}; or give a path to a model file)` : '';
    throw new ModelConfigError(ref, [{ path: '', message: `model ${why}${hint}` }]);
  }
}

export function loadModel(ref: string, baseDir = process.cwd(), seen: string[] = []): CompiledModel | CompiledModelSet {
  const { text, source, path } = readModelText(ref, baseDir);
  if (seen.includes(path))
    throw new ModelConfigError(source, [{ path: '', message: `model set refers to itself (${[...seen, path].join(' → ')})` }]);
  const file = parseModelFile(text, source);
  if (file.kind === 'model') return compileModel(file.model);
  return compileModelSet(file.set, (inner) => {
    const m = loadModel(inner, dirname(path), [...seen, path]);
    if ('fallback' in m)
      throw new ModelConfigError(source, [{ path: '', message: `'${inner}' is a model set; a set may only name models` }]);
    return m;
  });
}

export function modelLabel(m: CompiledModel | CompiledModelSet): string {
  return 'fallback' in m ? `model set (default ${m.fallback.id})` : m.id;
}
