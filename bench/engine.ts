// Engine benchmark: 1,000,000 synthetic snapshots scored in-process on one core, for the engine
// alone and for the CLI path (JSONL line in → validated → scored → JSONL line out).
import { Writable } from 'node:stream';
import { scoreLines } from '../cli/commands/score.ts';
import { BufferedWriter } from '../cli/output.ts';
import type { CompiledModel } from '../lib/model/compile.ts';
import { scoreSnapshot } from '../lib/scoring/engine.ts';
import { syntheticSnapshots } from '../lib/synthetic.ts';
import { loadModel } from '../pipeline/model-files.ts';

const TOTAL = Number(process.env.BENCH_SNAPSHOTS ?? 1_000_000);
const DISTINCT = 100_000;

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

export async function benchEngine(): Promise<void> {
  const model = loadModel('layered') as CompiledModel;
  const snapshots = [...syntheticSnapshots(Math.min(DISTINCT, TOTAL), 1)];
  const lines = snapshots.map((s) => JSON.stringify(s));
  const rounds = Math.ceil(TOTAL / snapshots.length);

  for (let i = 0; i < 20_000; i++) scoreSnapshot(model, snapshots[i % snapshots.length] as (typeof snapshots)[number]); // warm-up
  let drivers = 0;
  let started = performance.now();
  for (let r = 0; r < rounds; r++) for (const s of snapshots) drivers += scoreSnapshot(model, s).drivers.length;
  const engineMs = performance.now() - started;
  const scored = rounds * snapshots.length;
  console.log(
    `engine      ${scored.toLocaleString('en-US')} snapshots (model layered, with drivers) in ${(engineMs / 1000).toFixed(2)} s: ${rate(scored, engineMs)} (target ≥ 250,000/s; ${(drivers / scored).toFixed(1)} drivers each)`,
  );

  const sink = new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });
  async function* input() {
    for (let r = 0; r < rounds; r++) yield* lines;
  }
  started = performance.now();
  const summary = await scoreLines(input(), model, new BufferedWriter(sink), 'jsonl', () => {});
  const cliMs = performance.now() - started;
  console.log(
    `cli path    ${summary.scored.toLocaleString('en-US')} JSONL lines parsed, validated, scored, serialized in ${(cliMs / 1000).toFixed(2)} s: ${rate(summary.scored, cliMs)}`,
  );
}
