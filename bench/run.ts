// `npm run bench`: prints throughput figures. Never asserted in tests (machines here are shared).
// BENCH=engine|pipeline|all (default all) picks the benchmarks; see bench/pipeline.ts for its settings.
import { benchEngine } from './engine.ts';
import { benchPipeline } from './pipeline.ts';

const which = process.env.BENCH ?? 'all';
if (!['engine', 'pipeline', 'all'].includes(which)) throw new Error(`BENCH must be engine, pipeline or all (got ${which})`);
console.log(`healthscore benchmark · node ${process.version} · ${new Date().toISOString()}`);
if (which !== 'pipeline') await benchEngine();
if (which !== 'engine') await benchPipeline();
