// The run config's mode through the CLI: `paused` stops `run` before any vendor is called (a dry
// run may still preview), `shadow` scores and stores but leaves the CRM and Slack untouched and
// says what it would have done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { type CliWorld, startCliWorld } from '../support/cli-world.ts';
import { readsSince, requestMarks, writesSince } from '../support/vendor-writes.ts';

let w: CliWorld;
let asOf: string;
const configWith = (mode: string) => w.writeConfig(`healthscore.${mode}.yaml`, { mode });

beforeAll(async () => {
  w = await startCliWorld({ accounts: 6, setup: true });
  asOf = `${w.world.firstDay}T23:30:00Z`;
});

afterAll(async () => {
  await w?.close();
});

describe('healthscore run and the config’s mode', () => {
  it('given mode: paused, when run, then it exits at once with one line saying so and calls no vendor', async () => {
    const marks = requestMarks(w.v);
    const r = await runCli(['run', '--config', configWith('paused'), '--as-of', asOf], undefined, w.env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^healthscore run: healthscore is paused \(mode: paused\).*set mode to shadow or live to resume/);
    expect(r.stdout).toBe('');
    const none = Object.fromEntries(Object.keys(marks).map((k) => [k, 0]));
    expect(readsSince(w.v, marks)).toEqual(none);
    expect(Object.values(writesSince(w.v, marks)).flat()).toEqual([]);
  });

  it('given mode: shadow, when run, then every account is scored and stored, the CRM and Slack get nothing, and the summary says what would have been written', async () => {
    const marks = requestMarks(w.v);
    const r = await runCli(['run', '--config', configWith('shadow'), '--as-of', asOf], undefined, w.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`run ${asOf}: 6 of 6 accounts scored`);
    expect(r.stdout).toMatch(/^CRM writes: 0 written/m);
    expect(r.stdout).toMatch(/^SHADOW MODE: .*a live run would have written 60 property changes on 6 accounts/m);
    expect(writesSince(w.v, marks)).toMatchObject({ hubspot: [], slack: [] });
  });
});
