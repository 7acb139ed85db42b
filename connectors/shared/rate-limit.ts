// One rate-limit config shape for every vendor, and the renamed-keys table that keeps older configs
// working for a release. A vendor's `rateLimit` section holds its main limit and any named extra
// limits (HubSpot `search`, Zendesk `incremental`, Stripe `perEndpoint`, Mixpanel `export`…), each
// written as the vendor documents it: `requests` per `perMs`, optionally `concurrency` in flight.
// `safety` is the share of every limit kept free for other users of the same account.
import * as z from 'zod';
import { type RateBudget, sharedBudget } from './rate-budget.ts';

export interface LimitDefaults {
  requests: number;
  perMs: number;
  concurrency?: number;
}

/** The fields of one limit, with the vendor's documented figures as defaults. */
export function limitFields(d: LimitDefaults) {
  return {
    /** Requests allowed per window, as the vendor documents it (the safety share is kept free of it). */
    requests: z.int().positive().default(d.requests),
    /** The window, in milliseconds (compressed in tests). */
    perMs: z.int().positive().default(d.perMs),
    /** Requests in flight at once; unlimited when absent. */
    concurrency: d.concurrency === undefined ? z.int().positive().optional() : z.int().positive().default(d.concurrency),
  };
}

/** A named extra limit (e.g. HubSpot's search endpoints), with its own optional `safety`. */
export const limitSchema = (d: LimitDefaults, safety?: number) =>
  z
    .object({
      ...limitFields(d),
      safety: safety === undefined ? z.number().min(0).max(0.9).optional() : z.number().min(0).max(0.9).default(safety),
    })
    .prefault({});

/** The share of each limit kept free (0.1 = use 90 %). */
export const safetyField = (d: number) => z.number().min(0).max(0.9).default(d);

export interface Limit {
  requests: number;
  perMs: number;
  concurrency?: number | undefined;
  safety?: number | undefined;
}

const within = (n: number, safety: number) => Math.max(1, Math.floor(n * (1 - safety)));

/** The process-wide budget for one limit, at its safety margin (its own, else the vendor's). */
export function budgetFor(name: string, limit: Limit, vendorSafety: number): RateBudget {
  const safety = limit.safety ?? vendorSafety;
  return sharedBudget(name, {
    limit: within(limit.requests, safety),
    windowMs: limit.perMs,
    ...(limit.concurrency === undefined ? {} : { concurrency: within(limit.concurrency, safety) }),
  });
}

/**
 * A config key that moved, as dotted paths: read at `from`, written to `to` (and `also` set beside it
 * when absent). The old key is left where it was: the vendor's schema drops keys it does not know.
 */
export type RenamedKey = readonly [from: string, to: string, also?: readonly [at: string, value: unknown]];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const read = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((at, k) => (isObj(at) ? at[k] : undefined), o);

function write(o: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let at = o;
  for (const k of keys) {
    if (!isObj(at[k])) at[k] = {};
    at = at[k] as Obj;
  }
  at[last] = value;
}

/** Moves each renamed key to its new place (the new key wins when both are given) with a warning naming the new key. Pure. */
export function renameKeys(section: unknown, renames: readonly RenamedKey[]): { section: unknown; warnings: string[] } {
  if (!isObj(section) || renames.length === 0) return { section, warnings: [] };
  const out = structuredClone(section);
  const warnings = new Set<string>();
  for (const [from, to, also] of renames) {
    const value = read(section, from);
    if (value === undefined) continue;
    if (read(section, to) !== undefined) {
      warnings.add(`config key ${from} is ignored because ${to} is set: remove ${from}`);
      continue;
    }
    write(out, to, value);
    if (also && read(section, also[0]) === undefined) write(out, also[0], also[1]);
    warnings.add(`config key ${from} is deprecated and will be removed in the next release: use ${to}`);
  }
  return { section: out, warnings: [...warnings] };
}

/** A schema that first moves renamed keys (for schemas read by parse(), registry and CDK alike). */
export const withRenamedKeys = <T extends z.ZodType>(renames: readonly RenamedKey[], schema: T) =>
  z.preprocess((v) => renameKeys(v, renames).section, schema);
