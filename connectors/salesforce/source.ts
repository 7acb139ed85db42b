// The Salesforce signal source: for a batch of accounts, five SOQL queries with `IN (...)` clauses
// (Account, Contact, Task, Event, EventWhoRelation) bounded to the activity window ending at
// `asOf`, records checked against their raw schemas, then the pure mappers and signal functions.
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { type AccountRef, emptyReadResult, type SignalSource, type SourceContext, type SourceReadResult } from '../shared/source.ts';
import type { SalesforceClient, SfRow } from './client.ts';
import type { SalesforceMapping } from './config.ts';
import { type CleanContact, DAY_MS, fromSalesforceContact, fromSalesforceEvent, fromSalesforceTask, type Interaction } from './mappers.ts';
import { accountSignals, contactRecord, eventRecord, eventWhoRelation, taskRecord, validateRows } from './raw-schemas.ts';
import { accountFieldSignals, relationshipSignals } from './signals.ts';
import { chunk, isSalesforceId, soqlDateTime, soqlIdList } from './soql.ts';

const groupBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
};

interface ChunkRows {
  accounts: SfRow[];
  contacts: SfRow[];
  tasks: SfRow[];
  events: SfRow[];
  relations: SfRow[];
}

/** The five queries of one chunk of account ids, run concurrently within the shared budget. */
async function queryChunk(client: SalesforceClient, m: SalesforceMapping, ids: string[], ctx: SourceContext): Promise<ChunkRows> {
  const inList = soqlIdList(ids);
  const asOf = soqlDateTime(ctx.asOf);
  const since = soqlDateTime(ctx.asOf.getTime() - m.activity.lookbackDays * DAY_MS);
  const eventWindow = `AccountId IN (${inList}) AND StartDateTime > ${since} AND StartDateTime <= ${asOf}`;
  const q = (fields: string[], from: string, where: string) =>
    client.queryAll(`SELECT ${fields.join(', ')} FROM ${from} WHERE ${where}`, ctx.signal);
  const [accounts, contacts, tasks, events, relations] = await Promise.all([
    q(accountSignals(m).fields, 'Account', `Id IN (${inList})`),
    q(contactRecord(m).fields, 'Contact', `AccountId IN (${inList}) AND CreatedDate <= ${asOf}`),
    q(
      taskRecord(m).fields,
      'Task',
      `AccountId IN (${inList}) AND TaskSubtype IN ('Email', 'Call') AND CreatedDate > ${since} AND CreatedDate <= ${asOf}`,
    ),
    q(eventRecord(m).fields, 'Event', eventWindow),
    m.activity.sharedActivities
      ? q(eventWhoRelation.fields, 'EventWhoRelation', `EventId IN (SELECT Id FROM Event WHERE ${eventWindow})`)
      : Promise.resolve([]),
  ]);
  return { accounts, contacts, tasks, events, relations };
}

export function createSalesforceSource(client: SalesforceClient, m: SalesforceMapping): SignalSource {
  return {
    name: 'salesforce',
    async read(batch: readonly AccountRef[], ctx: SourceContext): Promise<SourceReadResult> {
      const result = emptyReadResult();
      const ids: string[] = [];
      for (const a of batch) {
        if (isSalesforceId(a.accountId)) ids.push(a.accountId);
        else result.unmatched.push({ accountId: a.accountId, reason: 'not a Salesforce record id' });
      }
      for (const part of chunk(ids, client.config.idsPerQuery)) {
        const rows = await queryChunk(client, m, part, ctx);
        const accounts = validateRows(rows.accounts, accountSignals(m).schema, 'Account');
        const contacts = validateRows(rows.contacts, contactRecord(m).schema, 'Contact');
        const tasks = validateRows(rows.tasks, taskRecord(m).schema, 'Task');
        const events = validateRows(rows.events, eventRecord(m).schema, 'Event');
        const relations = validateRows(rows.relations, eventWhoRelation.schema, 'EventWhoRelation');
        result.rejected.push(...accounts.rejected, ...contacts.rejected, ...tasks.rejected, ...events.rejected, ...relations.rejected);

        const attendees = groupBy(relations.valid, (r) => String(r.EventId));
        const interactions: Interaction[] = [
          ...tasks.valid.map((t) => fromSalesforceTask(t, m)).filter((i): i is Interaction => i !== undefined),
          ...events.valid.map((e) =>
            fromSalesforceEvent(
              e,
              (attendees.get(String(e.Id)) ?? []).map((r) => String(r.RelationId)),
              m,
            ),
          ),
        ];
        const byAccount = groupBy(interactions, (i) => i.accountId.slice(0, 15));
        const contactsByAccount = groupBy(
          contacts.valid.map((c) => fromSalesforceContact(c, m)),
          (c: CleanContact) => c.accountId.slice(0, 15),
        );
        const found = new Map(accounts.valid.map((a) => [String(a.Id).slice(0, 15), a]));
        const rejectedIds = new Set(accounts.rejected.map((r) => r.recordId.slice(0, 15)));
        for (const id of part) {
          const key = id.slice(0, 15);
          const row = found.get(key);
          if (!row && !rejectedIds.has(key)) {
            result.unmatched.push({
              accountId: id,
              reason: 'no such Account in Salesforce (deleted, merged, or not visible to the integration user)',
            });
            continue;
          }
          const signals: Record<string, SignalValue> = {
            ...(row ? accountFieldSignals(row, m, ctx.asOf) : {}),
            ...relationshipSignals(contactsByAccount.get(key) ?? [], byAccount.get(key) ?? [], m, ctx.asOf),
          };
          if (Object.keys(signals).length > 0) result.signals.set(id, signals);
        }
      }
      ctx.log?.('salesforce.read', { accounts: batch.length, signals: result.signals.size, rejected: result.rejected.length });
      return result;
    },
  };
}
