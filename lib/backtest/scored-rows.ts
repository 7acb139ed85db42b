// Scores the point-in-time snapshot of each outcome at one horizon with the scoring engine, sorting
// out the outcomes that have no snapshot that early and the snapshots the model cannot score.
import type { CompiledModel, CompiledModelSet } from '../model/compile.ts';
import { scoreAccount } from '../scoring/engine.ts';
import type { AccountSnapshot } from '../signals/snapshot.ts';
import type { ScoredRow, ScoredTier } from './horizon-metrics.ts';
import type { PointInTimeRow } from './point-in-time.ts';

export interface ScoredHorizon {
  rows: ScoredRow[];
  noSnapshot: number;
  /** Snapshots with a null score (too little data) or a value the model has no points for. */
  unscored: number;
  /** The first reason a snapshot could not be scored, for the notes. */
  firstError: string | undefined;
}

/** The snapshot's score and tier, or a reason it has none. */
export function scoreForBacktest(
  models: CompiledModel | CompiledModelSet,
  snap: AccountSnapshot,
): { score: number; tier: ScoredTier } | string {
  try {
    const r = scoreAccount(models, snap);
    if (r.score === null || r.tier === 'unknown') return `account ${snap.accountId} (${snap.asOf}): too little data for a score`;
    return { score: r.score, tier: r.tier };
  } catch (err) {
    return (err as Error).message;
  }
}

export function scoreHorizon(models: CompiledModel | CompiledModelSet, rows: readonly PointInTimeRow[], h: number): ScoredHorizon {
  const out: ScoredHorizon = { rows: [], noSnapshot: 0, unscored: 0, firstError: undefined };
  for (const row of rows) {
    const snap = row.snapshots[h];
    if (snap === undefined) {
      out.noSnapshot++;
      continue;
    }
    const s = scoreForBacktest(models, snap);
    if (typeof s === 'string') {
      out.unscored++;
      out.firstError ??= s;
      continue;
    }
    out.rows.push({ ...s, churned: row.outcome.outcome === 'churned', expanded: row.outcome.outcome === 'expanded' });
  }
  return out;
}
