// A local world for CLI tests: the vendor fakes seeded with a small demo world (its first day
// applied), dynalite, the environment `healthscore` reads its secrets from, and run configs
// pointing at them, written to a temporary folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type CrmKind, type LocalVendors, localRunConfigSections, startLocalVendors } from '../../pipeline/demo/local-vendors.ts';
import { applyDay, seedWorld } from '../../pipeline/demo/seed-vendors.ts';
import { buildWorld, type DemoWorld } from '../../pipeline/demo/world.ts';
import { type LocalDynamo, startLocalDynamo } from '../../pipeline/store/local-dynamo.ts';
import { cliEnvironment } from './cli.ts';

export interface CliWorld {
  v: LocalVendors;
  dynamo: LocalDynamo;
  world: DemoWorld;
  /** Seed key → CRM id. */
  crmIds: Map<string, string>;
  env: NodeJS.ProcessEnv;
  /** Writes a run config for these fakes and this table, with `extra` keys on top (undefined drops one); returns its path. */
  writeConfig(name: string, extra?: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startCliWorld(o: { crm?: CrmKind; accounts: number; days?: number; setup?: boolean }): Promise<CliWorld> {
  const crm = o.crm ?? 'hubspot';
  const world = buildWorld({ accounts: o.accounts, days: o.days ?? 1 });
  const [v, dynamo] = await Promise.all([startLocalVendors({ crm }), startLocalDynamo()]);
  const { state, crmIds } = seedWorld(v, world);
  applyDay(v, world, world.firstDay, state);
  if (o.setup) await v.crm.setup();
  const dir = mkdtempSync(join(tmpdir(), 'healthscore-cli-'));
  return {
    v,
    dynamo,
    world,
    crmIds,
    env: cliEnvironment(v),
    writeConfig(name, extra = {}) {
      const path = join(dir, name);
      const config = {
        crm,
        table: { name: dynamo.tableName, endpoint: dynamo.endpoint, region: 'local' },
        ...localRunConfigSections(v),
        ...extra,
      };
      writeFileSync(path, stringify(config));
      return path;
    },
    close: async () => {
      await v.close();
      await dynamo.close();
    },
  };
}
