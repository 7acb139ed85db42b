// The model example in the README is a model a RevOps lead can copy: it must validate as written.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseModelFile } from '../../lib/model/validate.ts';

describe('README', () => {
  it('given the model example in the README, when validated, then it is a valid model', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /```yaml\n(id: my-model[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(parseModelFile(example as string, 'README.md').kind).toBe('model');
  });
});
