/**
 * Maximum-likelihood driver shared by the BG/NBD, Gamma-Gamma and sBG fits: BFGS on
 * log-parameters, one Newton polish step with the numeric Hessian of the analytic gradient, and
 * standard errors from the inverse of that Hessian (delta method back to the natural scale).
 *
 * @module
 */
import { ConvergenceError } from "../core/errors.js";
import type { Warning } from "../core/values.js";
import { type ObjectiveWithGradient, invertSpd, minimizeBfgs, numericHessian } from "./optimize.js";

/** Options common to the maximum-likelihood fits. */
export interface FitOptions {
  /** Maximum BFGS iterations before `ConvergenceError` (default 200). */
  maxIterations?: number;
  /** Starting parameter values on the natural scale (default: a fixed, documented start per model). */
  start?: Record<string, number>;
}

/** Result of {@link fitLogParameters}. */
export interface MleResult {
  params: Float64Array;
  logLikelihood: number;
  /** Standard errors on the natural scale (`null` when the Hessian is not positive definite). */
  standardErrors: Float64Array | null;
  /** Inverse Hessian of −LL in log-parameters (covariance of the log-parameters), row-major. */
  logCovariance: Float64Array | null;
  iterations: number;
  evaluations: number;
  gradient: Float64Array;
  warnings: Warning[];
}

/**
 * Minimise `negLogLik(θ)` (θ = log-parameters, gradient w.r.t. θ) from `start` (natural scale).
 * Throws `ConvergenceError` (iterations and last gradient) when BFGS does not converge or the
 * optimum is not finite.
 */
export function fitLogParameters(
  fn: string,
  negLogLik: ObjectiveWithGradient,
  start: ArrayLike<number>,
  names: readonly string[],
  options?: { maxIterations?: number },
): MleResult {
  const theta0 = Array.from(start, Math.log);
  const res = minimizeBfgs(negLogLik, theta0, {
    maxIterations: options?.maxIterations ?? 200,
    gradientTolerance: 1e-10,
  });
  const warnings: Warning[] = [];
  const finiteParams = Array.from(res.x).every((v) => Number.isFinite(v) && Math.abs(v) < 700);
  if (!res.converged || !Number.isFinite(res.f) || !finiteParams) {
    throw new ConvergenceError(
      `${fn}: maximum likelihood did not converge after ${res.iterations} iterations (${res.message}); last parameters ${names
        .map((nm, i) => `${nm}=${Math.exp(res.x[i]!).toPrecision(6)}`)
        .join(
          ", ",
        )}. The data may not identify the model (e.g. too few repeat buyers), or try other start values.`,
      res.iterations,
      Array.from(res.gradient),
    );
  }
  let x = res.x;
  let f = res.f;
  let g = res.gradient;
  const k = x.length;
  const H = numericHessian(negLogLik, x);
  let evaluations = res.evaluations + 2 * k;
  const cov = invertSpd(H, k);
  // Newton polish with the Hessian just computed: θ ← θ − H⁻¹ g, kept only while −LL does not
  // increase and the gradient shrinks (near the optimum the gradient is more accurate than −LL)
  for (let step = 0; step < 4 && cov && maxAbs(g) > 1e-12 * Math.max(1, Math.abs(f)); step++) {
    const xn = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += cov[i * k + j]! * g[j]!;
      xn[i] = x[i]! - s;
    }
    const gn = new Float64Array(k);
    const fNew = negLogLik(xn, gn);
    evaluations++;
    if (!(Number.isFinite(fNew) && fNew <= f + 1e-12 * Math.abs(f) && maxAbs(gn) < maxAbs(g))) break;
    x = xn;
    f = fNew;
    g = gn;
  }
  const params = x.map(Math.exp);
  let se: Float64Array | null = null;
  if (cov) {
    se = new Float64Array(k);
    for (let i = 0; i < k; i++) se[i] = params[i]! * Math.sqrt(cov[i * k + i]!);
  } else {
    warnings.push({
      code: "singular_hessian",
      message: `${fn}: the Hessian at the optimum is not positive definite, so no standard errors are reported; some parameters are not identified by these data`,
    } as Warning);
  }
  return {
    params,
    logLikelihood: -f,
    standardErrors: se,
    logCovariance: cov,
    iterations: res.iterations,
    evaluations,
    gradient: g,
    warnings,
  };
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}
