// Adding a vendor to the local world, shown: Pulse (test/support/pulse-vendor.ts), registered in the
// vendor registry and with its local fake in the local-fakes registry, is started, connected, written
// into the run config and the secrets, and read by a day's run, with no edit to the demo's code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerLocalFake } from '../../connectors/local-fakes.ts';
import { registerVendor, vendorById } from '../../connectors/registry.ts';
import { type LocalVendors, localRunConfigSections, localVendorSecrets, startLocalVendors } from '../../pipeline/demo/local-vendors.ts';
import { buildConnectors, parseRunConfig } from '../../pipeline/run-config.ts';
import { type Harness, startHarness } from '../pipeline/harness.ts';
import { pulseLocalFake, pulseReads, pulseVendor } from '../support/pulse-vendor.ts';

let unregister: (() => void)[] = [];
let v: LocalVendors | undefined;
let h: Harness | undefined;
beforeEach(() => {
  unregister = [registerVendor(pulseVendor), registerLocalFake(pulseLocalFake)];
});
afterEach(async () => {
  await v?.close();
  await h?.close();
  v = undefined;
  h = undefined;
  for (const undo of unregister) undo();
});

describe('a vendor added to the local world by its local fake', () => {
  it('given Pulse and its local fake registered, when the local vendors start, then Pulse is a connected source with its run-config section and its secret', async () => {
    v = await startLocalVendors();
    expect(v.sources.map((s) => s.name)).toContain('pulse');
    expect(localRunConfigSections(v).pulse).toEqual({ surveyId: 'srv_local' });
    expect(localVendorSecrets(v).PULSE_API_KEY).toBe('pk_local_1');
    expect(v.fakes.get('pulse')?.fake).toEqual({ apiKey: 'pk_local_1', surveyId: 'srv_local' });
  });

  it('given Pulse registered, when a test picks the sources by id and leaves Pulse out, then its fake starts but no Pulse source is connected', async () => {
    v = await startLocalVendors({ sources: ['stripe'] });
    expect(v.sources.map((s) => s.name)).not.toContain('pulse');
    expect(v.fakes.has('pulse')).toBe(true);
  });

  it('given the local world written out as a run config with its secrets, when the connectors are built from it, then Pulse is among the sources', async () => {
    v = await startLocalVendors();
    const env = localVendorSecrets(v);
    const config = parseRunConfig({ crm: 'hubspot', ...localRunConfigSections(v) }, 'cfg.yaml');
    const built = await buildConnectors(config, async (id) => {
      const entry = vendorById(id);
      return entry ? env[entry.secret.env] : undefined;
    });
    expect(built.sources.map((s) => s.name)).toContain('pulse');
  });

  it('given the pipeline harness with Pulse registered, when a day runs, then every account was read from Pulse and its signal is stored with the score', async () => {
    h = await startHarness({ accounts: 3, days: 2 });
    pulseReads.length = 0;
    await h.runDay(0);
    const ids = [...h.ids.values()];
    expect(new Set(pulseReads)).toEqual(new Set(ids));
    const day = h.dayOf(0);
    const stored = await h.store.history(ids[0] as string, day, day);
    expect(stored[0]?.signals['pulse.responses']).toBe('srv_local'.length);
  });
});

describe('the local world without Pulse', () => {
  it('given Pulse unregistered again, when the local vendors start, then it has no Pulse fake, source or section', async () => {
    for (const undo of unregister) undo();
    unregister = [];
    v = await startLocalVendors();
    expect(v.fakes.has('pulse')).toBe(false);
    expect(v.sources.map((s) => s.name)).not.toContain('pulse');
    expect(localRunConfigSections(v)).not.toHaveProperty('pulse');
  });
});
