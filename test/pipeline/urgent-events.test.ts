// Urgent events configured to alert at once: the first run that sees a champion leave alerts,
// once; the score's own alerts still wait for the change to hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
const id = (index: number) => h.ids.get(`demo-${String(index).padStart(4, '0')}`) as string;

beforeAll(async () => {
  h = await startHarness({ accounts: 2, days: 4, stories: ['champion_left', 'steady'], turnOffsets: [1, 20] });
  h.deps.cadence = { urgentEvents: ['champion_departed', 'payment_failed'] };
  for (let i = 0; i < 4; i++) await h.runDay(i);
});

afterAll(async () => {
  await h?.close();
});

describe('given champion_departed configured as an urgent event', () => {
  it('when the champion leaves, then the first run that sees it alerts once, before any alert that waits for confirmation', async () => {
    const alerts = (await h.store.alerts(id(0))).filter((a) => a.playbook !== 'absorbed');
    expect(alerts.filter((a) => a.playbook === 'urgent_event').map((a) => a.day)).toEqual([h.dayOf(1)]);
    const name = h.world.accounts[0]?.name as string;
    expect(alerts.find((a) => a.playbook === 'urgent_event')?.title).toBe(`${name}: champion left — act now`);
    // The score's own alerts (the drop it causes) still wait for it to hold, and come on a later run.
    const others = alerts.filter((a) => a.playbook !== 'urgent_event');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((a) => (a.day as string) > h.dayOf(1))).toBe(true);
    expect((h.vendors.hubspot?.tasks() ?? []).filter((t) => t.companyIds.includes(id(0)))).toHaveLength(alerts.length);
  });

  it('then an account without the event is never alerted', async () => {
    expect(await h.store.alerts(id(1))).toEqual([]);
  });
});
