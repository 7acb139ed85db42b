// `npm run bench`: prints throughput figures. Never asserted in tests (machines here are shared).
import { benchEngine } from './engine.ts';

console.log(`healthscore benchmark · node ${process.version} · ${new Date().toISOString()}`);
await benchEngine();
