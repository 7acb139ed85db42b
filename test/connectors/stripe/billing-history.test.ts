// Our stored MRR/seat history (run-length encoded): what is known for which day, re-runs of a day,
// and pruning that keeps the value in force at the start of the window.
import { describe, expect, it } from 'vitest';
import { pruneHistory, recordDay, valueOn } from '../../../connectors/stripe/billing-history.ts';

describe('billing history', () => {
  it('given daily observations with one change, when stored, then only the change is kept and every day since the first is answerable', () => {
    let h = recordDay(undefined, '2026-01-01', 50_000, 10);
    for (const d of ['2026-01-02', '2026-01-03']) h = recordDay(h, d, 50_000, 10);
    h = recordDay(h, '2026-01-04', 75_000, 15);
    expect(h.points).toHaveLength(2);
    expect(valueOn(h, '2025-12-31')).toBeUndefined();
    expect(valueOn(h, '2026-01-03')).toMatchObject({ mrrCents: 50_000, seats: 10 });
    expect(valueOn(h, '2026-03-01')).toMatchObject({ mrrCents: 75_000, seats: 15 });
  });

  it('given the same day recorded twice, when stored, then the later values replace the earlier ones', () => {
    let h = recordDay(undefined, '2026-01-01', 50_000, 10);
    h = recordDay(h, '2026-01-02', 60_000, 12);
    h = recordDay(h, '2026-01-02', 50_000, 10);
    expect(h.points).toEqual([{ day: '2026-01-01', mrrCents: 50_000, seats: 10 }]);
  });

  it('given old changes, when pruned from a day, then the value in force on that day is still known', () => {
    let h = recordDay(undefined, '2026-01-01', 1, 1);
    h = recordDay(h, '2026-02-01', 2, 2);
    h = recordDay(h, '2026-03-01', 3, 3);
    h = recordDay(h, '2026-05-01', 4, 4);
    const pruned = pruneHistory(h, '2026-03-15');
    expect(pruned.points.map((p) => p.day)).toEqual(['2026-03-01', '2026-05-01']);
    expect(valueOn(pruned, '2026-03-15')).toMatchObject({ mrrCents: 3 });
    expect(pruneHistory(h, '2026-06-01').points.map((p) => p.day)).toEqual(['2026-05-01']);
  });
});
