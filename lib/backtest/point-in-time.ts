// Point-in-time selection: for each outcome and horizon H, the latest snapshot of the account with
// asOf ≤ date − H, and nothing later. Fed one snapshot at a time, it keeps only the snapshots that
// currently win a slot (at most outcomes × horizons), so a history of any length streams through.

import { DAY_MS, parseInstant } from '../days.ts';
import type { AccountSnapshot } from '../signals/snapshot.ts';
import type { OutcomeRecord } from './outcomes.ts';

export interface PointInTimeRow {
  outcome: OutcomeRecord;
  /** One entry per horizon (in the selector's order): the chosen snapshot, or undefined when none qualifies. */
  snapshots: (AccountSnapshot | undefined)[];
}

interface Slot {
  cutoff: number;
  at: number;
  snap: AccountSnapshot | undefined;
}

interface Pending {
  outcome: OutcomeRecord;
  slots: Slot[];
}

export class PointInTimeSelector {
  readonly horizons: readonly number[];
  private readonly byAccount = new Map<string, Pending[]>();
  private readonly pending: Pending[] = [];
  private readonly seen = new Set<string>();
  private offered = 0;

  constructor(outcomes: readonly OutcomeRecord[], horizons: readonly number[]) {
    this.horizons = horizons;
    for (const outcome of outcomes) {
      const p: Pending = {
        outcome,
        slots: horizons.map((h) => ({ cutoff: outcome.at - h * DAY_MS, at: Number.NEGATIVE_INFINITY, snap: undefined })),
      };
      this.pending.push(p);
      const list = this.byAccount.get(outcome.accountId);
      if (list) list.push(p);
      else this.byAccount.set(outcome.accountId, [p]);
    }
  }

  /**
   * Considers one snapshot. Returns a problem text when its asOf is not a real date (it is then ignored).
   * Of two snapshots with the same asOf, the one offered later wins (a re-run replaces a day's record).
   */
  offer(snap: AccountSnapshot): string | undefined {
    this.offered++;
    const list = this.byAccount.get(snap.accountId);
    if (list === undefined) return undefined;
    const at = parseInstant(snap.asOf);
    if (at === undefined) return `account ${snap.accountId}: asOf ${JSON.stringify(snap.asOf)} is not a real date`;
    this.seen.add(snap.accountId);
    for (const p of list) {
      for (const slot of p.slots) {
        if (at <= slot.cutoff && at >= slot.at) {
          slot.at = at;
          slot.snap = snap;
        }
      }
    }
    return undefined;
  }

  /** Every outcome (input order) with its chosen snapshot per horizon. */
  rows(): PointInTimeRow[] {
    return this.pending.map((p) => ({ outcome: p.outcome, snapshots: p.slots.map((s) => s.snap) }));
  }

  /** Outcomes whose account never appeared in the history: reported as bad input, left out of every metric. */
  unknownAccounts(): OutcomeRecord[] {
    return this.pending.filter((p) => !this.seen.has(p.outcome.accountId)).map((p) => p.outcome);
  }

  isKnown(accountId: string): boolean {
    return this.seen.has(accountId);
  }

  /** How many distinct snapshots are held now: never more than outcomes × horizons, whatever the history's length. */
  retained(): number {
    const held = new Set<AccountSnapshot>();
    for (const p of this.pending) for (const s of p.slots) if (s.snap) held.add(s.snap);
    return held.size;
  }

  get snapshotsOffered(): number {
    return this.offered;
  }
}
