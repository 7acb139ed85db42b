// Alerts are delivered exactly once per channel: a channel that fails is retried on the next run,
// and what was already delivered is not sent again.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('alert delivery', () => {
  it('given Slack refusing on the day a change is confirmed, then the CRM task goes out that day and the Slack message the next, once each', async () => {
    h = await startHarness({
      accounts: 3,
      days: 5,
      stories: ['steady', 'champion_left', 'steady'],
      turnOffsets: [20, 1, 20],
      overrideDays: -1,
    });
    const harness = h;
    const id = harness.ids.get('demo-0001') as string;
    const tasksFor = () => (harness.vendors.hubspot?.tasks() ?? []).filter((t) => t.companyIds.includes(id));
    const name = harness.world.accounts[1]?.name as string;
    const slackFor = () => harness.vendors.slackFake.messages.filter((m) => JSON.stringify(m).includes(name));

    await harness.runDay(0);
    await harness.runDay(1); // the cap holds: pending
    harness.vendors.slackFake.server.inject({ fault: { kind: 'status', status: 404, body: 'no_service' } });
    const confirmed = await harness.runDay(2);
    expect(confirmed.movements).toEqual({ 'green>yellow': 1 });
    expect(tasksFor()).toHaveLength(1);
    expect(slackFor()).toHaveLength(0);
    expect(confirmed.alerts).toEqual({});

    harness.vendors.slackFake.server.clearFaults();
    const next = await harness.runDay(3);
    expect(slackFor()).toHaveLength(1);
    expect(tasksFor()).toHaveLength(1);
    expect(next.alerts).toEqual({ tier_down_yellow: 1 });

    await harness.runDay(4);
    expect(slackFor()).toHaveLength(1);
    expect(tasksFor()).toHaveLength(1);
  });
});
