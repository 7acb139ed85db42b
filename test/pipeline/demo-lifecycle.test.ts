// The demo as a CS team would live it for seven weeks (issue #17's acceptance): the CRM holds
// prospects, partners and former customers, which are never scored; customers whose subscriptions
// are canceled during the run turn `churned`, frozen and silent, and are recorded as outcomes; one
// customer moved out of the scope by a clean-up is not an outcome; and the backtest reads the
// recorded outcomes from the store with no outcomes file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, runDemo } from '../../pipeline/demo/run-demo.ts';
import type { DayRecord } from '../../pipeline/store/records.ts';
import { runCli } from '../support/cli.ts';

const DAYS = 50;
let demo: DemoResult;
let rows: DayRecord[];
const out = mkdtempSync(join(tmpdir(), 'healthscore-demo-lifecycle-'));

beforeAll(async () => {
  demo = await runDemo({ crm: 'hubspot', accounts: 40, days: DAYS, outDir: out, model: 'portfolio' });
  rows = [];
  for await (const r of demo.store.allDays()) rows.push(r);
}, 300_000);

afterAll(async () => {
  await demo?.close();
});

const idOf = (key: string) => demo.crmIds.get(key) as string;
const rowsOf = (id: string) => rows.filter((r) => r.accountId === id).map((r) => r.day);

describe('given the demo portfolio with prospects, partners and former customers in the CRM', () => {
  it('then none of them is ever scored, and every run says how many were left out', () => {
    const others = demo.world.others.map((o) => idOf(o.key));
    expect(others.length).toBe(4 + 1 + 2);
    expect(rows.filter((r) => others.includes(r.accountId))).toEqual([]);
    expect(demo.summaries.every((s) => Object.values(s.outOfScope).reduce((n, v) => n + v, 0) >= others.length)).toBe(true);
    expect(demo.outOfScope).toBe(others.length + 1); // and the customer the clean-up moved out
  });
});

describe('when customers churn during the run', () => {
  const churners = () => demo.world.accounts.filter((a) => a.churnOn !== undefined && a.churnOn <= demo.world.lastDay);

  it('then each is recorded once as churned on the day its subscription ended, with the evidence', () => {
    expect(churners().length).toBeGreaterThanOrEqual(4);
    const churned = demo.outcomes.filter((o) => o.kind === 'churned');
    expect(churned.map((o) => [o.accountId, o.date]).sort()).toEqual(
      churners()
        .map((a) => [idOf(a.key), a.churnOn])
        .sort(),
    );
    for (const o of churned) expect(o.evidence).toMatch(/^Stripe subscription sub_\w+ ended \d{4}-\d{2}-\d{2}; none live$/);
  });

  it('then they are frozen (no score after the churn), show churned in the CRM with their last score, and raise no alert after it', async () => {
    for (const a of churners()) {
      const id = idOf(a.key);
      const crm = demo.vendors.hubspot?.companyProperties(id) ?? {};
      expect(crm.healthscore_tier).toBe('churned');
      expect(crm.healthscore_drivers).toMatch(new RegExp(`^Churned on ${a.churnOn}: Stripe subscription`));
      expect(Number(crm.healthscore_score)).toBe(rows.filter((r) => r.accountId === id).at(-1)?.score);
      expect(rowsOf(id).every((d) => d < (a.churnOn as string))).toBe(true);
      expect(demo.alerts.filter((x) => x.accountId === id && x.day >= (a.churnOn as string))).toEqual([]);
    }
  });

  it('then the 30-day backtest reads those outcomes from the store and reports an AUC', async () => {
    const { code, stdout, stderr } = await runCli(['backtest', '--from-store', demo.storePath, '--model', 'portfolio', '--horizons', '30']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/recorded by the runs/);
    expect(stdout).toMatch(/AUC/);
  });
});

describe('when a customer is moved out of the scope without churn evidence', () => {
  it('then it is no longer scored and is not an outcome', () => {
    const cleanup = demo.world.cleanup as { key: string; day: string };
    const id = idOf(cleanup.key);
    expect(rowsOf(id).every((d) => d < cleanup.day)).toBe(true);
    expect(rowsOf(id).length).toBeGreaterThan(0);
    expect(demo.outcomes.filter((o) => o.accountId === id)).toEqual([]);
  });
});

describe('when accounts expand, contract or renew', () => {
  it('then those outcomes are recorded too', () => {
    const kinds = new Set(demo.outcomes.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['churned', 'contracted', 'expanded', 'renewed']);
  });
});
