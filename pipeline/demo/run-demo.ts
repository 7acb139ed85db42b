// The embedded default (`npm start`): the vendor fakes seeded with the demo portfolio, dynalite as
// the table, and the real pipeline run once per simulated day, then the portfolio printed and the
// HTML report and the local store (with the outcomes the runs recorded) left in the output folder.
// The CRM holds no Stripe or Zendesk ids, as a standard account would not: those sources join
// accounts by domain, and the last run's unmatched accounts and records (a free-mail customer among
// them) go to a CSV.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resetCallStats } from '../../connectors/shared/http-trace.ts';
import { addDays } from '../../lib/days.ts';
import { loadModel } from '../model-files.ts';
import { renderReport } from '../report/html-report.ts';
import { type AlertRow, buildPortfolio } from '../report/portfolio.ts';
import type { RunDeps } from '../run/deps.ts';
import { type UnmatchedRow, unmatchedCsv, unmatchedRows } from '../run/identity.ts';
import { runAll } from '../run/run-all.ts';
import type { RunSummary } from '../run/summary.ts';
import { DynamoStore } from '../store/dynamo-store.ts';
import { copyTable, startLocalDynamo } from '../store/local-dynamo.ts';
import type { RecordedOutcome } from '../store/records.ts';
import { type CrmKind, type LocalVendors, startLocalVendors } from './local-vendors.ts';
import { addFreeMailCustomer, applyDay, seedWorld } from './seed-vendors.ts';
import { buildWorld, type DemoWorld } from './world.ts';

export interface DemoOptions {
  crm: CrmKind;
  accounts: number;
  days: number;
  outDir: string;
  model: string;
  /** Called after each simulated day. */
  onDay?: (done: number, total: number, summary: RunSummary) => void;
}

export interface DemoResult {
  /** The simulated world (which account lives which story, who churns when). */
  world: DemoWorld;
  /** Seed key → CRM record id. */
  crmIds: Map<string, string>;
  /** The vendor fakes (open until `close`): what the CRM shows now. */
  vendors: LocalVendors;
  summaries: RunSummary[];
  alerts: AlertRow[];
  reportPath: string;
  /** The churns, renewals, expansions and contractions the runs recorded (the backtest reads them from the store). */
  outcomes: RecordedOutcome[];
  /** CRM records outside the account scope (prospects, partners, former customers): never scored. */
  outOfScope: number;
  storePath: string;
  /** The last run's unmatched accounts and unclaimed vendor records, with reasons. */
  unmatchedPath: string;
  unmatchedRows: UnmatchedRow[];
  names: Map<string, string>;
  store: DynamoStore;
  slackMessages: number;
  tasks: number;
  close(): Promise<void>;
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const outDir = resolve(o.outDir);
  const storePath = join(outDir, 'demo-store');
  rmSync(storePath, { recursive: true, force: true });
  mkdirSync(storePath, { recursive: true });
  resetCallStats();
  // The simulation runs on an in-memory table (several times faster than on disk); the result is
  // copied to the on-disk store at the end, for `healthscore backtest --from-store`.
  const dynamo = await startLocalDynamo();
  const vendors = await startLocalVendors({ crm: o.crm, joinBy: 'domain' });
  const close = async () => {
    await vendors.close();
    await dynamo.close();
  };
  try {
    // Beside the customers: prospects, partners and former customers the run must leave alone, stories
    // that end in a churn or a contraction, and one customer a data clean-up moves out of the scope.
    const world = buildWorld({
      accounts: o.accounts,
      days: o.days,
      endings: true,
      others: { prospects: Math.ceil(o.accounts / 10), partners: Math.ceil(o.accounts / 40), former: Math.ceil(o.accounts / 20) },
      cleanupOffset: Math.floor((o.days * 2) / 3),
    });
    const { state, crmIds } = seedWorld(vendors, world);
    addFreeMailCustomer(vendors, state);
    const names = new Map(world.accounts.map((a) => [crmIds.get(a.key) ?? a.key, a.name]));
    const store = new DynamoStore(dynamo.client, { tableName: dynamo.tableName });
    const deps: RunDeps = { crm: vendors.crm, sources: vendors.sources, store, models: loadModel(o.model), slack: vendors.slack };
    await vendors.crm.setup();
    const summaries: RunSummary[] = [];
    const alerts: AlertRow[] = [];
    for (let i = 0; i < o.days; i++) {
      const day = addDays(world.firstDay, i);
      applyDay(vendors, world, day, state);
      const summary = await runAll(deps, { asOf: new Date(`${day}T23:30:00Z`), batchSize: 100, maxStaleDays: 3 });
      summaries.push(summary);
      o.onDay?.(i + 1, o.days, summary);
    }
    for (const id of names.keys()) {
      for (const a of await store.alerts(id)) {
        // A key claimed by another alert (an urgent drop folded into a tier change) sent nothing itself.
        if (a.playbook === 'absorbed') continue;
        alerts.push({ accountId: id, name: names.get(id) ?? id, day: String(a.day), playbook: String(a.playbook), title: String(a.title) });
      }
    }
    alerts.sort((a, b) => a.day.localeCompare(b.day) || a.name.localeCompare(b.name));
    const records = [];
    for await (const r of store.allDays()) records.push(r);
    const outcomes: RecordedOutcome[] = [];
    for await (const x of store.allOutcomes()) outcomes.push(x);
    outcomes.sort((a, b) => a.date.localeCompare(b.date) || a.accountId.localeCompare(b.accountId));
    const portfolio = buildPortfolio(records, names, churnedOn(outcomes));
    const reportPath = join(outDir, 'report.html');
    writeFileSync(reportPath, renderReport(portfolio, alerts, `healthscore demo portfolio (${o.crm}, model ${o.model})`));
    const disk = await startLocalDynamo({ path: storePath });
    try {
      await copyTable(dynamo, disk);
    } finally {
      await disk.close();
    }
    const rows = summaries.length > 0 ? await unmatchedRows(store, (summaries.at(-1) as RunSummary).runId) : [];
    const unmatchedPath = join(outDir, 'unmatched.csv');
    writeFileSync(unmatchedPath, unmatchedCsv(rows));
    const tasks = vendors.hubspot ? vendors.hubspot.tasks().length : (vendors.salesforce?.tasks().length ?? 0);
    return {
      world,
      crmIds,
      vendors,
      summaries,
      alerts,
      reportPath,
      outcomes,
      outOfScope: Object.values(summaries.at(-1)?.outOfScope ?? {}).reduce((n, v) => n + v, 0),
      storePath,
      unmatchedPath,
      unmatchedRows: rows,
      names,
      store,
      close,
      slackMessages: vendors.slackFake.messages.length,
      tasks,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Each churned account's latest churn day. */
export function churnedOn(outcomes: readonly RecordedOutcome[]): Map<string, string> {
  return new Map(outcomes.filter((o) => o.kind === 'churned').map((o) => [o.accountId, o.date]));
}
