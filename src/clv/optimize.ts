/**
 * A small unconstrained quasi-Newton minimiser (BFGS with a strong-Wolfe line search), the engine of
 * the maximum-likelihood fits in `cxmetrics/clv`, plus the numeric Hessian of an analytic gradient
 * and a symmetric matrix inverse for standard errors.
 *
 * The fits minimise a negative log-likelihood over log-parameters, so the problems are smooth,
 * unconstrained and of dimension 2–4: a dense BFGS inverse-Hessian update is the right tool.
 *
 * @see Nocedal & Wright (2006), *Numerical Optimization*, 2nd ed., Algorithm 6.1 (BFGS) and
 *   Algorithms 3.5–3.6 (line search for the strong Wolfe conditions).
 * @module
 */

/**
 * Objective with gradient: returns f(x) and writes ∂f/∂x into `grad`. A non-finite return value
 * means "outside the domain"; the line search then shortens its step.
 */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeBfgs}. */
export interface MinimizeOptions {
  /** Maximum number of BFGS iterations (default 200). */
  maxIterations?: number;
  /**
   * Convergence when max |∂f/∂xᵢ| ≤ `gradientTolerance` · max(1, |f|) (default 1e-10: for a
   * log-likelihood of size 10⁴ that is a gradient of 10⁻⁶ per log-parameter).
   */
  gradientTolerance?: number;
}

/** What {@link minimizeBfgs} found. */
export interface MinimizeResult {
  /** The minimiser found (last iterate). */
  x: Float64Array;
  /** f at `x`. */
  f: number;
  /** Gradient at `x`. */
  gradient: Float64Array;
  /** BFGS iterations taken. */
  iterations: number;
  /** Objective evaluations (each also computes the gradient). */
  evaluations: number;
  /** True when the gradient criterion was met. */
  converged: boolean;
  /** Why the iteration stopped. */
  message: string;
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (!(a <= m)) m = a; // also propagates NaN
  }
  return m;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Minimiser of the cubic interpolating (a, fa, da) and (b, fb, db), safeguarded into [lo, hi]. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (disc >= 0 && Number.isFinite(disc)) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    const t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
    const margin = 0.1 * (hi - lo);
    if (Number.isFinite(t) && t >= lo + margin && t <= hi - margin) return t;
  }
  return 0.5 * (a + b);
}

/**
 * Minimise a smooth function of a few variables with BFGS and a strong-Wolfe line search
 * (c₁ = 10⁻⁴, c₂ = 0.9). The initial inverse Hessian is scaled after the first step
 * (Nocedal & Wright eq. 6.20). Never throws: read `converged` and `message`.
 *
 * @example
 * // Rosenbrock's function, minimum 0 at (1, 1)
 * const rosen = (x: Float64Array, g: Float64Array) => {
 *   const [a, b] = [x[0]!, x[1]!];
 *   g[0] = -2 * (1 - a) - 400 * a * (b - a ** 2);
 *   g[1] = 200 * (b - a ** 2);
 *   return (1 - a) ** 2 + 100 * (b - a ** 2) ** 2;
 * };
 * minimizeBfgs(rosen, [-1.2, 1]).x //=> ≈ [1.00000, 1.00000]
 */
export function minimizeBfgs(
  fg: ObjectiveWithGradient,
  x0: ArrayLike<number>,
  options?: MinimizeOptions,
): MinimizeResult {
  const n = x0.length;
  const maxIter = options?.maxIterations ?? 200;
  const gtol = options?.gradientTolerance ?? 1e-10;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let evaluations = 1;
  let f = fg(x, g);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const p = new Float64Array(n);
  let xt = new Float64Array(n);
  let gt = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  if (!Number.isFinite(f) || !Number.isFinite(maxAbs(g))) {
    return {
      x,
      f,
      gradient: g,
      iterations: 0,
      evaluations,
      converged: false,
      message: "objective or gradient not finite at the start",
    };
  }
  let iter = 0;
  let scaled = false;
  while (true) {
    if (maxAbs(g) <= gtol * Math.max(1, Math.abs(f))) {
      return {
        x,
        f,
        gradient: g,
        iterations: iter,
        evaluations,
        converged: true,
        message: "gradient below tolerance",
      };
    }
    if (iter >= maxIter) {
      return {
        x,
        f,
        gradient: g,
        iterations: iter,
        evaluations,
        converged: false,
        message: `reached ${maxIter} iterations`,
      };
    }
    iter++;
    // search direction p = -H g
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j]! * g[j]!;
      p[i] = v;
    }
    let dg0 = dot(p, g);
    if (!(dg0 < 0)) {
      // not a descent direction: reset to steepest descent
      H.fill(0);
      for (let i = 0; i < n; i++) {
        H[i * n + i] = 1;
        p[i] = -g[i]!;
      }
      dg0 = dot(p, g);
      scaled = false;
    }
    // first step of a fresh (unscaled) H: limit the step length to 1 in the max norm
    let alpha = 1;
    if (!scaled) alpha = Math.min(1, 1 / maxAbs(p));
    // ---- strong-Wolfe line search (Nocedal & Wright Alg. 3.5 / 3.6) ----
    const c1 = 1e-4;
    const c2 = 0.9;
    const f0 = f;
    let aPrev = 0;
    let fPrev = f0;
    let dPrev = dg0;
    let found = false;
    let fNew = Number.NaN;
    const trial = (a: number): { fa: number; da: number } => {
      for (let i = 0; i < n; i++) xt[i] = x[i]! + a * p[i]!;
      evaluations++;
      const fa = fg(xt, gt);
      const da = Number.isFinite(fa) ? dot(gt, p) : Number.NaN;
      return { fa: Number.isFinite(fa) && Number.isFinite(da) ? fa : Number.POSITIVE_INFINITY, da };
    };
    const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number): boolean => {
      for (let k = 0; k < 12; k++) {
        const a = Number.isFinite(fhi) ? cubicMin(lo, flo, dlo, hi, fhi, dhi) : 0.5 * (lo + hi);
        const { fa, da } = trial(a);
        if (fa > f0 + c1 * a * dg0 || fa >= flo) {
          hi = a;
          fhi = fa;
          dhi = da;
        } else {
          if (Math.abs(da) <= -c2 * dg0) {
            fNew = fa;
            return true;
          }
          if (da * (hi - lo) >= 0) {
            hi = lo;
            fhi = flo;
            dhi = dlo;
          }
          lo = a;
          flo = fa;
          dlo = da;
        }
        if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
      }
      // accept the best point if it decreased f (sufficient-decrease only)
      if (lo > 0 && flo < f0) {
        trial(lo);
        fNew = flo;
        return true;
      }
      return false;
    };
    for (let k = 0; k < 60; k++) {
      const { fa, da } = trial(alpha);
      if (fa > f0 + c1 * alpha * dg0 || (k > 0 && fa >= fPrev)) {
        found = zoom(aPrev, fPrev, dPrev, alpha, fa, da);
        break;
      }
      if (Math.abs(da) <= -c2 * dg0) {
        fNew = fa;
        found = true;
        break;
      }
      if (da >= 0) {
        found = zoom(alpha, fa, da, aPrev, fPrev, dPrev);
        break;
      }
      aPrev = alpha;
      fPrev = fa;
      dPrev = da;
      alpha *= 2;
    }
    if (!found) {
      // Near the optimum the decrease a step can buy falls below the rounding noise of f; accept a
      // gradient within 10⁴ × tolerance as stationary (callers polish with Newton steps on the gradient).
      const ok = maxAbs(g) <= 1e4 * gtol * Math.max(1, Math.abs(f));
      return {
        x,
        f,
        gradient: g,
        iterations: iter,
        evaluations,
        converged: ok,
        message: ok
          ? "line search stalled at rounding level near a stationary point"
          : "line search found no acceptable step",
      };
    }
    // xt, gt hold the accepted point
    for (let i = 0; i < n; i++) {
      s[i] = xt[i]! - x[i]!;
      y[i] = gt[i]! - g[i]!;
    }
    const sy = dot(s, y);
    const prevF = f;
    [x, xt] = [xt, x];
    [g, gt] = [gt, g];
    f = fNew;
    if (sy > 1e-300) {
      if (!scaled) {
        // H0 = (sᵀy / yᵀy) I before the first update
        const gamma = sy / dot(y, y);
        H.fill(0);
        for (let i = 0; i < n; i++) H[i * n + i] = gamma;
        scaled = true;
      }
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j]! * y[j]!;
        Hy[i] = v;
      }
      const yHy = dot(y, Hy);
      const coef = (1 + rho * yHy) * rho;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] = H[i * n + j]! + coef * s[i]! * s[j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!);
        }
      }
    }
    if (prevF - f <= 1e-16 * Math.max(1, Math.abs(f)) && maxAbs(s) <= 1e-14 * Math.max(1, maxAbs(x))) {
      const ok = maxAbs(g) <= 1e3 * gtol * Math.max(1, Math.abs(f));
      return {
        x,
        f,
        gradient: g,
        iterations: iter,
        evaluations,
        converged: ok,
        message: ok ? "no further progress at a near-stationary point" : "no further progress",
      };
    }
  }
}

/**
 * Hessian by central differences of an analytic gradient: H[·, j] = (∇f(x + hⱼeⱼ) − ∇f(x − hⱼeⱼ)) / 2hⱼ
 * with hⱼ = `step`·max(1, |xⱼ|), then symmetrised. Costs 2·dim gradient evaluations.
 */
export function numericHessian(fg: ObjectiveWithGradient, x: ArrayLike<number>, step = 1e-5): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const xp = Float64Array.from(x);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = step * Math.max(1, Math.abs(x[j]!));
    xp[j] = x[j]! + h;
    fg(xp, gp);
    xp[j] = x[j]! - h;
    fg(xp, gm);
    xp[j] = x[j]!;
    for (let i = 0; i < n; i++) H[i * n + j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (H[i * n + j]! + H[j * n + i]!);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/**
 * Inverse of a symmetric positive-definite matrix (row-major, n×n) via Cholesky, or `null` when the
 * matrix is not positive definite (then no standard errors exist at that point).
 */
export function invertSpd(A: ArrayLike<number>, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else L[i * n + j] = sum / L[j * n + j]!;
    }
  }
  // inverse of L (lower triangular)
  const Li = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Li[i * n + i] = 1 / L[i * n + i]!;
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= L[i * n + k]! * Li[k * n + j]!;
      Li[i * n + j] = sum / L[i * n + i]!;
    }
  }
  // A⁻¹ = L⁻ᵀ L⁻¹
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += Li[k * n + i]! * Li[k * n + j]!;
      inv[i * n + j] = sum;
      inv[j * n + i] = sum;
    }
  }
  return inv;
}
