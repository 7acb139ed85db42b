import { describe, expect, it } from 'vitest';
import { addDays } from '../../../lib/days.ts';
import { type DayEvidence, type LifecycleEvidence, type LifecycleState, stepLifecycle } from '../../../lib/lifecycle/lifecycle.ts';

const options = { changeShare: 0.1 };
const live = (extra: Partial<LifecycleEvidence> = {}): LifecycleEvidence => ({
  live: true,
  mrrCents: 100_000,
  seats: 10,
  periodDays: 30,
  ...extra,
});

/** Runs the days in order from no state; returns each step. */
function walk(days: (Omit<DayEvidence, 'inScope'> & { inScope?: boolean })[]) {
  let state: LifecycleState | undefined;
  return days.map((d) => {
    const step = stepLifecycle(state, { inScope: true, ...d }, options);
    state = step.state;
    return step;
  });
}

describe('stepLifecycle', () => {
  it('starts a customer in scope, skips a record out of scope, and never starts one already churned', () => {
    expect(stepLifecycle(undefined, { day: '2026-10-01', inScope: true, billing: live() }, options)).toEqual({
      state: { status: 'customer', since: '2026-10-01', baseline: { mrrCents: 100_000, seats: 10, since: '2026-10-01' } },
      action: 'score',
      event: 'started',
      outcomes: [],
    });
    expect(stepLifecycle(undefined, { day: '2026-10-01', inScope: false, scopeReason: 'lifecyclestage is "lead"' }, options)).toEqual({
      state: undefined,
      action: 'skip',
      outcomes: [],
    });
    const before = stepLifecycle(
      undefined,
      { day: '2026-10-01', inScope: true, billing: { live: false, endedOn: '2026-03-01', evidence: 'sub_9 ended 2026-03-01' } },
      options,
    );
    expect(before).toEqual({
      state: { status: 'churned', since: '2026-10-01', churn: { on: '2026-03-01', evidence: 'sub_9 ended 2026-03-01', by: 'billing' } },
      action: 'skip',
      outcomes: [],
    });
  });

  it('a monthly plan: churns when every subscription ended, frozen after, and records no monthly renewal', () => {
    const steps = walk([
      { day: '2026-10-01', billing: live() },
      { day: '2026-11-01', billing: live() },
      {
        day: '2026-11-20',
        billing: { live: false, endedOn: '2026-11-19', evidence: 'Stripe subscription sub_1 ended 2026-11-19; none live' },
      },
      {
        day: '2026-11-21',
        billing: { live: false, endedOn: '2026-11-19', evidence: 'Stripe subscription sub_1 ended 2026-11-19; none live' },
      },
    ]);
    expect(steps.map((s) => [s.action, s.event, s.outcomes])).toEqual([
      ['score', 'started', []],
      ['score', undefined, []],
      ['freeze', 'churned', [{ date: '2026-11-19', kind: 'churned', evidence: 'Stripe subscription sub_1 ended 2026-11-19; none live' }]],
      ['freeze', undefined, []],
    ]);
    expect(steps[3]?.state).toEqual({
      status: 'churned',
      since: '2026-11-20',
      churn: { on: '2026-11-19', evidence: 'Stripe subscription sub_1 ended 2026-11-19; none live', by: 'billing' },
    });
  });

  it('a yearly plan: a new paid term is a renewal on its start; an unpaid one waits until paid', () => {
    const term = (start: string, paid: boolean) => live({ periodDays: 365, term: { start, months: 12, paid, id: 'sub_y' } });
    const steps = walk([
      { day: '2026-01-10', billing: term('2025-02-01', true) },
      { day: '2026-02-01', billing: term('2026-02-01', false) },
      { day: '2026-02-03', billing: term('2026-02-01', true) },
      { day: '2026-02-04', billing: term('2026-02-01', true) },
    ]);
    expect(steps.map((s) => s.outcomes)).toEqual([
      [],
      [],
      [
        {
          date: '2026-02-01',
          kind: 'renewed',
          evidence: 'a new 12-month term of sub_y started on 2026-02-01 and is paid (the last began 2025-02-01)',
        },
      ],
      [],
    ]);
  });

  it("the CRM's renewal date passing with the customer live is a renewal, once, and not twice with the billing term", () => {
    const steps = walk([
      { day: '2026-03-01', billing: live(), renewalDate: '2026-03-15' },
      { day: '2026-03-14', billing: live(), renewalDate: '2026-03-15' },
      { day: '2026-03-16', billing: live(), renewalDate: '2026-03-15' },
      { day: '2026-03-17', billing: live(), renewalDate: '2027-03-15' },
    ]);
    expect(steps.map((s) => s.outcomes)).toEqual([
      [],
      [],
      [{ date: '2026-03-15', kind: 'renewed', evidence: "the CRM's renewal date 2026-03-15 passed with the customer live" }],
      [],
    ]);
    const both = walk([
      { day: '2026-03-01', billing: live({ term: { start: '2025-03-14', months: 12, paid: true } }), renewalDate: '2026-03-15' },
      { day: '2026-03-16', billing: live({ term: { start: '2026-03-14', months: 12, paid: true } }), renewalDate: '2027-03-15' },
    ]);
    expect(both[1]?.outcomes.map((o) => [o.kind, o.date])).toEqual([['renewed', '2026-03-14']]);
  });

  it('a renewal date already past when the account is first seen is not a renewal', () => {
    const steps = walk([
      { day: '2026-03-01', billing: live(), renewalDate: '2026-02-15' },
      { day: '2026-03-02', billing: live(), renewalDate: '2026-02-15' },
    ]);
    expect(steps.flatMap((s) => s.outcomes)).toEqual([]);
  });

  it('no renewal when the renewal date passes and the customer has churned', () => {
    const steps = walk([
      { day: '2026-03-01', billing: live(), renewalDate: '2026-03-15' },
      { day: '2026-03-16', billing: { live: false, endedOn: '2026-03-15', evidence: 'sub_1 ended' }, renewalDate: '2026-03-15' },
    ]);
    expect(steps[1]?.outcomes).toEqual([{ date: '2026-03-15', kind: 'churned', evidence: 'sub_1 ended' }]);
  });

  it('an expansion counts when the MRR change of 10 % or more holds one billing period, dated from its first day', () => {
    const day = (n: number) => addDays('2026-05-01', n);
    const steps = walk([
      { day: day(0), billing: live() },
      { day: day(1), billing: live({ mrrCents: 125_000, seats: 12 }) },
      { day: day(20), billing: live({ mrrCents: 125_000, seats: 12 }) },
      { day: day(31), billing: live({ mrrCents: 125_000, seats: 12 }) },
      { day: day(32), billing: live({ mrrCents: 125_000, seats: 12 }) },
    ]);
    expect(steps.map((s) => s.outcomes)).toEqual([
      [],
      [],
      [],
      [
        {
          date: day(1),
          kind: 'expanded',
          evidence: `MRR 1,000 → 1,250 (+25 %) since ${day(1)}, held 30 days`,
          change: { measure: 'mrr', from: 100_000, to: 125_000 },
        },
      ],
      [],
    ]);
    expect(steps[4]?.state?.baseline).toEqual({ mrrCents: 125_000, seats: 12, since: day(1) });
  });

  it('a contraction below the share, or one reverted within the period, is not an outcome; one held is', () => {
    const day = (n: number) => addDays('2026-05-01', n);
    const small = walk([
      { day: day(0), billing: live() },
      { day: day(1), billing: live({ mrrCents: 95_000 }) },
      { day: day(40), billing: live({ mrrCents: 95_000 }) },
    ]);
    expect(small.flatMap((s) => s.outcomes)).toEqual([]);
    const reverted = walk([
      { day: day(0), billing: live() },
      { day: day(1), billing: live({ mrrCents: 80_000 }) },
      { day: day(10), billing: live() },
      { day: day(40), billing: live() },
    ]);
    expect(reverted.flatMap((s) => s.outcomes)).toEqual([]);
    const held = walk([
      { day: day(0), billing: live() },
      { day: day(1), billing: live({ mrrCents: 80_000, seats: 8 }) },
      { day: day(31), billing: live({ mrrCents: 80_000, seats: 8 }) },
    ]);
    expect(held.flatMap((s) => s.outcomes)).toEqual([
      {
        date: day(1),
        kind: 'contracted',
        evidence: `MRR 1,000 → 800 (−20 %) since ${day(1)}, held 30 days`,
        change: { measure: 'mrr', from: 100_000, to: 80_000 },
      },
    ]);
  });

  it('seats measure the change when the MRR is unknown', () => {
    const steps = walk([
      { day: '2026-05-01', billing: { live: true, seats: 10, periodDays: 7 } },
      { day: '2026-05-02', billing: { live: true, seats: 15, periodDays: 7 } },
      { day: '2026-05-09', billing: { live: true, seats: 15, periodDays: 7 } },
    ]);
    expect(steps[2]?.outcomes).toEqual([
      {
        date: '2026-05-02',
        kind: 'expanded',
        evidence: 'seats 10 → 15 (+50 %) since 2026-05-02, held 7 days',
        change: { measure: 'seats', from: 10, to: 15 },
      },
    ]);
  });

  it('a churn evidenced by a CRM field, dated by the CRM, wins over live billing', () => {
    const steps = walk([
      { day: '2026-06-01', billing: live() },
      { day: '2026-06-10', inScope: false, crmChurn: { evidence: 'Type is "Former Customer"', on: '2026-06-08' }, billing: live() },
      { day: '2026-06-11', inScope: false, crmChurn: { evidence: 'Type is "Former Customer"' }, billing: live() },
    ]);
    expect(steps.map((s) => [s.action, s.event, s.outcomes])).toEqual([
      ['score', 'started', []],
      ['freeze', 'churned', [{ date: '2026-06-08', kind: 'churned', evidence: 'CRM: Type is "Former Customer"' }]],
      ['freeze', undefined, []],
    ]);
  });

  it('leaving the scope without evidence is not a churn; coming back into scope starts again without an outcome', () => {
    const steps = walk([
      { day: '2026-06-01', billing: live() },
      { day: '2026-06-02', inScope: false, scopeReason: 'lifecyclestage is "other"', billing: live() },
      { day: '2026-06-03', inScope: false, billing: live() },
      { day: '2026-06-04', billing: live() },
    ]);
    expect(steps.map((s) => [s.action, s.event, s.state?.status, s.outcomes.length])).toEqual([
      ['score', 'started', 'customer', 0],
      ['skip', 'left-scope', 'left', 0],
      ['skip', undefined, 'left', 0],
      ['score', 'started', 'customer', 0],
    ]);
  });

  it('a churned customer with a live subscription again returns: scored, its age counted from the return', () => {
    const steps = walk([
      { day: '2026-06-01', billing: live() },
      { day: '2026-06-05', billing: { live: false, endedOn: '2026-06-04' } },
      { day: '2026-07-01', billing: live({ mrrCents: 50_000 }) },
    ]);
    expect(steps.map((s) => [s.action, s.event])).toEqual([
      ['score', 'started'],
      ['freeze', 'churned'],
      ['score', 'returned'],
    ]);
    expect(steps[2]?.state).toEqual({
      status: 'customer',
      since: '2026-07-01',
      returnedOn: '2026-07-01',
      baseline: { mrrCents: 50_000, seats: 10, since: '2026-07-01' },
    });
  });

  it('a churned account out of scope is left alone (no write); one still in scope keeps showing churned', () => {
    const churned: LifecycleState = { status: 'churned', since: '2026-06-05', churn: { on: '2026-06-04', evidence: 'x', by: 'billing' } };
    expect(stepLifecycle(churned, { day: '2026-06-06', inScope: false }, options).action).toBe('skip');
    expect(stepLifecycle(churned, { day: '2026-06-06', inScope: true, billing: { live: false } }, options).action).toBe('freeze');
    // The billing source read nothing this run (an outage): still churned, not a return.
    expect(stepLifecycle(churned, { day: '2026-06-06', inScope: true }, options)).toMatchObject({ action: 'freeze', state: churned });
    // A churn the CRM evidenced ends when the CRM's field no longer says so.
    const byCrm: LifecycleState = { status: 'churned', since: '2026-06-05', churn: { on: '2026-06-04', evidence: 'CRM: x', by: 'crm' } };
    expect(stepLifecycle(byCrm, { day: '2026-06-06', inScope: true }, options).event).toBe('returned');
  });
});
