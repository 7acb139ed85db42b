// The contract every signal source implements (CRM, billing, support, usage): given a batch of
// accounts with their identity keys and the run's `asOf`, produce per-account signals, a report of
// what could not be matched or parsed, and state to keep for the next run. A source never fails a
// batch because of one bad record, and an account it knows nothing about gets no keys (unknown).
import type { LifecycleEvidence } from '../../lib/lifecycle/lifecycle.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import type { IdentityMatch } from './domain-match.ts';

/** One account as the CRM (the identity of record) knows it, with the keys that join other sources. */
export interface AccountRef {
  /** The CRM record id: the account's identity everywhere. */
  accountId: string;
  name?: string;
  domain?: string;
  segment?: string;
  /** The CRM user who owns the account (tasks are assigned to them). */
  ownerId?: string;
  /** Keys of other systems, e.g. { stripeCustomerId, zendeskOrganizationId, mixpanelGroupKey }. */
  identities: Record<string, string>;
  /** Identity keys the plan found by the company's domain rather than read from a CRM field. */
  matchedByDomain?: string[];
  /** Identity key → why the plan could not find that system's record for the account (domain-match.ts). */
  identityNotes?: Record<string, string>;
}

/** Keys of AccountRef.identities that the built-in sources read. */
export const IDENTITY = {
  stripeCustomerId: 'stripeCustomerId',
  zendeskOrganizationId: 'zendeskOrganizationId',
  mixpanelGroupKey: 'mixpanelGroupKey',
} as const;

/** Durable key-value state kept between runs (DynamoDB in production; tests use test/support/memory-state-store.ts). */
export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  /** Many keys at once (one round trip per 100 on DynamoDB); the result holds only keys that exist. */
  getMany<T>(keys: string[]): Promise<Map<string, T>>;
  putMany(entries: [string, unknown][]): Promise<void>;
}

export interface SourceContext {
  /** The instant the signals must be true at; nothing after it may be used. */
  asOf: Date;
  state: StateStore;
  /** Aborted when the run must stop (e.g. the Lambda deadline is near): stop cleanly, keep the checkpoint. */
  signal?: AbortSignal;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

export interface Unmatched {
  accountId: string;
  reason: string;
}

export interface RejectedRecord {
  /** The vendor's id of the record (ticket, invoice, event...). */
  recordId: string;
  reason: string;
}

/**
 * One part of a source's reads failed this run (e.g. Zendesk's ratings answered 403) while the rest
 * succeeded: its keys are absent from `signals` and follow the stale-then-unknown rule of a failed
 * source, carried under `<source>:<part>`, while the source's other keys are fresh.
 */
export interface PartialFailure {
  part: string;
  keys: readonly string[];
  reason: string;
}

/** A billing source's evidence of an account's commercial life (lib/lifecycle/lifecycle.ts). */
export type { LifecycleEvidence } from '../../lib/lifecycle/lifecycle.ts';

export interface SourceReadResult {
  /** accountId → signals this source knows for it. Accounts it knows nothing about are absent. */
  signals: Map<string, Record<string, SignalValue>>;
  /** accountId → lifecycle evidence (billing sources); absent when the source has none. */
  lifecycle?: Map<string, LifecycleEvidence>;
  unmatched: Unmatched[];
  rejected: RejectedRecord[];
  partialFailures?: PartialFailure[];
}

export interface SyncReport {
  /** Records read from the vendor during the sync. */
  records: number;
  rejected: RejectedRecord[];
  /** Whatever cursor/checkpoint the source saved, for the run summary. */
  checkpoint?: unknown;
  /** Configuration problems that leave signals empty without failing the run (e.g. a mapped property the vendor lacks). */
  warnings?: string[];
}

export interface SignalSource {
  readonly name: string;
  /**
   * Portfolio-wide work done once per run before any batch (pull an incremental export, run the
   * fixed handful of analytics queries), persisting what batches need into `ctx.state`.
   */
  sync?(ctx: SourceContext): Promise<SyncReport>;
  /**
   * Called by the plan after a successful `sync`, with every account of the run: joins accounts that
   * carry no id of this vendor to its records by domain, and lists the records no account claims.
   */
  matchIdentities?(accounts: readonly AccountRef[], ctx: SourceContext): Promise<IdentityMatch | undefined>;
  /** Signals for one batch of accounts. */
  read(accounts: readonly AccountRef[], ctx: SourceContext): Promise<SourceReadResult>;
}

export function emptyReadResult(): SourceReadResult {
  return { signals: new Map(), unmatched: [], rejected: [] };
}
