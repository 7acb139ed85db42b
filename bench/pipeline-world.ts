// The vendors' side of the pipeline benchmark, in its own process (forked by bench/pipeline.ts):
// every vendor fake with compressed time and the documented rate limits, dynalite as the table, and
// the light world seeded into them. Keeping them apart from the run means the run's process holds
// only what the pipeline holds, so its peak RSS is the pipeline's. Answers the orchestrator over
// IPC: what each vendor saw since the last mark, and which CRM properties a run changed (and why).
import { startHubSpotFake } from '../connectors/hubspot/fake/server.ts';
import { startMixpanelFake } from '../connectors/mixpanel/fake/server.ts';
import type { LoggedRequest } from '../connectors/shared/fake/server.ts';
import { startSlackFake } from '../connectors/slack/fake/server.ts';
import { startStripeFake } from '../connectors/stripe/fake/server.ts';
import { startZendeskFake } from '../connectors/zendesk/fake/server.ts';
import { scoreChangeCauses } from './pipeline-causes.ts';
import type { Endpoints, VendorLog, WorldReply, WorldRequest } from './pipeline-protocol.ts';
import { seedBenchWorld } from './pipeline-seed.ts';

const accounts = Number(process.argv[2]);
const scale = Number(process.argv[3]);
const days = Number(process.argv[4]);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const [hubspot, stripe, zendesk, mixpanel, slack] = await Promise.all([
  startHubSpotFake({ clockScale: scale }),
  startStripeFake({ clockScale: scale }),
  startZendeskFake({ clockScale: scale }),
  startMixpanelFake({ clockScale: scale }),
  startSlackFake(),
]);
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
const logs: Record<string, LoggedRequest[]> = {
  hubspot: hubspot.server.log,
  stripe: stripe.server.log,
  zendesk: zendesk.server.log,
  mixpanel: mixpanel.server.log,
  slack: slack.server.log,
};
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
  hubspot: { url: hubspot.url, token: hubspot.token },
  stripe: { url: stripe.url, apiKey: stripe.apiKey },
  zendesk: { endpointUri: zendesk.endpointUri, username: zendesk.username, token: zendesk.token },
  mixpanel: {
    queryBaseUrl: mixpanel.queryBaseUrl,
    exportBaseUrl: mixpanel.exportBaseUrl,
    serviceAccount: mixpanel.serviceAccount,
    projectId: mixpanel.projectId,
    groupKeyProperty: mixpanel.groupKeyProperty,
  },
  slackWebhookUrl: slack.webhookUrl,
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
    await Promise.all([hubspot.close(), stripe.close(), zendesk.close(), mixpanel.close(), slack.close(), dynamo.close()]);
    process.send?.({ type: 'closed', maxRssMb: peak } satisfies WorldReply, () => process.exit(0));
  }
});

send({ type: 'ready', endpoints, seedMs, counts: bench.counts, days: bench.days, maxRssMb: mb() });
