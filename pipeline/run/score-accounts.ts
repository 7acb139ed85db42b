// Scoring one batch's accounts: each account's snapshot scored with its model, the CSM's override
// applied, trend and confirmed tier derived from its recent history. Pure (no I/O): the run and
// `run --dry-run` share it, so a preview scores exactly as the run it previews.

import { addDays, isoDay } from '../../lib/days.ts';
import { confirmTier } from '../../lib/history/confirmation.ts';
import { applyOverride } from '../../lib/history/override.ts';
import { streakStart } from '../../lib/history/playbooks.ts';
import { before, latestPerDay } from '../../lib/history/run-days.ts';
import { seasonalSentence, seasonalSignals } from '../../lib/history/seasonal.ts';
import { trendOf } from '../../lib/history/trend.ts';
import { eventStreaks, type UrgentEvent } from '../../lib/history/urgent-events.ts';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import { points } from '../../lib/scoring/driver-text.ts';
import { scoreSnapshot, selectModel } from '../../lib/scoring/engine.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { AccountSnapshot } from '../../lib/signals/snapshot.ts';
import type { AccountState, BatchSummary, DayRecord, PlannedBatch, RecentDay } from '../store/records.ts';
import type { GatheredAccount } from './gather-signals.ts';

function pickModel(models: CompiledModel | CompiledModelSet, snap: AccountSnapshot): CompiledModel {
  return 'fallback' in models ? selectModel(models, snap) : models;
}

/**
 * Each account's runs before run `runId` that trend and confirmation read, from its stored state:
 * one per earlier day, plus an earlier run of the same day when there was one (the previous run is last).
 */
export function recentHistories(
  states: Map<string, AccountState>,
  ids: readonly string[],
  day: string,
  runId: string,
): Map<string, RecentDay[]> {
  // 36 days: the 30-day change may look up to 5 days further back for a missing day.
  const windowStart = addDays(day, -36);
  return new Map(ids.map((id) => [id, before(states.get(id)?.recent ?? [], runId).filter((r) => r.day <= day && r.day >= windowStart)]));
}

/** Scores `accounts` from their gathered signals and recent history; counts into `summary`. */
export function scoreAccounts(
  models: CompiledModel | CompiledModelSet,
  accounts: PlannedBatch['accounts'],
  gathered: Map<string, GatheredAccount>,
  histories: Map<string, RecentDay[]>,
  at: {
    asOf: Date;
    runId: string;
    confirmHours?: number | undefined;
    urgentEvents?: readonly UrgentEvent[] | undefined;
    /** Each account's usage trend 52 weeks ago, for models with a seasonal baseline. */
    lastYearTrend?: Map<string, SignalValue> | undefined;
  },
  summary: BatchSummary,
): DayRecord[] {
  const day = isoDay(at.asOf);
  const instant = at.asOf.toISOString();
  const records: DayRecord[] = [];
  for (const account of accounts) {
    const g = gathered.get(account.accountId);
    if (!g) continue;
    const snap: AccountSnapshot = {
      accountId: account.accountId,
      asOf: at.asOf.toISOString(),
      signals: g.signals,
      ...(account.segment ? { segment: account.segment } : {}),
    };
    const model = pickModel(models, snap);
    const season = model.config.seasonalBaseline
      ? seasonalSignals(g.signals, at.lastYearTrend?.get(account.accountId), day)
      : { signals: g.signals };
    let scored: ReturnType<typeof scoreSnapshot>;
    try {
      scored = scoreSnapshot(model, season.seasonal ? { ...snap, signals: season.signals } : snap);
    } catch (err) {
      summary.dataErrors.push({ accountId: account.accountId, error: (err as Error).message });
      continue;
    }
    const reading = season.seasonal;
    // The trend driver says it was read against last year ("…, in line with last January").
    if (reading)
      scored = {
        ...scored,
        drivers: scored.drivers.map((d) =>
          d.kind === 'signal' && d.key === 'usage.trend14d' ? { ...d, text: `${seasonalSentence(reading)} (${points(d.impact)})` } : d,
        ),
      };
    const overridden = applyOverride(scored, account.override, day, model.tiers);
    if (overridden.status === 'applied') summary.overrides.applied++;
    if (overridden.status === 'expired') summary.overrides.expired++;
    const result = overridden.result;
    const past = histories.get(account.accountId) ?? [];
    const previous = past.at(-1);
    // Trends follow the model, not a CSM's override: setting or ending one is not a "drop".
    const modelId = `${result.model}@${result.modelVersion}`;
    const sameModel = past.filter((p) => p.day < day && (p.model === undefined || p.model === modelId));
    const trend = trendOf(
      { day, score: overridden.modelScore },
      latestPerDay(sameModel).map((p) => ({ day: p.day, score: p.modelScore === undefined ? p.score : p.modelScore })),
    );
    const outage = g.staleSources.length > 0 || g.failedSources.length > 0;
    let confirmation = confirmTier(previous?.tierState, result.tier, instant, outage, at.confirmHours);
    // A new model (id or version) re-baselines: the tier it reads is the tier, recorded but not a change to alert on.
    let rebaseline: DayRecord['rebaseline'];
    if (previous?.model !== undefined && previous.model !== modelId) {
      const from = previous.tierState.confirmed;
      const settled = result.tier === 'unknown' ? from : result.tier;
      confirmation = {
        state: {
          confirmed: settled,
          confirmedSince: settled === from ? previous.tierState.confirmedSince : day,
          pending: null,
          pendingRuns: 0,
        },
        change: null,
      };
      if (settled !== from) {
        rebaseline = { fromModel: previous.model, toModel: modelId, fromTier: from, toTier: settled };
        summary.rebaselined = (summary.rebaselined ?? 0) + 1;
      }
    }
    if (confirmation.change) {
      const key = `${confirmation.change.from}>${confirmation.change.to}`;
      summary.movements[key] = (summary.movements[key] ?? 0) + 1;
    }
    if (g.staleSources.length) summary.staleAccounts++;
    summary.scored++;
    if (result.score === null) summary.unknown++;
    summary.tiers[confirmation.state.confirmed]++;
    const events = at.urgentEvents?.length ? eventStreaks(at.urgentEvents, g.signals, previous?.eventsSince, instant) : {};
    records.push({
      accountId: account.accountId,
      day,
      runId: at.runId,
      asOf: instant,
      score: result.score,
      tier: result.tier,
      completeness: result.completeness,
      layers: result.layers,
      drivers: result.drivers,
      rules: result.rules,
      flags: result.flags,
      signals: g.signals,
      staleSources: g.staleSources,
      failedSources: g.failedSources,
      model: result.model,
      modelVersion: result.modelVersion,
      modelScore: overridden.modelScore,
      override: overridden.status,
      tierState: confirmation.state,
      change7d: trend.change7d,
      change30d: trend.change30d,
      urgentDrop: trend.urgentDrop,
      urgentSince: streakStart(trend.urgentDrop !== null, previous?.urgentSince, instant),
      renewalRiskSince: streakStart(result.flags.includes('renewal_risk'), previous?.renewalRiskSince, instant),
      ...(rebaseline ? { rebaseline } : {}),
      ...(reading ? { seasonal: reading } : {}),
      ...(Object.keys(events).length > 0 ? { eventsSince: events } : {}),
    });
  }
  return records;
}

/** The part of a day's result the account's state keeps for later runs (trend, confirmation, alert edges). */
export function recentDayOf(r: DayRecord): RecentDay & { runId: string } {
  return {
    day: r.day,
    runId: r.runId,
    ...(r.asOf ? { asOf: r.asOf } : {}),
    model: `${r.model}@${r.modelVersion}`,
    score: r.score,
    modelScore: r.modelScore,
    flags: r.flags,
    urgentDrop: r.urgentDrop,
    urgentSince: r.urgentSince,
    renewalRiskSince: r.renewalRiskSince,
    ...(r.eventsSince ? { eventsSince: r.eventsSince } : {}),
    tierState: r.tierState,
  };
}
