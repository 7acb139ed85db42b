// The Mixpanel usage source. `sync` runs once per run with a fixed handful of queries whatever the
// portfolio size (Mixpanel allows 60 an hour), or one raw export when the portfolio has more group
// values than a segmentation report returns; it stores per-group aggregates in state. `read`
// answers each batch from that state with no vendor call, joined by identities.mixpanelGroupKey.

import { dayIndex, dayOfIndex, isoDay } from '../../lib/days.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import { lastCompleteZonedDay, zonedDayIndex, zonedDayStartMs } from '../../lib/zoned-days.ts';
import { normalizeDomain } from '../shared/domain-match.ts';
import { ConfigError } from '../shared/errors.ts';
import {
  type AccountRef,
  emptyReadResult,
  IDENTITY,
  type RejectedRecord,
  type SignalSource,
  type SourceContext,
  type SourceReadResult,
  type SyncReport,
} from '../shared/source.ts';
import { MixpanelClient } from './client.ts';
import { type MixpanelConfig, type MixpanelConfigInput, mixpanelConfigSchema } from './config.ts';
import { fromExportLine, fromSegmentationResponse, type SegmentSeries } from './raw-schemas.ts';
import { ExportUsageAggregator, type GroupUsage, usageFromSegmentation, type Windows } from './usage-aggregate.ts';
import { silentUsage, toUsageSignals } from './usage-signals.ts';

export const META_KEY = 'mixpanel:sync';
export const groupStateKey = (groupKey: string) => `mixpanel:group:${groupKey}`;
const MAX_REPORTED_REJECTS = 1000;

/** What a sync records about itself (also the SyncReport checkpoint). */
export interface MixpanelSyncMeta {
  /** The last complete day the aggregates run to. */
  day: string;
  path: 'segmentation' | 'export';
  groups: number;
  /** Query API requests (segmentation reports) and raw exports this run, retries not counted. */
  queries: number;
  exports: number;
  lookbackDays: number;
}

export interface MixpanelSyncReport extends SyncReport {
  checkpoint: MixpanelSyncMeta;
}

export interface MixpanelSource extends SignalSource {
  readonly config: MixpanelConfig;
  readonly client: MixpanelClient;
  sync(ctx: SourceContext): Promise<MixpanelSyncReport>;
}

export function createMixpanelSource(input: MixpanelConfigInput, deps: { fetch?: typeof fetch } = {}): MixpanelSource {
  const parsed = mixpanelConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError('mixpanel', `invalid configuration: ${formatIssues(parsed.error)}`);
  }
  const config = parsed.data;
  const client = new MixpanelClient(config, deps.fetch);
  const on = `properties[${JSON.stringify(config.groupKeyProperty)}]`;
  const limit = Math.min(config.exportThreshold, 10_000);

  /**
   * Queries per run: 2 + one per core feature, never per account.
   * 1. Unique users per day per group (`type=unique&unit=day`, over the lookback): DAU for the
   *    14-day trend, the last active day, and the DAU half of stickiness.
   * 2. Unique users per group over one 30-day bucket (`type=unique&interval=30`): the honest
   *    "active users in 30 days". Daily uniques do not sum to it (a user active on 10 days would
   *    count 10 times), and `unit=month` buckets are calendar months, not the last 30 days.
   * 3. Per core feature, the same 30-day unique report on that event: used when above 0.
   * Undefined when a report reached the segment limit (it may be truncated): use the export.
   */
  async function viaSegmentation(w: Windows, ctx: SourceContext, counts: { queries: number }) {
    const common = { on, where: `defined(${on})`, limit };
    const ask = async (
      event: string,
      extra: { unit: 'day' } | { interval: number },
      fromDay: number,
    ): Promise<SegmentSeries | undefined> => {
      counts.queries++;
      const body = await client.segmentation({ event, fromDay, toDay: w.endDay, type: 'unique', ...common, ...extra }, ctx.signal);
      const series = fromSegmentationResponse(body);
      return series.size >= limit ? undefined : series;
    };
    const [active] = config.activeEvents as [string];
    const daily = await ask(active, { unit: 'day' }, w.endDay - w.lookbackDays + 1);
    if (!daily) return undefined;
    const [monthly, ...features] = await Promise.all([
      ask(active, { interval: 30 }, w.endDay - 29),
      ...config.coreFeatures.map((f) => ask(f, { interval: 30 }, w.endDay - 29)),
    ]);
    if (!monthly || features.some((f) => f === undefined)) return undefined;
    const byFeature = new Map(config.coreFeatures.map((f, i) => [f, features[i] as SegmentSeries]));
    return usageFromSegmentation(w, daily, monthly, byFeature);
  }

  /**
   * The export's date range covering the project's local days `fromDay`..`endDay`, and the local day
   * of an event's `time`. A project created since 2023 reads export dates as UTC days, with `time`
   * in UTC: the range widens to the UTC days the local ones overlap and events are placed by their
   * local day. An older project reads them (and writes `time`) in its own zone.
   */
  function exportWindow(fromDay: number, endDay: number) {
    const tz = config.timezone;
    if (config.exportDates === 'project') return { fromDay, toDay: endDay, dayOf: (t: number) => dayIndex(t * 1000) };
    const startMs = zonedDayStartMs(fromDay, tz);
    const endMs = zonedDayStartMs(endDay + 1, tz) - 1;
    return { fromDay: dayIndex(isoDay(startMs)), toDay: dayIndex(isoDay(endMs)), dayOf: (t: number) => zonedDayIndex(t * 1000, tz) };
  }

  /** One raw export over the lookback, streamed and counted locally (distinct users per group and day). */
  async function viaExport(w: Windows, ctx: SourceContext, counts: { exports: number }) {
    counts.exports++;
    const events = [...new Set([...config.activeEvents, ...config.coreFeatures])];
    const range = exportWindow(w.endDay - w.lookbackDays + 1, w.endDay);
    return client.exportLines(
      { fromDay: range.fromDay, toDay: range.toDay, events },
      async (lines) => {
        const agg = new ExportUsageAggregator(w, config.activeEvents, config.coreFeatures);
        const rejected: RejectedRecord[] = [];
        let lineNo = 0;
        let dropped = 0;
        for await (const line of lines) {
          const r = fromExportLine(line, ++lineNo, config.groupKeyProperty, range.dayOf);
          if (r.ok) agg.add(r.record);
          else if (rejected.length < MAX_REPORTED_REJECTS) rejected.push({ recordId: r.recordId, reason: r.reason });
          else dropped++;
        }
        if (dropped > 0) rejected.push({ recordId: '(more)', reason: `${dropped} more export records rejected` });
        return { usage: agg.result(), rejected, records: lineNo };
      },
      ctx.signal,
    );
  }

  const putAll = (ctx: SourceContext, entries: [string, unknown][]) => ctx.state.putMany(entries);
  const getAll = (ctx: SourceContext, keys: string[]) => ctx.state.getMany<GroupUsage>(keys);

  return {
    name: 'mixpanel',
    config,
    client,

    async sync(ctx) {
      const w: Windows = { endDay: lastCompleteZonedDay(ctx.asOf, config.timezone), lookbackDays: config.lookbackDays };
      const previous = await ctx.state.get<MixpanelSyncMeta>(META_KEY);
      const counts = { queries: 0, exports: 0 };
      let usage: Map<string, GroupUsage> | undefined;
      let rejected: RejectedRecord[] = [];
      let records = 0;
      // Several active events need distinct users across events: only the export can count that.
      // A portfolio that needed the export last time goes straight to it, saving a wasted query.
      const exportFirst = config.activeEvents.length > 1 || (previous?.path === 'export' && previous.groups >= limit);
      if (!exportFirst) {
        usage = await viaSegmentation(w, ctx, counts);
        records = usage?.size ?? 0;
      }
      if (!usage) {
        const out = await viaExport(w, ctx, counts);
        ({ usage, rejected, records } = out);
      }
      await putAll(
        ctx,
        [...usage].map(([g, u]) => [groupStateKey(g), u]),
      );
      const meta: MixpanelSyncMeta = {
        day: dayOfIndex(w.endDay),
        path: counts.exports > 0 ? 'export' : 'segmentation',
        groups: usage.size,
        queries: counts.queries,
        exports: counts.exports,
        lookbackDays: w.lookbackDays,
      };
      await ctx.state.put(META_KEY, meta);
      ctx.log?.('mixpanel.sync', { ...meta, rejected: rejected.length });
      return { records, rejected, checkpoint: meta };
    },

    async read(accounts: readonly AccountRef[], ctx: SourceContext): Promise<SourceReadResult> {
      const result = emptyReadResult();
      const endDay = lastCompleteZonedDay(ctx.asOf, config.timezone);
      const meta = await ctx.state.get<MixpanelSyncMeta>(META_KEY);
      const byDomain = (a: AccountRef) => !a.identities[IDENTITY.mixpanelGroupKey] && config.groupKeyFromDomain;
      const keyOf = (a: AccountRef) => a.identities[IDENTITY.mixpanelGroupKey] ?? (byDomain(a) ? normalizeDomain(a.domain) : undefined);
      const fresh = meta?.day === dayOfIndex(endDay);
      const keys = fresh ? [...new Set(accounts.map(keyOf).filter((k): k is string => Boolean(k)))] : [];
      const stored = await getAll(ctx, keys.map(groupStateKey));
      for (const a of accounts) {
        const key = keyOf(a);
        if (!key) {
          result.unmatched.push({
            accountId: a.accountId,
            reason: `no mixpanelGroupKey identity${config.groupKeyFromDomain ? ' and no company domain to use as the group key' : ''}`,
          });
          continue;
        }
        if (!fresh) {
          const why = meta ? `Mixpanel aggregates are for ${meta.day}, not ${dayOfIndex(endDay)}` : 'no Mixpanel sync has run';
          result.unmatched.push({ accountId: a.accountId, reason: `${why}: run sync for this asOf first` });
          continue;
        }
        const u = stored.get(groupStateKey(key));
        // A record from an earlier run means the group was silent through this whole lookback;
        // one from a later run (a backtest going back in time) would leak the future.
        const windowStart = endDay - config.lookbackDays + 1;
        const usage =
          u?.day === endDay
            ? u
            : u && u.day < endDay && (u.lastActiveDay ?? windowStart) < windowStart
              ? silentUsage(u, endDay)
              : undefined;
        if (!usage) {
          result.unmatched.push({
            accountId: a.accountId,
            reason: `no Mixpanel events with ${config.groupKeyProperty} = "${key}" in the last ${config.lookbackDays} days${byDomain(a) ? " (the key is the account's domain: map mixpanelGroupKey if your product sends another value)" : ''}`,
          });
          continue;
        }
        result.signals.set(a.accountId, toUsageSignals(usage, config.coreFeatures));
      }
      return result;
    },
  };
}
