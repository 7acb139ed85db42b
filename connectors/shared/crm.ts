// The contract both CRM connectors (HubSpot, Salesforce) implement: the CRM is the identity of
// record (accounts and their join keys), a signal source (relationship, engagement, outcome,
// renewal), and the sink the score is written back to, with tasks for alerts.
import type { AccountRef, RejectedRecord, SignalSource } from './source.ts';

/** A CSM's manual score, set in the CRM with a reason and an expiry (docs/scoring-method.md §4). */
export interface ManualOverride {
  score: number;
  reason: string;
  /** ISO date (YYYY-MM-DD); the override applies up to and including this day. */
  expiresOn: string;
}

/**
 * Whether a CRM record is a customer the product scores (`in`), from the CRM's scope rule (HubSpot
 * `lifecyclestage`, Salesforce `Type`, or the configured property / field). `reason` says why a record
 * is out ("lifecyclestage is lead, not customer").
 */
export interface AccountScope {
  in: boolean;
  reason?: string;
}

/** A configured CRM field says the customer has left (e.g. Salesforce Type = "Former Customer"). */
export interface CrmChurnEvidence {
  /** "Type is Former Customer" */
  evidence: string;
  /** The day the CRM says it happened (YYYY-MM-DD), when a date field is mapped; else the run's day is used. */
  on?: string;
}

export interface CrmAccount extends AccountRef {
  /** Absent: in scope (a CRM without a scope rule scores every record). */
  scope?: AccountScope;
  /** Present when the configured churn field / value matches. */
  churn?: CrmChurnEvidence;
  /** Present only when the CRM holds a complete override (score, reason and expiry). */
  override?: ManualOverride;
  /** ISO date-time the CRM last modified the record (for incremental reads). */
  modifiedAt?: string;
}

export interface AccountPage {
  accounts: CrmAccount[];
  /** Records on this page that failed their raw schema, with the reason; the rest of the page is kept. */
  rejected: RejectedRecord[];
  /** Resume point after this page; undefined on the last page. */
  cursor: string | undefined;
}

export interface ListAccountsOptions {
  /** Only accounts modified at or after this instant (incremental read). */
  modifiedSince?: Date;
  /** Resume after a page returned earlier. */
  cursor?: string;
  signal?: AbortSignal;
}

export type Tier = 'green' | 'yellow' | 'red' | 'unknown';
/**
 * What the CRM's tier property / picklist shows: a model's tier, or `churned`, the lifecycle value the
 * run (never a model) writes when a customer has left (docs/scoring-method.md §4).
 */
export type CrmTier = Tier | 'churned';
export const CRM_TIERS: readonly CrmTier[] = ['green', 'yellow', 'red', 'unknown', 'churned'];

/** The values written back to the CRM, one custom property / field each. */
export interface ScoreProperties {
  score: number | null;
  tier: CrmTier;
  /** The top three driver sentences, one per line. */
  drivers: string;
  change7d: number | null;
  change30d: number | null;
  completeness: number;
  /** Flag ids, comma-separated (e.g. "renewal_risk"); empty when none. */
  flags: string;
  modelId: string;
  /** The last change of the score in one sentence ("2026-10-12: −18 — …"); changes only when the score does. */
  lastChange: string;
  /** ISO date-time of the last change to any of the values above (not of the last run). */
  updatedAt: string;
}

export interface ScoreWrite {
  accountId: string;
  values: ScoreProperties;
  /** What was last written successfully (from the run's state), undefined when never written. */
  previous: ScoreProperties | undefined;
}

export type WriteStatus = 'written' | 'unchanged' | 'rejected' | 'failed';

export interface WriteOutcome {
  accountId: string;
  status: WriteStatus;
  /** The vendor's reason for rejected / failed. */
  reason?: string;
  /** The full values now in the CRM after a `written` (save them as the next `previous`). */
  written?: ScoreProperties;
}

export interface WriteReport {
  outcomes: WriteOutcome[];
  /** Write calls made to the vendor. */
  calls: number;
}

export interface SetupReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** What setup found or could not do although nothing is broken (e.g. a mapped property the CRM lacks). */
  warnings?: string[];
}

export interface CrmTask {
  accountId: string;
  ownerId?: string;
  title: string;
  body: string;
  /** ISO date (YYYY-MM-DD). */
  dueDate: string;
  priority: 'high' | 'medium' | 'low';
}

/** One CRM property a write would change: its name in the CRM, the value the CRM holds now, the value to be written. */
export interface PropertyChange {
  key: keyof ScoreProperties;
  property: string;
  from: string | null;
  to: string | null;
}

/** What `writeScores` would send for one account (nothing when `changes` is empty). */
export interface WritePreview {
  accountId: string;
  changes: PropertyChange[];
}

export interface CrmConnector {
  readonly kind: 'hubspot' | 'salesforce';
  /** Pages of accounts, in the vendor's largest page size. */
  listAccounts(options?: ListAccountsOptions): AsyncIterable<AccountPage>;
  /** Relationship, engagement, outcome, renewal and lifecycle signals for a batch. */
  readonly source: SignalSource;
  /** Creates the "Health score" properties/fields idempotently; a second call changes nothing. */
  setup(): Promise<SetupReport>;
  /**
   * The fast check a live run makes before reading anything: the properties / fields every write
   * needs exist, with every tier value (`setup` not run, or run by an older release). Throws a
   * ConfigError whose sentence says what to do; reads only.
   */
  preflight?(signal?: AbortSignal): Promise<void>;
  /** Writes only what changed, in the largest batch the API takes; one outcome per input row. */
  writeScores(rows: readonly ScoreWrite[], signal?: AbortSignal): Promise<WriteReport>;
  /** What `writeScores` would send for `rows`, beside the values the CRM holds now. Reads only (for `run --dry-run`). */
  previewWrites(rows: readonly ScoreWrite[], signal?: AbortSignal): Promise<WritePreview[]>;
  createTask(task: CrmTask): Promise<{ id: string }>;
  /** A link a person can open to see the account in the CRM. */
  recordUrl(accountId: string): string;
  /** Things an admin should act on soon though nothing fails yet (e.g. a certificate about to expire), as of `now`. */
  configWarnings?(now: Date): string[];
}

/** A CRM value as text for a preview; empty and absent read as null (both CRMs store "" as no value). */
const previewText = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/**
 * Per row, the properties a write would send (`outgoing`: the CRM's own names and formatting) beside
 * the values the CRM holds now (`current`, by record id), for `previewWrites`.
 */
export function writePreviews(
  rows: readonly ScoreWrite[],
  current: Map<string, Record<string, unknown>>,
  property: (key: keyof ScoreProperties) => string,
  outgoing: (values: ScoreProperties, keys: readonly (keyof ScoreProperties)[]) => Record<string, unknown>,
): WritePreview[] {
  return rows.map((row) => {
    const keys = changedProperties(row.values, row.previous);
    const sent = outgoing(row.values, keys);
    const now = current.get(row.accountId) ?? {};
    const changes = keys.map((key) => ({
      key,
      property: property(key),
      from: previewText(now[property(key)]),
      to: previewText(sent[property(key)]),
    }));
    return { accountId: row.accountId, changes };
  });
}

/** The properties that differ between what we would write and what was last written (updatedAt aside). */
export function changedProperties(values: ScoreProperties, previous: ScoreProperties | undefined): (keyof ScoreProperties)[] {
  const keys = Object.keys(values) as (keyof ScoreProperties)[];
  if (!previous) return keys;
  const changed = keys.filter((k) => k !== 'updatedAt' && values[k] !== previous[k]);
  return changed.length > 0 ? [...changed, 'updatedAt'] : [];
}
