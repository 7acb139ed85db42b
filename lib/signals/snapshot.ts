// The AccountSnapshot: one account at one point in time, the unit every connector produces and the
// scoring engine consumes (docs/scoring-method.md §2).
import * as z from 'zod';
import { type SignalValue, signalValueProblem } from './catalog.ts';

const isoDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const accountSnapshotSchema = z.strictObject({
  accountId: z.string().min(1, 'must be a non-empty string'),
  asOf: z
    .string()
    .regex(isoDate, 'must be an ISO date or date-time')
    .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date'),
  segment: z.string().min(1).optional(),
  signals: z.record(z.string(), z.unknown()),
});

export interface AccountSnapshot {
  accountId: string;
  asOf: string;
  segment?: string;
  /** Canonical key → value. An absent key (or null) means unknown, never zero. */
  signals: Record<string, SignalValue | null>;
}

/** One record that is not a valid snapshot: names the account (when known), the field and the value. */
export class SnapshotDataError extends Error {
  readonly accountId: string | undefined;
  readonly field: string;
  constructor(accountId: string | undefined, field: string, reason: string) {
    super(`${accountId === undefined ? 'snapshot' : `account ${accountId}`}: ${field} ${reason}`);
    this.name = 'SnapshotDataError';
    this.accountId = accountId;
    this.field = field;
  }
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** The common case checked by hand (the hot path of large runs); anything odd goes through the schema. */
function plainlyValid(input: unknown): input is AccountSnapshot {
  if (typeof input !== 'object' || input === null) return false;
  const o = input as Record<string, unknown>;
  for (const k in o) if (k !== 'accountId' && k !== 'asOf' && k !== 'segment' && k !== 'signals') return false;
  const { accountId, asOf, segment, signals } = o;
  return (
    typeof accountId === 'string' &&
    accountId.length > 0 &&
    typeof asOf === 'string' &&
    isoDate.test(asOf) &&
    !Number.isNaN(Date.parse(asOf)) &&
    (segment === undefined || (typeof segment === 'string' && segment.length > 0)) &&
    typeof signals === 'object' &&
    signals !== null &&
    !Array.isArray(signals)
  );
}

/** Validates unknown JSON as an AccountSnapshot; throws SnapshotDataError naming account, key and value. */
export function parseSnapshot(input: unknown): AccountSnapshot {
  const parsed = plainlyValid(input) ? { success: true as const, data: input } : accountSnapshotSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const accountId =
      typeof input === 'object' && input !== null && typeof (input as { accountId?: unknown }).accountId === 'string'
        ? (input as { accountId: string }).accountId
        : undefined;
    const field = issue?.path.length ? issue.path.join('.') : 'snapshot';
    throw new SnapshotDataError(accountId, field, issue?.message ?? 'is invalid');
  }
  const snap = parsed.data;
  for (const key in snap.signals) {
    const value = snap.signals[key];
    if (value === null || value === undefined) continue;
    const problem = signalValueProblem(key, value);
    if (problem !== undefined) {
      throw new SnapshotDataError(snap.accountId, `signal ${key}`, `= ${show(value)}: ${problem}`);
    }
  }
  return snap as AccountSnapshot;
}
