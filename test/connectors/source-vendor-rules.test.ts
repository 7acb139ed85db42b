// The request rules of Stripe, Zendesk and Mixpanel (connectors/<vendor>/fake/rules.ts, each
// README's table): each fake answers a request breaking a rule as the vendor does (or, for a rule
// the vendor does not refuse, serves it and records it), and an HTTP trace of each source's own
// traffic over a seeded portfolio audits clean against the same rules.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditMixpanelTrace, mixpanelRules } from '../../connectors/mixpanel/fake/rules.ts';
import { startMixpanelFake, takeMixpanelRuleViolations } from '../../connectors/mixpanel/fake/server.ts';
import { createMixpanelSource } from '../../connectors/mixpanel/index.ts';
import { auditStripeTrace, stripeRules } from '../../connectors/stripe/fake/rules.ts';
import { takeStripeRuleViolations } from '../../connectors/stripe/fake/server.ts';
import { auditZendeskTrace, zendeskRules } from '../../connectors/zendesk/fake/rules.ts';
import { takeZendeskRuleViolations } from '../../connectors/zendesk/fake/server.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { ASOF as MIXPANEL_ASOF, seedPortfolio as seedMixpanel, sourceConfig } from './mixpanel/helpers.ts';
import { seedPortfolio as seedStripe, startFake as stripeFake, sourceFor as stripeSource } from './stripe/stripe-kit.ts';
import { daysAgo, ASOF as ZENDESK_ASOF, startFake as zendeskFake, sourceFor as zendeskSource } from './zendesk/zendesk-kit.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  delete process.env.HEALTHSCORE_HTTP_TRACE;
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function get(url: string, authorization: string) {
  const res = await fetch(url, { headers: { authorization } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Runs `work` with the HTTP trace on and returns the trace's text. */
async function traced(work: () => Promise<unknown>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'rules-trace-'));
  const file = join(dir, 'trace.jsonl');
  process.env.HEALTHSCORE_HTTP_TRACE = file;
  try {
    await work();
    return readFileSync(file, 'utf8');
  } finally {
    delete process.env.HEALTHSCORE_HTTP_TRACE;
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (vendor: string, url: string) => `${JSON.stringify({ vendor, method: 'GET', url, status: 200 })}\n`;

describe('Stripe', () => {
  it('given a request breaking each rule, when sent, then Stripe’s error body comes back and the rule is recorded', async () => {
    const f = await stripeFake();
    closers.push(() => f.close());
    const auth = `Bearer ${f.apiKey}`;
    const cases: [string, string, RegExp][] = [
      ['list-limit-100', '/v1/invoices?limit=101', /between 1 and 100/],
      ['expand-depth-4', '/v1/subscriptions?expand[]=data.schedule.phases.items.price', /more than 4 levels/],
      ['subscription-items-need-subscription', '/v1/subscription_items', /Missing required param: subscription/],
    ];
    for (const [id, path, message] of cases) {
      const r = await get(`${f.url}${path}`, auth);
      expect(r.status, id).toBe(400);
      expect(r.body.error, id).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(message) });
    }
    expect(takeStripeRuleViolations().map((v) => v.split(':')[0])).toEqual(cases.map((c) => c[0]));
    expect(stripeRules.map((r) => r.id).sort()).toEqual(cases.map((c) => c[0]).sort());
  });

  it('given a portfolio with a truncated item list and a failed payment, when synced with the trace on, then every request keeps the rules', async () => {
    const f = await stripeFake();
    closers.push(() => f.close());
    const [first] = seedStripe(f, 30);
    f.addSubscription({
      customer: 'cus_wide',
      created: '2026-01-01T00:00:00Z',
      items: Array.from({ length: 12 }, (_, i) => ({ price: { id: `price_${i}`, unitAmount: 100, product: `prod_${i}` } })),
    });
    const sub = String(f.subscriptions().find((s) => s.customer === first)?.id);
    f.addInvoice({
      customer: String(first),
      subscription: sub,
      status: 'open',
      amountDue: 50_000,
      created: '2026-05-30T00:00:00Z',
      attempted: true,
    });
    const text = await traced(
      () => stripeSource(f).sync?.({ asOf: new Date('2026-06-01T12:00:00Z'), state: new MemoryStateStore() }) as Promise<unknown>,
    );
    expect(text).toMatch(/invoice_payments/);
    expect(text).toMatch(/subscription_items/);
    expect(auditStripeTrace(text)).toEqual([]);
    expect(auditStripeTrace(line('stripe', 'http://127.0.0.1/v1/subscriptions?limit=500'))).toEqual([
      'list-limit-100: GET /v1/subscriptions',
    ]);
  });
});

describe('Zendesk', () => {
  it('given a request breaking each rule, when sent, then Zendesk’s answer comes back (or the request is served and recorded)', async () => {
    const f = await zendeskFake();
    closers.push(() => f.close());
    const auth = `Basic ${Buffer.from(`${f.username}/token:${f.token}`).toString('base64')}`;
    const cases: [string, string, number][] = [
      ['export-per-page-1000', '/incremental/organizations.json?start_time=0&per_page=5000', 200],
      ['ticket-export-no-page-size', '/incremental/tickets/cursor.json?start_time=0&page[size]=100', 200],
      ['ratings-page-size-100', '/satisfaction_ratings.json?page[size]=101', 400],
      ['survey-page-size-100', '/guide/survey_responses?page[size]=500', 400],
      ['survey-created-at-ms', '/guide/survey_responses?filter[created_at_start]=1780000000', 200],
    ];
    for (const [id, path, status] of cases) expect((await get(`${f.endpointUri}${path}`, auth)).status, id).toBe(status);
    expect(takeZendeskRuleViolations().map((v) => v.split(':')[0])).toEqual(cases.map((c) => c[0]));
    expect(zendeskRules.map((r) => r.id).sort()).toEqual(cases.map((c) => c[0]).sort());
  });

  it('given an account on the updated CSAT, when synced with the trace on, then every request keeps the rules', async () => {
    const f = await zendeskFake({ csat: 'survey' });
    closers.push(() => f.close());
    const org = f.addOrganization({ name: 'Acme' });
    for (let d = 1; d <= 8; d++) {
      const t = f.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(d * 10) });
      f.addSurveyResponse({ ticketId: t, rating: 1 + (d % 5), at: daysAgo(d * 10 - 1) });
    }
    const text = await traced(
      () => zendeskSource(f, { pageSize: 3 }).sync?.({ asOf: ZENDESK_ASOF, state: new MemoryStateStore() }) as Promise<unknown>,
    );
    expect(text).toMatch(/survey_responses/);
    expect(auditZendeskTrace(text)).toEqual([]);
    expect(auditZendeskTrace(line('zendesk', 'http://127.0.0.1/api/v2/incremental/tickets/cursor.json?page%5Bsize%5D=100'))).toEqual([
      'ticket-export-no-page-size: GET /api/v2/incremental/tickets/cursor.json',
    ]);
  });
});

describe('Mixpanel', () => {
  it('given a request breaking each rule, when sent, then Mixpanel’s error body comes back and the rule is recorded', async () => {
    const f = await startMixpanelFake({ clockScale: 3600 });
    closers.push(() => f.close());
    const auth = `Basic ${Buffer.from(`${f.serviceAccount.username}:${f.serviceAccount.secret}`).toString('base64')}`;
    const seg = `${f.queryBaseUrl}/segmentation?event=x&from_date=2026-10-01&to_date=2026-10-02`;
    const cases: [string, string, string][] = [
      ['date-range', `${f.queryBaseUrl}/segmentation?event=x&from_date=2026-10-05&to_date=2026-10-02&project_id=${f.projectId}`, 'request'],
      ['segmentation-limit-10000', `${seg}&limit=20000&project_id=${f.projectId}`, 'request'],
      [
        'export-event-array',
        `${f.exportBaseUrl}/export?from_date=2026-10-01&to_date=2026-10-02&event=x&project_id=${f.projectId}`,
        'status',
      ],
    ];
    for (const [id, url, field] of cases) {
      const r = await get(url, auth);
      expect(r.status, id).toBe(400);
      expect(r.body, id).toHaveProperty(field);
    }
    expect(takeMixpanelRuleViolations().map((v) => v.split(':')[0])).toEqual(cases.map((c) => c[0]));
    // project-id is checked with the credentials, before the rules (Mixpanel answers it as the auth error it is).
    expect((await get(seg, auth)).status).toBe(400);
    expect(mixpanelRules.map((r) => r.id)).toContain('project-id');
  });

  it('given a portfolio read through segmentation and then the export, when synced with the trace on, then every request keeps the rules', async () => {
    const f = await startMixpanelFake({ clockScale: 3600 });
    closers.push(() => f.close());
    seedMixpanel(f, 12);
    const text = await traced(async () => {
      await createMixpanelSource(sourceConfig(f)).sync({ asOf: MIXPANEL_ASOF, state: new MemoryStateStore() });
      await createMixpanelSource(sourceConfig(f, { exportThreshold: 1 })).sync({ asOf: MIXPANEL_ASOF, state: new MemoryStateStore() });
    });
    expect(text).toMatch(/segmentation/);
    expect(text).toMatch(/export/);
    expect(auditMixpanelTrace(text)).toEqual([]);
    expect(auditMixpanelTrace(line('mixpanel', 'http://127.0.0.1/api/query/segmentation?from_date=2026-10-02&to_date=2026-10-01'))).toEqual(
      ['project-id: GET /api/query/segmentation'],
    );
  });
});
