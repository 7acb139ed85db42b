// Raw Mixpanel API shapes (zod, as the vendor documents them) and the pure mappers from them into
// what the usage aggregation needs: per-segment daily numbers from a segmentation report, and one
// usage record per raw export line (or the reason the line is unusable).

import * as z from 'zod';
import { dayIndex, parseIsoDay } from '../../lib/days.ts';
import { firstIssue } from '../../lib/zod-issues.ts';

/** GET /api/query/segmentation → {data: {series, values: {segment: {date: n}}}, legend_size}. */
export const segmentationResponseSchema = z.object({
  data: z.object({
    series: z.array(z.string()),
    values: z.record(z.string(), z.record(z.string(), z.number())),
  }),
  legend_size: z.number().optional(),
});
export type SegmentationResponse = z.infer<typeof segmentationResponseSchema>;

/** One line of GET /api/2.0/export. */
export const exportLineSchema = z.object({
  event: z.string(),
  properties: z.looseObject({
    time: z.number(),
    distinct_id: z.union([z.string(), z.number()]),
    $insert_id: z.string().optional(),
  }),
});

/** Error bodies: the Query API says {request, error}; the export host {error, status}. */
export const errorBodySchema = z.looseObject({ error: z.string().optional(), request: z.string().optional() });

/** segment → (day index → value). Dates that are not yyyy-mm-dd are dropped. */
export type SegmentSeries = Map<string, Map<number, number>>;

export function fromSegmentationResponse(body: SegmentationResponse): SegmentSeries {
  const out: SegmentSeries = new Map();
  for (const [segment, byDate] of Object.entries(body.data.values)) {
    const days = new Map<number, number>();
    for (const [date, value] of Object.entries(byDate)) {
      const day = parseIsoDay(date);
      if (day !== undefined) days.set(day, value);
    }
    out.set(segment, days);
  }
  return out;
}

export interface UsageRecord {
  event: string;
  day: number;
  distinctId: string;
  /** Group key values the event belongs to (a list property puts it in several groups). */
  groups: string[];
}

export type ExportLineResult = { ok: true; record: UsageRecord } | { ok: false; recordId: string; reason: string };

/**
 * Parses one export line; `lineNo` names the record when it has no `$insert_id`. `dayOf` gives the
 * project-local day of the event's `time` (epoch seconds), as the project's time zone counts days.
 */
export function fromExportLine(
  line: string,
  lineNo: number,
  groupKeyProperty: string,
  dayOf: (timeS: number) => number = (t) => dayIndex(t * 1000),
): ExportLineResult {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, recordId: `line ${lineNo}`, reason: 'not valid JSON' };
  }
  const parsed = exportLineSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      recordId: `line ${lineNo}`,
      reason: `fails the export schema at ${firstIssue(parsed.error)}`,
    };
  }
  const { event, properties } = parsed.data;
  const recordId = properties.$insert_id ?? `line ${lineNo}`;
  const raw = properties[groupKeyProperty];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  if (values.length === 0) return { ok: false, recordId, reason: `event "${event}" has no ${groupKeyProperty} property` };
  return { ok: true, record: { event, day: dayOf(properties.time), distinctId: String(properties.distinct_id), groups: values } };
}
