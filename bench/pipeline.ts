// Pipeline benchmark: a portfolio through the whole run (plan, batches, write-back, alerts) against
// every vendor fake with its documented rate limits on, vendor time compressed by `scale` on both
// sides (fake clocks and connector budgets) so every ratio holds. Day 1 backfills; on the following
// days nothing is new in any vendor (day 2: target no CRM writes; day 3: steady state). Prints per
// vendor the calls against the minimum the page sizes imply and the wall time against the minimum
// the rate limits imply (bench/pipeline-minimums.ts), the CRM writes of the unchanged days, and the
// run process's peak RSS at two portfolio sizes. Prints, never asserts.
//
// Three processes per portfolio size: this one orchestrates, bench/pipeline-world.ts holds the
// fakes and dynalite (the vendors' and AWS's side), bench/pipeline-runner.ts runs the pipeline, so
// the runner's memory is the pipeline's alone and each size starts clean.
//
//   BENCH_ACCOUNTS      portfolio size of the full run (default 10,000)
//   BENCH_DAYS          runs per size, 2 or more (default 2; 3 adds a steady-state day, ~1.5 min more)
//   BENCH_SCALE         vendor time per real time (default 10; must divide 1,000)
//   BENCH_BATCH         accounts per batch (default 100, the run's default)
//   BENCH_CONCURRENCY   batches at once (default 1: runAll, as the CLI runs; more: as the Distributed Map runs them)
//   BENCH_MEMORY_SMALL  the smaller size the memory comparison runs (default 1,000)
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultRunOptions } from '../pipeline/run/deps.ts';
import { type DayOutcome, minimums, type VendorMinimum } from './pipeline-minimums.ts';
import type { DayRun, RunnerReply, RunnerRequest, WorldReply, WorldRequest } from './pipeline-protocol.ts';
import { printMemory, printSize } from './pipeline-report.ts';
import type { SeededCounts } from './pipeline-seed.ts';

export interface DayResult {
  dayNumber: number;
  run: DayRun;
  vendors: Extract<WorldReply, { type: 'mark' }>;
  min: Record<string, VendorMinimum>;
  /** From day 2 on: which CRM score properties this run changed, and why. */
  diff?: Extract<WorldReply, { type: 'diff' }>;
}

export interface SizeResult {
  accounts: number;
  scale: number;
  batchSize: number;
  concurrency: number;
  seedMs: number;
  counts: SeededCounts;
  days: DayResult[];
  runnerRssMb: number;
  runnerHeapMb: number;
  runnerIdleRssMb: number;
  worldRssMb: number;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Sends a request and waits for the child's reply of `type`; a child that dies fails the wait. */
function ask<R extends { type: string }, T extends R['type']>(
  child: ChildProcess,
  type: T,
  request?: WorldRequest | RunnerRequest,
): Promise<Extract<R, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: R) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<R, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`bench child ${child.pid} exited (${code}) while waiting for "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (request) child.send(request);
  });
}

/** One portfolio size through `days` runs (day 1 backfills, then nothing new in any vendor), each process fresh. */
export async function benchSize(
  accounts: number,
  scale: number,
  days: number,
  batchSize: number,
  concurrency: number,
): Promise<SizeResult> {
  const world = fork(here('./pipeline-world.ts'), [String(accounts), String(scale), String(days)], { stdio: 'inherit' });
  let runner: ChildProcess | undefined;
  try {
    const ready = await ask<WorldReply, 'ready'>(world, 'ready');
    runner = fork(here('./pipeline-runner.ts'), [], { stdio: 'inherit', execArgv: [...process.execArgv, '--expose-gc'] });
    const started = await ask<RunnerReply, 'ready'>(runner, 'ready', {
      type: 'start',
      endpoints: ready.endpoints,
      scale,
      batchSize,
      concurrency,
    });
    await ask<WorldReply, 'mark'>(world, 'mark', { type: 'mark' }); // the CRM setup's calls are not the run's
    const results: DayResult[] = [];
    for (const [i, day] of ready.days.entries()) {
      const run = await ask<RunnerReply, 'day'>(runner, 'day', { type: 'run', day });
      const vendors = await ask<WorldReply, 'mark'>(world, 'mark', { type: 'mark' });
      const previous = ready.days[i - 1];
      const diff = await ask<WorldReply, 'diff'>(world, 'diff', { type: 'diff', days: [previous ?? day, day] });
      const outcome: DayOutcome = {
        asOf: new Date(`${day}T23:30:00Z`),
        ...(previous ? { previousAsOf: new Date(`${previous}T23:30:00Z`) } : {}),
        companiesWritten: vendors.companiesWritten,
        tasksCreated: vendors.tasksCreated,
        slackMessages: vendors.slackMessages,
      };
      results.push({ dayNumber: i + 1, run, vendors, min: minimums(ready.counts, outcome), ...(previous ? { diff } : {}) });
    }
    const runnerClosed = await ask<RunnerReply, 'closed'>(runner, 'closed', { type: 'close' });
    const worldClosed = await ask<WorldReply, 'closed'>(world, 'closed', { type: 'close' });
    return {
      accounts,
      scale,
      batchSize,
      concurrency,
      seedMs: ready.seedMs,
      counts: ready.counts,
      days: results,
      runnerRssMb: runnerClosed.maxRssMb,
      runnerHeapMb: runnerClosed.heapPeakMb,
      runnerIdleRssMb: started.maxRssMb,
      worldRssMb: worldClosed.maxRssMb,
    };
  } finally {
    for (const child of [runner, world]) if (child && child.exitCode === null && child.signalCode === null) child.kill();
  }
}

export async function benchPipeline(): Promise<void> {
  const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
  const scale = Number(process.env.BENCH_SCALE ?? 10);
  const small = Number(process.env.BENCH_MEMORY_SMALL ?? 1000);
  const days = Number(process.env.BENCH_DAYS ?? 2);
  const batch = Number(process.env.BENCH_BATCH ?? defaultRunOptions.batchSize);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);
  if (!Number.isInteger(scale) || scale < 1 || 1000 % scale !== 0) throw new Error(`BENCH_SCALE must divide 1,000 (got ${scale})`);
  if (!Number.isInteger(days) || days < 2) throw new Error(`BENCH_DAYS must be 2 or more (got ${days})`);
  console.log(
    `\npipeline    ${accounts.toLocaleString('en-US')} accounts · ${days} days · batches of ${batch}, ${concurrency === 1 ? 'one at a time (runAll)' : `${concurrency} at once`} · vendor time ×${scale}, real time × ${scale} = vendor time (a HubSpot 10 s window lasts ${10 / scale} s) · fakes and dynalite in one process, the run in another`,
  );
  const sizes = accounts === small ? [accounts] : [small, accounts];
  const results: SizeResult[] = [];
  for (const n of sizes) {
    const r = await benchSize(n, scale, days, batch, concurrency);
    results.push(r);
    printSize(r, n === accounts);
  }
  printMemory(results);
}
