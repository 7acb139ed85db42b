// The Zendesk support source. `sync` runs once per run through node-zendesk: the organization
// export, the cursor-based ticket export (the first run backfills `backfillDays` before asOf, later
// runs read only what changed since the stored cursor) and the received satisfaction ratings, each
// page folded into per-organization state and checkpointed. `read` answers a batch from that state
// alone — no Zendesk calls — computing every signal as of `ctx.asOf`.
import { DAY_S } from '../../lib/days.ts';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { type IdentityMatch, indexByDomain, matchByDomain } from '../shared/domain-match.ts';
import { redactError } from '../shared/http-trace.ts';
import type { AccountRef, SignalSource, SourceContext, SourceReadResult, SyncReport } from '../shared/source.ts';
import { emptyReadResult, IDENTITY } from '../shared/source.ts';
import { parseZendeskConfig, type ZendeskConfigInput } from './config.ts';
import { readDirectory } from './org-directory.ts';
import { CSAT_KEYS, syncCsat } from './support-csat.ts';
import type { CursorState, OrgState } from './support-model.ts';
import { toSupportSignals } from './support-signals.ts';
import { CURSOR_KEY, getMany, orgKey } from './support-state.ts';
import { type SyncRun, syncOrganizations, syncTickets } from './support-sync.ts';
import { createZendeskClient, toZendeskError } from './zendesk-client.ts';

export function createZendeskSource(input: ZendeskConfigInput): SignalSource {
  const config = parseZendeskConfig(input);
  const relevantTags = new Set([...config.escalation.tags, ...config.sentiment.positiveTags, ...config.sentiment.negativeTags]);

  async function sync(ctx: SourceContext): Promise<SyncReport> {
    const asOfS = Math.floor(ctx.asOf.getTime() / 1000);
    const cursor: CursorState = (await ctx.state.get<CursorState>(CURSOR_KEY)) ?? {
      coveredFrom: asOfS - config.backfillDays * DAY_S,
      ticketCursor: null,
      orgStartTime: 0,
      ratingsThrough: null,
      lastAsOf: null,
    };
    const run: SyncRun = {
      client: createZendeskClient(config, ctx.signal),
      config,
      ctx,
      cursor,
      asOfS,
      relevantTags,
      rejected: [],
      records: 0,
    };
    try {
      await syncOrganizations(run);
      await syncTickets(run);
      await syncCsat(run);
    } catch (err) {
      if (!ctx.signal?.aborted) throw redactError(toZendeskError(err));
    }
    const complete = !ctx.signal?.aborted;
    if (complete) {
      cursor.lastAsOf = ctx.asOf.toISOString();
      await ctx.state.put(CURSOR_KEY, cursor);
    }
    ctx.log?.('zendesk.sync', { records: run.records, rejected: run.rejected.length, complete });
    return {
      records: run.records,
      rejected: run.rejected,
      checkpoint: {
        ticketCursor: cursor.ticketCursor,
        orgStartTime: cursor.orgStartTime,
        ratingsThrough: cursor.ratingsThrough,
        csat: cursor.csatMode,
        complete,
      },
      ...(cursor.csatFailure ? { warnings: [cursor.csatFailure.reason] } : {}),
    };
  }

  async function read(accounts: readonly AccountRef[], ctx: SourceContext): Promise<SourceReadResult> {
    const result = emptyReadResult();
    const cursor = await ctx.state.get<CursorState>(CURSOR_KEY);
    const idOf = (a: AccountRef) => a.identities[IDENTITY.zendeskOrganizationId];
    const ids = accounts.map(idOf).filter((id): id is string => id !== undefined && /^\d+$/.test(id));
    const csatFailed = cursor?.csatFailure?.asOf === ctx.asOf.toISOString() ? cursor.csatFailure : undefined;
    if (csatFailed) result.partialFailures = [{ part: 'csat', keys: CSAT_KEYS, reason: csatFailed.reason }];
    const states = cursor ? await getMany<OrgState>(ctx.state, [...new Set(ids)].map(orgKey)) : new Map<string, OrgState>();
    for (const account of accounts) {
      const id = idOf(account);
      const unmatched = (reason: string) => result.unmatched.push({ accountId: account.accountId, reason });
      if (!id) unmatched(account.identityNotes?.[IDENTITY.zendeskOrganizationId] ?? 'no zendeskOrganizationId identity on the account');
      else if (!/^\d+$/.test(id)) unmatched(`zendeskOrganizationId ${JSON.stringify(id)} is not a Zendesk organization id (an integer)`);
      else if (!cursor) unmatched('Zendesk has not been synced yet (sync must run before read)');
      else {
        const org = states.get(orgKey(id));
        if (!org?.known) unmatched(`Zendesk has no organization ${id}`);
        else {
          const signals: Record<string, SignalValue> = toSupportSignals(org, ctx.asOf, cursor.coveredFrom, config);
          if (csatFailed) for (const key of CSAT_KEYS) delete signals[key];
          result.signals.set(account.accountId, signals);
        }
      }
    }
    return result;
  }

  async function matchIdentities(accounts: readonly AccountRef[], ctx: SourceContext): Promise<IdentityMatch | undefined> {
    if (!config.matchByDomain || !(await ctx.state.get<CursorState>(CURSOR_KEY))) return undefined;
    const records = await readDirectory(ctx.state);
    return matchByDomain({
      key: IDENTITY.zendeskOrganizationId,
      noun: 'Zendesk organization',
      accounts,
      byDomain: indexByDomain(records),
      records,
    });
  }

  return { name: 'zendesk', sync, read, matchIdentities };
}
