// Number formatting shared by the text and HTML reports: a withheld (null) number shows as a dash,
// and its reason is in the notes next to it.
import type { Interval } from './bootstrap.ts';

export const DASH = '–';

export const pct = (x: number | null | undefined, digits = 1): string => (x == null ? DASH : `${(x * 100).toFixed(digits)}%`);
export const dec = (x: number | null | undefined, digits = 3): string => (x == null ? DASH : x.toFixed(digits));
export const int = (n: number): string => n.toLocaleString('en-US');
export const ci = (i: Interval | null | undefined, f: (x: number) => string = (x) => dec(x)): string =>
  i == null ? '' : ` (90% CI ${f(i.low)}–${f(i.high)})`;
export const liftText = (x: number | null | undefined): string => (x == null ? DASH : `${x.toFixed(2)}×`);
