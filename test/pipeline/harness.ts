// A whole local world for pipeline tests: vendor fakes seeded from a small demo world, dynalite,
// and the run's dependencies, with helpers to advance simulated days.
import { addDays } from '../../lib/days.ts';
import { type LocalVendorOptions, type LocalVendors, startLocalVendors } from '../../pipeline/demo/local-vendors.ts';
import { applyDay, type SeedState, seedWorld } from '../../pipeline/demo/seed-vendors.ts';
import { buildWorld, type DemoWorld, type WorldOptions } from '../../pipeline/demo/world.ts';
import { loadModel } from '../../pipeline/model-files.ts';
import type { RunDeps, RunOptions } from '../../pipeline/run/deps.ts';
import { type RunAllHooks, runAll } from '../../pipeline/run/run-all.ts';
import { DynamoStore } from '../../pipeline/store/dynamo-store.ts';
import { type LocalDynamo, startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';

export interface Harness {
  world: DemoWorld;
  vendors: LocalVendors;
  dynamo: LocalDynamo;
  store: DynamoStore;
  deps: RunDeps;
  state: SeedState;
  /** Seed key → CRM id. */
  ids: Map<string, string>;
  dayOf(i: number): string;
  options(i: number, extra?: Partial<RunOptions>): RunOptions;
  /** Applies day `i`'s vendor events (once) and runs the pipeline for it. */
  runDay(i: number, extra?: Partial<RunOptions>, hooks?: RunAllHooks): ReturnType<typeof runAll>;
  close(): Promise<void>;
}

export async function startHarness(world: WorldOptions, vendorOptions: LocalVendorOptions = {}): Promise<Harness> {
  const w = buildWorld({ days: 10, ...world });
  const [vendors, dynamo] = await Promise.all([startLocalVendors(vendorOptions), startLocalDynamo()]);
  const { state, crmIds } = seedWorld(vendors, w);
  const store = new DynamoStore(dynamo.client, { tableName: dynamo.tableName });
  const deps: RunDeps = { crm: vendors.crm, sources: vendors.sources, store, models: loadModel('portfolio'), slack: vendors.slack };
  await vendors.crm.setup();
  const applied = new Set<number>();
  const dayOf = (i: number) => addDays(w.firstDay, i);
  const options = (i: number, extra: Partial<RunOptions> = {}): RunOptions => ({
    asOf: new Date(`${dayOf(i)}T23:30:00Z`),
    batchSize: 100,
    maxStaleDays: 3,
    ...extra,
  });
  return {
    world: w,
    vendors,
    dynamo,
    store,
    deps,
    state,
    ids: crmIds,
    dayOf,
    options,
    runDay(i, extra = {}, hooks = {}) {
      if (!applied.has(i)) {
        applyDay(vendors, w, dayOf(i), state);
        applied.add(i);
      }
      return runAll(deps, options(i, extra), hooks);
    },
    close: async () => {
      await vendors.close();
      await dynamo.close();
    },
  };
}
