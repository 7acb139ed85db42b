// L2-regularized logistic regression, fitted by Newton's method (the problems here have at most a
// dozen features, so an exact Hessian solve is cheap and converges in a few steps). The intercept is
// not penalized. No suitable numeric library is installed, so this is small and tested instead.

export interface LogisticOptions {
  /** L2 penalty λ on the coefficients (objective: log-loss summed over rows + λ/2·‖β‖²). Default 1. */
  l2?: number;
  maxIterations?: number;
  /** Stop when the largest gradient component falls below this. */
  tolerance?: number;
}

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z)));

export function predictProbability(fit: LogisticFit, x: ArrayLike<number>): number {
  let z = fit.intercept;
  for (let j = 0; j < fit.coefficients.length; j++) z += (fit.coefficients[j] as number) * (x[j] as number);
  return sigmoid(z);
}

/** Solves A·x = b (A square, modified in place) by Gaussian elimination with partial pivoting. */
export function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]?.[col] as number) > Math.abs(a[pivot]?.[col] as number)) pivot = r;
    if (Math.abs(a[pivot]?.[col] as number) < 1e-300) throw new Error('singular system');
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    [b[col], b[pivot]] = [b[pivot] as number, b[col] as number];
    const rowC = a[col] as number[];
    for (let r = col + 1; r < n; r++) {
      const row = a[r] as number[];
      const f = (row[col] as number) / (rowC[col] as number);
      if (f === 0) continue;
      for (let k = col; k < n; k++) row[k] = (row[k] as number) - f * (rowC[k] as number);
      b[r] = (b[r] as number) - f * (b[col] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r] as number[];
    let s = b[r] as number;
    for (let k = r + 1; k < n; k++) s -= (row[k] as number) * (x[k] as number);
    x[r] = s / (row[r] as number);
  }
  return x;
}

function objective(theta: number[], xs: readonly ArrayLike<number>[], y: ArrayLike<boolean>, l2: number): number {
  let loss = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as ArrayLike<number>;
    let z = theta[0] as number;
    for (let j = 1; j < theta.length; j++) z += (theta[j] as number) * (x[j - 1] as number);
    loss += y[i] ? softplus(-z) : softplus(z);
  }
  for (let j = 1; j < theta.length; j++) loss += (l2 / 2) * (theta[j] as number) ** 2;
  return loss;
}

/** Fits P(y) = σ(b₀ + Σ bⱼ·xⱼ). Rows are feature vectors of equal length. */
export function fitLogistic(xs: readonly ArrayLike<number>[], y: ArrayLike<boolean>, options: LogisticOptions = {}): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  const p = xs[0]?.length ?? 0;
  const d = p + 1;
  let theta = new Array<number>(d).fill(0);
  let current = objective(theta, xs, y, l2);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as ArrayLike<number>;
      let z = theta[0] as number;
      for (let j = 1; j < d; j++) z += (theta[j] as number) * (x[j - 1] as number);
      const prob = sigmoid(z);
      const r = prob - (y[i] ? 1 : 0);
      const wgt = prob * (1 - prob);
      for (let j = 0; j < d; j++) {
        const xj = j === 0 ? 1 : (x[j - 1] as number);
        grad[j] = (grad[j] as number) + r * xj;
        const row = hess[j] as number[];
        for (let k = j; k < d; k++) row[k] = (row[k] as number) + wgt * xj * (k === 0 ? 1 : (x[k - 1] as number));
      }
    }
    for (let j = 1; j < d; j++) {
      grad[j] = (grad[j] as number) + l2 * (theta[j] as number);
      (hess[j] as number[])[j] = ((hess[j] as number[])[j] as number) + l2;
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) (hess[j] as number[])[k] = (hess[k] as number[])[j] as number;
    if (Math.max(...grad.map(Math.abs)) < tolerance) {
      converged = true;
      break;
    }
    // Tiny ridge on the intercept keeps the system solvable when every row has the same label.
    (hess[0] as number[])[0] = ((hess[0] as number[])[0] as number) + 1e-12;
    const step = solveLinear(hess, [...grad]);
    // Damped Newton: halve the step until the objective does not get worse.
    let t = 1;
    let next = theta;
    let value = current;
    for (let halvings = 0; halvings < 30; halvings++) {
      next = theta.map((v, j) => v - t * (step[j] as number));
      value = objective(next, xs, y, l2);
      if (value <= current + 1e-12) break;
      t /= 2;
    }
    const moved = Math.max(...next.map((v, j) => Math.abs(v - (theta[j] as number))));
    theta = next;
    current = value;
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }
  return { intercept: theta[0] as number, coefficients: theta.slice(1), iterations, converged };
}
