/**
 * Key-driver analysis: which drivers (service attributes) move an outcome (NPS, satisfaction).
 * Bivariate correlations with tests, OLS regression, exact LMG (Shapley value of R²) with
 * Budescu's dominance weights, Johnson's relative weights.
 *
 * @module
 */
import { betaCdf, studentTSf } from "../core/distributions.js";
import { InsufficientDataError, invalidOption } from "../core/errors.js";
import { type Accessor, type Warning, checkLevel, smallSampleWarning } from "../core/values.js";
import { type Column, checkColumns, requireRows } from "./columns.js";
import { type CoMomentState, correlationFromState, stateFromChecked } from "./co-moments.js";
import { type CorrelationResult, kendallOf, pearsonFromR, spearmanOf } from "./correlation.js";
import { SINGULAR_TOLERANCE, cholesky, choleskySolve, forwardSubstitute, inverseDiagonal } from "./linalg.js";
import { relativeWeights } from "./relative-weights.js";
import { exactShapley, sampledShapley } from "./shapley.js";

/**
 * Default largest number of drivers for exact LMG (2^15 subsets).
 *
 * @example
 * DEFAULT_MAX_EXACT_DRIVERS //=> 15
 */
export const DEFAULT_MAX_EXACT_DRIVERS = 15;
/**
 * Hard cap for `maxExactDrivers` (2^22 subsets: 32 MiB of subset R² values, about a second).
 *
 * @example
 * MAX_EXACT_DRIVERS_LIMIT //=> 22
 */
export const MAX_EXACT_DRIVERS_LIMIT = 22;

/** Columns form: the outcome and the named driver columns, all of equal length. */
export interface KeyDriversData {
  outcome: Column;
  drivers: Record<string, Column>;
  /** Name of the outcome in messages and results (default `"outcome"`). */
  outcomeName?: string;
}

/** Rows-plus-accessors form. */
export interface KeyDriversAccessors<T> {
  outcome: Accessor<T>;
  drivers: Record<string, Accessor<T>>;
  outcomeName?: string;
}

/** Options for {@link keyDrivers} and {@link keyDriversFromState}. */
export interface KeyDriversOptions {
  /** `"listwise"` (default): drop rows with any `null`/`undefined` value, counted in `excluded.missing`; `"throw"`. */
  missing?: "listwise" | "throw";
  /**
   * LMG (Shapley value of R²): `"exact"` (default) enumerates all 2^p subsets (p ≤ `maxExactDrivers`);
   * `"sampled"` averages R² increments over `samples` seeded random orderings and reports a standard
   * error; `"none"` skips it (ranks then follow the relative weights).
   */
  lmg?: "exact" | "sampled" | "none";
  /** Largest p for exact LMG (default 15, at most 22). Above it `lmg: "exact"` throws `too_many_variables`. */
  maxExactDrivers?: number;
  /** Orderings for `lmg: "sampled"` (default 2000). */
  samples?: number;
  /** Seed for `lmg: "sampled"` (default 1). */
  seed?: number;
  /** Spearman and Kendall per driver (default true; needs the raw data, so not from a state). */
  ranks?: boolean;
  /** Level of the Pearson Fisher-z intervals (default 0.95). */
  level?: number;
  /** Include the R² of every driver subset (exact LMG only; default false). */
  subsets?: boolean;
}

/** A regression coefficient with its t-test. */
export interface CoefficientTest {
  estimate: number;
  /** Standard error σ̂ √((X'X)⁻¹_jj); `null` when there are no residual degrees of freedom. */
  stdError: number | null;
  t: number | null;
  pValue: number | null;
}

/** One driver's statistics. */
export interface KeyDriver {
  name: string;
  /** Pearson correlation with the outcome (t-test, Fisher-z interval). */
  pearson: CorrelationResult;
  /** Spearman's rho with the outcome (`null` from a state or with `ranks: false`). */
  spearman: CorrelationResult | null;
  /** Kendall's tau-b with the outcome (`null` from a state or with `ranks: false`). */
  kendall: CorrelationResult | null;
  /** OLS coefficient b_j (outcome units per driver unit), holding the other drivers fixed. */
  coefficient: number;
  /** Its standard error, t and two-sided p on n − p − 1 df. */
  stdError: number | null;
  t: number | null;
  pValue: number | null;
  /** b_j · sd(x_j)/sd(y) = (R_xx⁻¹ r_xy)_j. */
  standardizedBeta: number;
  /** LMG share of R² (Shapley value; the LMG values sum to R²); `null` with `lmg: "none"`. */
  lmg: number | null;
  /** Monte Carlo standard error of `lmg` with `lmg: "sampled"`; 0 for exact; `null` with `"none"`. */
  lmgStdError: number | null;
  /** Dominance analysis (exact LMG only): mean R² increment over subsets of each size k = 0 … p − 1 of the other drivers, and their mean (the general dominance weight, equal to LMG). */
  dominance: { conditional: number[]; general: number } | null;
  /** Johnson's relative weight: raw (sums to R²) and rescaled (share of R², sums to 1). */
  relativeWeight: { raw: number; rescaled: number | null };
  /** Importance rank, 1 = most important (by LMG, or by relative weight with `lmg: "none"`). */
  rank: number;
}

/** Result of {@link keyDrivers}. */
export interface KeyDriversResult {
  outcome: string;
  /** Complete rows used. */
  n: number;
  /** R² of the OLS fit with intercept, in [0, 1]. */
  r2: number;
  /** 1 − (1 − R²)(n − 1)/(n − p − 1); `null` when n ≤ p + 1. */
  adjustedR2: number | null;
  /** Residual standard error √(RSS/(n − p − 1)), outcome units; `null` when n ≤ p + 1. */
  sigma: number | null;
  /** F = (R²/p)/((1 − R²)/(n − p − 1)) and its p-value on (p, n − p − 1) df; `null` when undefined. */
  fStatistic: number | null;
  fPValue: number | null;
  dfModel: number;
  dfResidual: number;
  intercept: CoefficientTest;
  /** How LMG was computed. */
  lmgMethod: "exact" | "sampled" | "none";
  /** Orderings used with `"sampled"`, else `null`. */
  lmgSamples: number | null;
  /** One entry per driver, in input order. */
  drivers: KeyDriver[];
  /** R² of every non-empty driver subset (with `subsets: true` and exact LMG), by bitmask order. */
  subsetR2: { drivers: string[]; r2: number }[] | null;
  excluded: { missing: number };
  warnings: Warning[];
}

interface Settings {
  lmg: "exact" | "sampled" | "none";
  maxExact: number;
  samples: number;
  seed: number;
  ranks: boolean;
  level: number;
  subsets: boolean;
  missing: "listwise" | "throw";
}

function settings(fn: string, o: KeyDriversOptions): Settings {
  const lmg = o.lmg ?? "exact";
  if (lmg !== "exact" && lmg !== "sampled" && lmg !== "none")
    invalidOption(fn, "lmg", '"exact", "sampled" or "none"', lmg);
  const maxExact = o.maxExactDrivers ?? DEFAULT_MAX_EXACT_DRIVERS;
  if (!Number.isInteger(maxExact) || maxExact < 1 || maxExact > MAX_EXACT_DRIVERS_LIMIT) {
    invalidOption(fn, "maxExactDrivers", `an integer from 1 to ${MAX_EXACT_DRIVERS_LIMIT}`, maxExact);
  }
  const samples = o.samples ?? 2000;
  if (!Number.isInteger(samples) || samples < 2) invalidOption(fn, "samples", "an integer ≥ 2", samples);
  const seed = o.seed ?? 1;
  if (!Number.isFinite(seed)) invalidOption(fn, "seed", "a finite number", seed);
  const missing = o.missing ?? "listwise";
  if (missing !== "listwise" && missing !== "throw")
    invalidOption(fn, "missing", '"listwise" or "throw"', missing);
  return {
    lmg,
    maxExact,
    samples,
    seed,
    ranks: o.ranks ?? true,
    level: checkLevel(fn, o.level ?? 0.95),
    subsets: o.subsets ?? false,
    missing,
  };
}

/**
 * Key-driver analysis of an outcome on named driver columns (listwise deletion of incomplete rows).
 *
 * - Bivariate: Pearson r (t-test, Fisher-z CI), Spearman rho, Kendall tau-b, as R's `cor.test(exact = FALSE)`.
 * - OLS with intercept: b = S_xx⁻¹ s_xy, standardized β = R_xx⁻¹ r_xy, R² = r_xy'β, t-tests on n − p − 1 df, F-test.
 * - LMG (Lindeman, Merenda & Gold 1980; Grömping 2006): the Shapley value of R², the average over all
 *   p! orderings of the R² a driver adds when it enters; exact for p ≤ 15 by default (all 2^p subsets,
 *   computed from the correlation matrix), with Budescu's (1993) conditional dominance.
 * - Relative weights (Johnson 2000) from the eigen-decomposition of R_xx.
 *
 * Computed in float64 from the co-moment matrix (see {@link coMomentAccumulator}).
 *
 * @throws {InvalidInputError} `length_mismatch`; `non_finite_value` / `invalid_type` naming column and index;
 *   `missing_value` with `missing: "throw"`; `invalid_option`.
 * @throws {InsufficientDataError} `insufficient_data` (fewer than 3 complete rows), `constant_column`
 *   (naming it), `singular_matrix` (perfectly collinear drivers, naming them), `too_many_variables`
 *   (exact LMG above `maxExactDrivers`: use `lmg: "sampled"` or the relative weights).
 * @example
 * const nps = [9, 7, 10, 4, 8, 6, 10, 3, 9, 5];
 * const speed = [5, 4, 5, 2, 4, 3, 5, 1, 4, 3];
 * const price = [3, 4, 4, 2, 5, 3, 4, 3, 3, 2];
 * const ease = [4, 3, 5, 3, 4, 4, 5, 2, 5, 2];
 * const kd = keyDrivers({ outcome: nps, drivers: { speed, price, ease } });
 * kd.r2 //=> 0.9837054819359752
 * // LMG shares of R² (they sum to R²) and the rank by LMG
 * kd.drivers.map((d) => [d.name, d.lmg, d.rank])
 * //=> [["speed", 0.49301232144309504, 1], ["price", 0.1239550206340519, 3], ["ease", 0.36673813985882814, 2]]
 * @example
 * // Rows with accessors; sampled (permutation) LMG, reproducible with a seed.
 * const rows = [[9, 5, 3], [7, 4, 4], [10, 5, 4], [4, 2, 2], [8, 4, 5], [6, 3, 3], [10, 5, 4], [3, 1, 3], [9, 4, 3], [5, 3, 2]]
 *   .map(([nps, speed, price]) => ({ nps: nps!, speed: speed!, price: price! }));
 * const kd = keyDrivers(rows, { outcome: (r) => r.nps, drivers: { speed: (r) => r.speed, price: (r) => r.price } },
 *   { lmg: "sampled", seed: 7 });
 * kd.drivers.map((d) => [d.name, d.lmg]) //=> [["speed", 0.7535920607096878], ["price", 0.18035390455797237]]
 */
export function keyDrivers(data: KeyDriversData, options?: KeyDriversOptions): KeyDriversResult;
export function keyDrivers<T>(
  rows: ArrayLike<T> | Iterable<T>,
  accessors: KeyDriversAccessors<T>,
  options?: KeyDriversOptions,
): KeyDriversResult;
export function keyDrivers<T>(
  a: KeyDriversData | ArrayLike<T> | Iterable<T>,
  b?: KeyDriversAccessors<T> | KeyDriversOptions,
  c?: KeyDriversOptions,
): KeyDriversResult {
  const fn = "keyDrivers";
  let data: KeyDriversData;
  let options: KeyDriversOptions;
  if (b !== undefined && typeof (b as KeyDriversAccessors<T>).outcome === "function") {
    const acc = b as KeyDriversAccessors<T>;
    const rows: T[] = Array.isArray(a) ? (a as T[]) : Array.from(a as Iterable<T>);
    const names = Object.keys(acc.drivers);
    const drivers: Record<string, Column> = {};
    for (const name of names) {
      const f = acc.drivers[name]!;
      drivers[name] = rows.map((r, i) => f(r, i));
    }
    data = { outcome: rows.map((r, i) => acc.outcome(r, i)), drivers };
    if (acc.outcomeName !== undefined) data.outcomeName = acc.outcomeName;
    options = c ?? {};
  } else {
    data = a as KeyDriversData;
    options = (b as KeyDriversOptions | undefined) ?? {};
  }
  const s = settings(fn, options);
  const outcomeName = data.outcomeName ?? "outcome";
  const driverNames = Object.keys(data.drivers ?? {});
  if (driverNames.length === 0) {
    throw new InsufficientDataError(
      `${fn}: no drivers given; pass at least one driver column`,
      "at least one driver",
    );
  }
  const names = [outcomeName, ...driverNames];
  const checked = checkColumns(
    fn,
    names,
    [data.outcome, ...driverNames.map((k) => data.drivers[k]!)],
    s.missing,
  );
  requireRows(fn, checked.n, 3);
  const state = stateFromChecked(names, checked.columns, checked.n, checked.missing);
  const out = analyse(fn, state, 0, s);
  if (s.ranks) {
    const y = checked.columns[0]!;
    out.drivers.forEach((d, j) => {
      const x = checked.columns[j + 1]!;
      d.spearman = spearmanOf(x, y, checked.n);
      d.kendall = kendallOf(x, y, checked.n);
    });
  }
  return out;
}

/**
 * Key-driver analysis from a co-moment state (merged partial states of streamed or parallel data):
 * everything {@link keyDrivers} reports except Spearman and Kendall, which need the raw data.
 * `outcome` names the outcome variable (default: the state's first variable); `drivers` picks and
 * orders the drivers (default: all other variables).
 *
 * @example
 * // Two parts of the data (e.g. two files or workers), folded separately, then merged.
 * const rows = [[9, 5, 3], [7, 4, 4], [10, 5, 4], [4, 2, 2], [8, 4, 5], [6, 3, 3], [10, 5, 4], [3, 1, 3], [9, 4, 3], [5, 3, 2]];
 * const acc = coMomentAccumulator(["nps", "speed", "price"]);
 * const s1 = foldState(rows.slice(0, 5), acc);
 * const s2 = foldState(rows.slice(5), acc);
 * keyDriversFromState(mergeStates(acc, [s1, s2]), { outcome: "nps" }).r2 //=> 0.9339459652676421
 */
export function keyDriversFromState(
  state: CoMomentState,
  options: KeyDriversOptions & { outcome?: string; drivers?: string[] } = {},
): KeyDriversResult {
  const fn = "keyDriversFromState";
  const s = settings(fn, options);
  s.ranks = false;
  const outcome = options.outcome ?? state.variables[0];
  const yIdx = state.variables.indexOf(outcome ?? "");
  if (yIdx < 0) invalidOption(fn, "outcome", `one of ${state.variables.join(", ")}`, outcome);
  const drivers = options.drivers ?? state.variables.filter((_, i) => i !== yIdx);
  const idx = drivers.map((d) => {
    const i = state.variables.indexOf(d);
    if (i < 0 || i === yIdx)
      invalidOption(fn, "drivers", `names among ${state.variables.join(", ")} other than the outcome`, d);
    return i;
  });
  if (idx.length === 0) {
    throw new InsufficientDataError(
      `${fn}: no drivers given; the state needs at least one variable besides the outcome`,
      "at least one driver",
    );
  }
  requireRows(fn, state.n, 3);
  const k = state.variables.length;
  const order = [yIdx, ...idx];
  const sub: CoMomentState = {
    variables: order.map((i) => state.variables[i]!),
    n: state.n,
    mean: order.map((i) => state.mean[i]!),
    comoment: order.flatMap((i) => order.map((j) => state.comoment[i * k + j]!)),
    excluded: { ...state.excluded },
  };
  return analyse(fn, sub, 0, s);
}

function singular(
  fn: string,
  names: string[],
  Rxx: Float64Array,
  p: number,
  L: Float64Array,
  at: number,
): never {
  // column `at` is (nearly) a combination of columns 0..at−1: solve for the combination and name it
  const Lf = new Float64Array(at * at);
  for (let i = 0; i < at; i++) for (let j = 0; j <= i; j++) Lf[i * at + j] = L[i * p + j]!;
  const rhs = Array.from({ length: at }, (_, i) => Rxx[i * p + at]!);
  const w = at > 0 ? choleskySolve(Lf, at, rhs) : new Float64Array(0);
  let max = 0;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const involved = names.filter((_, i) => i < at && Math.abs(w[i]!) > 1e-6 * max);
  involved.push(names[at]!);
  throw new InsufficientDataError(
    `${fn}: drivers ${involved.map((x) => `"${x}"`).join(", ")} are perfectly collinear (one is a linear combination of the others), so their separate effects are not identified; drop one of them`,
    "drivers that are not linear combinations of each other",
    "singular_matrix",
  );
}

function analyse(fn: string, state: CoMomentState, yIdx: number, s: Settings): KeyDriversResult {
  const k = state.variables.length;
  const n = state.n;
  const xIdx = Array.from({ length: k }, (_, i) => i).filter((i) => i !== yIdx);
  const p = xIdx.length;
  const names = xIdx.map((i) => state.variables[i]!);
  if (s.lmg === "exact" && p > s.maxExact) {
    throw new InsufficientDataError(
      `${fn}: exact LMG over ${p} drivers would enumerate 2^${p} subsets (limit ${s.maxExact}; raise maxExactDrivers up to ${MAX_EXACT_DRIVERS_LIMIT}). ` +
        `Alternatives: lmg: "sampled" (seeded sampled Shapley values with standard errors; set samples and seed) or lmg: "none" and use the relative weights (Johnson 2000).`,
      `at most ${s.maxExact} drivers for exact LMG`,
      "too_many_variables",
    );
  }
  const R = correlationFromState(state, fn);
  const Rxx = new Float64Array(p * p);
  const rxy = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    rxy[a] = R[xIdx[a]! * k + yIdx]!;
    for (let b = 0; b < p; b++) Rxx[a * p + b] = R[xIdx[a]! * k + xIdx[b]!]!;
  }
  const { L, failedAt } = cholesky(Rxx, p, SINGULAR_TOLERANCE);
  if (failedAt >= 0) singular(fn, names, Rxx, p, L, failedAt);
  const beta = choleskySolve(L, p, rxy);
  let r2 = 0;
  for (let j = 0; j < p; j++) r2 += rxy[j]! * beta[j]!;
  r2 = Math.min(1, Math.max(0, r2));

  // OLS in original units
  const syy = state.comoment[yIdx * k + yIdx]!;
  const sdRoot = xIdx.map((i) => Math.sqrt(state.comoment[i * k + i]!));
  const syRoot = Math.sqrt(syy);
  const coef = Array.from(beta, (b, j) => (b * syRoot) / sdRoot[j]!);
  let intercept = state.mean[yIdx]!;
  for (let j = 0; j < p; j++) intercept -= coef[j]! * state.mean[xIdx[j]!]!;
  const dfResidual = n - p - 1;
  const rss = Math.max(0, (1 - r2) * syy);
  const sigma = dfResidual > 0 ? Math.sqrt(rss / dfResidual) : null;
  const invDiag = inverseDiagonal(L, p);
  const test = (estimate: number, se: number | null): CoefficientTest => {
    if (se === null || dfResidual <= 0) return { estimate, stdError: se, t: null, pValue: null };
    if (!(se > 0)) return { estimate, stdError: se, t: null, pValue: null };
    const t = estimate / se;
    return { estimate, stdError: se, t, pValue: Math.min(1, 2 * studentTSf(Math.abs(t), dfResidual)) };
  };
  const coefTests = coef.map((b, j) =>
    test(b, sigma === null ? null : (sigma * Math.sqrt(invDiag[j]!)) / sdRoot[j]!),
  );
  const u = xIdx.map((i, j) => state.mean[i]! / sdRoot[j]!);
  const z = forwardSubstitute(L, p, u);
  let quad = 0;
  for (let j = 0; j < p; j++) quad += z[j]! ** 2;
  const interceptTest = test(intercept, sigma === null ? null : sigma * Math.sqrt(1 / n + quad));
  const adjustedR2 = dfResidual > 0 ? 1 - ((1 - r2) * (n - 1)) / dfResidual : null;
  let fStatistic: number | null = null;
  let fPValue: number | null = null;
  if (dfResidual > 0 && r2 < 1) {
    fStatistic = r2 / p / ((1 - r2) / dfResidual);
    fPValue = betaCdf(dfResidual / (dfResidual + p * fStatistic), dfResidual / 2, p / 2);
  } else if (dfResidual > 0) {
    fPValue = 0;
  }

  // LMG
  let lmg: Float64Array | null = null;
  let lmgSe: Float64Array | null = null;
  let conditional: Float64Array | null = null;
  let subsetR2: KeyDriversResult["subsetR2"] = null;
  if (s.lmg !== "none") {
    const P = p + 1;
    const local = new Float64Array(P * P);
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) local[a * P + b] = Rxx[a * p + b]!;
      local[a * P + p] = rxy[a]!;
      local[p * P + a] = rxy[a]!;
    }
    local[p * P + p] = 1;
    if (s.lmg === "exact") {
      const ex = exactShapley(local, p);
      lmg = ex.lmg;
      conditional = ex.conditional;
      lmgSe = new Float64Array(p);
      if (s.subsets) {
        subsetR2 = [];
        for (let m = 1; m < ex.subsetR2.length; m++) {
          subsetR2.push({ drivers: names.filter((_, j) => (m & (1 << j)) !== 0), r2: ex.subsetR2[m]! });
        }
      }
    } else {
      const sh = sampledShapley(local, p, s.samples, s.seed);
      lmg = sh.values;
      lmgSe = sh.standardErrors;
    }
  }
  const rw = relativeWeights(Rxx, rxy, p);

  const importance = lmg ?? rw.raw;
  const order = Array.from({ length: p }, (_, j) => j).sort(
    (a, b) => importance[b]! - importance[a]! || a - b,
  );
  const rank = new Array<number>(p);
  order.forEach((j, r) => {
    rank[j] = r + 1;
  });
  const drivers: KeyDriver[] = names.map((name, j) => ({
    name,
    pearson: pearsonFromR(rxy[j]!, n, s.level),
    spearman: null,
    kendall: null,
    coefficient: coef[j]!,
    stdError: coefTests[j]!.stdError,
    t: coefTests[j]!.t,
    pValue: coefTests[j]!.pValue,
    standardizedBeta: beta[j]!,
    lmg: lmg === null ? null : lmg[j]!,
    lmgStdError: lmgSe === null ? null : lmgSe[j]!,
    dominance:
      conditional === null
        ? null
        : { conditional: Array.from(conditional.subarray(j * p, j * p + p)), general: lmg![j]! },
    relativeWeight: { raw: rw.raw[j]!, rescaled: r2 > 0 ? rw.raw[j]! / r2 : null },
    rank: rank[j]!,
  }));
  return {
    outcome: state.variables[yIdx]!,
    n,
    r2,
    adjustedR2,
    sigma,
    fStatistic,
    fPValue,
    dfModel: p,
    dfResidual,
    intercept: interceptTest,
    lmgMethod: s.lmg,
    lmgSamples: s.lmg === "sampled" ? s.samples : null,
    drivers,
    subsetR2,
    excluded: { missing: state.excluded.missing },
    warnings: smallSampleWarning(n),
  };
}
