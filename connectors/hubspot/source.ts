// The HubSpot signal source: for a batch of companies, fetch (batch-fetch.ts), then map each
// company's record, contacts and engagements into catalog signals as of `ctx.asOf`. Champions seen
// on earlier runs are remembered in the state store, so a champion who is dissociated from the
// company (rather than marked as left) still reads as departed.
import type { SignalValue } from '../../lib/signals/catalog.ts';
import {
  type AccountRef,
  emptyReadResult,
  type SignalSource,
  type SourceContext,
  type SourceReadResult,
  type SyncReport,
} from '../shared/source.ts';
import { type AccountActivity, activitySignals, type ChampionMemory } from './activity-signals.ts';
import { type BatchData, fetchBatch } from './batch-fetch.ts';
import type { HubSpotCaller } from './client.ts';
import { fromHubSpotCompanySignals } from './company-signals.ts';
import type { HubSpotConfig } from './config.ts';
import { rolesAsOf } from './contact-roles.ts';
import { type CallFact, type EmailFact, fromHubSpotCall, fromHubSpotEmail, fromHubSpotMeeting, type MeetingFact } from './engagements.ts';
import { checkAssociationLabels, missingMappedProperties } from './portal-check.ts';

export const championMemoryKey = (companyId: string) => `hubspot:champions:${companyId}`;

async function loadMemory(ctx: SourceContext, ids: readonly string[]): Promise<Map<string, ChampionMemory[]>> {
  const found = await ctx.state.getMany<ChampionMemory[]>(ids.map(championMemoryKey));
  return new Map(ids.flatMap((id) => (found.has(championMemoryKey(id)) ? [[id, found.get(championMemoryKey(id)) ?? []] as const] : [])));
}

async function saveMemory(ctx: SourceContext, entries: [string, ChampionMemory[]][]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(([id, m]) => [championMemoryKey(id), m] as [string, unknown]);
  await ctx.state.putMany(rows);
}

/** One company's contacts and engagements on the day, from the batch's records. */
function activityOf(companyId: string, data: BatchData, asOf: number, memory: ChampionMemory[], config: HubSpotConfig): AccountActivity {
  const company = data.companies.get(companyId);
  const contacts = (data.contactLinks.get(companyId) ?? []).flatMap((link) => {
    const c = data.contacts.get(link.toId);
    return c && c.createdAt.getTime() <= asOf ? [rolesAsOf(c, link.labels, asOf, config)] : [];
  });
  const ids = (links: Map<string, { toId: string }[]>) => (links.get(companyId) ?? []).map((l) => l.toId);
  const contactIds = (links: Map<string, { toId: string }[]>, id: string) => (links.get(id) ?? []).map((l) => l.toId);
  const emails = ids(data.emailLinks).flatMap((id): EmailFact[] => {
    const e = data.emails.get(id);
    const fact = e && fromHubSpotEmail(e, config);
    return fact ? [fact] : [];
  });
  const meetings = ids(data.meetingLinks).flatMap((id): MeetingFact[] => {
    const m = data.meetings.get(id);
    return m ? [fromHubSpotMeeting(m, contactIds(data.meetingContacts, id))] : [];
  });
  const calls = ids(data.callLinks).flatMap((id): CallFact[] => {
    const c = data.calls.get(id);
    return c ? [fromHubSpotCall(c, contactIds(data.callContacts, id), config)] : [];
  });
  return { companyCreatedAt: company?.createdAt.getTime() ?? Number.NEGATIVE_INFINITY, contacts, emails, meetings, calls, memory };
}

export function createHubSpotSource(caller: HubSpotCaller): SignalSource {
  return {
    name: 'hubspot',
    /** Once per run, before any batch: the mapping checked against the portal (labels must exist; missing properties are reported). */
    async sync(ctx: SourceContext): Promise<SyncReport> {
      await checkAssociationLabels(caller, ctx.signal);
      const warnings = await missingMappedProperties(caller, ctx.signal);
      for (const warning of warnings) ctx.log?.('hubspot.mapping_missing', { warning });
      return { records: 0, rejected: [], ...(warnings.length > 0 ? { warnings } : {}) };
    },
    async read(accounts: readonly AccountRef[], ctx: SourceContext): Promise<SourceReadResult> {
      const result = emptyReadResult();
      const asOf = ctx.asOf.getTime();
      const ids: string[] = [];
      for (const a of accounts) {
        if (/^\d+$/.test(a.accountId)) ids.push(a.accountId);
        else result.unmatched.push({ accountId: a.accountId, reason: 'not a HubSpot company id (expected digits)' });
      }
      if (ids.length === 0) return result;
      const [data, memories] = await Promise.all([
        fetchBatch(caller, ids, { asOf, signal: ctx.signal, log: ctx.log }),
        loadMemory(ctx, ids),
      ]);
      result.rejected.push(...data.rejected);
      const missing = new Set(data.missing);
      const save: [string, ChampionMemory[]][] = [];
      for (const id of ids) {
        const company = data.companies.get(id);
        if (!company) {
          if (missing.has(id)) result.unmatched.push({ accountId: id, reason: 'no such company in HubSpot (deleted or merged?)' });
          continue; // otherwise it failed its schema and is among the rejected
        }
        const activity = activityOf(id, data, asOf, memories.get(id) ?? [], caller.config);
        const { signals, memory } = activitySignals(activity, asOf);
        const all: Record<string, SignalValue> = { ...fromHubSpotCompanySignals(company, asOf, caller.config), ...signals };
        if (Object.keys(all).length > 0) result.signals.set(id, all);
        if (memory) save.push([id, memory]);
      }
      await saveMemory(ctx, save);
      ctx.log?.('hubspot.read', { accounts: accounts.length, withSignals: result.signals.size, rejected: result.rejected.length });
      return result;
    },
  };
}
