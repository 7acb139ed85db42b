// A minimal extra source that lives only in the test tree, to show what adding a vendor takes: this
// file (its registry entry and its source) and one `registerVendor` call. "Pulse" answers with the
// number of survey responses per account; it needs an API key and a survey id. Its local fake (one
// `registerLocalFake` call) makes it part of the local world the demo and the tests start.
import * as z from 'zod';
import type { LocalFakeEntry } from '../../connectors/shared/local-fake.ts';
import { emptyReadResult, type SignalSource } from '../../connectors/shared/source.ts';
import type { SourceVendor } from '../../connectors/shared/vendor.ts';

export const pulseConfigSchema = z.strictObject({
  apiKey: z.string().min(1),
  surveyId: z.string().regex(/^srv_[a-z0-9]+$/, 'a survey id such as srv_nps'),
});

/** Every account Pulse was asked about, so a test sees that the run read it. */
export const pulseReads: string[] = [];

function createPulseSource(section: Record<string, unknown>): SignalSource {
  const config = pulseConfigSchema.parse(section);
  return {
    name: 'pulse',
    async read(accounts) {
      const result = emptyReadResult();
      for (const a of accounts) {
        pulseReads.push(a.accountId);
        result.signals.set(a.accountId, { 'pulse.responses': config.surveyId.length });
      }
      return result;
    },
  };
}

export const pulseVendor: SourceVendor<'pulse'> = {
  id: 'pulse',
  kind: 'source',
  configSchema: pulseConfigSchema,
  secret: {
    path: ['apiKey'],
    env: 'PULSE_API_KEY',
    holds: 'the Pulse API key',
    defaultSecretName: 'healthscore/pulse',
    placeholder: 'pk_placeholder',
  },
  signals: ['pulse.responses'],
  identityField: 'pulseAccountId',
  createSource: async (section) => createPulseSource(section),
};

/** Pulse's local fake: nothing listens (the source above answers by itself), but the local world gets its connector section, run-config section and secret from here, as from any vendor's fake/local.ts. */
export const pulseLocalFake: LocalFakeEntry<{ apiKey: string; surveyId: string }> = {
  id: 'pulse',
  async start() {
    const fake = { apiKey: 'pk_local_1', surveyId: 'srv_local' };
    return {
      fake,
      connector: { apiKey: fake.apiKey, surveyId: fake.surveyId },
      runConfig: { surveyId: fake.surveyId },
      secret: fake.apiKey,
      close: async () => {},
    };
  },
};
