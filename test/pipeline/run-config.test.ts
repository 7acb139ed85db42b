// The shipped example config is valid as documented, and config mistakes are named precisely.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConnectors, ConfigErrorList, environmentSecrets, loadRunConfig, parseRunConfig } from '../../pipeline/run-config.ts';

const example = fileURLToPath(new URL('../../examples/healthscore.config.yaml', import.meta.url));
const secrets: Record<string, string> = {
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

  it('given crm: salesforce with the client credentials flow, when the secret is a JSON object, then the connector builds; a legacy bare token in SALESFORCE_ACCESS_TOKEN still builds the accessToken flow', async () => {
    const config = parseRunConfig(
      {
        crm: 'salesforce',
        salesforce: { auth: { flow: 'clientCredentials', clientId: '3MVG9example', myDomainUrl: 'https://acme.my.salesforce.com' } },
      },
      'cfg.yaml',
    );
    const c = await buildConnectors(config, async (name) =>
      name === 'salesforce' ? JSON.stringify({ clientSecret: 'ABCDEF0123456789' }) : undefined,
    );
    expect(c.crm.kind).toBe('salesforce');
    expect(c.crm.recordUrl('001000000000001AAA')).toBe('https://acme.lightning.force.com/lightning/r/Account/001000000000001AAA/view');
    const missing = buildConnectors(config, async (name) => (name === 'salesforce' ? JSON.stringify({ refreshToken: 'x' }) : undefined));
    await expect(missing).rejects.toThrow(/the clientCredentials flow needs "clientSecret" in the salesforce secret/);

    const legacy = parseRunConfig({ crm: 'salesforce', salesforce: { instanceUrl: 'https://acme.my.salesforce.com' } }, 'cfg.yaml');
    const before = { ...process.env };
    try {
      delete process.env.SALESFORCE_SECRET;
      process.env.SALESFORCE_ACCESS_TOKEN = secrets.salesforce;
      expect(await environmentSecrets('salesforce')).toBe(secrets.salesforce);
      expect((await buildConnectors(legacy, environmentSecrets)).crm.kind).toBe('salesforce');
    } finally {
      process.env = before;
    }
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
