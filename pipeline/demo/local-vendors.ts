// Every vendor on this machine: each registered vendor's fake on loopback (the chosen CRM's, every
// source's and channel's), with connectors built by the vendor registry's factories and pointed at
// them through the official clients. The fakes come from connectors/local-fakes.ts, so a vendor with
// a fake/local.ts and a line there is part of the local world with no edit here. Vendor time is
// compressed (rate-limit windows shrink by `scale`), so many simulated days run in minutes while every
// limit keeps its real ratio.

import { type CrmKind, type LocalFakeKnobs, localFakes, type NamedLocalFakes } from '../../connectors/local-fakes.ts';
import { requireVendor } from '../../connectors/registry.ts';
import type { CrmConnector } from '../../connectors/shared/crm.ts';
import type { LocalWorld, RunningLocalFake } from '../../connectors/shared/local-fake.ts';
import type { SignalSource } from '../../connectors/shared/source.ts';
import type { ChannelVendor, VendorSection } from '../../connectors/shared/vendor.ts';
import { FEATURES } from './world.ts';

export type { CrmKind } from '../../connectors/local-fakes.ts';

type ChannelNotifier = Awaited<ReturnType<ChannelVendor['createChannel']>>;

export interface LocalVendors extends NamedLocalFakes {
  crmKind: CrmKind;
  /** Every started fake by vendor id, in registry order (a vendor registered at run time included). */
  fakes: ReadonlyMap<string, RunningLocalFake>;
  crm: CrmConnector;
  sources: SignalSource[];
  /** The alert channel (the run's deps name it so). */
  slack: ChannelNotifier;
  close(): Promise<void>;
}

export interface LocalVendorOptions extends LocalFakeKnobs {
  crm?: CrmKind;
  /** Vendor time runs this many times faster than real time (default 1000). */
  scale?: number;
  /** Which sources to connect, by vendor id (default every source with a local fake); a test may leave one out. Their fakes start anyway. */
  sources?: string[];
  /**
   * `domain`: the customized CRM's mapping without its Stripe and Zendesk id fields, so those sources
   * join accounts by domain as on a CRM that holds no vendor ids (the demo); `fields` (default): by id.
   */
  joinBy?: 'fields' | 'domain';
}

/** The started fakes of a local world, before any connector is built (the bench builds them in another process). */
export interface LocalFakes {
  crmKind: CrmKind;
  /** Every started fake by vendor id, in registry order. */
  fakes: ReadonlyMap<string, RunningLocalFake>;
  /** The built-in fakes by the names tests reach them with. */
  named: NamedLocalFakes;
  close(): Promise<void>;
}

/** Starts the chosen CRM's fake and every source's and channel's, each from its vendor's fake/local.ts. */
export async function startLocalFakes(options: LocalVendorOptions = {}): Promise<LocalFakes> {
  const world: LocalWorld = { scale: options.scale ?? 1000, joinBy: options.joinBy ?? 'fields', features: FEATURES, knobs: options };
  const entries = await Promise.all(localFakes().map(async (line) => ({ vendor: requireVendor(line.id), local: await line.load() })));
  const crmKind = options.crm ?? (entries.find((e) => e.vendor.kind === 'crm')?.vendor.id as CrmKind);
  const started = entries.filter((e) => e.vendor.kind !== 'crm' || e.vendor.id === crmKind);
  const running = await Promise.all(started.map(async (e) => ({ ...e, fake: await e.local.start(world) })));
  return {
    crmKind,
    fakes: new Map(running.map((r) => [r.vendor.id, r.fake])),
    named: Object.fromEntries(running.map((r) => [r.local.as ?? r.local.id, r.fake.fake])) as unknown as NamedLocalFakes,
    close: async () => {
      await Promise.all(running.map((r) => r.fake.close()));
    },
  };
}

/** The connectors of a local world, built by each vendor's registry factory from its connector section (vendor id → section, in registry order). */
export async function connectLocalVendors(
  sections: Iterable<[string, VendorSection]>,
  wantedSources?: readonly string[],
): Promise<Pick<LocalVendors, 'crm' | 'sources' | 'slack'>> {
  let crm: CrmConnector | undefined;
  let slack: ChannelNotifier | undefined;
  const sources: SignalSource[] = [];
  for (const [id, section] of sections) {
    const vendor = requireVendor(id);
    if (vendor.kind === 'crm') crm = await vendor.createCrm(section);
    else if (vendor.kind === 'source' && (!wantedSources || wantedSources.includes(id))) sources.push(await vendor.createSource(section));
    else if (vendor.kind === 'channel') slack ??= await vendor.createChannel(section);
  }
  if (!crm || !slack) throw new Error('the local world needs a CRM and a channel with a local fake');
  return { crm, sources, slack };
}

export async function startLocalVendors(options: LocalVendorOptions = {}): Promise<LocalVendors> {
  const local = await startLocalFakes(options);
  try {
    const sections = [...local.fakes].map(([id, f]): [string, VendorSection] => [id, f.connector]);
    const connected = await connectLocalVendors(sections, options.sources);
    return { ...local.named, crmKind: local.crmKind, fakes: local.fakes, ...connected, close: local.close };
  } catch (error) {
    await local.close();
    throw error;
  }
}

/** The fakes' dummy credentials under the environment variables the CLI reads secrets from (each vendor's registry entry). */
export function localVendorSecrets(v: LocalVendors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, fake] of v.fakes) {
    const secret = requireVendor(id).secret;
    out[(fake.underLegacyEnv ? secret.legacyEnv : undefined) ?? secret.env] = fake.secret;
  }
  return out;
}

/** The run config's vendor sections (no secrets) pointing at these fakes, as a config file would hold them. */
export function localRunConfigSections(v: LocalVendors): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [id, fake] of v.fakes) if (fake.runConfig) out[id] = fake.runConfig;
  return out;
}
