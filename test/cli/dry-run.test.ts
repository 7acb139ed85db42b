// `healthscore run --dry-run`: the CLI previews a run against vendors reached over HTTP (the fakes)
// and the configured table, writes nothing anywhere, and previews exactly what the real run then writes.
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmKind, LocalVendors } from '../../pipeline/demo/local-vendors.ts';
import type { DryRunResult } from '../../pipeline/dry-run/dry-run.ts';
import type { LocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import { runCli } from '../support/cli.ts';
import { type CliWorld, startCliWorld } from '../support/cli-world.ts';
import { readsSince, requestMarks, writesSince } from '../support/vendor-writes.ts';

const noWrites = (v: LocalVendors) => Object.fromEntries(Object.keys(requestMarks(v)).map((k) => [k, []]));

async function tableItems(dynamo: LocalDynamo) {
  const r = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableName }));
  return r.Items ?? [];
}

describe.each<CrmKind>(['hubspot', 'salesforce'])('healthscore run --dry-run (%s)', (crm) => {
  let w: CliWorld;
  let v: LocalVendors;
  let configPath: string;
  let env: NodeJS.ProcessEnv;
  let asOf: string;

  beforeAll(async () => {
    w = await startCliWorld({ crm, accounts: 24, days: 2, setup: true });
    ({ v, env } = w);
    configPath = w.writeConfig('healthscore.config.yaml');
    asOf = `${w.world.firstDay}T23:30:00Z`;
  });

  afterAll(async () => {
    await w?.close();
  });

  // Salesforce keeps seeded e-mails as Tasks too: what matters is that none is added.
  const tasks = () => (crm === 'hubspot' ? v.hubspot?.tasks() : v.salesforce?.tasks())?.length;
  const updatesOf = (accountId: string) => (crm === 'hubspot' ? v.hubspot?.updateCount(accountId) : v.salesforce?.updatesOf(accountId));

  const crmValue = (accountId: string, property: string): string | null => {
    const raw = crm === 'hubspot' ? v.hubspot?.companyProperties(accountId)[property] : v.salesforce?.account(accountId)?.[property];
    return raw === undefined || raw === null ? null : String(raw);
  };

  it('given a fresh table, when run --dry-run --limit 20, then only reads reach the vendors and the table, and the printed changes are what the real run then writes', async () => {
    const marks = requestMarks(v);
    const tasksBefore = tasks();
    const dry = await runCli(['run', '--config', configPath, '--dry-run', '--limit', '20', '--as-of', asOf, '--json'], undefined, env);
    expect(dry.stderr).toMatch(/dry run: syncing first — Zendesk incremental export .* 10 requests a minute/);
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout) as DryRunResult;
    expect(preview.accounts).toHaveLength(20);
    expect(writesSince(v, marks)).toEqual(noWrites(v));
    expect(readsSince(v, marks)[crm]).toBeGreaterThan(0);
    expect(preview.accounts.map((a) => updatesOf(a.accountId))).toEqual(new Array(20).fill(0));
    expect(tasks()).toBe(tasksBefore);
    expect(v.slackFake.messages).toEqual([]);
    expect(await tableItems(w.dynamo)).toEqual([]);
    for (const a of preview.accounts) {
      expect(a.signals.find((s) => s.key === 'support.openEscalations')?.source ?? 'zendesk').toBe('zendesk');
      expect(a.changes.map((c) => c.key)).toContain('score');
      for (const c of a.changes) expect(c.from).toBe(crmValue(a.accountId, c.property));
    }

    const run = await runCli(['run', '--config', configPath, '--as-of', asOf], undefined, env);
    expect(run.code).toBe(0);
    for (const a of preview.accounts) {
      const written = Object.fromEntries(a.changes.map((c) => [c.property, crmValue(a.accountId, c.property)]));
      expect(written).toEqual(Object.fromEntries(a.changes.map((c) => [c.property, c.to])));
    }
  });

  it('given a table a run has used, when previewed the next day, then it syncs from the stored cursors and the table is left as it was', async () => {
    const before = await tableItems(w.dynamo);
    const marks = requestMarks(v);
    const nextDay = `${w.world.lastDay}T23:30:00Z`;
    const id = String(before.find((i) => i.sk?.S === 'STATE')?.accountId?.S);
    const dry = await runCli(['run', '--config', configPath, '--dry-run', '--accounts', id, '--as-of', nextDay], undefined, env);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(
      new RegExp(
        `Zendesk incremental export: from the stored cursor.*; the last run \\(${w.world.firstDay}\\) read \\d+ records in \\d+ requests, about \\d+ min at 10 a minute`,
      ),
    );
    expect(dry.stdout).toMatch(/^dry run .*: 1 accounts previewed; a run would write \d+ property changes on [01] accounts/m);
    expect(dry.stdout).toContain('source state read from the table');
    expect(writesSince(v, marks)).toEqual(noWrites(v));
    expect(await tableItems(w.dynamo)).toEqual(before);
  });

  it('given an id the CRM does not have, when previewed, then it is named and the exit code says so', async () => {
    const r = await runCli(['run', '--config', configPath, '--dry-run', '--accounts', 'no-such-account', '--as-of', asOf], undefined, env);
    expect(r.stdout).toContain('NOT FOUND: no-such-account');
    expect(r.code).toBe(1);
  });
});
