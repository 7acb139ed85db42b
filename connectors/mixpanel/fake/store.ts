// The fake Mixpanel project's event store and the two computations over it that the fake serves:
// a segmentation report (counts per segment and time bucket) and a raw export (one JSON line per
// event). Pure in-memory work, kept apart from the HTTP side in server.ts.
import { dayIndex, dayOfIndex } from '../../../lib/days.ts';
import { zonedDayIndex, zoneOffsetMs } from '../../../lib/zoned-days.ts';
import type { Compiled } from './expression.ts';

/** One event as a test or the demo seeds it. */
export interface MixpanelSeedEvent {
  event: string;
  /** When it happened: a Date, an ISO date-time, or epoch seconds (values ≥ 1e12 are taken as milliseconds). */
  time: Date | string | number;
  distinct_id: string;
  /** Event properties, including the group key (e.g. `{ company_id: "acme" }`). */
  properties?: Record<string, unknown>;
}

interface StoredEvent {
  event: string;
  timeMs: number;
  /** The project-local day (segmentation counts it). */
  day: number;
  /** The day the export's dates compare with: UTC, or local for a project that exports in its zone. */
  exportDay: number;
  insertId: string;
  /** The properties as expressions see them: seeded ones plus `time` and `distinct_id`. */
  props: Record<string, unknown>;
  /** The last `on` expression evaluated on this event and its value (events never change once stored). */
  onFn?: Compiled;
  onValue?: unknown;
}

function segmentValue(e: StoredEvent, fn: Compiled): unknown {
  if (e.onFn !== fn) {
    e.onFn = fn;
    e.onValue = fn(e.props);
  }
  return e.onValue;
}

export type SegmentationType = 'general' | 'unique' | 'average';
export type SegmentationUnit = 'day' | 'week' | 'month';

export interface SegmentationQuery {
  event: string;
  fromDay: number;
  toDay: number;
  on?: Compiled | undefined;
  where?: Compiled | undefined;
  type: SegmentationType;
  unit: SegmentationUnit;
  /** Buckets of this many days counted from `fromDay` (Mixpanel's `interval`), instead of `unit`. */
  interval?: number | undefined;
  limit: number;
}

export interface SegmentationBody {
  data: { series: string[]; values: Record<string, Record<string, number>> };
  legend_size: number;
}

export interface ExportQuery {
  fromDay: number;
  toDay: number;
  events?: string[] | undefined;
  where?: Compiled | undefined;
  limit?: number | undefined;
}

function toMs(time: MixpanelSeedEvent['time']): number {
  if (time instanceof Date) return time.getTime();
  if (typeof time === 'number') return time >= 1e12 ? time : time * 1000;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`fake mixpanel: bad event time ${JSON.stringify(time)}`);
  return ms;
}

const weekStart = (day: number) => day - ((((day + 3) % 7) + 7) % 7);

export class MixpanelEventStore {
  private readonly byEvent = new Map<string, StoredEvent[]>();
  private readonly rawLines: string[] = [];
  private seq = 0;
  private readonly timeZone: string;
  private readonly exportDates: 'utc' | 'project';

  constructor(timeZone = 'UTC', exportDates: 'utc' | 'project' = 'utc') {
    this.timeZone = timeZone;
    this.exportDates = exportDates;
  }

  add(events: readonly MixpanelSeedEvent[]): void {
    for (const e of events) {
      const timeMs = toMs(e.time);
      const stored: StoredEvent = {
        event: e.event,
        timeMs,
        day: zonedDayIndex(timeMs, this.timeZone),
        exportDay: this.exportDates === 'utc' ? dayIndex(timeMs) : zonedDayIndex(timeMs, this.timeZone),
        insertId: `fake-${++this.seq}`,
        props: { ...e.properties, time: Math.floor(timeMs / 1000), distinct_id: e.distinct_id },
      };
      const list = this.byEvent.get(e.event) ?? [];
      list.push(stored);
      this.byEvent.set(e.event, list);
    }
  }

  /** Lines served verbatim inside every export (to test how a client copes with corrupt records). */
  addRawExportLines(lines: readonly string[]): void {
    this.rawLines.push(...lines);
  }

  get size(): number {
    let n = 0;
    for (const list of this.byEvent.values()) n += list.length;
    return n;
  }

  clear(): void {
    this.byEvent.clear();
    this.rawLines.length = 0;
  }

  segmentation(q: SegmentationQuery): SegmentationBody {
    const bucketOf = (day: number): string => {
      if (q.interval !== undefined) return dayOfIndex(q.fromDay + Math.floor((day - q.fromDay) / q.interval) * q.interval);
      if (q.unit === 'week') return dayOfIndex(weekStart(day));
      if (q.unit === 'month') return `${dayOfIndex(day).slice(0, 7)}-01`;
      return dayOfIndex(day);
    };
    const series = [...new Set(Array.from({ length: q.toDay - q.fromDay + 1 }, (_, i) => bucketOf(q.fromDay + i)))];
    const bucketByDay = new Map<number, string>();
    const counts = new Map<string, Map<string, { n: number; users: Set<string> }>>();
    for (const e of this.byEvent.get(q.event) ?? []) {
      if (e.day < q.fromDay || e.day > q.toDay) continue;
      if (q.where && !q.where(e.props)) continue;
      const raw = q.on ? segmentValue(e, q.on) : q.event;
      for (const v of Array.isArray(raw) ? raw : [raw]) {
        if (v === undefined || v === null) continue;
        const seg = String(v);
        const perBucket = counts.get(seg) ?? new Map<string, { n: number; users: Set<string> }>();
        counts.set(seg, perBucket);
        let bucket = bucketByDay.get(e.day);
        if (bucket === undefined) {
          bucket = bucketOf(e.day);
          bucketByDay.set(e.day, bucket);
        }
        const cell = perBucket.get(bucket) ?? { n: 0, users: new Set<string>() };
        perBucket.set(bucket, cell);
        cell.n++;
        cell.users.add(String(e.props.distinct_id));
      }
    }
    const measure = (c: { n: number; users: Set<string> } | undefined): number => {
      if (!c) return 0;
      if (q.type === 'general') return c.n;
      if (q.type === 'unique') return c.users.size;
      return c.users.size === 0 ? 0 : c.n / c.users.size;
    };
    const ranked = [...counts].map(([seg, perBucket]) => {
      const row: Record<string, number> = {};
      let total = 0;
      for (const b of series) {
        row[b] = measure(perBucket.get(b));
        total += row[b];
      }
      return { seg, row, total };
    });
    ranked.sort((a, b) => b.total - a.total || (a.seg < b.seg ? -1 : a.seg > b.seg ? 1 : 0));
    const values: Record<string, Record<string, number>> = {};
    for (const r of ranked.slice(0, q.limit)) values[r.seg] = r.row;
    return { data: { series, values }, legend_size: Object.keys(values).length };
  }

  exportLines(q: ExportQuery): string[] {
    const names = q.events ?? [...this.byEvent.keys()];
    const picked: StoredEvent[] = [];
    for (const name of names) {
      for (const e of this.byEvent.get(name) ?? []) {
        if (e.exportDay < q.fromDay || e.exportDay > q.toDay) continue;
        if (q.where && !q.where(e.props)) continue;
        picked.push(e);
      }
    }
    picked.sort((a, b) => a.timeMs - b.timeMs || (a.insertId < b.insertId ? -1 : 1));
    const limited = q.limit === undefined ? picked : picked.slice(0, q.limit);
    // An older project exports `time` in its own zone (epoch seconds shifted by the zone's offset).
    const timeOf = (e: StoredEvent) =>
      this.exportDates === 'utc' ? e.props.time : Math.floor((e.timeMs + zoneOffsetMs(e.timeMs, this.timeZone)) / 1000);
    const lines = limited.map((e) =>
      JSON.stringify({
        event: e.event,
        properties: { ...e.props, time: timeOf(e), $insert_id: e.insertId, mp_processing_time_ms: e.timeMs + 1500 },
      }),
    );
    if (this.rawLines.length > 0) lines.splice(Math.min(1, lines.length), 0, ...this.rawLines);
    return lines;
  }
}
