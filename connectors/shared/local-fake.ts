// What a vendor's fake tells the local world (the demo, the sandbox, the bench and the tests) about
// itself: how to start it for compressed vendor time, the section its connector is built from, the
// run-config section a user's config file would hold for it, and the secret it accepts. Each vendor
// folder exports one entry from fake/local.ts; connectors/local-fakes.ts lists them. Production code
// never reads these (they start fakes).
import type { LoggedRequest } from './fake/server.ts';
import type { VendorSection } from './vendor.ts';

export interface LocalWorld {
  /** Vendor time runs this many times faster than real time; rate-limit windows shrink by it. */
  scale: number;
  /** `domain`: the CRM's mapping leaves out the ids of sources that can join accounts by domain. */
  joinBy: 'fields' | 'domain';
  /** The product features the seeded world's usage events name. */
  features: readonly string[];
  /** The local world's options, vendor knobs included (each entry reads its own, see local-fakes.ts). */
  knobs: object;
}

export interface RunningLocalFake<Fake = unknown> {
  /** The fake itself, for tests and seeding. */
  fake: Fake;
  /** The section the vendor's registry factory builds the connector from (secret included). */
  connector: VendorSection;
  /** The run config's section pointing at the fake, without the secret, as a config file holds it; none if the run config has no section for it. */
  runConfig?: VendorSection;
  /** The secret the fake accepts, under the vendor's `secret.env` (or its `legacyEnv` when `underLegacyEnv`). */
  secret: string;
  underLegacyEnv?: boolean;
  /** Every request the fake answered, as it logs them (the bench counts calls and 429s from it). */
  requests?: readonly LoggedRequest[];
  close(): Promise<void>;
}

export interface LocalFakeEntry<Fake = unknown> {
  /** The vendor's registry id. */
  id: string;
  /** The property of the local world's vendors that holds the fake, when not `id` (Slack's, since `slack` is the channel). */
  as?: string;
  start(world: LocalWorld): Promise<RunningLocalFake<Fake>>;
}

/** Retries quick enough for compressed time (the limits stay real; only the waits shrink). */
export const localRetry = { baseDelayMs: 5, maxDelayMs: 100, maxTotalWaitMs: 20_000 };
