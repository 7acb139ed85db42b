// The run's mode as each entry point (the CLI, the plan and score-batch Lambdas) applies it: paused
// runs stop before reading anything, with one log line; shadow and live runs go on (RunOptions.mode).
import type { RunConfig } from '../run-config.ts';

export const PAUSED_MESSAGE =
  'healthscore is paused (mode: paused): this run stops here without reading or writing anything; set mode to shadow or live to resume';

export const isPaused = (config: Pick<RunConfig, 'mode'>): boolean => config.mode === 'paused';

/** The mode a run that goes ahead runs in. */
export const activeMode = (config: Pick<RunConfig, 'mode'>): 'live' | 'shadow' => (config.mode === 'shadow' ? 'shadow' : 'live');
