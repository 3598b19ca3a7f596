/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat purchasing in a
 * non-contractual setting: while alive a customer buys at a Poisson rate λ ~ Gamma(r, α) (shape r,
 * rate α per time unit); after each repeat purchase they drop out with probability p ~ Beta(a, b).
 *
 * @see Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting Your Customers" the Easy Way:
 *   An Alternative to the Pareto/NBD Model. *Marketing Science* 24(2), 275–284. doi:10.1287/mksc.1040.0098
 * @module
 */
import { ConvergenceError, InsufficientDataError, InvalidInputError, formatValue } from "../core/errors.js";
import type { Warning } from "../core/values.js";
import { type FitOptions, fitLogParameters } from "./mle.js";
import { type RfmCustomer, type RfmInput, collapseRows, readRfm, requireCustomers } from "./rfm-data.js";

/** BG/NBD parameters: purchase rate λ ~ Gamma(shape r, rate alpha); dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A BG/NBD model at given parameters: the predictions of Fader, Hardie & Lee (2005). */
export interface BgNbdModel {
  params: BgNbdParams;
  /**
   * E[X(t)]: expected repeat purchases of a *new* customer in (0, t] (paper eq. 9), t in the
   * summary's time unit.
   */
  expectedPurchases(t: number): number;
  /**
   * E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with that history
   * (paper eq. 10).
   */
  conditionalExpectedPurchases(t: number, customer: RfmCustomer): number;
  /** P(alive at T | x, t_x, T) = 1 / (1 + [x > 0]·a/(b + x − 1)·((α + T)/(α + t_x))^(r+x)); 1 when x = 0. */
  probabilityAlive(customer: RfmCustomer): number;
  /** ln L(r, α, a, b | x, t_x, T) of one customer (paper eq. 6, all terms, natural log). */
  customerLogLikelihood(customer: RfmCustomer): number;
}

/** Result of {@link fitBgNbd}: the fitted model plus the evidence of the fit. */
export interface BgNbdFit extends BgNbdModel {
  /** Maximised log-likelihood, summed over customers (natural log, all terms; time in the summary's unit). */
  logLikelihood: number;
  /** Standard errors from the inverse Hessian (delta method from log-parameters); `null` if not available. */
  standardErrors: BgNbdParams | null;
  /** Always `true` (a fit that does not converge throws `ConvergenceError`). */
  converged: true;
  /** BFGS iterations. */
  iterations: number;
  /** Customers used. */
  n: number;
  /** Distinct (frequency, recency, T) triples the likelihood was evaluated on. */
  distinct: number;
  /** Customers with at least one repeat purchase. */
  repeatBuyers: number;
  warnings: Warning[];
}

function checkT(fn: string, t: unknown): number {
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["t"],
          code: typeof t === "number" ? "out_of_range" : "invalid_type",
          message: `t is ${formatValue(t)}; expected a finite number ≥ 0 (time units of the summary)`,
        },
      ],
      { context: fn },
    );
  }
  return t;
}

function checkCustomer(fn: string, c: RfmCustomer): void {
  readRfm(fn, [c], false);
}

/** (e^y − 1)/y, accurate near 0. */
function expm1OverX(y: number): number {
  return Math.abs(y) < 1e-5 ? 1 + y / 2 + (y * y) / 6 : Math.expm1(y) / y;
}

/**
 * E[X(t)] of a new customer with parameters (r, α, a, b) (paper eq. 9):
 * (a+b−1)/(a−1)·[1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
 *
 * Evaluated through Euler's transformation, (1−z)^r ₂F₁(r, b; c; z) = (1−z)^(a−1) ₂F₁(c−r, a−1; c; z)
 * with c = a+b−1, whose series has bounded terms (no overflow for large r + x) and carries the
 * factor (a−1), so the removable singularity at a = 1 cancels analytically:
 * E = c·(1 − u)/(a−1) − u·Σ_{n≥1} (c−r)_n (a)_{n−1} / ((c+1)_{n−1} n!) zⁿ, u = (1−z)^(a−1).
 * Summed until the tail bound |term|/(1−z) is below 10⁻¹⁷ of the sum.
 *
 * @example
 * // CDNOW parameters (Fader, Hardie & Lee 2005), t in weeks
 * bgNbdExpectedPurchases(39, 0.243, 4.414, 0.793, 2.426) //=> 1.1967231933208193
 * bgNbdExpectedPurchases(0, 0.243, 4.414, 0.793, 2.426) //=> 0
 */
export function bgNbdExpectedPurchases(t: number, r: number, alpha: number, a: number, b: number): number {
  if (t <= 0) return 0;
  const c = a + b - 1;
  const A = c - r;
  const z = t / (alpha + t);
  const oneMinusZ = alpha / (alpha + t);
  const L = -Math.log1p(t / alpha); // ln(1 − z)
  const em = (a - 1) * L;
  const part1 = -L * expm1OverX(em); // (1 − u)/(a − 1)
  const u = Math.exp(em);
  let term = A * z;
  let sum = term;
  const tol = 1e-17 * oneMinusZ;
  const maxTerms = 1_000_000;
  let n = 1;
  for (; n < maxTerms; n++) {
    term *= (((A + n) * (a + n - 1)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (!Number.isFinite(sum)) break;
    if (Math.abs(term) <= tol * Math.abs(sum) || term === 0) {
      // the ratio tends to z from below once n exceeds the parameters: the tail is bounded geometrically
      if (n > Math.abs(A) + Math.abs(a) + 2) break;
    }
  }
  const value = c * part1 - u * sum;
  if (n >= maxTerms || !Number.isFinite(value)) {
    // The series' terms peak near n ≈ a·z: with a very concentrated dropout distribution (a, b ≫ 1,
    // the fixed-p limit of the model) it overflows or needs more terms than is reasonable. Never NaN.
    throw new ConvergenceError(
      `bgNbdExpectedPurchases: the series for E[X(${t})] did not converge at a = ${a}, b = ${b} (a·t/(α+t) = ${(a * z).toPrecision(3)}); ` +
        "the dropout distribution is so concentrated that the model is numerically at its fixed-p limit; cap a + b (the report does so) or refit on more data",
      n,
      [],
    );
  }
  return value;
}

/** P(alive) from the log-odds of being dead. */
function pAlive(x: number, tx: number, T: number, p: BgNbdParams): number {
  if (x === 0) return 1;
  const L = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return L > 0 ? Math.exp(-L) / (1 + Math.exp(-L)) : 1 / (1 + Math.exp(L));
}

function lnGammaRatioInt(v: number, x: number): number {
  // ln Γ(v + x) − ln Γ(v) for integer x ≥ 0
  let s = 0;
  for (let k = 0; k < x; k++) s += Math.log(v + k);
  return s;
}

function customerLogLik(x: number, tx: number, T: number, p: BgNbdParams): number {
  const { r, alpha, a, b } = p;
  const A1 = lnGammaRatioInt(r, x) + r * Math.log(alpha);
  const A2 = lnGammaRatioInt(b, x) - lnGammaRatioInt(a + b, x);
  const A3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return A1 + A2 + A3;
  const A4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const mx = Math.max(A3, A4);
  return A1 + A2 + mx + Math.log1p(Math.exp(-Math.abs(A3 - A4)));
}

function checkParams(fn: string, p: BgNbdParams): BgNbdParams {
  for (const k of ["r", "alpha", "a", "b"] as const) {
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
  return { r: p.r, alpha: p.alpha, a: p.a, b: p.b };
}

/**
 * The BG/NBD model at given parameters (e.g. published ones): expected purchases, conditional
 * expectations, P(alive) and per-customer log-likelihood.
 *
 * @example
 * const m = bgNbdModel({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
 * m.probabilityAlive({ frequency: 2, recency: 30.43, T: 38.86 }) //=> ≈ 0.7266
 */
export function bgNbdModel(params: BgNbdParams): BgNbdModel {
  const p = checkParams("bgNbdModel", params);
  return {
    params: p,
    expectedPurchases(t) {
      return bgNbdExpectedPurchases(checkT("expectedPurchases", t), p.r, p.alpha, p.a, p.b);
    },
    conditionalExpectedPurchases(t, c) {
      checkT("conditionalExpectedPurchases", t);
      checkCustomer("conditionalExpectedPurchases", c);
      const x = c.frequency;
      const alive = pAlive(x, c.recency, c.T, p);
      if (alive === 0) return 0;
      return bgNbdExpectedPurchases(t, p.r + x, p.alpha + c.T, p.a, p.b + x) * alive;
    },
    probabilityAlive(c) {
      checkCustomer("probabilityAlive", c);
      return pAlive(c.frequency, c.recency, c.T, p);
    },
    customerLogLikelihood(c) {
      checkCustomer("customerLogLikelihood", c);
      return customerLogLik(c.frequency, c.recency, c.T, p);
    },
  };
}

/** Options of {@link fitBgNbd}. */
export interface BgNbdOptions extends FitOptions {
  /** Start values (natural scale); default `{ r: 1, alpha: mean T / 10 … }` — see the docs. */
  start?: Partial<BgNbdParams>;
}

/**
 * Negative log-likelihood of the BG/NBD model over weighted distinct customers, as a function of
 * θ = (ln r, ln α, ln a, ln b), with its analytic gradient.
 * Γ- and ψ-terms use exact finite sums because x is an integer: ln Γ(r+x) − ln Γ(r) = Σ_{k<x} ln(r+k).
 *
 * @example
 * const f64 = (a: number[]) => Float64Array.from(a);
 * // two customers (x = 0 and 2 repeat purchases), weight 1 each; θ = ln(1, 1, 1, 1)
 * const nll = bgNbdNegLogLikelihood(f64([0, 2]), f64([0, 30]), f64([38, 38]), f64([1, 1]));
 * const grad = new Float64Array(4);
 * nll(f64([0, 0, 0, 0]), grad) //=> 14.368773993569697
 */
export function bgNbdNegLogLikelihood(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  w: Float64Array,
): (theta: Float64Array, grad: Float64Array) => number {
  const k = x.length;
  let maxX = 0;
  for (let i = 0; i < k; i++) if (x[i]! > maxX) maxX = x[i]!;
  // total weight per frequency value
  const wx = new Float64Array(maxX + 1);
  let N = 0;
  for (let i = 0; i < k; i++) {
    wx[x[i]!] = wx[x[i]!]! + w[i]!;
    N += w[i]!;
  }
  // customers with frequency ≥ j, for the cumulative-sum trick: Σ_i w_i Σ_{k<x_i} f(k) = Σ_k f(k)·W(x > k)
  const wAbove = new Float64Array(maxX + 1);
  let acc = 0;
  for (let j = maxX; j >= 0; j--) {
    wAbove[j] = acc; // weight with x > j
    acc += wx[j]!;
  }
  // distinct T values (few in real data: one per first-purchase day) get their ln(α + T) once per evaluation
  // (given up as soon as distinct values exceed half the rows: continuous-time data)
  const tIndex = new Map<number, number>();
  const tPos = new Int32Array(k);
  let useTCache = true;
  for (let i = 0; i < k; i++) {
    let j = tIndex.get(T[i]!);
    if (j === undefined) {
      j = tIndex.size;
      tIndex.set(T[i]!, j);
      if (j > 64 && j > (i + 1) / 2) {
        useTCache = false;
        break;
      }
    }
    tPos[i] = j;
  }
  if (!useTCache) tIndex.clear();
  const tVals = Float64Array.from(tIndex.keys());
  const logAT = new Float64Array(tVals.length);
  const invAT = new Float64Array(tVals.length);
  const lbx = new Float64Array(maxX + 1); // ln(b + x − 1)
  const ibx = new Float64Array(maxX + 1); // 1/(b + x − 1)
  return (theta, grad) => {
    const r = Math.exp(theta[0]!);
    const alpha = Math.exp(theta[1]!);
    const a = Math.exp(theta[2]!);
    const b = Math.exp(theta[3]!);
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0 && Number.isFinite(r + alpha + a + b))) return Number.NaN;
    let ll = 0;
    let gr = 0;
    let gal = 0;
    let ga = 0;
    let gb = 0;
    // Σ_i w_i [ln Γ(r+x) − ln Γ(r) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x) + ln Γ(a+b)]
    for (let j = 0; j < maxX; j++) {
      const W = wAbove[j]!;
      if (W === 0) continue;
      ll += W * (Math.log(r + j) + Math.log(b + j) - Math.log(a + b + j));
      const iab = 1 / (a + b + j);
      gr += W / (r + j);
      gb += W * (1 / (b + j) - iab);
      ga -= W * iab;
    }
    const la = Math.log(alpha);
    ll += N * r * la;
    gr += N * la;
    gal += (N * r) / alpha;
    for (let j = 1; j <= maxX; j++) {
      lbx[j] = Math.log(b + j - 1);
      ibx[j] = 1 / (b + j - 1);
    }
    if (useTCache) {
      for (let j = 0; j < tVals.length; j++) {
        const v = alpha + tVals[j]!;
        logAT[j] = Math.log(v);
        invAT[j] = 1 / v;
      }
    }
    const lna = Math.log(a);
    const ia = 1 / a;
    let sr = 0;
    let sal = 0;
    let sa = 0;
    let sb = 0;
    let sll = 0;
    for (let i = 0; i < k; i++) {
      const xi = x[i]!;
      const wi = w[i]!;
      const rx = r + xi;
      let lT: number;
      let iT: number;
      if (useTCache) {
        lT = logAT[tPos[i]!]!;
        iT = invAT[tPos[i]!]!;
      } else {
        const aT = alpha + T[i]!;
        lT = Math.log(aT);
        iT = 1 / aT;
      }
      const A3 = -rx * lT;
      if (xi === 0) {
        sll += wi * A3;
        sr -= wi * lT;
        sal -= wi * rx * iT;
        continue;
      }
      const at = alpha + tx[i]!;
      const lt = Math.log(at);
      const A4 = lna - lbx[xi]! - rx * lt;
      let lse: number;
      let w3: number;
      if (A3 >= A4) {
        const e = Math.exp(A4 - A3);
        lse = A3 + Math.log1p(e);
        w3 = 1 / (1 + e);
      } else {
        const e = Math.exp(A3 - A4);
        lse = A4 + Math.log1p(e);
        w3 = e / (1 + e);
      }
      const w4 = 1 - w3;
      sll += wi * lse;
      sr -= wi * (w3 * lT + w4 * lt);
      sal -= wi * rx * (w3 * iT + w4 / at);
      sa += wi * w4 * ia;
      sb -= wi * w4 * ibx[xi]!;
    }
    ll += sll;
    gr += sr;
    gal += sal;
    ga += sa;
    gb += sb;
    grad[0] = -gr * r;
    grad[1] = -gal * alpha;
    grad[2] = -ga * a;
    grad[3] = -gb * b;
    return -ll;
  };
}

/**
 * Fit the BG/NBD model by maximum likelihood (Fader, Hardie & Lee 2005, eq. 6).
 *
 * Method: BFGS on log-parameters with the analytic gradient, customers with identical
 * (frequency, recency, T) collapsed with weights (a million customers cost what their distinct
 * triples cost), one Newton polish step, standard errors from the inverse numeric Hessian of the
 * gradient. Default start r = 1, α = mean T, a = 1, b = 1 (scale-aware so the time unit does not matter).
 * Time unit: whatever the summary uses (weeks for CDNOW); α is per that unit.
 *
 * @throws {InsufficientDataError} `empty_input` without customers; `insufficient_data` when no customer
 *   has a repeat purchase or all customers are identical (the model is not identified).
 * @throws {ConvergenceError} when the optimiser does not converge (iterations and last gradient attached).
 * @throws {InvalidInputError} for a frequency that is not an integer ≥ 0, recency outside [0, T], …
 * @example
 * // Fitted to the CDNOW sample (2,357 customers, weeks): r ≈ 0.243, α ≈ 4.414, a ≈ 0.793, b ≈ 2.426.
 * // Here: data simulated from known parameters, recovered by the fit.
 * const sim = simulateBgNbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, { customers: 5000, T: [27, 39], seed: 7 });
 * const fit = fitBgNbd(sim);
 * fit.params //=> ≈ { r: 0.25, alpha: 3.82, a: 0.71, b: 2.03 }
 * fit.conditionalExpectedPurchases(39, { frequency: 2, recency: 30.43, T: 38.86 }) //=> ≈ 1.2
 */
export function fitBgNbd(summary: RfmInput, options?: BgNbdOptions): BgNbdFit {
  const fn = "fitBgNbd";
  const d = readRfm(fn, summary, false);
  requireCustomers(fn, d.n, "at least 2 distinct customers, some with repeat purchases");
  const c = collapseRows([d.x, d.tx, d.T]);
  const [x, tx, T] = c.cols as [Float64Array, Float64Array, Float64Array];
  let repeat = 0;
  let meanT = 0;
  for (let i = 0; i < c.k; i++) {
    if (x[i]! > 0) repeat += c.w[i]!;
    meanT += c.w[i]! * T[i]!;
  }
  meanT /= d.n;
  if (repeat === 0) {
    throw new InsufficientDataError(
      `${fn}: none of the ${d.n} customers made a repeat purchase, so the dropout process (a, b) is not identified`,
      "at least one customer with frequency > 0 (in practice dozens)",
    );
  }
  if (c.k === 1) {
    throw new InsufficientDataError(
      `${fn}: all ${d.n} customers have the same (frequency, recency, T); the four parameters are not identified`,
      "customers with different purchase histories",
    );
  }
  if (!(meanT > 0)) {
    throw new InsufficientDataError(
      `${fn}: every customer has T = 0 (no observation time)`,
      "customers observed for some time (T > 0)",
    );
  }
  const nll = bgNbdNegLogLikelihood(x, tx, T, c.w);
  const s = options?.start ?? {};
  const start = [s.r ?? 1, s.alpha ?? meanT, s.a ?? 1, s.b ?? 1];
  for (let i = 0; i < 4; i++) {
    if (!(start[i]! > 0) || !Number.isFinite(start[i]!)) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: ["start", ["r", "alpha", "a", "b"][i]!],
            code: "invalid_option",
            message: `start value is ${formatValue(start[i])}; expected a finite number > 0`,
          },
        ],
        { context: fn, code: "invalid_option" },
      );
    }
  }
  const res = fitLogParameters(
    fn,
    nll,
    start,
    ["r", "alpha", "a", "b"],
    options?.maxIterations === undefined ? undefined : { maxIterations: options.maxIterations },
  );
  const [r, alpha, a, b] = res.params as unknown as [number, number, number, number];
  const model = bgNbdModel({ r, alpha, a, b });
  const se = res.standardErrors;
  return {
    ...model,
    logLikelihood: res.logLikelihood,
    standardErrors: se ? { r: se[0]!, alpha: se[1]!, a: se[2]!, b: se[3]! } : null,
    converged: true,
    iterations: res.iterations,
    n: d.n,
    distinct: c.k,
    repeatBuyers: repeat,
    warnings: res.warnings,
  };
}
