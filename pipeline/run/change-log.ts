// The change log (scoring-method.md §4: what moved, by how much, when): each run's rows get what
// changed against the previous day and 7 days ago, and the score's last change — computed against
// the previous run when the score moved, carried from it otherwise — which the CRM shows as
// "Last health change". The comparison rows are read in one batch per run's batch.

import { addDays } from '../../lib/days.ts';
import { before } from '../../lib/history/run-days.ts';
import { lastYearDay } from '../../lib/history/seasonal.ts';
import { type ChangeSide, whatChanged } from '../../lib/history/what-changed.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { AccountState, DayRecord } from '../store/records.ts';

const side = (r: DayRecord): ChangeSide => ({
  day: r.day,
  score: r.score,
  model: r.model,
  modelVersion: r.modelVersion,
  signals: r.signals,
  drivers: r.drivers,
});

/** Reads the rows a batch's records are compared with: the previous run's day, the day before, 7 days before. */
export async function comparisonRows(
  store: DynamoStore,
  states: Map<string, AccountState>,
  ids: readonly string[],
  day: string,
  runId: string,
): Promise<{ rows: Map<string, DayRecord>; previousRunDay: Map<string, string> }> {
  const previousRunDay = new Map<string, string>();
  const keys: { accountId: string; day: string }[] = [];
  for (const id of ids) {
    const last = before(states.get(id)?.recent ?? [], runId).at(-1);
    if (last) {
      previousRunDay.set(id, last.day);
      keys.push({ accountId: id, day: last.day });
    }
    keys.push({ accountId: id, day: addDays(day, -1) }, { accountId: id, day: addDays(day, -7) });
  }
  return { rows: await store.getDays(keys), previousRunDay };
}

/** Each account's stored usage trend 52 weeks before `day` (for models with a seasonal baseline). */
export async function lastYearTrends(store: DynamoStore, ids: readonly string[], day: string): Promise<Map<string, SignalValue>> {
  const then = lastYearDay(day);
  const rows = await store.getDays(ids.map((accountId) => ({ accountId, day: then })));
  const out = new Map<string, SignalValue>();
  for (const r of rows.values()) {
    const v = r.signals['usage.trend14d'];
    if (v !== undefined && v !== null) out.set(r.accountId, v);
  }
  return out;
}

/** Adds `changes` and `lastChange` to each record (pure, given the comparison rows). */
export function attachChanges(records: DayRecord[], rows: Map<string, DayRecord>, previousRunDay: Map<string, string>): void {
  for (const r of records) {
    const at = (day: string | undefined) => (day === undefined ? undefined : rows.get(`${r.accountId}#${day}`));
    const previousDay = at(addDays(r.day, -1));
    const week = at(addDays(r.day, -7));
    const changes: NonNullable<DayRecord['changes']> = {};
    if (previousDay) changes.previousDay = whatChanged(side(previousDay), side(r));
    if (week) changes.week = whatChanged(side(week), side(r));
    if (changes.previousDay || changes.week) r.changes = changes;
    // The previous run's row; a retried run may find its own row there, which already holds its answer.
    const previous = at(previousRunDay.get(r.accountId));
    if (previous?.runId === r.runId) {
      if (previous.lastChange) r.lastChange = previous.lastChange;
    } else if (previous && previous.score !== r.score) {
      r.lastChange = whatChanged(side(previous), side(r));
    } else if (previous?.lastChange) {
      r.lastChange = previous.lastChange;
    }
  }
}
