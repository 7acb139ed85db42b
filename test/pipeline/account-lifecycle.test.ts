// The account lifecycle end to end (docs/scoring-method.md §4), through the HubSpot SDK against its
// fake and dynalite: a CRM whose scope marks some records as not customers, and a billing source
// whose evidence the test sets day by day. Records out of scope are never scored; a customer whose
// subscriptions ended churns (an outcome), shows `churned` with its score frozen, and raises no
// alert; a customer leaving the scope without evidence is no longer scored and is not an outcome; a
// change of MRR held a billing period is an expansion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountPage, CrmAccount, CrmConnector } from '../../connectors/shared/crm.ts';
import type { LifecycleEvidence, SignalSource } from '../../connectors/shared/source.ts';
import { emptyReadResult } from '../../connectors/shared/source.ts';
import { formatSummary, type RunSummary } from '../../pipeline/run/summary.ts';
import type { RecordedOutcome } from '../../pipeline/store/records.ts';
import { type Harness, startHarness } from './harness.ts';

const ACCOUNTS = 6;
let h: Harness;
const summaries: RunSummary[] = [];
/** Per account index: scope and churn the CRM says, billing evidence the billing source says; set before each day. */
const scope = new Map<number, CrmAccount['scope']>();
const crmChurn = new Map<number, CrmAccount['churn']>();
const billing = new Map<number, LifecycleEvidence>();
const id = (i: number) => h.ids.get(`demo-${String(i).padStart(4, '0')}`) as string;
const indexOf = (accountId: string) => [...Array(ACCOUNTS).keys()].find((i) => id(i) === accountId);
const live = (mrrCents = 100_000): LifecycleEvidence => ({ live: true, mrrCents, seats: 10, periodDays: 3 });

/** The CRM as the test says each record is: scope and churn evidence added to the fake's listing. */
function scopedCrm(crm: CrmConnector): CrmConnector {
  return Object.assign(Object.create(crm) as CrmConnector, {
    async *listAccounts(options?: Parameters<CrmConnector['listAccounts']>[0]): AsyncIterable<AccountPage> {
      for await (const page of crm.listAccounts(options)) {
        const accounts = page.accounts.map((a) => {
          const i = indexOf(a.accountId);
          const s = i === undefined ? undefined : scope.get(i);
          const c = i === undefined ? undefined : crmChurn.get(i);
          return { ...a, ...(s ? { scope: s } : {}), ...(c ? { churn: c } : {}) };
        });
        yield { ...page, accounts };
      }
    },
  });
}

const billingSource: SignalSource = {
  name: 'billing-test',
  async read(accounts) {
    const result = emptyReadResult();
    result.lifecycle = new Map();
    for (const a of accounts) {
      const i = indexOf(a.accountId);
      const e = i === undefined ? undefined : billing.get(i);
      if (e) result.lifecycle.set(a.accountId, e);
    }
    return result;
  },
};

async function day(i: number) {
  summaries[i] = await h.runDay(i);
}

beforeAll(async () => {
  h = await startHarness({ accounts: ACCOUNTS, days: 12, stories: new Array(ACCOUNTS).fill('steady') });
  h.deps.crm = scopedCrm(h.deps.crm);
  // First, so its evidence is the one the run reads (the seeded Stripe says every customer is live).
  h.deps.sources = [billingSource, ...h.deps.sources];
  // 0: a prospect, never a customer. 1: churns on day 2. 2: leaves the scope on day 2 without evidence.
  // 3: expands on day 1 (held 3 days). 4: churned by a CRM field on day 3. 5: steady.
  scope.set(0, { in: false, reason: 'lifecyclestage is "lead", not customer' });
  for (const i of [1, 2, 3, 4, 5]) billing.set(i, live());
  await day(0);
  billing.set(3, live(130_000));
  await day(1);
  billing.set(1, { live: false, endedOn: h.dayOf(2), evidence: `Stripe subscription sub_1 ended ${h.dayOf(2)}; none live` });
  scope.set(2, { in: false, reason: 'lifecyclestage is "other", not customer' });
  await day(2);
  scope.set(4, { in: false, reason: 'lifecyclestage is "other", not customer' });
  crmChurn.set(4, { evidence: 'customer_status is "former"', on: h.dayOf(3) });
  await day(3);
  for (let i = 4; i < 8; i++) await day(i);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('given a CRM with records outside the account scope', () => {
  it('then a prospect is never scored, never written, and the plan says why it was left out', async () => {
    expect(await h.store.history(id(0), h.dayOf(0), h.dayOf(7))).toEqual([]);
    expect(h.vendors.hubspot?.updateCount(id(0))).toBe(0);
    expect(summaries[0]?.outOfScope).toEqual({ 'lifecyclestage is "lead", not customer': 1 });
    expect(summaries[0]?.accounts).toBe(ACCOUNTS - 1);
    expect(formatSummary(summaries[0] as RunSummary)).toMatch(
      /^scope: 1 CRM record outside the account scope, not scored \(1 lifecyclestage is "lead", not customer\)$/m,
    );
  });
});

describe('when a customer churns (every subscription ended)', () => {
  it('then it is recorded once as an outcome with its date and evidence', async () => {
    expect(await h.store.outcomes(id(1))).toEqual<RecordedOutcome[]>([
      {
        accountId: id(1),
        date: h.dayOf(2),
        kind: 'churned',
        evidence: `Stripe subscription sub_1 ended ${h.dayOf(2)}; none live`,
        runId: summaries[2]?.runId as string,
      },
    ]);
    expect(summaries[2]?.lifecycle).toMatchObject({ churned: 1, leftScope: 1, outcomes: { churned: 1 } });
  });

  it('then the CRM shows churned with the last score frozen and the churn date', async () => {
    const before = await h.store.history(id(1), h.dayOf(1), h.dayOf(1));
    const props = h.vendors.hubspot?.companyProperties(id(1)) ?? {};
    expect(summaries[2]?.writeProblems).toEqual([]);
    expect(props.healthscore_tier).toBe('churned');
    expect(Number(props.healthscore_score)).toBe(before[0]?.score);
    expect(props.healthscore_drivers).toBe(`Churned on ${h.dayOf(2)}: Stripe subscription sub_1 ended ${h.dayOf(2)}; none live`);
  });

  it('then it is not scored again, leaves the tier counts, raises no alert, and its history is kept', async () => {
    const rows = await h.store.history(id(1), h.dayOf(0), h.dayOf(7));
    expect(rows.map((r) => r.day)).toEqual([h.dayOf(0), h.dayOf(1)]);
    const tiers = (s: RunSummary | undefined) => (s ? s.tiers.green + s.tiers.yellow + s.tiers.red + s.tiers.unknown : -1);
    expect(summaries.slice(3).map((s) => [s.scored, tiers(s)])).toEqual(new Array(5).fill([ACCOUNTS - 4, ACCOUNTS - 4]));
    expect((await h.store.alerts(id(1))).filter((a) => String(a.day) >= h.dayOf(2))).toEqual([]);
    // Frozen: the CRM is written once, on the day it churned.
    expect(summaries.slice(3).every((s) => s.lifecycle.frozen >= 1)).toBe(true);
  });
});

describe('when a customer leaves the scope without churn evidence', () => {
  it('then it is no longer scored and is not an outcome', async () => {
    expect((await h.store.history(id(2), h.dayOf(0), h.dayOf(7))).map((r) => r.day)).toEqual([h.dayOf(0), h.dayOf(1)]);
    expect(await h.store.outcomes(id(2))).toEqual([]);
    expect(formatSummary(summaries[2] as RunSummary)).toMatch(/1 left the scope without churn evidence \(no longer scored, not a churn\)/);
  });
});

describe('when a CRM field says the customer left', () => {
  it('then it churns on the CRM date, with the CRM evidence, though it left the scope the same day', async () => {
    expect(await h.store.outcomes(id(4))).toEqual([
      { accountId: id(4), date: h.dayOf(3), kind: 'churned', evidence: 'CRM: customer_status is "former"', runId: summaries[3]?.runId },
    ]);
    expect(h.vendors.hubspot?.companyProperties(id(4)).healthscore_tier).toBe('churned');
  });
});

describe('when MRR grows 30 % and holds a billing period', () => {
  it('then an expansion is recorded on the day it began, once', async () => {
    expect(await h.store.outcomes(id(3))).toEqual([
      {
        accountId: id(3),
        date: h.dayOf(1),
        kind: 'expanded',
        evidence: `MRR 1,000 → 1,300 (+30 %) since ${h.dayOf(1)}, held 3 days`,
        runId: summaries[4]?.runId,
        change: { measure: 'mrr', from: 100_000, to: 130_000 },
      },
    ]);
  });

  it('then every recorded outcome is read back by the store scan the backtest uses', async () => {
    const all = [];
    for await (const o of h.store.allOutcomes()) all.push([o.kind, indexOf(o.accountId)]);
    expect(all.sort()).toEqual([
      ['churned', 1],
      ['churned', 4],
      ['expanded', 3],
    ]);
  });
});
