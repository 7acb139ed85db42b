// The small L2 logistic regression: it recovers known coefficients, sits at the penalized optimum,
// and shrinks as the penalty grows.
import { describe, expect, it } from 'vitest';
import { fitLogistic, predictProbability, solveLinear } from '../../../lib/backtest/logistic.ts';
import { seededRandom } from '../../../lib/synthetic.ts';

function generate(n: number, beta: number[], intercept: number, seed: number) {
  const rnd = seededRandom(seed);
  const xs: number[][] = [];
  const y: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const x = beta.map(() => rnd() * 4 - 2);
    const z = intercept + x.reduce((s, v, j) => s + v * (beta[j] as number), 0);
    xs.push(x);
    y.push(rnd() < 1 / (1 + Math.exp(-z)));
  }
  return { xs, y };
}

describe('L2 logistic regression', () => {
  it('given 20,000 rows from known coefficients and a tiny penalty, when fitted, then it recovers them', () => {
    const { xs, y } = generate(20_000, [1.5, -2, 0], -0.5, 3);
    const fit = fitLogistic(xs, y, { l2: 1e-6 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-0.5, 1);
    expect(fit.coefficients[0]).toBeCloseTo(1.5, 1);
    expect(fit.coefficients[1]).toBeCloseTo(-2, 1);
    expect(Math.abs(fit.coefficients[2] as number)).toBeLessThan(0.06);
  });

  it('given a penalty, when fitted, then the gradient of the penalized log-loss is zero (the optimum, not just a good guess)', () => {
    const { xs, y } = generate(500, [1, -1], 0.3, 9);
    const l2 = 5;
    const fit = fitLogistic(xs, y, { l2 });
    const grad = [0, 0, 0];
    xs.forEach((x, i) => {
      const r = predictProbability(fit, x) - (y[i] ? 1 : 0);
      grad[0] = (grad[0] as number) + r;
      grad[1] = (grad[1] as number) + r * (x[0] as number);
      grad[2] = (grad[2] as number) + r * (x[1] as number);
    });
    grad[1] = (grad[1] as number) + l2 * (fit.coefficients[0] as number);
    grad[2] = (grad[2] as number) + l2 * (fit.coefficients[1] as number);
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6);
  });

  it('given a stronger penalty, then the coefficients shrink towards zero but the intercept is not penalized', () => {
    const { xs, y } = generate(300, [2], 1, 4);
    const weak = fitLogistic(xs, y, { l2: 0.01 });
    const strong = fitLogistic(xs, y, { l2: 10_000 });
    expect(Math.abs(strong.coefficients[0] as number)).toBeLessThan(Math.abs(weak.coefficients[0] as number) / 10);
    // With the slope gone, the intercept alone fits the churn share.
    const share = y.filter(Boolean).length / y.length;
    expect(1 / (1 + Math.exp(-strong.intercept))).toBeCloseTo(share, 1);
  });

  it('given perfectly separable data, then the penalty keeps the fit finite', () => {
    const xs = [[-2], [-1], [1], [2]];
    const fit = fitLogistic(xs, [false, false, true, true], { l2: 1 });
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0);
  });

  it('given a 3×3 system, when solved, then A·x = b', () => {
    expect(
      solveLinear(
        [
          [0, 2, 1],
          [1, 1, 1],
          [2, 1, 0],
        ],
        [7, 6, 4],
      ).map((v) => Number(v.toFixed(9))),
    ).toEqual([1, 2, 3]);
  });
});
