// The README's sandbox session, followed command by command for both CRMs: the sandbox is spawned
// as a user would (in its own folder), its env file loaded, each next command run against it, then
// Ctrl-C (SIGINT) stops it cleanly and its servers are gone.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const bin = fileURLToPath(new URL('../../bin/healthscore.js', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The shell lines of the README block marked as the sandbox session, comments removed. */
function sessionLines(): string[] {
  const after = readme.split('<!-- sandbox-session')[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(after)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** KEY=value lines of an env file, as `set -a; . file; set +a` would export them. */
function loadEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1] as string] = m[2] as string;
  }
  return env;
}

/** Starts the long-running sandbox and resolves with what it printed once it serves. */
function startSandbox(args: string[], cwd: string): Promise<{ child: ChildProcess; printed: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let printed = '';
    let errors = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      errors += d;
    });
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      printed += d;
      if (printed.includes('Serving until Ctrl-C.')) resolve({ child, printed, exited });
    });
    void exited.then((code) => reject(new Error(`sandbox exited (${code}) before serving: ${errors}`)));
  });
}

let running: ChildProcess | undefined;
afterEach(() => {
  // Only if a test failed half-way: never leave a sandbox behind.
  if (running && running.exitCode === null) running.kill('SIGINT');
  running = undefined;
});

describe('the README sandbox session', () => {
  it('given the README, when its sandbox session is read, then it is sandbox, env file, setup, dry run, run and backtest in that order', () => {
    expect(sessionLines().map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      'npx healthscore sandbox',
      'set -a; .',
      'npx healthscore setup',
      'npx healthscore run',
      'npx healthscore run',
      'npx healthscore backtest',
    ]);
  });

  it.each([
    ['hubspot', []],
    ['salesforce', ['--crm', 'salesforce']],
  ])(
    'given no accounts anywhere, when a user follows it with %s, then every command works and Ctrl-C stops the sandbox cleanly',
    async (crm, crmArgs) => {
      const cwd = mkdtempSync(join(tmpdir(), `healthscore-sandbox-${crm}-`));
      let env: Record<string, string> = {};
      let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
      const outputs: string[] = [];
      for (const line of sessionLines()) {
        const words = line.split(/\s+/);
        if (line.startsWith('set -a; .')) {
          env = loadEnvFile(join(cwd, words[3]?.replace(/;$/, '') ?? ''));
          continue;
        }
        expect(words.slice(0, 2)).toEqual(['npx', 'healthscore']);
        const args = words.slice(2);
        if (args[0] === 'sandbox') {
          // A smaller portfolio than the default 200 keeps the test quick; everything else as written.
          sandbox = await startSandbox([...args, ...crmArgs, '--accounts', '40'], cwd);
          running = sandbox.child;
          const configPath = /^run config: (.+)$/m.exec(sandbox.printed)?.[1] ?? '';
          const envPath = /^env file: +(.+)$/m.exec(sandbox.printed)?.[1] ?? '';
          expect(configPath).toBe(join(cwd, 'out/sandbox/healthscore.config.yaml'));
          expect(envPath).toBe(join(cwd, 'out/sandbox/sandbox.env'));
          expect(existsSync(configPath) && existsSync(envPath)).toBe(true);
          expect(sandbox.printed).toContain(`  npx healthscore setup --config out/sandbox/healthscore.config.yaml`);
          continue;
        }
        const r = await runCli(args, undefined, env, cwd);
        expect({ line, code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ line, code: 0, stderr: '' });
        outputs.push(r.stdout);
      }
      const [setup, dryRun, run, backtest] = outputs;
      expect(setup).toMatch(/^created: .*(healthscore_score|Health_Score__c)/m);
      expect(dryRun).toMatch(/^dry run \d{4}-\d\d-\d\d: 20 accounts previewed; a run would write \d+ property changes on 20 accounts/m);
      expect(dryRun).toMatch(/^nothing was written: vendor calls /m);
      expect(run).toMatch(/^run \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: 40 of 40 accounts scored/m);
      expect(run).toMatch(/^CRM writes: 40 written/m);
      expect(backtest).toMatch(/Outcomes: 40 used/);
      expect(backtest).toMatch(/ROC AUC \d/);
      const secrets = Object.entries(env)
        .filter(([k]) => /TOKEN|KEY|SECRET/.test(k) && !k.startsWith('AWS_'))
        .map(([, v]) => v);
      for (const out of [sandbox?.printed ?? '', ...outputs]) for (const s of secrets) expect(out).not.toContain(s);

      sandbox?.child.kill('SIGINT');
      expect(await sandbox?.exited).toBe(0);
      await expect(fetch(String(env.AWS_ENDPOINT_URL_DYNAMODB))).rejects.toThrow();
    },
  );
});
