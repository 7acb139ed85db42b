// Trend over the stored daily history (scoring-method.md §4): the change over 7 and 30 days, and
// the urgent drop (20 points or more within 14 days, whatever the tier).
import { addDays, daysBetween } from '../days.ts';

export interface DailyScore {
  /** ISO day. */
  day: string;
  score: number | null;
}

/** The score `days` ago: the latest record at or before that day, if it is no more than `slack` days older. */
function scoreAt(history: readonly DailyScore[], day: string, slack: number): number | null {
  let best: DailyScore | undefined;
  for (const h of history) {
    if (h.day <= day && (best === undefined || h.day > best.day)) best = h;
  }
  if (!best || best.score === null || daysBetween(best.day, day) > slack) return null;
  return best.score;
}

export interface Trend {
  change7d: number | null;
  change30d: number | null;
  /** The largest fall from any score of the previous 14 days to today's, when it is 20 points or more. */
  urgentDrop: number | null;
}

export const URGENT_DROP_POINTS = 20;

/** `history` holds earlier days (any order, today excluded). */
export function trendOf(today: DailyScore, history: readonly DailyScore[]): Trend {
  if (today.score === null) return { change7d: null, change30d: null, urgentDrop: null };
  const at7 = scoreAt(history, addDays(today.day, -7), 2);
  const at30 = scoreAt(history, addDays(today.day, -30), 5);
  const from = addDays(today.day, -14);
  let peak: number | null = null;
  for (const h of history) {
    if (h.day >= from && h.day < today.day && h.score !== null && (peak === null || h.score > peak)) peak = h.score;
  }
  const drop = peak === null ? 0 : peak - today.score;
  return {
    change7d: at7 === null ? null : today.score - at7,
    change30d: at30 === null ? null : today.score - at30,
    urgentDrop: drop >= URGENT_DROP_POINTS ? drop : null,
  };
}
