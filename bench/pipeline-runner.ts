// The run's side of the pipeline benchmark, in its own process (forked by bench/pipeline.ts): the
// real connectors pointed at the fakes of bench/pipeline-world.ts, their rate budgets compressed by
// the same `scale` as the fakes' clocks (as pipeline/demo/local-vendors.ts does), DynamoDB through
// the AWS SDK, and the real run (plan, then runAll) once per day. Reports wall times, the
// connectors' own call and 429 counts, and this process's memory.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHubSpotConnector } from '../connectors/hubspot/connector.ts';
import { createMixpanelSource } from '../connectors/mixpanel/index.ts';
import { callStats, resetCallStats } from '../connectors/shared/http-trace.ts';
import { createSlackNotifier } from '../connectors/slack/webhook.ts';
import { createStripeSource } from '../connectors/stripe/stripe-source.ts';
import { createZendeskSource } from '../connectors/zendesk/zendesk-source.ts';
import { FEATURES } from '../pipeline/demo/world.ts';
import { loadModel } from '../pipeline/model-files.ts';
import type { RunDeps, RunOptions } from '../pipeline/run/deps.ts';
import { planRun } from '../pipeline/run/plan.ts';
import { runAll } from '../pipeline/run/run-all.ts';
import { scoreBatch } from '../pipeline/run/score-batch.ts';
import { type RunSummary, summarizeRun } from '../pipeline/run/summary.ts';
import { DynamoStore } from '../pipeline/store/dynamo-store.ts';
import type { DayRun, Endpoints, RunnerReply, RunnerRequest } from './pipeline-protocol.ts';

const fastRetry = { baseDelayMs: 5, maxDelayMs: 100, maxTotalWaitMs: 20_000 };

/** The connectors, configured as pipeline/demo/local-vendors.ts configures them for compressed time. */
function connect(e: Endpoints, scale: number, store: DynamoStore): RunDeps {
  const crm = createHubSpotConnector({
    accessToken: e.hubspot.token,
    basePath: e.hubspot.url,
    portalId: '4242',
    rateLimit: { requests: 100, perMs: 10_000 / scale, search: { requests: 5, perMs: 1_000 / scale } },
    retry: fastRetry,
  });
  const sources = [
    createStripeSource({
      apiKey: e.stripe.apiKey,
      baseUrl: e.stripe.url,
      rateLimit: { requests: 20, perMs: 1000 / scale, safety: 0, perEndpoint: { perMs: 1000 / scale } },
      retry: fastRetry,
    }),
    createZendeskSource({
      username: e.zendesk.username,
      apiToken: e.zendesk.token,
      baseUrl: e.zendesk.endpointUri,
      rateLimit: { requests: 200, perMs: 60_000 / scale, incremental: { requests: 10, perMs: 60_000 / scale } },
      retry: fastRetry,
    }),
    createMixpanelSource({
      region: 'us',
      queryBaseUrl: e.mixpanel.queryBaseUrl,
      exportBaseUrl: e.mixpanel.exportBaseUrl,
      serviceAccount: e.mixpanel.serviceAccount,
      projectId: e.mixpanel.projectId,
      groupKeyProperty: e.mixpanel.groupKeyProperty,
      activeEvents: ['Session Start'],
      coreFeatures: [...FEATURES],
      rateLimit: { perMs: 3_600_000 / scale, export: { perMs: 3_600_000 / scale }, exportPerSecond: { perMs: 1000 / scale } },
      retry: fastRetry,
    }),
  ];
  const slack = createSlackNotifier({ webhookUrl: e.slackWebhookUrl, windowMs: Math.max(1, Math.round(1000 / scale)) });
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
    deps = connect(m.endpoints, m.scale, new DynamoStore(client, { tableName: m.endpoints.dynamo.tableName }));
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
