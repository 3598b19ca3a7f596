/**
 * Shifted-beta-geometric (sBG) model of retention in a contractual setting with discrete renewal
 * opportunities (e.g. yearly subscriptions): each customer churns at each renewal with their own
 * probability θ ~ Beta(α, β), so the cohort's retention rate rises over time as the customers most
 * likely to leave leave first.
 *
 * @see Fader, P. S. & Hardie, B. G. S. (2007). How to Project Customer Retention. *Journal of
 *   Interactive Marketing* 21(1), 76–90. doi:10.1002/dir.20074
 * @see Fader, P. S. & Hardie, B. G. S. (2010). Customer-Base Valuation in a Contractual Setting: The
 *   Perils of Ignoring Heterogeneity. *Marketing Science* 29(1), 85–93. doi:10.1287/mksc.1080.0482
 * @module
 */
import { InsufficientDataError, InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import type { Warning } from "../core/values.js";
import { type FitOptions, fitLogParameters } from "./mle.js";

/** sBG parameters: churn probability θ ~ Beta(alpha, beta). */
export interface ShiftedBetaGeometricParams {
  alpha: number;
  beta: number;
}

/**
 * Cohort counts: a plain array (or `{ alive }`) of customers still active after t = 0, 1, …, K renewal
 * opportunities (`alive[0]` = cohort size), or `{ churned, initial }` with the number lost at each
 * renewal t = 1, …, K.
 */
export type SbgCounts =
  | ArrayLike<number>
  | { alive: ArrayLike<number> }
  | { churned: ArrayLike<number>; initial: number };

/** The sBG model at given parameters. */
export interface ShiftedBetaGeometricModel {
  params: ShiftedBetaGeometricParams;
  /** S(t) = B(α, β+t)/B(α, β): share of the cohort still active after t renewal opportunities (t integer ≥ 0). */
  survival(t: number): number;
  /** r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1): retention rate at renewal t (t integer ≥ 1). */
  retentionRate(t: number): number;
  /** P(T = t) = B(α+1, β+t−1)/B(α, β): probability of churning at renewal t (t integer ≥ 1). */
  churnProbability(t: number): number;
  /**
   * DERL (Fader & Hardie 2010, eq. 6): expected discounted number of future payments of a customer who
   * has made `renewals` renewals and stands just before the next one (that payment undiscounted):
   * Σ_{t≥n} S(t)/S(n−1)·(1+d)^−(t−n), n = renewals + 1
   * = (β+n−1)/(α+β+n−1)·₂F₁(1, β+n; α+β+n; 1/(1+d)). Multiply by the margin per period for value.
   * `discountRate` d > 0 per period.
   */
  discountedExpectedResidualLifetime(discountRate: number, renewals?: number): number;
  /** DEL = Σ_{t≥0} S(t)/(1+d)^t = ₂F₁(1, β; α+β; 1/(1+d)): just-acquired customer, first payment now. */
  discountedExpectedLifetime(discountRate: number): number;
  /** Log-likelihood of cohort counts under these parameters (Fader & Hardie 2007, eq. 3). */
  countsLogLikelihood(counts: SbgCounts): number;
}

/** Result of {@link fitShiftedBetaGeometric}. */
export interface ShiftedBetaGeometricFit extends ShiftedBetaGeometricModel {
  /** Maximised log-likelihood (natural log). */
  logLikelihood: number;
  standardErrors: ShiftedBetaGeometricParams | null;
  converged: true;
  iterations: number;
  /** Cohort size. */
  n: number;
  /** Renewal opportunities observed (K). */
  periods: number;
  warnings: Warning[];
}

function checkParams(fn: string, p: ShiftedBetaGeometricParams): ShiftedBetaGeometricParams {
  for (const k of ["alpha", "beta"] as const) {
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
  return { alpha: p.alpha, beta: p.beta };
}

function checkInt(fn: string, name: string, t: unknown, min: number): number {
  if (typeof t !== "number" || !Number.isInteger(t) || t < min) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [name],
          code:
            typeof t !== "number" ? "invalid_type" : !Number.isInteger(t) ? "not_an_integer" : "out_of_range",
          message: `${name} is ${formatValue(t)}; expected an integer ≥ ${min}`,
        },
      ],
      { context: fn },
    );
  }
  return t;
}

/**
 * Read counts into alive[0..K]; validates non-negative, non-increasing, alive[0] > 0. Accepts the
 * alive counts, `{ alive }`, or `{ initial, churned }` (churned per period).
 *
 * @example
 * readAliveCounts("fitShiftedBetaGeometric", { initial: 1000, churned: [369, 163] }) //=> [1000, 631, 468]
 */
export function readAliveCounts(fn: string, counts: SbgCounts): Float64Array {
  let alive: Float64Array;
  if (counts !== null && typeof counts === "object" && "churned" in counts && !("length" in counts)) {
    const c = counts.churned;
    const init = counts.initial;
    if (typeof init !== "number" || !Number.isFinite(init) || init <= 0) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: ["initial"],
            code: "out_of_range",
            message: `initial is ${formatValue(init)}; expected the cohort size, a number > 0`,
          },
        ],
        { context: fn },
      );
    }
    alive = new Float64Array(c.length + 1);
    alive[0] = init;
    for (let t = 0; t < c.length; t++) {
      const v = c[t];
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new InvalidInputError(
          [
            {
              index: t,
              path: ["churned"],
              code:
                typeof v === "number"
                  ? Number.isFinite(v)
                    ? "out_of_range"
                    : "non_finite_value"
                  : "invalid_type",
              message: `churned count is ${formatValue(v)}; expected a number ≥ 0`,
            },
          ],
          { context: fn },
        );
      }
      alive[t + 1] = alive[t]! - v;
      if (alive[t + 1]! < -1e-9 * init) {
        throw new InvalidInputError(
          [
            {
              index: t,
              path: ["churned"],
              code: "out_of_range",
              message: `more customers churned (${alive[0]! - alive[t + 1]!} in total) than the cohort of ${init}`,
            },
          ],
          { context: fn },
        );
      }
    }
  } else {
    const a =
      counts !== null && typeof counts === "object" && "alive" in counts && !("length" in counts)
        ? counts.alive
        : (counts as ArrayLike<number>);
    if (!a || typeof a.length !== "number") {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [],
            code: "invalid_type",
            message: "expected alive counts (an array) or { churned, initial }",
          },
        ],
        { context: fn },
      );
    }
    alive = new Float64Array(a.length);
    for (let t = 0; t < a.length; t++) {
      const v = a[t];
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new InvalidInputError(
          [
            {
              index: t,
              path: ["alive"],
              code:
                v === null || v === undefined
                  ? "missing_value"
                  : typeof v !== "number"
                    ? "invalid_type"
                    : !Number.isFinite(v)
                      ? "non_finite_value"
                      : "out_of_range",
              message: `alive count is ${formatValue(v)}; expected a number ≥ 0`,
            },
          ],
          { context: fn },
        );
      }
      if (t > 0 && v > alive[t - 1]!) {
        throw new InvalidInputError(
          [
            {
              index: t,
              path: ["alive"],
              code: "out_of_range",
              message: `alive count ${v} exceeds the previous count ${alive[t - 1]}; alive counts of one cohort cannot increase`,
            },
          ],
          { context: fn },
        );
      }
      alive[t] = v;
    }
    if (alive.length > 0 && !(alive[0]! > 0)) {
      throw new InvalidInputError(
        [
          {
            index: 0,
            path: ["alive"],
            code: "out_of_range",
            message: "the cohort size alive[0] is 0; expected a positive number",
          },
        ],
        { context: fn },
      );
    }
  }
  return alive;
}

function sbgLogLik(alive: Float64Array, al: number, be: number, grad?: Float64Array): number {
  const K = alive.length - 1;
  let lS = 0; // ln S(t−1)
  let dSa = 0;
  let dSb = 0;
  let ll = 0;
  let ga = 0;
  let gb = 0;
  for (let t = 1; t <= K; t++) {
    const den = al + be + t - 1;
    const lost = alive[t - 1]! - alive[t]!;
    if (lost > 0) {
      ll += lost * (lS + Math.log(al) - Math.log(den));
      ga += lost * (dSa + 1 / al - 1 / den);
      gb += lost * (dSb - 1 / den);
    }
    lS += Math.log(be + t - 1) - Math.log(den);
    dSa -= 1 / den;
    dSb += 1 / (be + t - 1) - 1 / den;
  }
  const last = alive[K]!;
  if (last > 0) {
    ll += last * lS;
    ga += last * dSa;
    gb += last * dSb;
  }
  if (grad) {
    grad[0] = ga;
    grad[1] = gb;
  }
  return ll;
}

/**
 * The sBG model at given parameters (e.g. Fader & Hardie's published ones).
 *
 * @example
 * const m = shiftedBetaGeometricModel({ alpha: 0.704, beta: 1.182 }); // "regular" customers
 * m.survival(1) //=> ≈ 0.6267
 */
export function shiftedBetaGeometricModel(params: ShiftedBetaGeometricParams): ShiftedBetaGeometricModel {
  const { alpha, beta } = checkParams("shiftedBetaGeometricModel", params);
  const survival = (t: number): number => {
    let lS = 0;
    for (let k = 1; k <= t; k++) lS += Math.log((beta + k - 1) / (alpha + beta + k - 1));
    return Math.exp(lS);
  };
  const residual = (d: number, n: number): number => {
    // Σ_{t≥n} S(t)/S(n−1) (1+d)^−(t−n); terms shrink by (β+t)/(α+β+t)/(1+d) < 1/(1+d)
    const q = 1 / (1 + d);
    let term = (beta + n - 1) / (alpha + beta + n - 1);
    let sum = term;
    for (let t = n; t < n + 100_000_000; t++) {
      term *= ((beta + t) / (alpha + beta + t)) * q;
      sum += term;
      if (term * q <= 1e-17 * sum * (1 - q)) break;
    }
    return sum;
  };
  const checkD = (fn: string, d: unknown): number => {
    if (typeof d !== "number" || !Number.isFinite(d) || d <= 0)
      invalidOption(fn, "discountRate", "a discount rate per period > 0 (e.g. 0.1)", d);
    return d;
  };
  return {
    params: { alpha, beta },
    survival(t) {
      return survival(checkInt("survival", "t", t, 0));
    },
    retentionRate(t) {
      checkInt("retentionRate", "t", t, 1);
      return (beta + t - 1) / (alpha + beta + t - 1);
    },
    churnProbability(t) {
      checkInt("churnProbability", "t", t, 1);
      return (survival(t - 1) * alpha) / (alpha + beta + t - 1);
    },
    discountedExpectedResidualLifetime(discountRate, renewals = 0) {
      const d = checkD("discountedExpectedResidualLifetime", discountRate);
      return residual(d, checkInt("discountedExpectedResidualLifetime", "renewals", renewals, 0) + 1);
    },
    discountedExpectedLifetime(discountRate) {
      const d = checkD("discountedExpectedLifetime", discountRate);
      return 1 + residual(d, 1) / (1 + d);
    },
    countsLogLikelihood(counts) {
      return sbgLogLik(readAliveCounts("countsLogLikelihood", counts), alpha, beta);
    },
  };
}

/**
 * Fit the sBG model to one cohort's retention counts by maximum likelihood (Fader & Hardie 2007):
 * LL = Σ_{t=1..K} n_t ln P(T=t) + alive(K)·ln S(K), n_t = alive(t−1) − alive(t).
 *
 * Method: BFGS on (ln α, ln β) with the analytic gradient (Beta-function ratios by their exact
 * recurrences, no special functions), Newton polish, standard errors from the inverse Hessian.
 * Start α = β = 1. Time unit: one renewal period.
 *
 * @throws {InsufficientDataError} fewer than 2 renewal periods, nobody churned, or everybody churned at
 *   the first renewal (the Beta mixing distribution is then not identified).
 * @throws {InvalidInputError} negative, non-finite or increasing alive counts.
 * @throws {ConvergenceError} the optimiser did not converge.
 * @example
 * const fit = fitShiftedBetaGeometric([1000, 631, 468, 382, 326, 289, 262, 241]); // α ≈ 0.704, β ≈ 1.182
 * fit.survival(12) //=> ≈ 0.170
 */
export function fitShiftedBetaGeometric(
  counts: SbgCounts,
  options?: FitOptions & { start?: Partial<ShiftedBetaGeometricParams> },
): ShiftedBetaGeometricFit {
  const fn = "fitShiftedBetaGeometric";
  const alive = readAliveCounts(fn, counts);
  const K = alive.length - 1;
  if (K < 0)
    throw new InsufficientDataError(
      `${fn}: no counts given`,
      "alive counts for t = 0, 1, 2 at least",
      "empty_input",
    );
  if (K < 2) {
    throw new InsufficientDataError(
      `${fn}: ${K} renewal period(s) observed; two parameters need at least 2`,
      "alive counts for t = 0, 1, 2 at least",
    );
  }
  const n0 = alive[0]!;
  if (alive[K] === n0)
    throw new InsufficientDataError(
      `${fn}: no customer churned in ${K} periods; the churn distribution is not identified`,
      "some churn",
    );
  if (alive[1] === 0)
    throw new InsufficientDataError(
      `${fn}: every customer churned at the first renewal; the churn distribution is not identified`,
      "some customers retained past the first renewal",
    );
  const nll = (theta: Float64Array, grad: Float64Array): number => {
    const al = Math.exp(theta[0]!);
    const be = Math.exp(theta[1]!);
    if (!(al > 0 && be > 0 && Number.isFinite(al + be))) return Number.NaN;
    const ll = sbgLogLik(alive, al, be, grad);
    grad[0] = -grad[0]! * al;
    grad[1] = -grad[1]! * be;
    return -ll;
  };
  const s = options?.start ?? {};
  const res = fitLogParameters(
    fn,
    nll,
    [s.alpha ?? 1, s.beta ?? 1],
    ["alpha", "beta"],
    options?.maxIterations === undefined ? undefined : { maxIterations: options.maxIterations },
  );
  const [alpha, beta] = res.params as unknown as [number, number];
  const se = res.standardErrors;
  return {
    ...shiftedBetaGeometricModel({ alpha, beta }),
    logLikelihood: res.logLikelihood,
    standardErrors: se ? { alpha: se[0]!, beta: se[1]! } : null,
    converged: true,
    iterations: res.iterations,
    n: n0,
    periods: K,
    warnings: res.warnings,
  };
}
