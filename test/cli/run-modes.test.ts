// The run config's mode through the CLI: `paused` stops `run` before any vendor is called (a dry
// run may still preview), `shadow` scores and stores but leaves the CRM and Slack untouched and
// says what it would have done.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type LocalVendors, localRunConfigSections, startLocalVendors } from '../../pipeline/demo/local-vendors.ts';
import { applyDay, seedWorld } from '../../pipeline/demo/seed-vendors.ts';
import { buildWorld } from '../../pipeline/demo/world.ts';
import { type LocalDynamo, startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import { cliEnvironment, runCli } from '../support/cli.ts';
import { readsSince, requestMarks, writesSince } from '../support/vendor-writes.ts';

let v: LocalVendors;
let dynamo: LocalDynamo;
let env: NodeJS.ProcessEnv;
let dir: string;
const world = buildWorld({ accounts: 6, days: 1 });
const asOf = `${world.firstDay}T23:30:00Z`;

function configWith(mode: string): string {
  const path = join(dir, `healthscore.${mode}.yaml`);
  writeFileSync(
    path,
    stringify({
      crm: 'hubspot',
      mode,
      table: { name: dynamo.tableName, endpoint: dynamo.endpoint, region: 'local' },
      ...localRunConfigSections(v),
    }),
  );
  return path;
}

beforeAll(async () => {
  [v, dynamo] = await Promise.all([startLocalVendors(), startLocalDynamo()]);
  const { state } = seedWorld(v, world);
  applyDay(v, world, world.firstDay, state);
  await v.crm.setup();
  dir = mkdtempSync(join(tmpdir(), 'healthscore-modes-'));
  env = cliEnvironment(v);
});

afterAll(async () => {
  await v?.close();
  await dynamo?.close();
});

describe('healthscore run and the config’s mode', () => {
  it('given mode: paused, when run, then it exits at once with one line saying so and calls no vendor', async () => {
    const marks = requestMarks(v);
    const r = await runCli(['run', '--config', configWith('paused'), '--as-of', asOf], undefined, env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^healthscore run: healthscore is paused \(mode: paused\).*set mode to shadow or live to resume/);
    expect(r.stdout).toBe('');
    const none = Object.fromEntries(Object.keys(marks).map((k) => [k, 0]));
    expect(readsSince(v, marks)).toEqual(none);
    expect(Object.values(writesSince(v, marks)).flat()).toEqual([]);
  });

  it('given mode: shadow, when run, then every account is scored and stored, the CRM and Slack get nothing, and the summary says what would have been written', async () => {
    const marks = requestMarks(v);
    const r = await runCli(['run', '--config', configWith('shadow'), '--as-of', asOf], undefined, env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`run ${world.firstDay}: 6 of 6 accounts scored`);
    expect(r.stdout).toMatch(/^CRM writes: 0 written/m);
    expect(r.stdout).toMatch(/^SHADOW MODE: .*a live run would have written 54 property changes on 6 accounts/m);
    expect(writesSince(v, marks)).toMatchObject({ hubspot: [], slack: [] });
  });
});
