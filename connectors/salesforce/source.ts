// The Salesforce signal source. For a batch of accounts, first the queries filtered on the accounts
// (Account, Contact, Opportunity, Contract, AccountContactRelation where the org has it, Task and
// Event in the activity window ending at `asOf`), then those filtered on what they found, with
// literal id lists: opportunity contact roles, the EmailMessage behind each email Task (Enhanced
// Email), and meeting attendees (EventWhoRelation; Task and Event may not be the inner select of a
// semi-join). Every id list is cut to keep each query URL inside Salesforce's limit. Which objects
// and fields exist comes from the org's schema (org-schema.ts); records are checked against their
// raw schemas, then the pure mappers and signal functions decide.
import { chunk } from '../../lib/chunk.ts';
import { DAY_MS } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import {
  type AccountRef,
  emptyReadResult,
  type SignalSource,
  type SourceContext,
  type SourceReadResult,
  type SyncReport,
} from '../shared/source.ts';
import type { SalesforceClient, SfRow } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import {
  type CleanContact,
  type ContactRoleFacts,
  dayStart,
  type EmailFacts,
  fromSalesforceContact,
  fromSalesforceEvent,
  fromSalesforceTask,
  type Interaction,
} from './mappers.ts';
import type { OrgSchema } from './org-schema.ts';
import {
  accountContactRelation,
  accountSignals,
  contactRecord,
  contractRecord,
  emailMessageRecord,
  eventRecord,
  eventWhoRelation,
  opportunityContactRole,
  opportunityRecord,
  parseSfDateTime,
  taskRecord,
  validateRows,
} from './raw-schemas.ts';
import { accountFieldSignals, type Commercial, relationshipSignals } from './signals.ts';
import { isSalesforceId, MAX_ENCODED_QUERY, queriesForIds, soqlDateTime } from './soql.ts';

const groupBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
};
const key15 = (id: unknown) => String(id).slice(0, 15);

type Rows = Record<
  'accounts' | 'contacts' | 'opportunities' | 'contracts' | 'relations' | 'tasks' | 'events' | 'roles' | 'messages' | 'attendees',
  SfRow[]
>;

/**
 * Runs `build` over `ids` in URI-sized pieces and concatenates the rows. The budget for the encoded
 * query is what the 16,384-byte limit leaves after the session header (JWT-format access tokens are
 * long) and the other headers and path.
 */
async function byIds(client: SalesforceClient, ids: readonly string[], build: (inList: string) => string, signal?: AbortSignal) {
  const budget = Math.min(MAX_ENCODED_QUERY, 16_384 - 1_500 - (client.conn.accessToken?.length ?? 0));
  const parts = await Promise.all(queriesForIds([...new Set(ids)], build, 2_000, budget).map((soql) => client.queryAll(soql, signal)));
  return parts.flat();
}

/** Every query of one chunk of account ids, concurrently within the shared budget. */
async function queryChunk(client: SalesforceClient, org: OrgSchema, ids: string[], ctx: SourceContext): Promise<Rows> {
  const m = org.mapping;
  const asOf = soqlDateTime(ctx.asOf);
  const since = soqlDateTime(ctx.asOf.getTime() - m.activity.lookbackDays * DAY_MS);
  const q = (fields: string[], from: string, where: (inList: string) => string) =>
    byIds(client, ids, (inList) => `SELECT ${fields.join(', ')} FROM ${from} WHERE ${where(inList)}`, ctx.signal);
  const [accounts, contacts, opportunities, contracts, relations, tasks, events] = await Promise.all([
    q(accountSignals(m).fields, 'Account', (l) => `Id IN (${l})`),
    q(contactRecord(m).fields, 'Contact', (l) => `AccountId IN (${l}) AND CreatedDate <= ${asOf}`),
    org.opportunities ? q(opportunityRecord.fields, 'Opportunity', (l) => `AccountId IN (${l}) AND CreatedDate <= ${asOf}`) : [],
    // StatusCode is the category (Status holds the org's own label for it).
    org.contracts
      ? q(contractRecord.fields, 'Contract', (l) => `AccountId IN (${l}) AND StatusCode = 'Activated' AND ActivatedDate <= ${asOf}`)
      : [],
    org.contactsToMultipleAccounts ? q(accountContactRelation.fields, 'AccountContactRelation', (l) => `AccountId IN (${l})`) : [],
    q(
      taskRecord(m).fields,
      'Task',
      (l) => `AccountId IN (${l}) AND TaskSubtype IN ('Email', 'Call') AND CreatedDate > ${since} AND CreatedDate <= ${asOf}`,
    ),
    q(eventRecord(m).fields, 'Event', (l) => `AccountId IN (${l}) AND StartDateTime > ${since} AND StartDateTime <= ${asOf}`),
  ]);
  const idsOf = (rows: SfRow[], filter: (r: SfRow) => boolean = () => true) =>
    rows.filter(filter).flatMap((r) => (typeof r.Id === 'string' && isSalesforceId(r.Id) ? [r.Id] : []));
  const [roles, messages, attendees] = await Promise.all([
    byIds(
      client,
      idsOf(opportunities),
      (l) => `SELECT ${opportunityContactRole.fields.join(', ')} FROM OpportunityContactRole WHERE OpportunityId IN (${l})`,
      ctx.signal,
    ),
    org.enhancedEmail
      ? byIds(
          client,
          idsOf(tasks, (t) => t.TaskSubtype === 'Email'),
          (l) => `SELECT ${emailMessageRecord.fields.join(', ')} FROM EmailMessage WHERE ActivityId IN (${l})`,
          ctx.signal,
        )
      : [],
    org.eventAttendees
      ? byIds(
          client,
          idsOf(events),
          (l) => `SELECT ${eventWhoRelation.fields.join(', ')} FROM EventWhoRelation WHERE EventId IN (${l})`,
          ctx.signal,
        )
      : [],
  ]);
  return { accounts, contacts, opportunities, contracts, relations, tasks, events, roles, messages, attendees };
}

const inList = (values: readonly string[], v: unknown) => typeof v === 'string' && values.some((x) => x.toLowerCase() === v.toLowerCase());
const earliest = (a: number | undefined, b: number) => (a === undefined ? b : Math.min(a, b));

/** The key of a contact's role facts at one account: a role counts only at the account it was given for. */
const roleKey = (accountId: unknown, contactId: unknown) => `${key15(accountId)}:${key15(contactId)}`;

/**
 * Per (account, contact), the champion / sponsor roles held on that account's opportunities and in
 * the account-contact relation, as of `asOf` (a role given later does not count yet).
 */
function roleFacts(
  rows: { roles: SfRow[]; relations: SfRow[]; opportunities: SfRow[] },
  org: OrgSchema,
  asOf: number,
): Map<string, ContactRoleFacts> {
  const out = new Map<string, ContactRoleFacts>();
  const facts = (accountId: unknown, contactId: unknown) => {
    const k = roleKey(accountId, contactId);
    const f = out.get(k) ?? {};
    out.set(k, f);
    return f;
  };
  const mark = (f: ContactRoleFacts, roles: string[], at: number) => {
    if (at > asOf) return;
    if (roles.some((r) => inList(org.roles.champion, r))) f.championSince = earliest(f.championSince, at);
    if (roles.some((r) => inList(org.roles.execSponsor, r))) f.sponsorSince = earliest(f.sponsorSince, at);
  };
  const accountOf = new Map(rows.opportunities.map((o) => [key15(o.Id), o.AccountId]));
  for (const r of rows.roles) {
    const account = accountOf.get(key15(r.OpportunityId));
    if (account !== undefined) mark(facts(account, r.ContactId), [String(r.Role ?? '')], parseSfDateTime(String(r.CreatedDate)));
  }
  for (const r of rows.relations) {
    const f = facts(r.AccountId, r.ContactId);
    const start = typeof r.StartDate === 'string' ? dayStart(r.StartDate) : parseSfDateTime(String(r.CreatedDate));
    mark(
      f,
      String(r.Roles ?? '')
        .split(';')
        .map((x) => x.trim()),
      start,
    );
    // An end date says when; an inactive relation without one is today's state, so only a run for today may use it.
    if (typeof r.EndDate === 'string') f.leftAt = dayStart(r.EndDate);
    else if (r.IsActive === false && asOf >= Date.now() - DAY_MS) f.inactive = true;
  }
  return out;
}

export interface SalesforceSource extends SignalSource {
  sync(ctx: SourceContext): Promise<SyncReport>;
}

/** The source; `schema` reads the org's schema once per process (the connector memoizes it). */
export function createSalesforceSource(client: SalesforceClient, schema: (signal?: AbortSignal) => Promise<OrgSchema>): SalesforceSource {
  return {
    name: 'salesforce',
    /** Once per run, before any batch: the mapping checked against the org; what it lacks is reported by name. */
    async sync(ctx) {
      const org = await schema(ctx.signal);
      for (const warning of org.warnings) ctx.log?.('salesforce.mapping_missing', { warning });
      return { records: 0, rejected: [], ...(org.warnings.length > 0 ? { warnings: org.warnings } : {}) };
    },
    async read(batch: readonly AccountRef[], ctx: SourceContext): Promise<SourceReadResult> {
      const result = emptyReadResult();
      const ids: string[] = [];
      for (const a of batch) {
        if (isSalesforceId(a.accountId)) ids.push(a.accountId);
        else result.unmatched.push({ accountId: a.accountId, reason: 'not a Salesforce record id' });
      }
      if (ids.length === 0) return result;
      const org = await schema(ctx.signal);
      const m: SalesforceMapping = org.mapping;
      const readable = {
        champion: m.contact.champion !== null || org.roles.champion.length > 0,
        execSponsor: m.contact.execSponsor !== null || org.roles.execSponsor.length > 0,
      };
      for (const part of chunk(ids, client.config.idsPerQuery)) {
        const rows = await queryChunk(client, org, part, ctx);
        const v = {
          accounts: validateRows(rows.accounts, accountSignals(m).schema, 'Account'),
          contacts: validateRows(rows.contacts, contactRecord(m).schema, 'Contact'),
          opportunities: validateRows(rows.opportunities, opportunityRecord.schema, 'Opportunity'),
          contracts: validateRows(rows.contracts, contractRecord.schema, 'Contract'),
          relations: validateRows(rows.relations, accountContactRelation.schema, 'AccountContactRelation'),
          tasks: validateRows(rows.tasks, taskRecord(m).schema, 'Task'),
          events: validateRows(rows.events, eventRecord(m).schema, 'Event'),
          roles: validateRows(rows.roles, opportunityContactRole.schema, 'OpportunityContactRole'),
          messages: validateRows(rows.messages, emailMessageRecord.schema, 'EmailMessage'),
          attendees: validateRows(rows.attendees, eventWhoRelation.schema, 'EventWhoRelation'),
        };
        for (const x of Object.values(v)) result.rejected.push(...x.rejected);

        const roles = roleFacts(
          { roles: v.roles.valid, relations: v.relations.valid, opportunities: v.opportunities.valid },
          org,
          ctx.asOf.getTime(),
        );
        const messages = new Map(
          v.messages.valid.map((e): [string, EmailFacts] => [
            key15(e.ActivityId),
            { incoming: e.Incoming === true, ...(typeof e.ThreadIdentifier === 'string' ? { thread: e.ThreadIdentifier } : {}) },
          ]),
        );
        const attendees = groupBy(v.attendees.valid, (r) => key15(r.EventId));
        const interactions: Interaction[] = [
          ...v.tasks.valid.flatMap((t) => fromSalesforceTask(t, m, messages.get(key15(t.Id))) ?? []),
          ...v.events.valid.map((e) =>
            fromSalesforceEvent(
              e,
              (attendees.get(key15(e.Id)) ?? []).map((r) => String(r.RelationId)),
              m,
            ),
          ),
        ];
        const byAccount = groupBy(interactions, (i) => key15(i.accountId));
        const contactsByAccount = groupBy(
          v.contacts.valid.map((c) => fromSalesforceContact(c, m, roles.get(roleKey(c.AccountId, c.Id)))),
          (c: CleanContact) => key15(c.accountId),
        );
        const contractsByAccount = groupBy(v.contracts.valid, (c) => key15(c.AccountId));
        const renewalsByAccount = groupBy(
          v.opportunities.valid.filter((o) => o.IsClosed !== true && inList(m.renewal.opportunityTypes, o.Type)),
          (o) => key15(o.AccountId),
        );
        const found = new Map(v.accounts.valid.map((a) => [key15(a.Id), a]));
        const rejectedIds = new Set(v.accounts.rejected.map((r) => key15(r.recordId)));
        for (const id of part) {
          const key = key15(id);
          const row = found.get(key);
          if (!row && !rejectedIds.has(key)) {
            result.unmatched.push({
              accountId: id,
              reason: 'no such Account in Salesforce (deleted, merged, or not visible to the integration user)',
            });
            continue;
          }
          const commercial: Commercial = {
            contracts: (contractsByAccount.get(key) ?? []).map((c) => ({
              ...(typeof c.StartDate === 'string' ? { start: c.StartDate } : {}),
              ...(typeof c.EndDate === 'string' ? { end: c.EndDate } : {}),
            })),
            renewalCloseDates: (renewalsByAccount.get(key) ?? []).map((o) => String(o.CloseDate)),
          };
          const signals: Record<string, SignalValue> = {
            ...(row ? accountFieldSignals(row, m, ctx.asOf, commercial) : {}),
            ...relationshipSignals(contactsByAccount.get(key) ?? [], byAccount.get(key) ?? [], m, ctx.asOf, readable),
          };
          if (Object.keys(signals).length > 0) result.signals.set(id, signals);
        }
      }
      ctx.log?.('salesforce.read', { accounts: batch.length, signals: result.signals.size, rejected: result.rejected.length });
      return result;
    },
  };
}
