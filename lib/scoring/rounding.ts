// Rounding as the method fixes it: halves up, after clearing binary floating-point noise so that a
// weighted sum meant to be 56.5 (but stored as 56.49999999999) still rounds to 57.

export function roundHalfUp(x: number): number {
  return Math.floor(Math.round(x * 1e9) / 1e9 + 0.5);
}

export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round((x + Number.EPSILON) * f) / f;
}
