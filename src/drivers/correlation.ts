/**
 * Correlation of two columns — Pearson's r with a t-test and Fisher-z interval, Spearman's rho,
 * Kendall's tau-b — with p-values as R's `cor.test` gives them.
 *
 * @module
 */
import { normalQuantile, normalSf, studentTSf } from "../core/distributions.js";
import { invalidOption } from "../core/errors.js";
import { type Warning, checkLevel } from "../core/values.js";
import { type Column, checkColumns, constantColumn, requireRows } from "./columns.js";
import { kendallExactPValue, spearmanExactPValue } from "./exact.js";
import { averageRanks, hasTies, kendallStats } from "./ranks.js";

/** Correlation coefficient. */
export type CorrelationMethod = "pearson" | "spearman" | "kendall";

/** Options for {@link correlation}. */
export interface CorrelationOptions {
  /** `"pearson"` (default), `"spearman"` (mid-ranks for ties) or `"kendall"` (tau-b). */
  method?: CorrelationMethod;
  /**
   * `"throw"` (default): `null`/`undefined` is an error; `"pairwise"` (or `"listwise"`, the same for
   * two columns): drop pairs with a missing value and count them.
   */
  missing?: "throw" | "pairwise" | "listwise";
  /** Level of the Pearson Fisher-z interval, in (0, 1); default 0.95. */
  level?: number;
  /**
   * Exact null distribution where R's `cor.test` offers one (default `false`, the asymptotic
   * p-value of `cor.test(..., exact = FALSE)`). With `true` and no ties: Spearman uses AS 89 (exact
   * permutation distribution for n ≤ 9, Edgeworth series up to n = 1290, t above); Kendall the exact
   * distribution for n < 50 (normal above). With ties the asymptotic p-value is used and a warning added.
   */
  exact?: boolean;
  /** Continuity correction for the asymptotic Spearman/Kendall p-values (R's `continuity = TRUE`); default false. */
  continuity?: boolean;
}

/** A confidence interval (same shape as the library's `ConfidenceInterval`). */
export interface CorrelationInterval {
  lower: number;
  upper: number;
  level: number;
  method: "fisher-z";
}

/** Result of {@link correlation}: plain data, never NaN. */
export interface CorrelationResult {
  method: CorrelationMethod;
  /** The coefficient, in [−1, 1]. */
  r: number;
  /** Complete pairs used. */
  n: number;
  /**
   * Test statistic as R reports it: `t` (Pearson), `S` = (n³ − n)(1 − ρ)/6 (Spearman), `z`
   * (Kendall, normal approximation) or `T` = concordant pairs (Kendall, exact); `null` when
   * infinite (|r| = 1 for Pearson).
   */
  statistic: number | null;
  /** Name of `statistic`. */
  statisticName: "t" | "S" | "z" | "T";
  /** t = r √((n − 2)/(1 − r²)) for Pearson and Spearman (null when |r| = 1 or for Kendall). */
  t: number | null;
  /** Degrees of freedom of the t statistic (n − 2), null for Kendall. */
  df: number | null;
  /** Two-sided p-value for H0: no association. */
  pValue: number;
  /** How the p-value was computed. */
  pMethod: "t" | "exact" | "edgeworth" | "normal";
  /** Fisher-z interval tanh(atanh r ∓ z/√(n − 3)) for Pearson with n > 3; `null` otherwise. */
  ci: CorrelationInterval | null;
  /** Pairs dropped for a missing value (`missing: "pairwise"`). */
  excluded: { missing: number };
  warnings: Warning[];
}

const METHODS = new Set<string>(["pearson", "spearman", "kendall"]);

/** Check the method option. */
export function checkMethod(fn: string, method: unknown): CorrelationMethod {
  if (typeof method !== "string" || !METHODS.has(method)) {
    invalidOption(fn, "method", '"pearson", "spearman" or "kendall"', method);
  }
  return method as CorrelationMethod;
}

function pearsonR(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
): { r: number; sx: number; sy: number } {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  return { r: Math.max(-1, Math.min(1, r)), sx: Math.sqrt(sxx / n), sy: Math.sqrt(syy / n) };
}

function isConstant(sd: number, x: ArrayLike<number>): boolean {
  return !(sd > 1e-13 * (Math.abs(x[0]!) + 1));
}

/**
 * Pearson test from r and n: t = r √((n−2)/(1−r²)) on n − 2 df; Fisher-z interval.
 * Used by {@link correlation} and by the key-driver analysis (from co-moments).
 */
export function pearsonFromR(r: number, n: number, level = 0.95): CorrelationResult {
  const df = n - 2;
  const t = Math.abs(r) >= 1 ? null : r * Math.sqrt(df / (1 - r * r));
  const pValue = t === null ? 0 : Math.min(1, 2 * studentTSf(Math.abs(t), df));
  let ci: CorrelationInterval | null = null;
  if (n > 3) {
    const z = Math.atanh(r);
    const h = normalQuantile(1 - (1 - level) / 2) / Math.sqrt(n - 3);
    ci = { lower: Math.tanh(z - h), upper: Math.tanh(z + h), level, method: "fisher-z" };
  }
  return {
    method: "pearson",
    r,
    n,
    statistic: t,
    statisticName: "t",
    t,
    df,
    pValue,
    pMethod: "t",
    ci,
    excluded: { missing: 0 },
    warnings: [],
  };
}

/** Spearman's rho of complete columns, with R's p-value. */
export function spearmanOf(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  options: { exact?: boolean; continuity?: boolean } = {},
): CorrelationResult {
  const rho = pearsonR(averageRanks(x), averageRanks(y), n).r;
  const s = ((n * n * n - n) * (1 - rho)) / 6;
  const warnings: Warning[] = [];
  let exact = options.exact === true;
  if (exact && (hasTies(x) || hasTies(y))) {
    exact = false;
    warnings.push({
      code: "ties",
      message: "cannot compute the exact p-value with ties; used the t approximation",
    });
  }
  let pValue: number;
  let pMethod: CorrelationResult["pMethod"];
  let t: number | null = Math.abs(rho) >= 1 ? null : rho / Math.sqrt((1 - rho * rho) / (n - 2));
  if (exact && n <= 1290) {
    pValue = spearmanExactPValue(s, n);
    pMethod = n <= 9 ? "exact" : "edgeworth";
  } else {
    // R: r = 1 − S/den, den = (n³ − n)/6 (+ 1 with the continuity correction)
    const den = (n * (n * n - 1)) / 6 + (options.continuity ? 1 : 0);
    const rr = options.continuity ? 1 - s / den : rho;
    const tt = Math.abs(rr) >= 1 ? null : rr / Math.sqrt((1 - rr * rr) / (n - 2));
    if (options.continuity) t = tt;
    pValue = tt === null ? 0 : Math.min(1, 2 * studentTSf(Math.abs(tt), n - 2));
    pMethod = "t";
  }
  return {
    method: "spearman",
    r: rho,
    n,
    statistic: s,
    statisticName: "S",
    t,
    df: n - 2,
    pValue,
    pMethod,
    ci: null,
    excluded: { missing: 0 },
    warnings,
  };
}

/** Kendall's tau-b of complete columns, with R's p-value (tie-corrected normal, or exact). */
export function kendallOf(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  n: number,
  options: { exact?: boolean; continuity?: boolean } = {},
): CorrelationResult {
  const k = kendallStats(x, y);
  const warnings: Warning[] = [];
  const ties = k.xTies.pairs > 0 || k.yTies.pairs > 0;
  let exact = options.exact === true;
  if (exact && ties) {
    exact = false;
    warnings.push({
      code: "ties",
      message: "cannot compute the exact p-value with ties; used the normal approximation",
    });
  } else if (exact && n >= 50) {
    exact = false;
    warnings.push({
      code: "large_sample",
      message: "the exact distribution is used for n < 50 only; used the normal approximation",
    });
  }
  if (exact) {
    const concordant = (k.n0 + k.s) / 2;
    return {
      method: "kendall",
      r: k.tauB,
      n,
      statistic: concordant,
      statisticName: "T",
      t: null,
      df: null,
      pValue: kendallExactPValue(concordant, n),
      pMethod: "exact",
      ci: null,
      excluded: { missing: 0 },
      warnings,
    };
  }
  const v0 = n * (n - 1) * (2 * n + 5);
  const varS =
    (v0 - k.xTies.v - k.yTies.v) / 18 +
    (k.xTies.t1 * k.yTies.t1) / (2 * n * (n - 1)) +
    (k.xTies.t2 * k.yTies.t2) / (9 * n * (n - 1) * (n - 2));
  let s = k.s;
  if (options.continuity) s = Math.sign(s) * (Math.abs(s) - 1);
  const z = s / Math.sqrt(varS);
  return {
    method: "kendall",
    r: Math.max(-1, Math.min(1, k.tauB)),
    n,
    statistic: z,
    statisticName: "z",
    t: null,
    df: null,
    pValue: Math.min(1, 2 * normalSf(Math.abs(z))),
    pMethod: "normal",
    ci: null,
    excluded: { missing: 0 },
    warnings,
  };
}

/**
 * Correlation of two columns with its test, as R's `cor.test(x, y, method, exact = FALSE)`:
 *
 * - Pearson: r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²); t = r √((n − 2)/(1 − r²)) on n − 2 df;
 *   Fisher-z interval tanh(atanh r ∓ z_{1−α/2}/√(n − 3)).
 * - Spearman: Pearson's r of the mid-ranks; S = (n³ − n)(1 − ρ)/6; p from t on n − 2 df
 *   (or AS 89 with `exact: true`).
 * - Kendall tau-b = (C − D)/√((n0 − n1)(n0 − n2)); z = (C − D)/√Var(S) with the tie-corrected
 *   variance (or the exact distribution with `exact: true`, n < 50, no ties).
 *
 * Two-sided tests only. Units: r is unitless in [−1, 1].
 *
 * @see K. Pearson (1896); C. Spearman (1904); M. G. Kendall (1945), "The treatment of ties in ranking
 *   problems", Biometrika 33:239–251; R. A. Fisher (1921) for the z transform; R `stats::cor.test`.
 * @throws {InvalidInputError} `length_mismatch`; `non_finite_value` / `invalid_type` / `missing_value`
 *   naming the column ("x" or "y") and index; `invalid_option`.
 * @throws {InsufficientDataError} `insufficient_data` with fewer than 3 complete pairs;
 *   `constant_column` when x or y is constant.
 * @example
 * correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]).r //=> 0.7745966692414834
 * correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], { method: "kendall" }).r //=> 0.6708203932499369
 */
export function correlation(x: Column, y: Column, options: CorrelationOptions = {}): CorrelationResult {
  const fn = "correlation";
  const method = checkMethod(fn, options.method ?? "pearson");
  const missing = options.missing ?? "throw";
  if (missing !== "throw" && missing !== "pairwise" && missing !== "listwise")
    invalidOption(fn, "missing", '"throw", "pairwise" or "listwise"', missing);
  const level = checkLevel(fn, options.level ?? 0.95);
  const checked = checkColumns(fn, ["x", "y"], [x, y], missing === "throw" ? "throw" : "listwise");
  const n = checked.n;
  requireRows(fn, n, 3, "complete pairs");
  const [cx, cy] = checked.columns as [ArrayLike<number>, ArrayLike<number>];
  const { r, sx, sy } = pearsonR(cx, cy, n);
  if (isConstant(sx, cx)) constantColumn(fn, "x");
  if (isConstant(sy, cy)) constantColumn(fn, "y");
  const sub = { exact: options.exact ?? false, continuity: options.continuity ?? false };
  const out =
    method === "pearson"
      ? pearsonFromR(r, n, level)
      : method === "spearman"
        ? spearmanOf(cx, cy, n, sub)
        : kendallOf(cx, cy, n, sub);
  out.excluded = { missing: checked.missing };
  return out;
}

/** Pearson r of complete columns (used by the matrix for pairwise-complete pairs). */
export function pearsonOf(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  return pearsonR(x, y, n).r;
}
