// Test helpers: load the shipped presets and build small models from YAML text.
import type { CompiledModel } from '../../lib/model/compile.ts';
import { compileModel } from '../../lib/model/compile.ts';
import { parseModelFile } from '../../lib/model/validate.ts';
import type { AccountSnapshot } from '../../lib/signals/snapshot.ts';
import { loadModel } from '../../pipeline/model-files.ts';

export function preset(name: 'layered' | 'categories'): CompiledModel {
  const m = loadModel(name);
  if ('fallback' in m) throw new Error(`${name} is not a single model`);
  return m;
}

export function modelFromYaml(text: string): CompiledModel {
  const file = parseModelFile(text, 'test.yaml');
  if (file.kind !== 'model') throw new Error('expected a model');
  return compileModel(file.model);
}

export function snapshot(signals: AccountSnapshot['signals'], accountId = 'acme'): AccountSnapshot {
  return { accountId, asOf: '2026-11-01', signals };
}

/** Every signal of the layered preset at its best value (composite 100). */
export const healthyLayered: AccountSnapshot['signals'] = {
  'usage.trend14d': 0.2,
  'usage.licenseUtilization': 0.9,
  'usage.featureAdoption': 0.8,
  'engagement.emailResponseHours': 4,
  'engagement.meetingAttendance': 0.9,
  'relationship.championStatus': 'active',
  'relationship.execSponsorEngaged': true,
  'relationship.engagedContacts30d': 5,
  'outcome.nps': 9,
  'outcome.successPlanOnTrack': true,
};
