// The local world's side of the vendor registry: one line per vendor with a fake, each loading its
// folder's fake/local.ts only when a local world starts (so nothing else that imports this list
// loads a fake). The demo, the sandbox, the bench and the tests iterate it; production code never
// imports it. `registerLocalFake` adds an entry at run time (a test registers a vendor's fake from the
// test tree).

import type { HubSpotLocalKnobs } from './hubspot/fake/local.ts';
import type { HubSpotFake } from './hubspot/fake/server.ts';
import type { MixpanelFake } from './mixpanel/fake/server.ts';
import type { SalesforceLocalKnobs } from './salesforce/fake/local.ts';
import type { SalesforceFake } from './salesforce/fake/server.ts';
import type { LocalFakeEntry } from './shared/local-fake.ts';
import type { SlackFake } from './slack/fake/server.ts';
import type { StripeFake } from './stripe/fake/server.ts';
import type { ZendeskFake } from './zendesk/fake/server.ts';

export interface LocalFakeLine {
  id: string;
  load(): Promise<LocalFakeEntry>;
}

const lines: LocalFakeLine[] = [
  { id: 'hubspot', load: async () => (await import('./hubspot/fake/local.ts')).hubspotLocalFake as LocalFakeEntry },
  { id: 'salesforce', load: async () => (await import('./salesforce/fake/local.ts')).salesforceLocalFake as LocalFakeEntry },
  { id: 'stripe', load: async () => (await import('./stripe/fake/local.ts')).stripeLocalFake as LocalFakeEntry },
  { id: 'zendesk', load: async () => (await import('./zendesk/fake/local.ts')).zendeskLocalFake as LocalFakeEntry },
  { id: 'mixpanel', load: async () => (await import('./mixpanel/fake/local.ts')).mixpanelLocalFake as LocalFakeEntry },
  { id: 'slack', load: async () => (await import('./slack/fake/local.ts')).slackLocalFake as LocalFakeEntry },
];

/** Adds a vendor's local fake; returns the function that removes it again. */
export function registerLocalFake(entry: LocalFakeEntry): () => void {
  if (lines.some((l) => l.id === entry.id)) throw new Error(`vendor '${entry.id}' already has a local fake`);
  const line: LocalFakeLine = { id: entry.id, load: async () => entry };
  lines.push(line);
  return () => {
    const at = lines.indexOf(line);
    if (at >= 0) lines.splice(at, 1);
  };
}

export const localFakes = (): readonly LocalFakeLine[] => lines;

/** The CRMs a local world can run against. */
export type CrmKind = 'hubspot' | 'salesforce';

/** The vendor-specific options of a local world, each read by its vendor's fake/local.ts. */
export type LocalFakeKnobs = HubSpotLocalKnobs & SalesforceLocalKnobs;

/** The built-in fakes of a started local world, by the name tests reach them with (only the chosen CRM's is started). */
export interface NamedLocalFakes {
  hubspot?: HubSpotFake;
  salesforce?: SalesforceFake;
  stripe: StripeFake;
  zendesk: ZendeskFake;
  mixpanel: MixpanelFake;
  slackFake: SlackFake;
}
