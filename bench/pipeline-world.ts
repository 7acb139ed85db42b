// The vendors' side of the pipeline benchmark, in its own process (forked by bench/pipeline.ts):
// every vendor fake with compressed time and the documented rate limits, dynalite as the table, and
// the light world seeded into them. Keeping them apart from the run means the run's process holds
// only what the pipeline holds, so its peak RSS is the pipeline's. Answers the orchestrator over
// IPC: what each vendor saw since the last mark, and which CRM properties a run changed (and why).
import type { LoggedRequest } from '../connectors/shared/fake/server.ts';
import { startLocalFakes } from '../pipeline/demo/local-vendors.ts';
import { scoreChangeCauses } from './pipeline-causes.ts';
import type { Endpoints, VendorLog, WorldReply, WorldRequest } from './pipeline-protocol.ts';
import { seedBenchWorld } from './pipeline-seed.ts';

const accounts = Number(process.argv[2]);
const scale = Number(process.argv[3]);
const days = Number(process.argv[4]);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

// Every registered vendor's local fake (HubSpot as the CRM, read with the connector's default mapping).
const local = await startLocalFakes({ crm: 'hubspot', scale, hubspotMapping: {} });
const { stripe, zendesk, mixpanel, slackFake: slack } = local.named;
if (!local.named.hubspot) throw new Error('the bench needs the HubSpot fake');
const hubspot = local.named.hubspot;
const { startLocalDynamo } = await import('../pipeline/store/local-dynamo.ts');
const dynamo = await startLocalDynamo();

const seedStart = performance.now();
const bench = seedBenchWorld({ hubspot, stripe, zendesk, mixpanel }, accounts, days);
const seedMs = performance.now() - seedStart;

/** The endpoint a request counts under, named as in the minimum's parts (bench/pipeline-minimums.ts). */
const labels: Record<string, (r: LoggedRequest) => string> = {
  hubspot: (r) => {
    if (r.method === 'GET' && r.path === '/crm/v3/objects/companies') return 'list companies';
    let m = /^\/crm\/v3\/objects\/(\w+)\/batch\/(read|update)$/.exec(r.path);
    if (m) return `${m[2]} ${m[1]}`;
    m = /^\/crm\/v4\/associations\/(\w+)\/(\w+)\/batch\/read$/.exec(r.path);
    if (m)
      return m[1] === 'companies'
        ? 'associations company→contacts'
        : m[2] === 'companies'
          ? 'associations email/meeting/call→companies'
          : 'associations meeting/call→contacts';
    if (r.method === 'POST' && /^\/crm\/v3\/objects\/(emails|meetings|calls)\/search$/.test(r.path))
      return 'search emails, meetings, calls';
    if (r.method === 'POST' && r.path === '/crm/v3/objects/tasks') return 'create tasks';
    if (r.path.startsWith('/crm/v3/properties')) return 'properties (setup)';
    return `${r.method} ${r.path.replace(/\/\d+$/, '/:id')}`;
  },
  stripe: (r) => (r.path === '/v1/subscriptions' ? 'list subscriptions' : r.path === '/v1/invoices' ? 'list open invoices' : r.path),
  zendesk: (r) =>
    r.path.includes('/incremental/organizations')
      ? 'organization export'
      : r.path.includes('/incremental/tickets')
        ? 'ticket export'
        : r.path.includes('satisfaction_ratings')
          ? 'satisfaction ratings'
          : r.path,
  mixpanel: (r) => (r.path.endsWith('/segmentation') ? 'segmentation reports' : r.path.endsWith('/export') ? 'raw export' : r.path),
  slack: () => 'webhook messages',
};
const logs: Record<string, readonly LoggedRequest[]> = Object.fromEntries(
  [...local.fakes].flatMap(([vendor, fake]) => (fake.requests ? [[vendor, fake.requests]] : [])),
);
const seen: Record<string, number> = {};
const updates = () => new Map(bench.companyIds.map((id) => [id, hubspot.updateCount(id)]));
let lastUpdates = updates();
let lastTasks = 0;
let lastSlack = 0;
let lastCpu = process.cpuUsage();

/** Everything the vendors saw since the previous mark. */
function mark(): Extract<WorldReply, { type: 'mark' }> {
  const vendors: Record<string, VendorLog> = {};
  for (const [vendor, log] of Object.entries(logs)) {
    const fresh = log.slice(seen[vendor] ?? 0);
    seen[vendor] = log.length;
    const byEndpoint: Record<string, number> = {};
    for (const r of fresh) byEndpoint[labels[vendor]?.(r) ?? r.path] = (byEndpoint[labels[vendor]?.(r) ?? r.path] ?? 0) + 1;
    vendors[vendor] = {
      calls: fresh.length,
      rateLimited: fresh.filter((r) => r.status === 429).length,
      byEndpoint,
      times: fresh.map((r) => r.at),
    };
  }
  const now = updates();
  const written = bench.companyIds.filter((id) => (now.get(id) ?? 0) > (lastUpdates.get(id) ?? 0)).length;
  lastUpdates = now;
  const tasks = hubspot.tasks().length;
  const cpu = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  const out = {
    type: 'mark' as const,
    vendors,
    companiesWritten: written,
    tasksCreated: tasks - lastTasks,
    slackMessages: slack.messages.length - lastSlack,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: mb(),
  };
  lastTasks = tasks;
  lastSlack = slack.messages.length;
  return out;
}

let snapshot: Map<string, Record<string, string | null>> | undefined;
const scoreProperties = (id: string) =>
  Object.fromEntries(
    Object.entries(hubspot.companyProperties(id)).filter(([k]) => k.startsWith('healthscore_') && !k.startsWith('healthscore_override')),
  );

const endpoints: Endpoints = {
  connectors: [...local.fakes].map(([vendor, fake]) => [vendor, fake.connector]),
  dynamo: { endpoint: dynamo.endpoint, tableName: dynamo.tableName },
};

const send = (m: WorldReply) => process.send?.(m);
process.on('message', async (raw) => {
  const m = raw as WorldRequest;
  if (m.type === 'mark') send(mark());
  else if (m.type === 'diff') {
    const previous = snapshot;
    snapshot = new Map(bench.companyIds.map((id) => [id, scoreProperties(id)]));
    const byProperty: Record<string, number> = {};
    const examples: Record<string, string> = {};
    const changed: string[] = [];
    for (const [id, now] of previous ? snapshot : []) {
      const before = previous?.get(id) ?? {};
      const keys = Object.keys(now).filter((k) => before[k] !== now[k]);
      if (keys.length === 0) continue;
      changed.push(id);
      for (const k of keys) {
        byProperty[k] = (byProperty[k] ?? 0) + 1;
        examples[k] ??= `company ${id}: ${JSON.stringify(before[k])} → ${JSON.stringify(now[k])}`;
      }
    }
    const causes = await scoreChangeCauses(dynamo.client, dynamo.tableName, changed, m.days);
    send({ type: 'diff', companies: changed.length, byProperty, examples, causes });
  } else if (m.type === 'close') {
    const peak = mb();
    await Promise.all([local.close(), dynamo.close()]);
    process.send?.({ type: 'closed', maxRssMb: peak } satisfies WorldReply, () => process.exit(0));
  }
});

send({ type: 'ready', endpoints, seedMs, counts: bench.counts, days: bench.days, maxRssMb: mb() });
