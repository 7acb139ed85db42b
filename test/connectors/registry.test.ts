// Adding a vendor, shown: a source defined in the test tree (test/support/pulse-vendor.ts) is
// registered with one call, and the run, the coverage check, config validation and the deploy
// config with its secret grant pick it up, with no edit anywhere else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build-app.ts';
import { parseDeployConfig } from '../../cdk/deploy-config.ts';
import { registerVendor, vendorById } from '../../connectors/registry.ts';
import { localRunConfigSections, localVendorSecrets } from '../../pipeline/demo/local-vendors.ts';
import { buildConnectors, ConfigErrorList, configuredSources, parseRunConfig } from '../../pipeline/run-config.ts';
import { reachableSignals } from '../../pipeline/source-coverage.ts';
import { exampleRaw, writeConfig } from '../cdk/support/configs.ts';
import { statementsOf, type TemplateJson } from '../cdk/support/template.ts';
import { type Harness, startHarness } from '../pipeline/harness.ts';
import { pulseReads, pulseVendor } from '../support/pulse-vendor.ts';

let unregister: (() => void) | undefined;
beforeEach(() => {
  unregister = registerVendor(pulseVendor);
});
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

describe('a vendor added by one registry entry', () => {
  it('given Pulse registered, when a run config names it, then it validates and is a configured source; unregistered, the same config is refused', () => {
    const config = parseRunConfig({ crm: 'hubspot', hubspot: {}, pulse: { surveyId: 'srv_nps' } }, 'cfg.yaml');
    expect(configuredSources(config)).toEqual(['hubspot', 'pulse']);
    unregister?.();
    unregister = undefined;
    expect(() => parseRunConfig({ crm: 'hubspot', hubspot: {}, pulse: { surveyId: 'srv_nps' } }, 'cfg.yaml')).toThrow(ConfigErrorList);
  });

  it('given Pulse registered, when the reachable signals of the CRM and Pulse are computed, then its signal is among them', () => {
    expect(reachableSignals(['hubspot', 'pulse'])).toContain('pulse.responses');
    expect(reachableSignals(['hubspot'])).not.toContain('pulse.responses');
  });

  it('given a deploy config with a run.pulse section, when parsed, then Pulse is a source, its settings are judged by its own schema and a key in the section is refused', () => {
    const raw = exampleRaw();
    const ok = parseDeployConfig({ ...raw, run: { ...raw.run, pulse: { surveyId: 'srv_nps' } } }, 'deploy.yaml', '/tmp');
    expect(ok.sources).toContain('pulse');
    expect(ok.secrets.pulse).toBe('healthscore/pulse');
    const bad = () =>
      parseDeployConfig({ ...raw, run: { ...raw.run, pulse: { surveyId: 'nps', apiKey: 'pk_live_1' } } }, 'deploy.yaml', '/tmp');
    expect(bad).toThrow(/run\.pulse\.surveyId: a survey id such as srv_nps/);
    expect(bad).toThrow(/run\.pulse\.apiKey: a secret never goes into the deploy config/);
  });

  it('given a deployment with Pulse, when the stack is synthesized, then plan and score-batch may read the Pulse secret and setup may not', () => {
    const raw = exampleRaw();
    const { app, stack } = buildApp({
      configPath: writeConfig({ ...raw, run: { ...raw.run, pulse: { surveyId: 'srv_nps' } } }),
      bundling: false,
    });
    const json = app.synth().getStackByName(stack.stackName).template as TemplateJson;
    const readsPulse = (role: 'plan' | 'scoreBatch' | 'setup') => {
      const roleId = stack.getLogicalId(stack.functions[role].role.node.defaultChild as never);
      return statementsOf(json)
        .filter((s) => JSON.stringify(json.Resources[s.owner]?.Properties?.Roles ?? []).includes(`{"Ref":"${roleId}"}`))
        .some(
          (s) => s.actions.includes('secretsmanager:GetSecretValue') && s.resources.some((r) => r.includes(':secret:healthscore/pulse-')),
        );
    };
    expect([readsPulse('plan'), readsPulse('scoreBatch'), readsPulse('setup')]).toEqual([true, true, false]);
  });

  describe('in a run', () => {
    let h: Harness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('given the local vendors plus Pulse in the run config, when the connectors are built and a day runs, then every account was read from Pulse and its signal is stored with the score', async () => {
      h = await startHarness({ accounts: 3, days: 2 });
      const env = { ...localVendorSecrets(h.vendors), PULSE_API_KEY: 'pk_test_1' };
      const config = parseRunConfig({ crm: 'hubspot', ...localRunConfigSections(h.vendors), pulse: { surveyId: 'srv_nps' } }, 'cfg.yaml');
      const built = await buildConnectors(config, async (id) => {
        const entry = vendorById(id);
        return entry ? env[entry.secret.env as keyof typeof env] : undefined;
      });
      Object.assign(h.deps, { crm: built.crm, sources: built.sources });
      pulseReads.length = 0;
      await h.runDay(0);
      const ids = [...h.ids.values()];
      expect(new Set(pulseReads)).toEqual(new Set(ids));
      const day = h.dayOf(0);
      const stored = await h.store.history(ids[0] as string, day, day);
      expect(stored[0]?.signals['pulse.responses']).toBe('srv_nps'.length);
    });
  });
});
