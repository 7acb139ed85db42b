// Outside connectors/, a vendor's id is written only where a user types it (CLI flags and help,
// config examples, docs): the run, the store, the handlers and the stack learn vendors from the
// registry. Comments are not code and are not searched.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tsFilesUnder } from '../support/import-graph.ts';

/** The built-in vendors' ids, written out here on purpose: the test must not trust the registry it checks. */
const VENDOR_IDS = ['hubspot', 'salesforce', 'stripe', 'zendesk', 'mixpanel', 'slack'];

/**
 * Alerts still name their one channel: the outbox record stores `owes: 'slack'` and the Slack payload
 * (pipeline/store/records.ts and the schema its reads are parsed with, pipeline/store/record-schemas.ts;
 * pipeline/run/deliver.ts, pipeline/run/deps.ts). Making channels a registry kind with their own
 * payload is the e-mail / Slack channel work that follows; until then these four files are the named
 * exception.
 */
const CHANNEL_EXCEPTION = [
  'pipeline/store/records.ts',
  'pipeline/store/record-schemas.ts',
  'pipeline/run/deliver.ts',
  'pipeline/run/deps.ts',
];

const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

function vendorIdsIn(file: string): string[] {
  const code = withoutComments(readFileSync(resolve(REPO_ROOT, file), 'utf8'));
  return VENDOR_IDS.filter((id) => new RegExp(`\\b${id}\\b`, 'i').test(code)).map((id) => `${file}: ${id}`);
}

describe('vendor ids outside connectors/', () => {
  it('given the run, the store, the handlers and the stack, when their code is searched for a vendor id, then none is found outside the named channel exception', () => {
    const files = ['pipeline/run', 'pipeline/store', 'functions', 'cdk']
      .flatMap(tsFilesUnder)
      .filter((f) => !CHANNEL_EXCEPTION.includes(f));
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(vendorIdsIn)).toEqual([]);
  });

  it('given the local-fakes registry, which lists each vendor by name, when searched the same way, then the ids are found (the search can see them)', () => {
    expect(vendorIdsIn('connectors/local-fakes.ts').length).toBe(VENDOR_IDS.length);
  });
});
