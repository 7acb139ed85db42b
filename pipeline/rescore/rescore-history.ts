// `healthscore rescore --from-store`: recompute an account's stored history with another model from
// the signals each day's row kept, so trends, tier confirmation and backtests compare like with
// like after a model change. Each row keeps its day, run, sources and any CSM override; the score,
// tier, layers, drivers, model, trend, confirmed tier and change log are recomputed in day order,
// and each account's state is rebuilt from them, so the next run continues from the new model.

import { addDays } from '../../lib/days.ts';
import { confirmTier, type TierState } from '../../lib/history/confirmation.ts';
import { streakStart } from '../../lib/history/playbooks.ts';
import { trendOf } from '../../lib/history/trend.ts';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import { scoreSnapshot, selectModel, tierOf } from '../../lib/scoring/engine.ts';
import type { AccountSnapshot } from '../../lib/signals/snapshot.ts';
import { attachChanges } from '../run/change-log.ts';
import { recentDayOf } from '../run/score-accounts.ts';
import type { DynamoStore } from '../store/dynamo-store.ts';
import type { DayRecord, RecentDay } from '../store/records.ts';

export interface RescoreReport {
  accounts: number;
  rows: number;
  /** Rows whose score, or whose confirmed tier, the new model changed. */
  scoresChanged: number;
  tiersChanged: number;
  models: string[];
}

/** How many days of rescored rows each account's state keeps (as the run does). */
const RECENT_DAYS = 36;

function rescoreAccount(models: CompiledModel | CompiledModelSet, rows: DayRecord[], confirmHours?: number): DayRecord[] {
  const out: DayRecord[] = [];
  let previousState: TierState | undefined;
  let previous: DayRecord | undefined;
  for (const row of rows) {
    const snap: AccountSnapshot = { accountId: row.accountId, asOf: row.asOf ?? `${row.day}T00:00:00Z`, signals: row.signals };
    const model = 'fallback' in models ? selectModel(models, snap) : models;
    const result = scoreSnapshot(model, snap);
    // A CSM's override stands as it was; the model's own score under it is what changes.
    const overridden = row.override === 'applied';
    const score = overridden ? row.score : result.score;
    const tier = overridden && row.score !== null ? tierOf(row.score, model.tiers) : result.tier;
    const past = out.map((p) => ({ day: p.day, score: p.modelScore }));
    const trend = trendOf({ day: row.day, score: result.score }, past);
    const outage = row.staleSources.length > 0 || row.failedSources.length > 0;
    const confirmation = confirmTier(previousState, tier, row.asOf ?? row.day, outage, confirmHours);
    const { lastChange: _l, changes: _c, rebaseline: _r, ...kept } = row;
    const next: DayRecord = {
      ...kept,
      score,
      tier,
      completeness: result.completeness,
      layers: result.layers,
      drivers: overridden
        ? [...row.drivers.filter((d) => d.kind === 'rule' && d.id === 'manual_override'), ...result.drivers]
        : result.drivers,
      rules: overridden ? ['manual_override', ...result.rules] : result.rules,
      flags: result.flags,
      model: result.model,
      modelVersion: result.modelVersion,
      modelScore: result.score,
      tierState: confirmation.state,
      change7d: trend.change7d,
      change30d: trend.change30d,
      urgentDrop: trend.urgentDrop,
      urgentSince: streakStart(trend.urgentDrop !== null, previous?.urgentSince, row.asOf ?? row.day),
      renewalRiskSince: streakStart(result.flags.includes('renewal_risk'), previous?.renewalRiskSince, row.asOf ?? row.day),
    };
    out.push(next);
    previousState = confirmation.state;
    previous = next;
  }
  const byKey = new Map(out.map((r) => [`${r.accountId}#${r.day}`, r]));
  out.forEach((r, i) => {
    const before = out[i - 1];
    attachChanges([r], byKey, new Map(before ? [[r.accountId, before.day]] : []));
  });
  return out;
}

function recentOf(rows: readonly DayRecord[]): RecentDay[] {
  const last = rows.at(-1);
  if (!last) return [];
  const from = addDays(last.day, -RECENT_DAYS);
  return rows.filter((r) => r.day >= from).map(recentDayOf);
}

/** Rescores every stored row with `models`, writes the rows back and rebuilds each account's recent history. */
export async function rescoreFromStore(
  store: DynamoStore,
  models: CompiledModel | CompiledModelSet,
  options: { confirmHours?: number } = {},
): Promise<RescoreReport> {
  const byAccount = new Map<string, DayRecord[]>();
  for await (const r of store.allDays()) {
    const list = byAccount.get(r.accountId) ?? [];
    list.push(r);
    byAccount.set(r.accountId, list);
  }
  const report: RescoreReport = { accounts: byAccount.size, rows: 0, scoresChanged: 0, tiersChanged: 0, models: [] };
  const seen = new Set<string>();
  const states = await store.getStates([...byAccount.keys()]);
  for (const [accountId, rows] of byAccount) {
    rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    const rescored = rescoreAccount(models, rows, options.confirmHours);
    rescored.forEach((r, i) => {
      const was = rows[i] as DayRecord;
      if (r.score !== was.score) report.scoresChanged++;
      if (r.tierState.confirmed !== was.tierState.confirmed) report.tiersChanged++;
      seen.add(`${r.model}@${r.modelVersion}`);
    });
    report.rows += rescored.length;
    await store.putDays(rescored);
    const state = states.get(accountId);
    if (state) await store.putStates([{ ...state, recent: recentOf(rescored) }]);
  }
  report.models = [...seen].sort();
  return report;
}
