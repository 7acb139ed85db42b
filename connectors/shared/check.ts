// What `healthscore check` asks of each vendor: read-only proof, on the user's real account, that the
// configuration will work — credentials, permissions, the mapped fields, and for sources which
// sample accounts resolve to a record. Each finding is one sentence saying what to do. A vendor's
// check lives in its folder (check.ts) and is reached through its registry entry.
import type { IdentityMatch } from './domain-match.ts';
import type { AccountRef, RejectedRecord } from './source.ts';

export type CheckStatus = 'ok' | 'note' | 'warn' | 'fail';
export type CheckArea = 'access' | 'mapping' | 'joins' | 'coverage' | 'quota';

export interface Finding {
  vendor: string;
  area: CheckArea;
  status: CheckStatus;
  /** One sentence: what was found and, unless ok, what to do. */
  message: string;
}

/** A limit the vendor reported about itself (response headers, a limits endpoint). */
export interface QuotaReading {
  /** Requests allowed per `per`. */
  limit: number;
  remaining: number;
  per: 'day' | 'hour' | 'minute' | '10 seconds';
  /** Where the figures came from, for the message. */
  from: string;
}

export interface CheckContext {
  /** Where the credential comes from (an environment variable or a Secrets Manager secret), for the messages. */
  secretName: string;
  /** The instant windows end at (e.g. "the last 30 complete days"): now, unless checking as of another time. */
  asOf: Date;
  signal?: AbortSignal;
}

export interface InspectResult {
  findings: Finding[];
  quota?: QuotaReading;
  /** The CRM's number of accounts, when it can count them cheaply (for the quota estimate). */
  accounts?: number;
}

/** One sample account as a source resolved it. */
export interface JoinResult {
  accountId: string;
  joined: boolean;
  /** Why not, in the words the run's unmatched list uses. */
  reason?: string;
}

export interface Joins {
  accounts: JoinResult[];
  /** The vendor's live records no sample account claims, with the reason (meaningful when the sample is every account). */
  unclaimed: RejectedRecord[];
}

export interface VendorCheck {
  /** Access (reachable, credentials, permissions) and mapping (fields, labels, modes): read calls only. */
  inspect(ctx: CheckContext): Promise<InspectResult>;
  /** Sources: which of the sample accounts resolve to one of the vendor's records, and why others do not. */
  joins?(sample: readonly AccountRef[], ctx: CheckContext): Promise<Joins>;
}

/** A finding builder for one vendor. */
export const findingsFor =
  (vendor: string) =>
  (area: CheckArea, status: CheckStatus, message: string): Finding => ({
    vendor,
    area,
    status,
    message,
  });

/**
 * The sample's joins as a run makes them: by the id the CRM holds (`missing` says why an id matches
 * no record), else by domain (`byDomain`, absent when matching by domain is off).
 */
export function sampleJoins(
  sample: readonly AccountRef[],
  key: string,
  missing: (id: string) => string | undefined,
  byDomain: IdentityMatch | undefined,
): JoinResult[] {
  return sample.map((a): JoinResult => {
    const id = a.identities[key];
    const no = (reason: string): JoinResult => ({ accountId: a.accountId, joined: false, reason });
    if (id) {
      const why = missing(id);
      return why ? no(why) : { accountId: a.accountId, joined: true };
    }
    if (byDomain?.matched.has(a.accountId)) return { accountId: a.accountId, joined: true };
    return no(byDomain?.notes.get(a.accountId) ?? `no ${key} identity on the account`);
  });
}
