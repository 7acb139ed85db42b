// The model file format (YAML, validated here with zod): layers of weighted signals with explicit
// normalizers, tiers, minimum completeness and override rules. Presets in models/ use this format.
import * as z from 'zod';

const scalar = z.union([z.number(), z.string(), z.boolean()]);

/** A comparison on one signal, written with one operator key: `{ signal: usage.daysSinceLastActive, gte: 14 }`. */
const signalComparison = z
  .strictObject({
    signal: z.string().min(1),
    eq: scalar.optional(),
    ne: scalar.optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    in: z.array(scalar).min(1).optional(),
  })
  .refine((c) => Object.keys(c).length === 2, {
    message: 'a comparison takes exactly one operator (eq, ne, lt, lte, gt, gte, in) beside `signal`',
  });

/** A comparison on the score as computed so far: `{ score: { lt: 60 } }`. */
const scoreComparison = z.strictObject({
  score: z
    .strictObject({
      lt: z.number().optional(),
      lte: z.number().optional(),
      gt: z.number().optional(),
      gte: z.number().optional(),
    })
    .refine((c) => Object.keys(c).length === 1, { message: 'takes exactly one operator (lt, lte, gt, gte)' }),
});

export type Condition =
  | z.infer<typeof signalComparison>
  | z.infer<typeof scoreComparison>
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    signalComparison,
    scoreComparison,
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

const points = z.number().min(0, 'points are 0..100').max(100, 'points are 0..100');

/** One band: a lower bound (`from` ≥ or `above` >), an upper bound (`to` ≤ or `below` <), or both. */
export const bandSchema = z
  .strictObject({
    from: z.number().optional(),
    above: z.number().optional(),
    to: z.number().optional(),
    below: z.number().optional(),
    points,
  })
  .refine((b) => !(b.from !== undefined && b.above !== undefined), { message: 'give `from` or `above`, not both' })
  .refine((b) => !(b.to !== undefined && b.below !== undefined), { message: 'give `to` or `below`, not both' })
  .refine((b) => [b.from, b.above, b.to, b.below].some((x) => x !== undefined), {
    message: 'a band needs a bound (`from`/`above` and/or `to`/`below`)',
  });
export type Band = z.infer<typeof bandSchema>;

const linearSchema = z.strictObject({
  from: z.strictObject({ value: z.number(), points }),
  to: z.strictObject({ value: z.number(), points }),
});

const weight = z.number().positive('weights must be positive');

/** A scored signal with exactly one normalizer: `bands` (numbers), `map` (enums, booleans) or `linear`. */
export const signalConfigSchema = z
  .strictObject({
    key: z.string().min(1),
    weight: weight.default(1),
    label: z.string().min(1).optional(),
    bands: z.array(bandSchema).min(1).optional(),
    map: z.record(z.string(), points).optional(),
    linear: linearSchema.optional(),
  })
  .refine((s) => [s.bands, s.map, s.linear].filter((n) => n !== undefined).length === 1, {
    message: 'a signal takes exactly one normalizer: `bands`, `map` or `linear`',
  });

export const layerSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'layer ids are lower_snake_case'),
  weight,
  signals: z.array(signalConfigSchema).min(1, 'a layer needs at least one signal'),
});

export const ruleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: z.string().min(1), kind: z.literal('set'), value: points, when: conditionSchema, reason: z.string().optional() }),
  z.strictObject({ id: z.string().min(1), kind: z.literal('cap'), value: points, when: conditionSchema, reason: z.string().optional() }),
  z.strictObject({ id: z.string().min(1), kind: z.literal('floor'), value: points, when: conditionSchema, reason: z.string().optional() }),
  z.strictObject({ id: z.string().min(1), kind: z.literal('flag'), when: conditionSchema, reason: z.string().optional() }),
]);
export type Rule = z.infer<typeof ruleSchema>;

export const tiersSchema = z
  .strictObject({ green: points, yellow: points })
  .refine((t) => t.green > t.yellow, { message: 'green must start above yellow' });

export const modelSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'model ids are letters, digits, _ . -'),
  version: z.union([z.string(), z.number()]).transform(String).default('1'),
  description: z.string().optional(),
  minCompleteness: z.number().min(0).max(1).default(0.5),
  tiers: tiersSchema.default({ green: 70, yellow: 40 }),
  layers: z.array(layerSchema).min(1),
  rules: z.array(ruleSchema).default([]),
  /** Read usage.trend14d against the same weeks last year when a year of history exists (lib/history/seasonal.ts). */
  seasonalBaseline: z.boolean().default(false),
});
export type ModelConfig = z.infer<typeof modelSchema>;
export type LayerConfig = z.infer<typeof layerSchema>;
export type SignalConfig = z.infer<typeof signalConfigSchema>;

/** A model set picks a model per account: the first matching `select` entry, else `default`. */
export const modelSetSchema = z.strictObject({
  description: z.string().optional(),
  select: z
    .array(
      z
        .strictObject({ segment: z.string().min(1).optional(), when: conditionSchema.optional(), model: z.string().min(1) })
        .refine((s) => s.segment !== undefined || s.when !== undefined, { message: 'an entry needs `segment` or `when`' }),
    )
    .default([]),
  default: z.string().min(1),
});
export type ModelSetConfig = z.infer<typeof modelSetSchema>;
