// `run --dry-run`'s view of a write: the company properties writeScores would send (the same
// change detection and formatting), beside the values HubSpot holds now, read in batches of 100.
// Read calls only.
import { changedProperties, type PropertyChange, type ScoreWrite, type WritePreview } from '../shared/crm.ts';
import { batchRead } from './api.ts';
import type { HubSpotCaller } from './client.ts';
import { scorePropertyNames } from './config.ts';
import { toHubSpotProperties } from './writer.ts';

export async function previewHubSpotWrites(
  caller: HubSpotCaller,
  rows: readonly ScoreWrite[],
  signal?: AbortSignal,
): Promise<WritePreview[]> {
  const ids = rows.map((r) => r.accountId);
  const page = await batchRead(caller, 'companies', ids, Object.values(scorePropertyNames), [], signal);
  const current = new Map<string, Record<string, string | null>>();
  for (const raw of page.records) {
    const r = raw as { id?: unknown; properties?: Record<string, string | null> };
    if (typeof r.id === 'string') current.set(r.id, r.properties ?? {});
  }
  return rows.map((row) => {
    const keys = changedProperties(row.values, row.previous);
    const outgoing = toHubSpotProperties(row.values, keys);
    const now = current.get(row.accountId) ?? {};
    const changes: PropertyChange[] = keys.map((key) => {
      const property = scorePropertyNames[key];
      // HubSpot clears a property sent as "" (it reads back as null): show what the CRM will hold.
      const to = outgoing[property];
      return { key, property, from: now[property] ?? null, to: to === undefined || to === '' ? null : to };
    });
    return { accountId: row.accountId, changes };
  });
}
