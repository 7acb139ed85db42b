// The organization directory the plan matches domains against: kept page by page from the
// incremental organization export, so a changed domain replaces the old one and a deleted
// organization leaves it.
import { describe, expect, it } from 'vitest';
import { readDirectory, recordOrganizations } from '../../../connectors/zendesk/org-directory.ts';
import { MemoryStateStore } from '../../support/memory-state-store.ts';

describe('the Zendesk organization directory', () => {
  it('given organizations exported over several pages, when one changes its domain and one is deleted, then the directory holds the latest of each', async () => {
    const state = new MemoryStateStore();
    await recordOrganizations(state, [
      { id: 1, name: 'Acme', domains: ['acme.com'], deleted: false },
      { id: 65, name: 'Beta', domains: ['beta.com', 'beta.io'], deleted: false },
    ]);
    await recordOrganizations(state, [{ id: 129, name: 'Gamma', domains: [], deleted: false }]);
    await recordOrganizations(state, [
      { id: 1, name: 'Acme Inc', domains: ['acme.io'], deleted: false },
      { id: 65, name: 'Beta', domains: ['beta.com'], deleted: true },
    ]);
    expect(await readDirectory(state)).toEqual([
      { id: '1', domains: ['acme.io'], label: 'Acme Inc' },
      { id: '129', domains: [], label: 'Gamma' },
    ]);
  });
});
