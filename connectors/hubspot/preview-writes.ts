// `run --dry-run`'s view of a write: the company properties writeScores would send (the same change
// detection and formatting), beside the values HubSpot holds now, read in batches of 100.
// Read calls only.
import { type ScoreWrite, type WritePreview, writePreviews } from '../shared/crm.ts';
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
  const current = new Map<string, Record<string, unknown>>();
  for (const raw of page.records) {
    const r = raw as { id?: unknown; properties?: Record<string, string | null> };
    if (typeof r.id === 'string') current.set(r.id, r.properties ?? {});
  }
  return writePreviews(rows, current, (key) => scorePropertyNames[key], toHubSpotProperties);
}
