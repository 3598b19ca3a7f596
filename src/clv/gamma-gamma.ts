/**
 * Gamma-Gamma model of spend per transaction: a customer's transaction values are
 * z ~ Gamma(shape p, rate ν); ν ~ Gamma(shape q, rate v) across customers (v is Hardie's γ).
 * The population mean spend is p·v/(q − 1); a customer's expected spend moves from it towards
 * their own average as they buy more.
 *
 * @see Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: Using Iso-Value Curves for
 *   Customer Base Analysis. *Journal of Marketing Research* 42(4), 415–430. doi:10.1509/jmkr.2005.42.4.415
 * @see Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma Model of Monetary Value. Note, brucehardie.com.
 * @module
 */
import { InsufficientDataError, InvalidInputError, formatValue } from "../core/errors.js";
import { digamma, logGamma } from "../core/special.js";
import type { Warning } from "../core/values.js";
import { type FitOptions, fitLogParameters } from "./mle.js";
import { type RfmInput, collapseRows, readRfm, requireCustomers } from "./rfm-data.js";

/** Gamma-Gamma parameters: z ~ Gamma(p, ν), ν ~ Gamma(q, v). */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** A customer as the spend model sees them: repeat purchases and their mean value. */
export interface SpendCustomer {
  /** Number of repeat purchases x (integer ≥ 0). */
  frequency: number;
  /** Mean value of those purchases z̄ (ignored when frequency is 0). */
  monetaryValue: number;
}

/** The Gamma-Gamma model at given parameters. */
export interface GammaGammaModel {
  params: GammaGammaParams;
  /**
   * E[Z | x, z̄] = p·(v + x·z̄)/(p·x + q − 1): expected value of the customer's future transactions,
   * in the currency of z̄. For x = 0 it is the population mean p·v/(q − 1).
   * `null` when that mean does not exist (p·x + q ≤ 1).
   */
  conditionalExpectedValue(customer: SpendCustomer): number | null;
  /** Population mean spend per transaction p·v/(q − 1), or `null` when q ≤ 1. */
  populationMeanValue: number | null;
  /** ln f(z̄ | p, q, v; x) of one customer with x > 0 (density of the mean, Fader & Hardie 2013). */
  customerLogLikelihood(customer: SpendCustomer): number;
}

/** Result of {@link fitGammaGamma}. */
export interface GammaGammaFit extends GammaGammaModel {
  /** Maximised log-likelihood over the customers with x > 0 (natural log). */
  logLikelihood: number;
  standardErrors: GammaGammaParams | null;
  converged: true;
  iterations: number;
  /** Customers used (frequency > 0). */
  n: number;
  /** Customers left out because they made no repeat purchase. */
  excluded: { noRepeatPurchase: number };
  /**
   * The model assumes spend is independent of purchase frequency: Pearson correlation between
   * frequency and monetaryValue among the customers used (`null` when undefined).
   */
  frequencyValueCorrelation: number | null;
  /** `assumption_violated` when |correlation| > 0.3; `small_sample` below 30 customers. */
  warnings: Warning[];
}

function checkParams(fn: string, p: GammaGammaParams): GammaGammaParams {
  for (const k of ["p", "q", "v"] as const) {
    const v = p?.[k];
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [k],
            code: typeof v === "number" ? "out_of_range" : "invalid_type",
            message: `parameter ${k} is ${formatValue(v)}; expected a finite number > 0`,
          },
        ],
        { context: fn },
      );
    }
  }
  return { p: p.p, q: p.q, v: p.v };
}

function checkSpend(fn: string, c: SpendCustomer, needPositive: boolean): void {
  const x = c?.frequency;
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["frequency"],
          code: typeof x === "number" ? "not_an_integer" : "invalid_type",
          message: `frequency is ${formatValue(x)}; expected an integer ≥ 0`,
        },
      ],
      { context: fn },
    );
  }
  const m = c.monetaryValue;
  if (x > 0 || needPositive) {
    if (typeof m !== "number" || !Number.isFinite(m) || m <= 0) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: ["monetaryValue"],
            code: typeof m === "number" ? "out_of_range" : "invalid_type",
            message: `monetaryValue is ${formatValue(m)}; expected a positive mean spend`,
          },
        ],
        { context: fn },
      );
    }
  }
}

/**
 * The Gamma-Gamma spend model at given parameters.
 *
 * @example
 * gammaGammaModel({ p: 6.25, q: 3.74, v: 15.44 }).conditionalExpectedValue({ frequency: 2, monetaryValue: 22.35 }) //=> ≈ 24.66
 */
export function gammaGammaModel(params: GammaGammaParams): GammaGammaModel {
  const { p, q, v } = checkParams("gammaGammaModel", params);
  return {
    params: { p, q, v },
    populationMeanValue: q > 1 ? (p * v) / (q - 1) : null,
    conditionalExpectedValue(c) {
      checkSpend("conditionalExpectedValue", c, false);
      const x = c.frequency;
      const den = p * x + q - 1;
      if (!(den > 0)) return null;
      return (p * (v + (x > 0 ? x * c.monetaryValue : 0))) / den;
    },
    customerLogLikelihood(c) {
      checkSpend("customerLogLikelihood", c, true);
      const x = c.frequency;
      if (x === 0) {
        throw new InvalidInputError(
          [
            {
              index: null,
              path: ["frequency"],
              code: "out_of_range",
              message: "frequency is 0; the spend likelihood needs x > 0",
            },
          ],
          { context: "customerLogLikelihood" },
        );
      }
      const m = c.monetaryValue;
      const px = p * x;
      return (
        logGamma(px + q) -
        logGamma(px) -
        logGamma(q) +
        q * Math.log(v) +
        (px - 1) * Math.log(m) +
        px * Math.log(x) -
        (px + q) * Math.log(v + x * m)
      );
    },
  };
}

/**
 * Negative log-likelihood of the Gamma-Gamma model in θ = (ln p, ln q, ln v) with its analytic
 * gradient, over weighted distinct (x, z̄) pairs. Γ- and ψ-terms are computed once per distinct x.
 *
 * @example
 * const f64 = (a: number[]) => Float64Array.from(a);
 * const nll = gammaGammaNegLogLikelihood(f64([1, 2]), f64([20, 30]), f64([1, 1]));
 * nll(f64([0, 0, 0]), new Float64Array(3)) //=> 12.941027544624792
 */
export function gammaGammaNegLogLikelihood(
  x: Float64Array,
  m: Float64Array,
  w: Float64Array,
): (theta: Float64Array, grad: Float64Array) => number {
  const k = x.length;
  const xs = Array.from(new Set(x)).sort((a, b) => a - b);
  const xIndex = new Map(xs.map((v, i) => [v, i]));
  const xi = new Int32Array(k);
  const wPerX = new Float64Array(xs.length);
  let W = 0;
  let constTerm = 0; // Σ w (−ln m) part independent of parameters is kept for the exact LL
  let sumWxLogXM = 0; // Σ w x (ln m + ln x)
  for (let i = 0; i < k; i++) {
    const j = xIndex.get(x[i]!)!;
    xi[i] = j;
    wPerX[j] = wPerX[j]! + w[i]!;
    W += w[i]!;
    constTerm -= w[i]! * Math.log(m[i]!);
    sumWxLogXM += w[i]! * x[i]! * (Math.log(m[i]!) + Math.log(x[i]!));
  }
  return (theta, grad) => {
    const p = Math.exp(theta[0]!);
    const q = Math.exp(theta[1]!);
    const v = Math.exp(theta[2]!);
    if (!(p > 0 && q > 0 && v > 0 && Number.isFinite(p + q + v))) return Number.NaN;
    const lq = logGamma(q);
    const dq = digamma(q);
    let ll = constTerm + p * sumWxLogXM + W * (q * Math.log(v) - lq);
    let gp = sumWxLogXM;
    let gq = W * (Math.log(v) - dq);
    let gv = (W * q) / v;
    for (let j = 0; j < xs.length; j++) {
      const px = p * xs[j]!;
      const wj = wPerX[j]!;
      ll += wj * (logGamma(px + q) - logGamma(px));
      const dpq = digamma(px + q);
      gp += wj * xs[j]! * (dpq - digamma(px));
      gq += wj * dpq;
    }
    for (let i = 0; i < k; i++) {
      const xv = x[i]!;
      const den = v + xv * m[i]!;
      const pxq = p * xv + q;
      const l = Math.log(den);
      ll -= w[i]! * pxq * l;
      gp -= w[i]! * xv * l;
      gq -= w[i]! * l;
      gv -= (w[i]! * pxq) / den;
    }
    grad[0] = -gp * p;
    grad[1] = -gq * q;
    grad[2] = -gv * v;
    return -ll;
  };
}

/**
 * Fit the Gamma-Gamma spend model by maximum likelihood on the customers with at least one repeat
 * purchase (x > 0, z̄ > 0), and check its key assumption: spend independent of frequency.
 *
 * Method: BFGS on log-parameters with the analytic gradient (customers with identical (x, z̄) are
 * collapsed), one Newton polish step, standard errors from the inverse Hessian. Start p = 1, q = 1,
 * v = mean z̄ (scale-aware). Money in the unit of `monetaryValue`, float64 (a statistical model).
 *
 * @throws {InsufficientDataError} fewer than 2 customers with repeat purchases, or all of them alike.
 * @throws {InvalidInputError} monetaryValue ≤ 0 or non-finite for a customer with frequency > 0.
 * @throws {ConvergenceError} the optimiser did not converge.
 * @example
 * // On the CDNOW repeat buyers: p ≈ 6.25, q ≈ 3.74, v ≈ 15.44. Here: twelve customers.
 * const spend = [[1, 5], [1, 60], [2, 8], [1, 25], [3, 40], [2, 90], [1, 12], [4, 15], [1, 150], [2, 20], [6, 33], [1, 7]];
 * const gg = fitGammaGamma(spend.map(([frequency, monetaryValue]) => ({ frequency: frequency!, recency: 10, T: 20, monetaryValue: monetaryValue! })));
 * gg.params //=> ≈ { p: 1.3245, q: 3.4123, v: 68.821 }
 * gg.conditionalExpectedValue({ frequency: 2, monetaryValue: 30 }) //=> ≈ 33.712
 */
export function fitGammaGamma(
  summary: RfmInput,
  options?: FitOptions & { start?: Partial<GammaGammaParams> },
): GammaGammaFit {
  const fn = "fitGammaGamma";
  const d = readRfm(fn, summary, true);
  requireCustomers(fn, d.n, "customers with repeat purchases and their mean spend");
  const m = d.m!;
  const c = collapseRows([d.x, m], (i) => d.x[i]! > 0);
  const used = Array.from(c.w).reduce((s, v) => s + v, 0);
  if (used < 2 || c.k < 2) {
    throw new InsufficientDataError(
      `${fn}: ${used} customer(s) with repeat purchases${used >= 2 ? ", all with the same frequency and spend" : ""}; the spend model needs variation across at least 2 repeat buyers`,
      "at least 2 customers with frequency > 0 and different spend",
    );
  }
  const [x, mv] = c.cols as [Float64Array, Float64Array];
  let meanM = 0;
  for (let i = 0; i < c.k; i++) meanM += c.w[i]! * mv[i]!;
  meanM /= used;
  const s = options?.start ?? {};
  const start = [s.p ?? 1, s.q ?? 1, s.v ?? meanM];
  const res = fitLogParameters(
    fn,
    gammaGammaNegLogLikelihood(x, mv, c.w),
    start,
    ["p", "q", "v"],
    options?.maxIterations === undefined ? undefined : { maxIterations: options.maxIterations },
  );
  const [p, q, v] = res.params as unknown as [number, number, number];
  // assumption check: Pearson correlation of frequency and monetary value
  let sx = 0;
  let sm = 0;
  for (let i = 0; i < c.k; i++) {
    sx += c.w[i]! * x[i]!;
    sm += c.w[i]! * mv[i]!;
  }
  const mx = sx / used;
  const mm = sm / used;
  let cxx = 0;
  let cmm = 0;
  let cxm = 0;
  for (let i = 0; i < c.k; i++) {
    const dx = x[i]! - mx;
    const dm = mv[i]! - mm;
    cxx += c.w[i]! * dx * dx;
    cmm += c.w[i]! * dm * dm;
    cxm += c.w[i]! * dx * dm;
  }
  const corr = cxx > 0 && cmm > 0 ? cxm / Math.sqrt(cxx * cmm) : null;
  const warnings = [...res.warnings];
  if (corr !== null && Math.abs(corr) > 0.3) {
    warnings.push({
      code: "assumption_violated",
      message: `${fn}: frequency and mean spend are correlated (Pearson r = ${corr.toFixed(3)}); the Gamma-Gamma model assumes they are independent, so its spend predictions may be biased`,
    });
  }
  if (used < 30)
    warnings.push({
      code: "small_sample",
      message: `${fn}: only ${used} customers with repeat purchases; the estimates are imprecise`,
    });
  const se = res.standardErrors;
  return {
    ...gammaGammaModel({ p, q, v }),
    logLikelihood: res.logLikelihood,
    standardErrors: se ? { p: se[0]!, q: se[1]!, v: se[2]! } : null,
    converged: true,
    iterations: res.iterations,
    n: used,
    excluded: { noRepeatPurchase: d.n - used },
    frequencyValueCorrelation: corr,
    warnings,
  };
}
