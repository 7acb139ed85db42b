// The run's side of the pipeline benchmark, in its own process (forked by bench/pipeline.ts): the
// real connectors, built by each vendor's registry factory from the sections the fakes of
// bench/pipeline-world.ts handed over (their rate budgets compressed by the same `scale` as the
// fakes' clocks, by each vendor's fake/local.ts, as for the demo), DynamoDB through
// the AWS SDK, and the real run (plan, then runAll) once per day. Reports wall times, the
// connectors' own call and 429 counts, and this process's memory.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { callStats, resetCallStats } from '../connectors/shared/http-trace.ts';
import { connectLocalVendors } from '../pipeline/demo/local-vendors.ts';
import { loadModel } from '../pipeline/model-files.ts';
import type { RunDeps, RunOptions } from '../pipeline/run/deps.ts';
import { planRun } from '../pipeline/run/plan.ts';
import { runAll } from '../pipeline/run/run-all.ts';
import { scoreBatch } from '../pipeline/run/score-batch.ts';
import { type RunSummary, summarizeRun } from '../pipeline/run/summary.ts';
import { DynamoStore } from '../pipeline/store/dynamo-store.ts';
import type { DayRun, Endpoints, RunnerReply, RunnerRequest } from './pipeline-protocol.ts';

/** The connectors, built from the world's sections as the demo builds them. */
async function connect(e: Endpoints, store: DynamoStore): Promise<RunDeps> {
  const { crm, sources, slack } = await connectLocalVendors(e.connectors);
  return { crm, sources: measuredSyncs(sources), store, models: loadModel('portfolio'), slack };
}

const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const MB = 1_048_576;

/** Peak heap and RSS while a step runs (sampled every 20 ms, after a full GC at its start when --expose-gc is on). */
interface Peak {
  heap: number;
  rss: number;
}
const active = new Set<Peak>();
const lifetime: Peak = { heap: 0, rss: 0 };
active.add(lifetime);
const sample = () => {
  const m = process.memoryUsage();
  for (const p of active) {
    p.heap = Math.max(p.heap, m.heapUsed);
    p.rss = Math.max(p.rss, m.rss);
  }
};
const sampler = setInterval(sample, 20);
let steps: DayRun['steps'] = {};

async function measured<T>(step: string, fn: () => Promise<T>): Promise<T> {
  (globalThis as { gc?: () => void }).gc?.();
  const peak: Peak = { heap: 0, rss: 0 };
  const startHeapMb = Math.round(process.memoryUsage().heapUsed / MB);
  active.add(peak);
  sample();
  try {
    return await fn();
  } finally {
    sample();
    active.delete(peak);
    steps[step] = { heapMb: Math.round(peak.heap / MB), rssMb: Math.round(peak.rss / MB), startHeapMb };
  }
}

/** Each source's portfolio-wide sync measured on its own (memory held for the whole portfolio shows here). */
function measuredSyncs(sources: RunDeps['sources']): RunDeps['sources'] {
  return sources.map((s) => {
    const sync = s.sync?.bind(s);
    return sync ? { ...s, sync: (ctx) => measured(`${s.name} sync`, () => sync(ctx)) } : s;
  });
}

/** The live heap (after a full GC) at the end of every 10th batch: what batches keep, flat when they stream. */
let liveAfterBatch = 0;
function afterBatch(done: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || done % 10 !== 0) return;
  gc();
  liveAfterBatch = Math.max(liveAfterBatch, process.memoryUsage().heapUsed);
}

/**
 * The batches of a planned run: runAll's one after another (concurrency 1, what the CLI and demo
 * do), or `concurrency` at once over the same scoreBatch, as the state machine's Distributed Map
 * runs them; here the workers share one process's budgets, which is what the map's split gives each.
 */
async function runBatches(deps: RunDeps, options: RunOptions, concurrency: number): Promise<RunSummary> {
  liveAfterBatch = 0;
  // runAll resumes the plan just made, runs every batch, summarizes.
  if (concurrency <= 1) return runAll(deps, options, { onBatch: afterBatch });
  const plan = await planRun(deps, options);
  const runOptions = { ...options, asOf: plan.asOf, runId: plan.runId };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < plan.batches.length) {
      await scoreBatch(deps, runOptions, plan.batches[next++] as number);
      afterBatch(++done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarizeRun(deps.store, plan.runId);
}

let deps: RunDeps | undefined;
let client: DynamoDBClient | undefined;
let batchSize = 100;
let concurrency = 1;
const send = (m: RunnerReply) => process.send?.(m);

const diff = (after: Record<string, { calls: number; rateLimited: number }>, before: typeof after, key: 'calls' | 'rateLimited') =>
  Object.fromEntries(Object.entries(after).map(([v, s]) => [v, s[key] - (before[v]?.[key] ?? 0)]));

process.on('message', async (raw) => {
  const m = raw as RunnerRequest;
  if (m.type === 'start') {
    batchSize = m.batchSize;
    concurrency = m.concurrency;
    client = new DynamoDBClient({
      endpoint: m.endpoints.dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 5,
    });
    deps = await connect(m.endpoints, new DynamoStore(client, { tableName: m.endpoints.dynamo.tableName }));
    await deps.crm.setup(); // once per portal, not part of a daily run
    resetCallStats();
    send({ type: 'ready', maxRssMb: rssMb() });
  } else if (m.type === 'run' && deps) {
    const options: RunOptions = { asOf: new Date(`${m.day}T23:30:00Z`), batchSize, maxStaleDays: 3 };
    const before = callStats();
    const cpu = process.cpuUsage();
    const run = deps;
    steps = {};
    const startedAt = Date.now();
    await measured('plan', () => planRun(run, options));
    const plannedAt = Date.now();
    const s = await measured('batches', () => runBatches(run, options, concurrency));
    const endedAt = Date.now();
    const after = callStats();
    const used = process.cpuUsage(cpu);
    send({
      type: 'day',
      day: m.day,
      startedAt,
      plannedAt,
      endedAt,
      calls: diff(after, before, 'calls'),
      rateLimited: diff(after, before, 'rateLimited'),
      scored: s.scored,
      accounts: s.accounts,
      tiers: s.tiers,
      writes: s.writes,
      alerts: Object.values(s.alerts).reduce((a, b) => a + b, 0),
      failedSources: s.failedSources,
      cpuMs: (used.user + used.system) / 1000,
      maxRssMb: rssMb(),
      heapPeakMb: Math.round(lifetime.heap / MB),
      steps,
      batchLiveHeapMb: Math.round(liveAfterBatch / MB),
    });
  } else if (m.type === 'close') {
    clearInterval(sampler);
    client?.destroy();
    process.send?.({ type: 'closed', maxRssMb: rssMb(), heapPeakMb: Math.round(lifetime.heap / MB) } satisfies RunnerReply, () =>
      process.exit(0),
    );
  }
});
