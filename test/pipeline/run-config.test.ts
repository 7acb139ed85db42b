// The shipped example config is valid as documented, and config mistakes are named precisely.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConnectors, ConfigErrorList, loadRunConfig, parseRunConfig, type SecretName } from '../../pipeline/run-config.ts';

const example = fileURLToPath(new URL('../../examples/healthscore.config.yaml', import.meta.url));
const secrets: Record<SecretName, string> = {
  hubspot: 'pat-na1-00000000-0000-0000-0000-000000000000',
  salesforce: '00D000000000000!AQ0AQExampleSessionId',
  stripe: 'sk_test_exampleexampleexample',
  zendesk: 'zendeskExampleToken0001',
  mixpanel: 'mixpanelExampleSecret',
  slack: 'https://hooks.slack.com/services/T000/B000/XXXX',
};

describe('run config', () => {
  it('given the example config and every secret, then all connectors build', async () => {
    const config = loadRunConfig(example);
    const c = await buildConnectors(config, async (name) => secrets[name]);
    expect(c.crm.kind).toBe('hubspot');
    expect(c.sources.map((s) => s.name)).toEqual(['stripe', 'zendesk', 'mixpanel']);
    expect(c.slack).toBeDefined();
  });

  it('given a typo and a bad value, then each is named with its path', () => {
    try {
      parseRunConfig({ crm: 'pipedrive', batchSize: 0, tabel: {} }, 'cfg.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigErrorList);
      const problems = (err as ConfigErrorList).problems.join('\n');
      expect(problems).toMatch(/cfg\.yaml: crm: /);
      expect(problems).toMatch(/cfg\.yaml: batchSize: /);
      expect(problems).toMatch(/tabel/);
    }
  });
});
