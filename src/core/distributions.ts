/**
 * Cumulative distribution, survival and quantile functions of the normal, Student t, chi-square,
 * beta and gamma distributions, built on `special.ts`. Survival functions (`…Sf`) compute the upper
 * tail directly, never as `1 - cdf`, so p-values in the far tail keep their relative accuracy.
 *
 * Conventions for every function here: arguments are validated and a NaN, a probability outside
 * [0, 1], or a non-positive scale / degrees of freedom / shape throws `InvalidInputError` with code
 * `invalid_option` (never a silent NaN). Quantiles at p = 0 and p = 1 return the ends of the support
 * (±Infinity for normal and t; 0 and Infinity for chi-square and gamma; 0 and 1 for beta).
 * Accuracy (vs mpmath at 40 digits, see `test/core/distributions.test.ts`): ≲ 1e-13 relative.
 *
 * @module
 */
import { invalidOption } from "./errors.js";
import {
  betaQuantilePair,
  betaTails,
  gammaQuantile,
  gammaTails,
  standardNormalQuantile,
  standardNormalUpper,
} from "./special.js";

function checkNumber(fn: string, name: string, value: number): void {
  if (typeof value !== "number" || Number.isNaN(value)) invalidOption(fn, name, "a number", value);
}
function checkFinite(fn: string, name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) invalidOption(fn, name, "a finite number", value);
}
function checkPositive(fn: string, name: string, value: number, allowInfinity = false): void {
  if (typeof value !== "number" || !(value > 0) || (!allowInfinity && value === Number.POSITIVE_INFINITY)) {
    invalidOption(fn, name, allowInfinity ? "a positive number" : "a finite positive number", value);
  }
}
function checkProbability(fn: string, value: number): void {
  if (typeof value !== "number" || !(value >= 0 && value <= 1))
    invalidOption(fn, "p", "a probability in [0, 1]", value);
}

// ---------------------------------------------------------------------------------------------
// normal
// ---------------------------------------------------------------------------------------------

function standardize(fn: string, x: number, mean: number, sd: number): number {
  checkNumber(fn, "x", x);
  checkFinite(fn, "mean", mean);
  checkPositive(fn, "sd", sd);
  return (x - mean) / sd;
}

/**
 * Normal cumulative distribution function Φ((x − mean)/sd) = ½ erfc(−z/√2).
 *
 * Algorithm: W. J. Cody's rational approximations (Math. Comp. 23, 1969) with e^{−z²/2} evaluated by
 * Cody's split so the lower tail keeps ~1e-15 relative accuracy down to 1e-308 (z ≈ −37.5).
 *
 * @param x - any number; ±Infinity give 1 and 0.
 * @param mean - finite, default 0.
 * @param sd - finite and > 0, default 1.
 * @throws {InvalidInputError} code `invalid_option` for NaN, a non-finite mean, or sd ≤ 0.
 * @example
 * normalCdf(1.959963984540054) //=> 0.975
 */
export function normalCdf(x: number, mean = 0, sd = 1): number {
  return standardNormalUpper(-standardize("normalCdf", x, mean, sd));
}

/**
 * Normal survival function P(X > x) = Φ(−(x − mean)/sd), computed directly (no 1 − cdf).
 *
 * Algorithm: as {@link normalCdf}; relative error ~1e-15 in the upper tail.
 *
 * @throws {InvalidInputError} code `invalid_option` for NaN, a non-finite mean, or sd ≤ 0.
 * @example
 * normalSf(8) //=> 6.220960574271784e-16
 */
export function normalSf(x: number, mean = 0, sd = 1): number {
  return standardNormalUpper(standardize("normalSf", x, mean, sd));
}

/**
 * Normal quantile (inverse CDF): mean + sd·Φ⁻¹(p).
 *
 * Algorithm: Wichura (1988), Algorithm AS 241 `PPND16`, Applied Statistics 37, 477–484: rational
 * approximations in three regions, relative accuracy about 1e-16.
 *
 * @param p - in [0, 1]; 0 gives −Infinity and 1 gives Infinity.
 * @throws {InvalidInputError} code `invalid_option` for NaN, p outside [0, 1], a non-finite mean or sd ≤ 0.
 * @example
 * normalQuantile(0.975) //=> 1.959963984540054
 */
export function normalQuantile(p: number, mean = 0, sd = 1): number {
  checkProbability("normalQuantile", p);
  checkFinite("normalQuantile", "mean", mean);
  checkPositive("normalQuantile", "sd", sd);
  return mean + sd * standardNormalQuantile(p, 1 - p);
}

// ---------------------------------------------------------------------------------------------
// Student t
// ---------------------------------------------------------------------------------------------

/**
 * Lower-tail probability P(T ≤ −|t|) for T ~ t(df), i.e. ½ I_x(df/2, ½) with x = df/(df + t²),
 * evaluated with both x and 1 − x = t²/(df + t²) formed directly.
 */
function studentTail(t: number, df: number): { small: number; large: number } {
  const at = Math.abs(t);
  if (at === Number.POSITIVE_INFINITY) return { small: 0, large: 1 };
  if (df === Number.POSITIVE_INFINITY) {
    const small = standardNormalUpper(at);
    return { small, large: 1 - small };
  }
  let x: number;
  let y: number;
  if (at > 1e150) {
    x = df / at / at;
    y = 1;
  } else {
    const r = (at * at) / df;
    x = 1 / (1 + r);
    y = r / (1 + r);
  }
  const tails = betaTails(x, y, df / 2, 0.5);
  const small = 0.5 * tails.lower;
  return { small, large: 0.5 + 0.5 * tails.upper };
}

/**
 * Student t cumulative distribution function P(T ≤ t), T ~ t(df).
 *
 * Algorithm: P(T ≤ −|t|) = ½ I_{df/(df+t²)}(df/2, ½) (Abramowitz & Stegun 26.7.1 via 26.5.27) with the
 * regularized incomplete beta of `special.ts`; df = Infinity gives the standard normal.
 *
 * @param t - any number; ±Infinity give 1 and 0.
 * @param df - degrees of freedom > 0 (non-integer allowed; Infinity allowed).
 * @throws {InvalidInputError} code `invalid_option` for NaN or df ≤ 0.
 * @example
 * studentTCdf(2.2281388519862744, 10) //=> 0.975
 */
export function studentTCdf(t: number, df: number): number {
  checkNumber("studentTCdf", "t", t);
  checkPositive("studentTCdf", "df", df, true);
  const tail = studentTail(t, df);
  return t < 0 ? tail.small : tail.large;
}

/**
 * Student t survival function P(T > t), computed directly so two-sided p-values
 * `2 * studentTSf(Math.abs(t), df)` keep their relative accuracy in the far tail.
 *
 * @throws {InvalidInputError} code `invalid_option` for NaN or df ≤ 0.
 * @example
 * studentTSf(2.2281388519862744, 10) //=> 0.025
 */
export function studentTSf(t: number, df: number): number {
  checkNumber("studentTSf", "t", t);
  checkPositive("studentTSf", "df", df, true);
  const tail = studentTail(t, df);
  return t > 0 ? tail.small : tail.large;
}

/**
 * Student t quantile: the t with P(T ≤ t) = p, T ~ t(df).
 *
 * Algorithm: inverts 2·min(p, 1 − p) = I_x(df/2, ½) with the safeguarded Newton inverse of the
 * incomplete beta in `special.ts`, which returns both x and y = 1 − x accurately, then
 * t = ±√(df·y/x). Accurate to ~1e-13 relative for df from 1e-2 to 1e7 and p down to 1e-300;
 * df = Infinity gives the normal quantile.
 *
 * @param p - in [0, 1]; 0 gives −Infinity and 1 gives Infinity; 0.5 gives 0.
 * @param df - degrees of freedom > 0 (Infinity allowed).
 * @throws {InvalidInputError} code `invalid_option` for NaN, p outside [0, 1] or df ≤ 0.
 * @example
 * studentTQuantile(0.975, 10) //=> 2.2281388519862744
 */
export function studentTQuantile(p: number, df: number): number {
  checkProbability("studentTQuantile", p);
  checkPositive("studentTQuantile", "df", df, true);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (df === Number.POSITIVE_INFINITY) return standardNormalQuantile(p, 1 - p);
  const tail = p < 0.5 ? p : 1 - p; // exact for p ≥ 0.5 (Sterbenz)
  const { x, y } = betaQuantilePair(2 * tail, 1 - 2 * tail, df / 2, 0.5);
  const t = x === 0 ? Number.POSITIVE_INFINITY : Math.sqrt(df * (y / x));
  return p < 0.5 ? -t : t;
}

// ---------------------------------------------------------------------------------------------
// chi-square and gamma
// ---------------------------------------------------------------------------------------------

/**
 * Chi-square cumulative distribution function P(X ≤ x) = P(df/2, x/2) (regularized lower incomplete gamma).
 *
 * @param x - any number; x ≤ 0 gives 0.
 * @param df - degrees of freedom > 0 (non-integer allowed).
 * @throws {InvalidInputError} code `invalid_option` for NaN or df ≤ 0.
 * @example
 * chiSquareCdf(3.841458820694124, 1) //=> 0.95
 */
export function chiSquareCdf(x: number, df: number): number {
  checkNumber("chiSquareCdf", "x", x);
  checkPositive("chiSquareCdf", "df", df);
  return gammaTails(df / 2, Math.max(0, x / 2)).lower;
}

/**
 * Chi-square survival function P(X > x) = Q(df/2, x/2), computed directly (no 1 − cdf), for p-values.
 *
 * @throws {InvalidInputError} code `invalid_option` for NaN or df ≤ 0.
 * @example
 * chiSquareSf(3.841458820694124, 1) //=> 0.05000000000000011
 */
export function chiSquareSf(x: number, df: number): number {
  checkNumber("chiSquareSf", "x", x);
  checkPositive("chiSquareSf", "df", df);
  return gammaTails(df / 2, Math.max(0, x / 2)).upper;
}

/**
 * Chi-square quantile: the x with P(X ≤ x) = p, i.e. 2·P⁻¹(df/2, p).
 *
 * Algorithm: Wilson–Hilferty starting value, then safeguarded Newton on ln P (or ln Q for p > ½) —
 * see `inverseRegularizedGammaP`.
 *
 * @param p - in [0, 1]; 0 gives 0 and 1 gives Infinity.
 * @throws {InvalidInputError} code `invalid_option` for NaN, p outside [0, 1] or df ≤ 0.
 * @example
 * chiSquareQuantile(0.95, 1) //=> 3.841458820694124
 */
export function chiSquareQuantile(p: number, df: number): number {
  checkProbability("chiSquareQuantile", p);
  checkPositive("chiSquareQuantile", "df", df);
  return 2 * gammaQuantile(df / 2, p, 1 - p);
}

/**
 * Gamma cumulative distribution function P(X ≤ x) = P(shape, x/scale) for X ~ Gamma(shape, scale)
 * (scale parametrisation, as scipy's `gamma(a, scale=…)`; rate = 1/scale).
 *
 * @param x - any number; x ≤ 0 gives 0.
 * @param shape - > 0.
 * @param scale - > 0, default 1.
 * @throws {InvalidInputError} code `invalid_option` for NaN or shape, scale ≤ 0.
 * @example
 * gammaCdf(2, 1) //=> 0.8646647167633873
 */
export function gammaCdf(x: number, shape: number, scale = 1): number {
  checkNumber("gammaCdf", "x", x);
  checkPositive("gammaCdf", "shape", shape);
  checkPositive("gammaCdf", "scale", scale);
  return gammaTails(shape, Math.max(0, x / scale)).lower;
}

/**
 * Gamma survival function P(X > x) = Q(shape, x/scale), computed directly.
 *
 * @throws {InvalidInputError} code `invalid_option` for NaN or shape, scale ≤ 0.
 * @example
 * gammaSf(2, 1) //=> 0.1353352832366127
 */
export function gammaSf(x: number, shape: number, scale = 1): number {
  checkNumber("gammaSf", "x", x);
  checkPositive("gammaSf", "shape", shape);
  checkPositive("gammaSf", "scale", scale);
  return gammaTails(shape, Math.max(0, x / scale)).upper;
}

// ---------------------------------------------------------------------------------------------
// beta
// ---------------------------------------------------------------------------------------------

function checkShapes(fn: string, a: number, b: number): void {
  checkPositive(fn, "a", a);
  checkPositive(fn, "b", b);
}

/**
 * Beta(a, b) cumulative distribution function I_x(a, b) (regularized incomplete beta).
 *
 * @param x - any number; x ≤ 0 gives 0 and x ≥ 1 gives 1.
 * @throws {InvalidInputError} code `invalid_option` for NaN or a, b ≤ 0.
 * @example
 * betaCdf(0.5, 2, 3) //=> 0.6875
 */
export function betaCdf(x: number, a: number, b: number): number {
  checkNumber("betaCdf", "x", x);
  checkShapes("betaCdf", a, b);
  const c = Math.min(1, Math.max(0, x));
  return betaTails(c, 1 - c, a, b).lower;
}

/**
 * Beta(a, b) survival function 1 − I_x(a, b) = I_{1−x}(b, a), computed directly.
 *
 * @throws {InvalidInputError} code `invalid_option` for NaN or a, b ≤ 0.
 * @example
 * betaSf(0.5, 2, 3) //=> 0.3125
 */
export function betaSf(x: number, a: number, b: number): number {
  checkNumber("betaSf", "x", x);
  checkShapes("betaSf", a, b);
  const c = Math.min(1, Math.max(0, x));
  return betaTails(c, 1 - c, a, b).upper;
}

/**
 * Beta(a, b) quantile: the x in [0, 1] with I_x(a, b) = p (see `inverseRegularizedIncompleteBeta`).
 * `upper: true` treats p as an upper-tail probability (scipy's `isf`), solved without forming 1 − p.
 *
 * @param p - in [0, 1]; 0 gives 0 and 1 gives 1 (reversed when `upper`).
 * @throws {InvalidInputError} code `invalid_option` for NaN, p outside [0, 1] or a, b ≤ 0.
 * @example
 * betaQuantile(0.6875, 2, 3) //=> 0.5
 */
export function betaQuantile(p: number, a: number, b: number, options?: { upper?: boolean }): number {
  checkProbability("betaQuantile", p);
  checkShapes("betaQuantile", a, b);
  return options?.upper ? betaQuantilePair(1 - p, p, a, b).x : betaQuantilePair(p, 1 - p, a, b).x;
}
