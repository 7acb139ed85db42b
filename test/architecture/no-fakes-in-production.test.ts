// Production code never imports a vendor fake: from the Lambda handlers, the run and store layers
// and the CLI commands that talk to real vendors, no chain of imports reaches a `fake/` folder. The
// demo, the sandbox, the bench and the tests may use fakes and are not entries here.
import { describe, expect, it } from 'vitest';
import { reachableFrom, tsFilesUnder } from '../support/import-graph.ts';

const PRODUCTION_ENTRIES = [
  ...tsFilesUnder('functions'),
  ...tsFilesUnder('pipeline/run'),
  ...tsFilesUnder('pipeline/store'),
  // `setup` is defined beside `run` in cli/commands/run.ts.
  ...['score', 'models', 'run', 'backtest'].map((name) => `cli/commands/${name}.ts`),
];

const isFake = (path: string) => path.split('/').includes('fake');

function pathsIntoFakes(entries: readonly string[]): string[] {
  return [...reachableFrom(entries).entries()].filter(([file]) => isFake(file)).map(([, chain]) => chain.join(' → '));
}

describe('production code and the vendor fakes', () => {
  it('given the handlers, the run and store layers and the real-vendor CLI commands, when their imports are walked, then no path reaches a fake/ folder', () => {
    expect(PRODUCTION_ENTRIES.length).toBeGreaterThan(20);
    expect(pathsIntoFakes(PRODUCTION_ENTRIES)).toEqual([]);
  });

  it('given the local demo, which starts every fake, when its imports are walked, then the walk finds the fakes (the check can see them)', () => {
    const found = pathsIntoFakes(['pipeline/demo/local-vendors.ts']);
    for (const vendor of ['hubspot', 'salesforce', 'stripe', 'zendesk', 'mixpanel', 'slack']) {
      expect(found.some((chain) => chain.endsWith(`connectors/${vendor}/fake/server.ts`))).toBe(true);
    }
  });

  it('given every connector, when its files are listed, then each fake file sits in a fake/ folder', () => {
    const strays = tsFilesUnder('connectors').filter((path) => /(^|\/)fake-[^/]*\.ts$/.test(path));
    expect(strays).toEqual([]);
  });
});
