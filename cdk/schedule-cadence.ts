// What a schedule expression means for runs: how many fire a day and the shortest gap between two,
// read from EventBridge Scheduler's rate(…) and cron(…) forms. The run timeout defaults to a little
// less than that gap, so a run is always stopped before the next is due.

const DAY_MINUTES = 1440;

/** The values a cron field (minutes 0-59 or hours 0-23) takes: *, lists, ranges and steps; undefined when it cannot tell. */
function cronValues(field: string, max: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const start = m[1] === '*' ? 0 : Number(m[1]);
    const end = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? max : start;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (step < 1 || start > max || end > max) return undefined;
    for (let v = start; v <= end; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** The minutes of the day (0-1439) a cron schedule fires at, on a day it fires; undefined for forms it cannot read. */
function cronFireMinutes(expression: string): number[] | undefined {
  const cron = /^cron\((\S+) (\S+) \S+ \S+ \S+ \S+\)$/.exec(expression);
  if (!cron) return undefined;
  const minutes = cronValues(cron[1] as string, 59);
  const hours = cronValues(cron[2] as string, 23);
  if (!minutes || !hours) return undefined;
  return hours.flatMap((h) => minutes.map((m) => h * 60 + m));
}

export interface ScheduleCadence {
  /** Runs on a day the schedule fires. */
  runsPerDay: number;
  /** The shortest time between two runs, in minutes. */
  periodMinutes: number;
}

export function scheduleCadence(expression: string): ScheduleCadence | undefined {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) {
    const period = Number(rate[1]) * { minute: 1, hour: 60, day: DAY_MINUTES }[rate[2] as 'minute' | 'hour' | 'day'];
    return { runsPerDay: Math.max(1, Math.ceil(DAY_MINUTES / period)), periodMinutes: period };
  }
  const minutes = cronFireMinutes(expression);
  if (!minutes || minutes.length === 0) return undefined;
  let gap = DAY_MINUTES;
  for (let i = 0; i < minutes.length; i++) {
    const next = i + 1 < minutes.length ? (minutes[i + 1] as number) : (minutes[0] as number) + DAY_MINUTES;
    gap = Math.min(gap, next - (minutes[i] as number));
  }
  return { runsPerDay: minutes.length, periodMinutes: gap };
}

/** Longest run a daily schedule gets by default (the timeout used to be 20 h). */
export const MAX_DEFAULT_TIMEOUT_MINUTES = 20 * 60;

/** The default run timeout: a tenth of the period (at least a minute) less than it, and at most 20 h. */
export function defaultRunTimeoutMinutes(periodMinutes: number): number {
  return Math.min(MAX_DEFAULT_TIMEOUT_MINUTES, periodMinutes - Math.max(1, Math.ceil(periodMinutes / 10)));
}
