import { describe, expect, it } from 'vitest';
import {
  addDays,
  DAY_MS,
  DAY_S,
  dayIndex,
  dayOfIndex,
  daysBetween,
  isoDay,
  lastCompleteDay,
  parseInstant,
  parseIsoDay,
} from '../../lib/days.ts';

describe('one day module for the four ways a day is held', () => {
  const instant = '2026-03-01T23:59:59Z';

  it('given the same instant as a Date, milliseconds and a string, when reduced to its day, then all three name 2026-03-01', () => {
    const ms = Date.parse(instant);
    expect([isoDay(new Date(ms)), isoDay(ms), isoDay(instant)]).toEqual(['2026-03-01', '2026-03-01', '2026-03-01']);
  });

  it('given a day index, when turned into an ISO day and back, then the round trip is exact across a leap day', () => {
    const index = dayIndex('2028-02-29');
    expect(dayOfIndex(index)).toBe('2028-02-29');
    expect(parseIsoDay(dayOfIndex(index))).toBe(index);
    expect(dayOfIndex(index + 1)).toBe('2028-03-01');
  });

  it('given ISO days, when days are added, then months and years roll over in UTC', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-01T18:00:00Z', 0)).toBe('2026-03-01');
  });

  it('given two instants late and early in their days, when days between are counted, then whole calendar days count whatever the time', () => {
    const late = Date.parse('2026-03-01T23:00:00Z');
    const early = Date.parse('2026-03-03T01:00:00Z');
    expect(daysBetween(late, early)).toBe(2);
    expect(daysBetween('2026-03-01', '2026-03-03')).toBe(2);
    expect(daysBetween(new Date(early), '2026-03-01')).toBe(-2);
  });

  it('given a run at a moment on 2026-11-01, when the last complete day is asked, then it is 2026-10-31', () => {
    expect(dayOfIndex(lastCompleteDay(new Date('2026-11-01T06:00:00Z')))).toBe('2026-10-31');
    expect(dayOfIndex(lastCompleteDay(new Date('2026-11-01T00:00:00Z')))).toBe('2026-10-31');
  });

  it('given texts that are not real days, when parsed, then undefined rather than a rolled-over date', () => {
    expect(parseIsoDay('2026-02-30')).toBeUndefined();
    expect(parseIsoDay('2026-2-3')).toBeUndefined();
    expect(parseInstant('2026-02-30')).toBeUndefined();
    expect(parseInstant('2026-02-28T10:00')).toBe(Date.parse('2026-02-28T10:00:00Z'));
  });

  it('given the unit constants, then a day in milliseconds is a day in seconds times 1000', () => {
    expect(DAY_MS).toBe(DAY_S * 1000);
    expect(dayIndex(DAY_MS * 3 - 1)).toBe(2);
  });
});
