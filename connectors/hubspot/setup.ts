// Creates, idempotently, the "Health score" property group on companies and the properties the
// score is written into. Two reads (groups, properties) decide; only what is missing is created
// (one batch call), an enumeration missing an option is completed, and a second run writes nothing.
// A same-named property of another type is a conflict a human must resolve, never overwritten.
import type { PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { CRM_TIERS, type SetupReport } from '../shared/crm.ts';
import { ConfigError } from '../shared/errors.ts';
import type { HubSpotCaller } from './client.ts';
import { scorePropertyNames as n, scorePropertyGroup } from './config.ts';

const OBJECT = 'companies';

interface Definition {
  name: string;
  label: string;
  description: string;
  type: 'number' | 'enumeration' | 'string' | 'datetime' | 'date';
  fieldType: 'number' | 'select' | 'textarea' | 'text' | 'date';
  options?: { label: string; value: string; displayOrder: number }[];
}

/** The model's tiers and `churned`, the lifecycle value the run writes for a customer who left. */
const tierOptions = CRM_TIERS.map((value, displayOrder) => ({
  label: value[0]?.toUpperCase() + value.slice(1),
  value,
  displayOrder,
}));

export const scorePropertyDefinitions: Definition[] = [
  { name: n.score, label: 'Health score', description: 'Customer health score, 0 to 100', type: 'number', fieldType: 'number' },
  {
    name: n.tier,
    label: 'Health tier',
    description: 'green, yellow, red, unknown when too little data, or churned when the customer has left',
    type: 'enumeration',
    fieldType: 'select',
    options: tierOptions,
  },
  { name: n.drivers, label: 'Health drivers', description: 'The top three reasons for the score', type: 'string', fieldType: 'textarea' },
  { name: n.change7d, label: 'Health change (7 days)', description: 'Score change over 7 days', type: 'number', fieldType: 'number' },
  { name: n.change30d, label: 'Health change (30 days)', description: 'Score change over 30 days', type: 'number', fieldType: 'number' },
  {
    name: n.completeness,
    label: 'Health data completeness',
    description: 'Share of the model backed by data, 0 to 1',
    type: 'number',
    fieldType: 'number',
  },
  { name: n.flags, label: 'Health flags', description: 'Flags raised, e.g. renewal_risk', type: 'string', fieldType: 'text' },
  { name: n.modelId, label: 'Health model', description: 'The model that computed the score', type: 'string', fieldType: 'text' },
  {
    name: n.lastChange,
    label: 'Last health change',
    description: 'The last change of the score: when, by how much, and what moved',
    type: 'string',
    fieldType: 'text',
  },
  { name: n.updatedAt, label: 'Health updated at', description: 'When the score last changed', type: 'datetime', fieldType: 'date' },
];

/**
 * The properties a CSM fills in to override the score (reason and expiry required). Created when
 * missing so the override works out of the box; when the mapping points at existing properties of
 * the portal's own, they are left as they are.
 */
export function overridePropertyDefinitions(names: { score: string; reason: string; expiresOn: string }): Definition[] {
  return [
    {
      name: names.score,
      label: 'Health score override',
      description: 'A CSM-set score (0 to 100); needs a reason and an expiry',
      type: 'number',
      fieldType: 'number',
    },
    {
      name: names.reason,
      label: 'Health override reason',
      description: 'Why the score is overridden',
      type: 'string',
      fieldType: 'textarea',
    },
    {
      name: names.expiresOn,
      label: 'Health override expires',
      description: 'The last day the override applies',
      type: 'date',
      fieldType: 'date',
    },
  ];
}

export async function setupHubSpotProperties(
  caller: HubSpotCaller,
  overrideNames?: { score: string; reason: string; expiresOn: string },
): Promise<SetupReport> {
  const report: SetupReport = { created: [], updated: [], unchanged: [] };
  const [groups, existing] = await Promise.all([
    // Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (property groups)
    caller.call('read company property groups', (sdk) => sdk.crm.properties.groupsApi.getAll(OBJECT)),
    // Docs: https://developers.hubspot.com/docs/guides/api/crm/properties (retrieve properties)
    caller.call('read company properties', (sdk) => sdk.crm.properties.coreApi.getAll(OBJECT, false)),
  ]);

  if (groups.results.some((g) => g.name === scorePropertyGroup.name)) report.unchanged.push(`group:${scorePropertyGroup.name}`);
  else {
    await caller.call('create the Health score property group', (sdk) =>
      sdk.crm.properties.groupsApi.create(OBJECT, { name: scorePropertyGroup.name, label: scorePropertyGroup.label, displayOrder: -1 }),
    );
    report.created.push(`group:${scorePropertyGroup.name}`);
  }

  const byName = new Map(existing.results.map((p) => [p.name, p]));
  const missing: Definition[] = [];
  for (const def of overrideNames ? overridePropertyDefinitions(overrideNames) : []) {
    if (byName.has(def.name)) report.unchanged.push(def.name);
    else missing.push(def);
  }
  for (const def of scorePropertyDefinitions) {
    const have = byName.get(def.name);
    if (!have) {
      missing.push(def);
      continue;
    }
    if (have.type !== def.type)
      throw new ConfigError(
        'hubspot',
        `company property ${def.name} exists with type ${have.type}, but the score needs ${def.type}: rename or delete it in HubSpot, then run setup again`,
      );
    const lacking = (def.options ?? []).filter((o) => !have.options.some((h) => h.value === o.value));
    if (lacking.length === 0) {
      report.unchanged.push(def.name);
      continue;
    }
    const options = [
      ...have.options.map((o) => ({
        label: o.label,
        value: o.value,
        displayOrder: o.displayOrder ?? 0,
        hidden: o.hidden,
        ...(o.description ? { description: o.description } : {}),
      })),
      ...lacking.map((o) => ({ ...o, hidden: false })),
    ];
    // The options sent replace the property's options: send the existing ones (as they are) with the new.
    await caller.call(`add options to ${def.name}`, (sdk) =>
      // Docs: https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/patch-crm-v3-properties-objectType-propertyName
      sdk.crm.properties.coreApi.update(OBJECT, def.name, { options }),
    );
    report.updated.push(def.name);
  }

  if (missing.length > 0) {
    // The Properties API requires `hidden` on every option (OptionInput), on create as on update.
    const inputs = missing.map(
      (d) =>
        ({
          ...d,
          ...(d.options ? { options: d.options.map((o) => ({ ...o, hidden: false })) } : {}),
          groupName: scorePropertyGroup.name,
          formField: false,
        }) as unknown as PropertyCreate,
    );
    const res = await caller.call('create the Health score properties', (sdk) =>
      // Docs: https://developers.hubspot.com/docs/api-reference/legacy/crm/properties/batch/create-properties
      sdk.crm.properties.batchApi.create(OBJECT, { inputs }),
    );
    const failed = 'errors' in res ? (res.errors ?? []) : [];
    if (failed.length > 0)
      throw new ConfigError('hubspot', `could not create company properties: ${failed.map((e) => e.message).join('; ')}`);
    report.created.push(...missing.map((d) => d.name));
  }
  return report;
}
