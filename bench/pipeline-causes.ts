// Why a run wrote to the CRM although no vendor changed: for the companies whose score properties
// changed, the stored results of that day and the day before side by side — did the score, tier, drivers or flags move,
// and which input signals differ (time moving on changes "days since" signals even in a frozen world).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { toScoreProperties } from '../pipeline/run/deliver.ts';
import { DynamoStore } from '../pipeline/store/dynamo-store.ts';
import type { DayRecord } from '../pipeline/store/records.ts';

export interface Causes {
  /** How many changed companies were examined (at most SAMPLE). */
  examined: number;
  /** Per written property's source field: how many examined companies it differed for. */
  fields: Record<string, number>;
  /** Input signals that differ between the days, most frequent first: [key, value changed, appeared, disappeared]. */
  signals: [string, number, number, number][];
  /** One example per differing field: account, day 1 value, day 2 value. */
  examples: { field: string; accountId: string; before: string; after: string }[];
}

const SAMPLE = 2000;
const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v));

/** The score properties a record writes (pipeline/run/deliver.ts), without the run's timestamp. */
function fieldsOf(r: DayRecord): Record<string, unknown> {
  const { updatedAt: _at, ...values } = toScoreProperties(r, new Date(0));
  return values;
}

export async function scoreChangeCauses(
  client: DynamoDBClient,
  tableName: string,
  accountIds: readonly string[],
  [day1, day2]: [string, string],
): Promise<Causes> {
  const store = new DynamoStore(client, { tableName });
  const sample = accountIds.slice(0, SAMPLE);
  const histories = await store.historyMany(sample, day1, day2);
  const fields: Record<string, number> = {};
  const signals = new Map<string, [number, number, number]>();
  const examples: Causes['examples'] = [];
  for (const id of sample) {
    const days = histories.get(id) ?? [];
    const before = days.find((d) => d.day === day1);
    const after = days.find((d) => d.day === day2);
    if (!before || !after) continue;
    const a = fieldsOf(before);
    const b = fieldsOf(after);
    for (const k of Object.keys(a)) {
      if (show(a[k]) === show(b[k])) continue;
      fields[k] = (fields[k] ?? 0) + 1;
      if (!examples.some((e) => e.field === k)) examples.push({ field: k, accountId: id, before: show(a[k]), after: show(b[k]) });
    }
    for (const key of new Set([...Object.keys(before.signals), ...Object.keys(after.signals)])) {
      const [b, a] = [before.signals[key], after.signals[key]];
      if (show(b) === show(a)) continue;
      const counts = signals.get(key) ?? [0, 0, 0];
      counts[b === undefined ? 1 : a === undefined ? 2 : 0]++;
      signals.set(key, counts);
    }
  }
  const total = (c: [number, number, number]) => c[0] + c[1] + c[2];
  return {
    examined: sample.length,
    fields,
    signals: [...signals].sort((x, y) => total(y[1]) - total(x[1])).map(([k, c]) => [k, ...c]),
    examples,
  };
}
