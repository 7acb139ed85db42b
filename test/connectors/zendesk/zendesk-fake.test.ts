// The Zendesk fake itself, driven by node-zendesk's own methods (default transport) and plain fetch:
// shapes the SDK parses, its own cursor pagination over links.next, the 401 body, the incremental
// limit with Retry-After, and the time-based organization export making progress.
import zendesk from 'node-zendesk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WaitOnlyClock } from '../../../connectors/shared/fake/server.ts';
import type { ZendeskFake } from '../../../connectors/zendesk/fake/server.ts';
import { daysAgo, startFake } from './zendesk-kit.ts';

let fake: ZendeskFake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await fake.close();
});

const sdk = (token = fake.token) => zendesk.createClient({ username: fake.username, token, endpointUri: fake.endpointUri });
const auth = () => ({ authorization: `Basic ${Buffer.from(`${fake.username}/token:${fake.token}`).toString('base64')}` });

describe('the Zendesk fake', () => {
  it("given 150 received ratings, when listed with the SDK's own pagination, then it follows links.next over 2 pages", async () => {
    const org = fake.addOrganization({ name: 'Acme' });
    for (let i = 0; i < 150; i++) {
      const t = fake.addTicket({ organizationId: org, status: 'solved', createdAt: daysAgo(60 - i * 0.1) });
      fake.rateTicket(t, { score: i % 3 === 0 ? 'bad' : 'good', at: daysAgo(59 - i * 0.1) });
    }
    const ratings = await sdk().satisfactionratings.list();
    expect(ratings).toHaveLength(150);
    expect(new Set(ratings.map((r: { id: number }) => r.id)).size).toBe(150);
    expect(fake.server.calls('GET', '/api/v2/satisfaction_ratings.json')).toHaveLength(2);
  });

  it('given a ticket, when shown with the SDK, then it has the fields Zendesk documents', async () => {
    const org = fake.addOrganization({ name: 'Acme' });
    const id = fake.addTicket({ organizationId: org, priority: 'urgent', tags: ['escalated'], createdAt: daysAgo(1) });
    const ticket = (await sdk().tickets.show(id)) as unknown as { result: Record<string, unknown> };
    expect(ticket.result).toMatchObject({ id, organization_id: org, priority: 'urgent', status: 'open', tags: ['escalated'] });
  });

  it("given a wrong token, when the SDK calls, then it fails with 401 and Zendesk's error body", async () => {
    const res = await fetch(`${fake.endpointUri}/incremental/tickets/cursor.json?start_time=0`, {
      headers: { authorization: 'Basic eDp5' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Couldn't authenticate you" });
    await expect(sdk('wrongtoken123').tickets.show(1)).rejects.toThrow(/401/);
  });

  it('given 10 export requests this minute, when an 11th comes, then 429 with Retry-After, and after waiting it passes', async () => {
    // vendor time moves only by the waits the fake asks for: the eleven requests fall in one minute
    // however slow this machine is, and the wait is spent in vendor time at once
    await fake.close();
    const clock = new WaitOnlyClock();
    fake = await startFake({ clock });
    const url = `${fake.endpointUri}/incremental/organizations.json?start_time=0`;
    for (let i = 0; i < 10; i++) expect((await fetch(url, { headers: auth() })).status).toBe(200);
    const before = clock.now();
    const limited = await fetch(url, { headers: auth() });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
    // the wait the fake asked for is the rest of the vendor minute
    expect(clock.now() - before).toBe(60_000);
    expect((await fetch(`${fake.endpointUri}/satisfaction_ratings.json`, { headers: auth() })).status).toBe(200);
    expect((await fetch(url, { headers: auth() })).status).toBe(200);
  });

  it('given 5 organizations updated in the same second, when exported 2 per page, then the export still reaches the end', async () => {
    for (let i = 0; i < 5; i++) fake.addOrganization({ name: `Same ${i}`, createdAt: '2026-01-01T00:00:00Z' });
    fake.addOrganization({ name: 'Later', createdAt: '2026-02-01T00:00:00Z' });
    let url: string | null = `${fake.endpointUri}/incremental/organizations.json?start_time=0&per_page=2`;
    const seen = new Set<number>();
    for (let guard = 0; url && guard < 10; guard++) {
      const page = (await (await fetch(url, { headers: auth() })).json()) as {
        organizations: { id: number }[];
        end_of_stream: boolean;
        next_page: string;
      };
      for (const o of page.organizations) seen.add(o.id);
      url = page.end_of_stream ? null : page.next_page;
    }
    expect(url).toBeNull();
    expect(seen.size).toBe(6);
  });
});
