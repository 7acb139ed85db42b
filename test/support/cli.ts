// Runs the real `healthscore` command in a child process (the same Node as the tests).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type LocalVendors, localVendorSecrets } from '../../pipeline/demo/local-vendors.ts';

const bin = fileURLToPath(new URL('../../bin/healthscore.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], stdin?: string, env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** What `healthscore run` needs in its environment to reach the fakes: their secrets, and dynalite's (any) AWS credentials. */
export function cliEnvironment(v: LocalVendors): NodeJS.ProcessEnv {
  return { ...localVendorSecrets(v), AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
}
