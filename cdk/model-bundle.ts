// The scoring model a deployment runs: validated at synth (a broken model fails `cdk synth`, not the
// first run), and, for a model file, the files to copy into the bundle — the file itself and, for a
// model set, the model files it names — with the path HEALTHSCORE_CONFIG.model points at.
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseModelFile } from '../lib/model/validate.ts';
import { loadModel } from '../pipeline/model-files.ts';
import type { CopiedFile } from './bundling.ts';
import { TASK_ROOT } from './bundling.ts';
import { type DeployConfig, DeployConfigError } from './deploy-config.ts';

export interface ModelBundle {
  /** HEALTHSCORE_CONFIG.model: the preset name, or the model file's path inside the bundle. */
  ref: string;
  copies: CopiedFile[];
}

/** Same rule as pipeline/model-files.ts: a bare lower-case name is a preset in models/. */
const isPresetName = (ref: string) => /^[a-z][a-z0-9-]*$/.test(ref);

export function modelBundle(c: DeployConfig): ModelBundle {
  const { model } = c;
  try {
    loadModel(model.ref);
  } catch (err) {
    throw new DeployConfigError(c.source, [`model: ${(err as Error).message.replaceAll('\n', '; ')}`]);
  }
  if (model.kind === 'preset') return { ref: model.ref, copies: [] };

  const top = model.ref;
  const files = [top];
  const file = parseModelFile(readFileSync(top, 'utf8'), top);
  if (file.kind === 'set')
    for (const ref of [...file.set.select.map((s) => s.model), file.set.default])
      if (!isPresetName(ref)) files.push(isAbsolute(ref) ? ref : resolve(dirname(top), ref));

  const copies: CopiedFile[] = [];
  for (const from of new Set(files)) {
    const rel = relative(dirname(top), from);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new DeployConfigError(c.source, [
        `model: ${basename(top)} names ${from}, outside its own folder; keep a model set's files next to it (or in a subfolder)`,
      ]);
    copies.push({ from, to: `model/${rel}` });
  }
  return { ref: `${TASK_ROOT}/model/${basename(top)}`, copies };
}
