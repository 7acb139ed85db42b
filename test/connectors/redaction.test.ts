// Credentials never leave in a trace, a log or an error, even where a vendor puts them: each fake
// here echoes the secret back (in an error body, or in a next-page URL) and the HTTP trace, the
// run's log events and the errors raised all carry `[REDACTED]` instead. Without the redaction
// these tests fail: the secret is in the body the client reads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMixpanelFake } from '../../connectors/mixpanel/fake/server.ts';
import { createMixpanelSource } from '../../connectors/mixpanel/index.ts';
import type { SignalSource, SourceContext } from '../../connectors/shared/source.ts';
import { gatherSignals } from '../../pipeline/run/gather-signals.ts';
import { MemoryStateStore } from '../support/memory-state-store.ts';
import { collect, connect, fake as hubspotFake } from './hubspot/support.ts';
import { sourceConfig } from './mixpanel/helpers.ts';
import { account as stripeAccount, startFake as stripeFake, sourceFor as stripeSource } from './stripe/stripe-kit.ts';
import { context as zendeskContext, startFake as zendeskFake, sourceFor as zendeskSource } from './zendesk/zendesk-kit.ts';

let dir: string;
let trace: string;
const closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'redaction-'));
  trace = join(dir, 'trace.jsonl');
  process.env.HEALTHSCORE_HTTP_TRACE = trace;
});
afterEach(async () => {
  delete process.env.HEALTHSCORE_HTTP_TRACE;
  await Promise.all(closers.splice(0).map((c) => c()));
  rmSync(dir, { recursive: true, force: true });
});

/** The error a promise rejects with. */
const failure = (p: Promise<unknown> | undefined) =>
  Promise.resolve(p).then(
    () => new Error('did not fail'),
    (e: Error) => e,
  );

function expectRedacted(secret: string, ...texts: string[]) {
  for (const text of texts) {
    expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  }
}

describe('a vendor that echoes the secret', () => {
  it('given Stripe echoing the API key in an error body, when a batch is read, then the trace, the log and the error are redacted', async () => {
    const f = await stripeFake();
    closers.push(() => f.close());
    f.server.inject({
      match: (r) => r.path === '/v1/subscriptions',
      fault: {
        kind: 'status',
        status: 400,
        body: { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${f.apiKey}` } },
      },
    });
    const logs: string[] = [];
    const ctx: SourceContext = {
      asOf: new Date('2026-06-01T12:00:00Z'),
      state: new MemoryStateStore(),
      log: (event, detail) => logs.push(JSON.stringify({ event, ...detail })),
    };
    const source: SignalSource = stripeSource(f);
    const gathered = await gatherSignals([source], [stripeAccount('acct', 'cus_1')], new Map(), ctx, '2026-06-01', 3, {});
    expectRedacted(f.apiKey, readFileSync(trace, 'utf8'), logs.join('\n'), gathered.failedSources.stripe ?? '');
  });

  it('given Zendesk echoing the token in an error body and in a next-page URL, when synced, then the trace and the error are redacted', async () => {
    const f = await zendeskFake();
    closers.push(() => f.close());
    f.addOrganization({ name: 'Acme' });
    f.server.inject({
      times: 1,
      match: (r) => r.path.startsWith('/api/v2/incremental/organizations'),
      fault: {
        kind: 'status',
        status: 200,
        body: {
          organizations: [],
          next_page: `${f.endpointUri}/incremental/organizations.json?start_time=0&access_token=${f.token}`,
          end_of_stream: false,
          end_time: 0,
          count: 0,
        },
      },
    });
    f.server.inject({
      match: (r) => r.path.startsWith('/api/v2/incremental/tickets'),
      fault: { kind: 'status', status: 422, body: { error: 'InvalidValue', description: `token ${f.token} is not valid here` } },
    });
    const err = await failure(zendeskSource(f).sync?.(zendeskContext()));
    const text = readFileSync(trace, 'utf8');
    expect(text).toMatch(/access_token=\[REDACTED\]/);
    expectRedacted(f.token, text, err.message);
  });

  it('given Mixpanel echoing the service-account secret in an error body, when synced, then the trace and the error are redacted', async () => {
    const f = await startMixpanelFake({ clockScale: 3600 });
    closers.push(() => f.close());
    const secret = f.serviceAccount.secret;
    f.server.inject({
      match: (r) => r.path === '/api/query/segmentation',
      fault: { kind: 'status', status: 400, body: { request: `/api/query/segmentation?secret=${secret}`, error: `bad secret ${secret}` } },
    });
    const logs: string[] = [];
    const source = createMixpanelSource(sourceConfig(f));
    const ctx: SourceContext = {
      asOf: new Date('2026-11-01T06:00:00Z'),
      state: new MemoryStateStore(),
      log: (e, d) => logs.push(JSON.stringify({ e, ...d })),
    };
    const err = await failure(source.sync(ctx));
    expectRedacted(secret, readFileSync(trace, 'utf8'), err.message);
    expect(logs.join('\n')).not.toContain(secret);
  });

  it('given HubSpot echoing the access token in an error body, when accounts are listed, then the trace and the error are redacted', async () => {
    const f = await hubspotFake();
    closers.push(() => f.close());
    f.server.inject({
      match: (r) => r.path.startsWith('/crm/v3/objects/companies'),
      fault: { kind: 'status', status: 400, body: { status: 'error', category: 'VALIDATION_ERROR', message: `Invalid token ${f.token}` } },
    });
    const err = await failure(collect(connect(f).listAccounts()));
    expectRedacted(f.token, readFileSync(trace, 'utf8'), err.message);
  });
});
