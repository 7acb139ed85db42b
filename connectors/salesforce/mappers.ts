// Pure mappers from validated Salesforce records (see raw-schemas.ts) to the connector's clean model:
// the CRM account with its join keys and override, contacts with their roles in time, and the
// customer interactions (emails, calls, meetings) the relationship and engagement signals use.
import { isoDay, parseInstant } from '../../lib/days.ts';
import type { AccountScope, CrmAccount, CrmChurnEvidence, ManualOverride } from '../shared/crm.ts';
import type { SfRow } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import { parseSfDateTime } from './raw-schemas.ts';

/** A date (YYYY-MM-DD) as epoch ms at 00:00 UTC. */
export const dayStart = (date: string): number => Date.parse(`${date}T00:00:00Z`);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** True when a checkbox is ticked or a (multi-select) picklist holds the value. */
export function hasFlag(raw: unknown, value: boolean | string): boolean {
  if (typeof value === 'boolean') return raw === value || (typeof raw === 'string' && raw.toLowerCase() === String(value));
  if (typeof raw !== 'string') return false;
  return raw.split(';').some((v) => v.trim().toLowerCase() === value.toLowerCase());
}

/** A yes/no field: true, false, or undefined when empty or not one of the configured values. */
export function yesNo(raw: unknown, spec: { trueValues: string[]; falseValues: string[] }): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const v = str(raw)?.toLowerCase();
  if (v === undefined) return undefined;
  if (spec.trueValues.some((t) => t.toLowerCase() === v)) return true;
  if (spec.falseValues.some((f) => f.toLowerCase() === v)) return false;
  return undefined;
}

/** "https://www.acme.com/about" → "acme.com". */
export function domainOf(website: unknown): string | undefined {
  const w = str(website);
  if (!w) return undefined;
  const host =
    w
      .replace(/^[a-z]+:\/\//i, '')
      .split(/[/?#:]/)[0]
      ?.toLowerCase() ?? '';
  return host.replace(/^www\./, '') || undefined;
}

/** "Mid-Market" → "mid_market". */
const segmentOf = (v: unknown): string | undefined =>
  str(v)
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');

export function fromSalesforceAccount(row: SfRow, m: SalesforceMapping): CrmAccount {
  const identities: Record<string, string> = {};
  for (const [key, field] of Object.entries(m.identity)) {
    const v = field ? row[field] : undefined;
    if (typeof v === 'number' || (typeof v === 'string' && v.trim() !== '')) identities[key] = String(v).trim();
  }
  const account: CrmAccount = { accountId: String(row.Id), identities };
  const name = str(row.Name);
  const domain = domainOf(row.Website);
  const segment = m.account.segment ? segmentOf(row[m.account.segment]) : undefined;
  const ownerId = str(row.OwnerId);
  if (name) account.name = name;
  if (domain) account.domain = domain;
  if (segment) account.segment = segment;
  if (ownerId) account.ownerId = ownerId;
  if (m.scope) account.scope = scopeOf(row, m.scope);
  const churn = m.churn ? churnOf(row, m.churn) : undefined;
  if (churn) account.churn = churn;
  const override = m.override ? overrideOf(row, m.override) : undefined;
  if (override) account.override = override;
  if (typeof row.LastModifiedDate === 'string') account.modifiedAt = new Date(parseSfDateTime(row.LastModifiedDate)).toISOString();
  return account;
}

/** A scope or churn field's value as text ("" when empty); a checkbox reads "true" / "false". */
const choiceText = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'boolean' || typeof v === 'number' ? String(v) : '';

/** True when the value (or, in a multi-select picklist, one of its values) is one of `values`, case aside. */
const holdsOne = (value: string, values: readonly string[]): boolean => {
  const wanted = new Set(values.map((v) => v.toLowerCase()));
  return value.split(';').some((v) => wanted.has(v.trim().toLowerCase()));
};

/** In scope when the field holds one of the customer values; otherwise why not, in one phrase. */
export function scopeOf(row: SfRow, scope: { field: string; values: readonly string[] }): AccountScope {
  const value = choiceText(row[scope.field]);
  if (value === '') return { in: false, reason: `${scope.field} is empty` };
  if (holdsOne(value, scope.values)) return { in: true };
  return { in: false, reason: `${scope.field} is "${value}", not one of ${scope.values.join(', ')}` };
}

/** The day (YYYY-MM-DD) of a Salesforce date or date-time value; undefined when it is not one. */
export function dayOf(v: unknown): string | undefined {
  const s = str(v);
  const ms = s ? parseInstant(s) : undefined;
  return ms === undefined ? undefined : isoDay(ms);
}

/** Churn evidence when the churn field holds one of its values; the date field's day when it holds a valid one. */
export function churnOf(
  row: SfRow,
  churn: { field: string; values: readonly string[]; dateField: string | null },
): CrmChurnEvidence | undefined {
  const value = choiceText(row[churn.field]);
  if (value === '' || !holdsOne(value, churn.values)) return undefined;
  const on = churn.dateField ? dayOf(row[churn.dateField]) : undefined;
  return { evidence: `${churn.field} is "${value}"`, ...(on ? { on } : {}) };
}

function overrideOf(row: SfRow, o: { score: string; reason: string; expiresOn: string }): ManualOverride | undefined {
  const score = row[o.score];
  const reason = str(row[o.reason]);
  const expiresOn = str(row[o.expiresOn]);
  if (typeof score !== 'number' || !reason || !expiresOn) return undefined;
  return { score: Math.max(0, Math.min(100, score)), reason, expiresOn };
}

export interface CleanContact {
  id: string;
  accountId: string;
  createdAt: number;
  champion: boolean;
  execSponsor: boolean;
  /** When the contact took their role (CreatedDate when the role date is empty). */
  roleStart: number;
  /** Marked as left without a date (taken as left whatever the as-of date). */
  leftFlag: boolean;
  leftAt?: number;
  executiveSince?: number;
}

/** A contact's roles from Salesforce's own role records (opportunity contact roles, account-contact relations). */
export interface ContactRoleFacts {
  /** When the contact first held a champion / sponsor role (the role record's creation or start). */
  championSince?: number;
  sponsorSince?: number;
  /** The account-contact relation ended (inactive, or its end date) at this instant. */
  leftAt?: number;
  /** Inactive relation without an end date. */
  inactive?: boolean;
}

export function fromSalesforceContact(row: SfRow, m: SalesforceMapping, roles: ContactRoleFacts = {}): CleanContact {
  const c = m.contact;
  const date = (field: string | null) => (field && typeof row[field] === 'string' ? dayStart(row[field] as string) : undefined);
  const createdAt = parseSfDateTime(String(row.CreatedDate));
  const flaggedChampion = c.champion ? hasFlag(row[c.champion.field], c.champion.value) : false;
  const flaggedSponsor = c.execSponsor ? hasFlag(row[c.execSponsor.field], c.execSponsor.value) : false;
  const champion = flaggedChampion || roles.championSince !== undefined;
  const roleSince = [roles.championSince, roles.sponsorSince].filter((t): t is number => t !== undefined);
  const contact: CleanContact = {
    id: String(row.Id),
    accountId: String(row.AccountId),
    createdAt,
    champion,
    execSponsor: flaggedSponsor || roles.sponsorSince !== undefined,
    roleStart:
      date(c.roleStartDate) ??
      (champion && roles.championSince !== undefined ? roles.championSince : roleSince.length > 0 ? Math.min(...roleSince) : createdAt),
    leftFlag: (c.left ? hasFlag(row[c.left.field], c.left.value) : false) || roles.inactive === true,
  };
  const leftAt = date(c.leftDate) ?? roles.leftAt;
  const executiveSince = date(c.executiveSince);
  if (leftAt !== undefined) contact.leftAt = leftAt;
  if (executiveSince !== undefined) contact.executiveSince = executiveSince;
  return contact;
}

export type Interaction =
  | { kind: 'email'; accountId: string; at: number; direction: 'inbound' | 'outbound'; contactId?: string; thread?: string }
  | { kind: 'call'; accountId: string; at: number; connected: boolean; contactId?: string }
  /** `held`: an Event that took place, in an org that records no attendance (no outcome field mapped). */
  | { kind: 'meeting'; accountId: string; at: number; outcome: 'attended' | 'no_show' | 'held' | 'other'; contactIds: string[] };

/** What Enhanced Email's EmailMessage says of an email Task: its direction and thread. */
export interface EmailFacts {
  incoming: boolean;
  thread?: string;
}

/** An email or call Task as an interaction; other tasks (to-dos, notes) are not customer interactions. */
export function fromSalesforceTask(row: SfRow, m: SalesforceMapping, message?: EmailFacts): Interaction | undefined {
  // A Task on a Case (key prefix 500) is support's email (Email-to-Case), not the CSM's conversation.
  if (typeof row.WhatId === 'string' && row.WhatId.startsWith('500')) return undefined;
  const at = parseSfDateTime(String(row.CompletedDateTime ?? row.CreatedDate));
  const accountId = String(row.AccountId);
  const contactId = str(row.WhoId);
  const who = contactId ? { contactId } : {};
  if (row.TaskSubtype === 'Call') {
    const seconds = row.CallDurationInSeconds;
    return { kind: 'call', accountId, at, connected: typeof seconds === 'number' && seconds > 0, ...who };
  }
  if (row.TaskSubtype !== 'Email') return undefined;
  const dir = m.activity.emailDirection;
  const raw = dir ? str(row[dir.field])?.toLowerCase() : undefined;
  const fromField =
    dir && raw === dir.inbound.toLowerCase() ? 'inbound' : dir && raw === dir.outbound.toLowerCase() ? 'outbound' : undefined;
  const direction = fromField ?? (message ? (message.incoming ? 'inbound' : 'outbound') : undefined);
  // Without Enhanced Email or a direction field, who wrote an email is unknown: it is not an interaction we can read.
  if (!direction) return undefined;
  const thread = (m.activity.emailThread ? str(row[m.activity.emailThread]) : undefined) ?? message?.thread;
  return { kind: 'email', accountId, at, direction, ...who, ...(thread ? { thread } : {}) };
}

/** A meeting Event with its attendees (EventWhoRelation, or the Event's WhoId without Shared Activities). */
export function fromSalesforceEvent(row: SfRow, attendees: readonly string[], m: SalesforceMapping): Interaction {
  const spec = m.activity.meetingOutcome;
  const raw = spec ? str(row[spec.field])?.toLowerCase() : undefined;
  const outcome = !spec
    ? 'held'
    : raw && spec.attended.some((v) => v.toLowerCase() === raw)
      ? 'attended'
      : raw && spec.noShow.some((v) => v.toLowerCase() === raw)
        ? 'no_show'
        : 'other';
  const who = str(row.WhoId);
  const contactIds = attendees.length > 0 ? [...attendees] : who ? [who] : [];
  return { kind: 'meeting', accountId: String(row.AccountId), at: parseSfDateTime(String(row.StartDateTime)), outcome, contactIds };
}
