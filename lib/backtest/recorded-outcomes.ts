// Outcomes the runs recorded in their store as backtest outcomes, and the sentence saying where a
// backtest's outcomes came from. Pure: the caller reads the store (pipeline/store's allOutcomes) and
// hands the records in. Each outcome is one example at its own date; two recorded outcomes of one
// account on the same day are one example, as a file allows only one per account and date.
import { parseInstant } from '../days.ts';
import { type InputProblem, OUTCOME_KINDS, type OutcomeKind, type OutcomeRecord } from './outcomes.ts';

/** The part of a recorded outcome a backtest needs (pipeline/store/records.ts RecordedOutcome has it). */
export interface StoredOutcome {
  accountId: string;
  /** YYYY-MM-DD */
  date: string;
  kind: OutcomeKind;
  runId: string;
}

/** Of an account's outcomes on one day, the one kept: a churn first, then an expansion, a contraction, a renewal. */
export const SAME_DAY_PRECEDENCE: readonly OutcomeKind[] = ['churned', 'expanded', 'contracted', 'renewed'];

/** One recorded outcome as a backtest outcome, or the problem with it (a date that is not a real day). */
export function toOutcomeRecord(r: StoredOutcome): OutcomeRecord | InputProblem {
  const at = parseInstant(r.date);
  if (at === undefined) {
    return {
      source: 'outcomes',
      error: `account ${r.accountId}: the ${r.kind} outcome recorded by run ${r.runId} has date ${JSON.stringify(r.date)}, not a real ISO date (YYYY-MM-DD)`,
    };
  }
  return { accountId: r.accountId, date: r.date, at, outcome: r.kind, runId: r.runId };
}

export interface RecordedOutcomes {
  /** By date, then account: a fixed order, so the seeded bootstrap gives the same report on every read. */
  outcomes: OutcomeRecord[];
  problems: InputProblem[];
  /** Every recorded outcome with a real date, by kind (before same-day outcomes are counted once). */
  kinds: Record<OutcomeKind, number>;
  /** Recorded outcomes left out because the account has one that takes precedence on the same day. */
  sameDay: number;
}

export const countKinds = (outcomes: Iterable<{ outcome: OutcomeKind }>): Record<OutcomeKind, number> => {
  const kinds = Object.fromEntries(OUTCOME_KINDS.map((k) => [k, 0])) as Record<OutcomeKind, number>;
  for (const o of outcomes) kinds[o.outcome]++;
  return kinds;
};

export function fromRecordedOutcomes(recorded: Iterable<StoredOutcome>): RecordedOutcomes {
  const problems: InputProblem[] = [];
  const valid: OutcomeRecord[] = [];
  for (const r of recorded) {
    const o = toOutcomeRecord(r);
    if ('error' in o) problems.push(o);
    else valid.push(o);
  }
  const rank = (o: OutcomeRecord) => SAME_DAY_PRECEDENCE.indexOf(o.outcome);
  const kept = new Map<string, OutcomeRecord>();
  for (const o of valid) {
    const key = `${o.accountId}\u0000${o.at}`;
    const other = kept.get(key);
    if (other === undefined || rank(o) < rank(other)) kept.set(key, o);
  }
  const outcomes = [...kept.values()].sort((a, b) => a.at - b.at || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  return { outcomes, problems, kinds: countKinds(valid), sameDay: valid.length - outcomes.length };
}

/** Where a backtest's outcomes came from, in the report (`outcomesFrom`) and as one sentence. */
export interface OutcomesFrom {
  /** `file`: --outcomes FILE; `store`: the outcomes the runs recorded in the --from-store store. */
  source: 'file' | 'store';
  /** The file's path, or the store ("local store out/demo-store (table healthscore)", "DynamoDB table x"). */
  label: string;
  /** Valid outcomes read, by kind. */
  kinds: Record<OutcomeKind, number>;
  /** Recorded outcomes counted once with another of the same account and day. */
  sameDay: number;
  text: string;
}

const kindList = (kinds: Record<OutcomeKind, number>) =>
  (['churned', 'renewed', 'expanded', 'contracted'] as const).map((k) => `${kinds[k]} ${k}`).join(', ');

export function outcomesFrom(
  source: 'file' | 'store',
  label: string,
  kinds: Record<OutcomeKind, number>,
  options: { sameDay?: number; storeToo?: boolean } = {},
): OutcomesFrom {
  const total = Object.values(kinds).reduce((a, b) => a + b, 0);
  const sameDay = options.sameDay ?? 0;
  const text =
    source === 'store'
      ? `${total} recorded by the runs in ${label}: ${kindList(kinds)}${sameDay > 0 ? `; ${sameDay} on the same day as another outcome of the account counted once (${SAME_DAY_PRECEDENCE.join(' before ')})` : ''}`
      : `${total} from the file ${label}: ${kindList(kinds)}${options.storeToo ? '; the file given with --outcomes is used, not any outcomes the runs recorded in the store' : ''}`;
  return { source, label, kinds, sameDay, text };
}
