// The shared helpers stay single: day arithmetic lives in lib/days.ts, batching in lib/chunk.ts and
// the wording of zod problems in lib/zod-issues.ts. A second copy written anywhere in the code (fakes
// included) fails here, naming the file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tsFilesUnder } from '../support/import-graph.ts';

const CODE = ['lib', 'connectors', 'pipeline', 'functions', 'cli', 'cdk', 'bench'].flatMap(tsFilesUnder);

function filesMatching(pattern: RegExp, except: string): string[] {
  return CODE.filter((file) => file !== except && pattern.test(readFileSync(resolve(REPO_ROOT, file), 'utf8')));
}

describe('one copy of each shared helper', () => {
  it('given the code, when searched for day arithmetic of its own (a day in ms, an ISO date cut from a timestamp), then only lib/days.ts has it', () => {
    expect(filesMatching(/86_?400_?000|toISOString\(\)\.slice\(0, 10\)|\b86_?400\b/, 'lib/days.ts')).toEqual([]);
  });

  it('given the code, when searched for a chunk function, then only lib/chunk.ts defines one', () => {
    expect(filesMatching(/function chunk\b|const chunk\s*=/, 'lib/chunk.ts')).toEqual([]);
  });

  it('given the code, when searched for zod issues mapped to text, then only lib/zod-issues.ts does it', () => {
    expect(filesMatching(/\.issues\.map\(|\.issues\[0\]\?\.message/, 'lib/zod-issues.ts')).toEqual([]);
  });
});
