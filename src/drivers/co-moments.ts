/**
 * Co-moments (counts, means and the matrix of summed cross-products of deviations) of an outcome
 * and its drivers, as a mergeable accumulator, plus the fast two-pass kernel that computes the same
 * state from whole columns. Every Pearson-based driver statistic (correlations, regression
 * coefficients, R², LMG, relative weights) is a function of this state alone, so it can be computed
 * from partial states of streamed or parallel data. Rank statistics (Spearman, Kendall) cannot:
 * they need all the data at once.
 *
 * @see B. P. Welford (1962), Technometrics 4(3):419–420 (online update);
 *   T. F. Chan, G. H. Golub, R. J. LeVeque (1979), "Updating formulae and a pairwise algorithm for
 *   computing sample variances", Stanford CS-TR-79-773 (pairwise merge, here for co-moments);
 *   P. Pébay (2008), "Formulas for robust, one-pass parallel computation of covariances", Sandia SAND2008-6212.
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { InvalidInputError, formatValue } from "../core/errors.js";
import { columnMeans, crossProducts } from "./_kernel.js";
import { type Column, checkColumns, constantColumn } from "./columns.js";

/**
 * Mergeable co-moment state, plain JSON. `comoment[i * k + j]` = Σ (x_i − x̄_i)(x_j − x̄_j) over the
 * `n` complete rows, for the `k = variables.length` variables in order.
 */
export interface CoMomentState {
  /** Variable names, in the order of `mean` and of the rows/columns of `comoment`. */
  variables: string[];
  /** Complete rows folded in. */
  n: number;
  /** Means of the variables (0 while n = 0). */
  mean: number[];
  /** Row-major k×k matrix of summed cross-products of deviations from the means. */
  comoment: number[];
  /** Rows left out because a value was `null`/`undefined` (listwise deletion). */
  excluded: { missing: number };
}

/** Options for {@link coMomentAccumulator}. */
export interface CoMomentOptions {
  /** `"listwise"` (default): skip a row with any `null`/`undefined` and count it; `"throw"`: error. */
  missing?: "listwise" | "throw";
}

function emptyState(variables: string[]): CoMomentState {
  const k = variables.length;
  return {
    variables: [...variables],
    n: 0,
    mean: new Array<number>(k).fill(0),
    comoment: new Array<number>(k * k).fill(0),
    excluded: { missing: 0 },
  };
}

/**
 * Mergeable accumulator of the co-moments of `variables` (by convention the outcome first, then
 * the drivers). Each input is one row: the values of the variables in that order. Welford's update
 * per row, Chan et al.'s pairwise merge between states:
 *
 * C ← C_a + C_b + δδᵀ · n_a n_b / n, δ = x̄_b − x̄_a.
 *
 * Feed the state to {@link keyDriversFromState} or {@link correlationFromState}.
 *
 * @throws {InvalidInputError} `non_finite_value` / `invalid_type` naming the variable and row index;
 *   `length_mismatch` when a row has the wrong number of values; `missing_value` under `missing: "throw"`.
 * @example
 * const acc = coMomentAccumulator(["nps", "speed", "price"]);
 * const part1 = foldState([[9, 4, 3], [7, 3, 4], [3, 1, 5]], acc);
 * const part2 = foldState([[10, 5, 2], [6, 2, 4]], acc);
 * const merged = acc.merge(part1, part2);
 * merged.n //=> 5
 * keyDriversFromState(merged).r2 //=> 0.9644444444444443
 */
export function coMomentAccumulator(
  variables: string[],
  options: CoMomentOptions = {},
): Accumulator<ArrayLike<number | null | undefined>, CoMomentState, CoMomentState> {
  const k = variables.length;
  const missing = options.missing ?? "listwise";
  const d = new Float64Array(k);
  return {
    init: () => emptyState(variables),
    add(s, row, index) {
      if (row.length !== k) {
        throw new InvalidInputError(
          [
            {
              index,
              path: [],
              code: "length_mismatch",
              message: `row has ${row.length} values; expected ${k} (${variables.join(", ")})`,
            },
          ],
          { context: "coMomentAccumulator", code: "length_mismatch" },
        );
      }
      for (let i = 0; i < k; i++) {
        const v = row[i];
        if (typeof v === "number" && v - v === 0) continue;
        if ((v === null || v === undefined) && missing === "listwise") {
          s.excluded.missing += 1;
          return s;
        }
        const code =
          v === null || v === undefined
            ? "missing_value"
            : typeof v !== "number"
              ? "invalid_type"
              : "non_finite_value";
        throw new InvalidInputError(
          [
            {
              index,
              path: [variables[i]!],
              code,
              message: `"${variables[i]}" is ${formatValue(v)}; expected a finite number`,
            },
          ],
          { context: "coMomentAccumulator", code },
        );
      }
      const n1 = s.n + 1;
      for (let i = 0; i < k; i++) d[i] = (row[i] as number) - s.mean[i]!;
      const f = s.n / n1;
      const C = s.comoment;
      for (let i = 0; i < k; i++) {
        const di = d[i]! * f;
        for (let j = 0; j < k; j++) C[i * k + j] = C[i * k + j]! + di * d[j]!;
        s.mean[i] = s.mean[i]! + d[i]! / n1;
      }
      s.n = n1;
      return s;
    },
    merge(a, b) {
      return mergeCoMoments(a, b);
    },
    result: (s) => ({ ...s, mean: [...s.mean], comoment: [...s.comoment], excluded: { ...s.excluded } }),
  };
}

/**
 * Merge two co-moment states over the same variables (Chan et al.); mutates and returns `a`.
 *
 * @example
 * const a = coMomentsFromColumns({ x: [1, 2], y: [2, 4] });
 * const b = coMomentsFromColumns({ x: [3], y: [6] });
 * mergeCoMoments(a, b).comoment //=> ≈ [2, 4, 4, 8]
 */
export function mergeCoMoments(a: CoMomentState, b: CoMomentState): CoMomentState {
  const k = a.variables.length;
  if (b.variables.length !== k || b.variables.some((v, i) => v !== a.variables[i])) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["variables"],
          code: "length_mismatch",
          message: `cannot merge states over [${b.variables.join(", ")}] into [${a.variables.join(", ")}]`,
        },
      ],
      { context: "mergeCoMoments", code: "length_mismatch" },
    );
  }
  a.excluded.missing += b.excluded.missing;
  if (b.n === 0) return a;
  if (a.n === 0) {
    a.n = b.n;
    a.mean = [...b.mean];
    a.comoment = [...b.comoment];
    return a;
  }
  const n = a.n + b.n;
  const f = (a.n * b.n) / n;
  const delta = b.mean.map((m, i) => m - a.mean[i]!);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      a.comoment[i * k + j] = a.comoment[i * k + j]! + b.comoment[i * k + j]! + delta[i]! * delta[j]! * f;
    }
  }
  for (let i = 0; i < k; i++) a.mean[i] = a.mean[i]! + (delta[i]! * b.n) / n;
  a.n = n;
  return a;
}

// ------------------------------------------------------------------------------------ kernel

/**
 * Means and co-moment matrix of complete, finite columns of equal length `n` (validate first):
 * two passes (means, then cross-products of deviations). The second pass runs a WebAssembly SIMD
 * micro-kernel when `WebAssembly` is available and the input is large, else a JavaScript kernel
 * (see `_kernel.ts`); both sum blocks of rows into fresh accumulators. Pass `mean` when the means
 * are already known (they must be the column means of the first `n` rows).
 * Returns the full symmetric k×k matrix.
 */
export function centeredCrossProducts(
  columns: ArrayLike<number>[],
  n: number,
  mean: Float64Array = columnMeans(columns, n),
): { mean: Float64Array; comoment: Float64Array } {
  return { mean, comoment: crossProducts(columns, n, mean) };
}

/**
 * Co-moment state of named columns computed in one go with the fast kernel (the same state
 * {@link coMomentAccumulator} builds row by row, up to rounding). Rows with a `null`/`undefined`
 * value are dropped (listwise) and counted, unless `missing: "throw"`.
 *
 * @example
 * // comoment is the row-major k×k matrix of centred cross-products Σ(x − x̄)(y − ȳ)
 * coMomentsFromColumns({ nps: [9, 7, 3], speed: [5, 4, 2] }).comoment //=> ≈ [18.6666666667, 9.3333333333, 9.3333333333, 4.6666666667]
 */
export function coMomentsFromColumns(
  columns: Record<string, Column>,
  options: CoMomentOptions = {},
): CoMomentState {
  const names = Object.keys(columns);
  const checked = checkColumns(
    "coMomentsFromColumns",
    names,
    names.map((k) => columns[k]!),
    options.missing ?? "listwise",
  );
  return stateFromChecked(checked.names, checked.columns, checked.n, checked.missing);
}

/** Build a state from already checked, complete columns (`means`: their column means, if known). */
export function stateFromChecked(
  names: string[],
  columns: ArrayLike<number>[],
  n: number,
  missing: number,
  means?: Float64Array,
): CoMomentState {
  const { mean, comoment } = centeredCrossProducts(columns, n, means);
  return {
    variables: [...names],
    n,
    mean: Array.from(mean),
    comoment: Array.from(comoment),
    excluded: { missing },
  };
}

/**
 * Pearson correlation matrix (row-major k×k, diagonal exactly 1) from a co-moment state.
 *
 * @example
 * [...correlationFromState(coMomentsFromColumns({ x: [1, 2, 4], y: [3, 2, 0] }))] //=> ≈ [1, -1, -1, 1]
 *
 * @throws {InsufficientDataError} `constant_column` naming a variable with zero variance.
 */
export function correlationFromState(state: CoMomentState, fn = "correlationFromState"): Float64Array {
  const k = state.variables.length;
  const sd = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const v = state.comoment[i * k + i]!;
    const scale = Math.abs(state.mean[i]!) + 1;
    // Zero (or rounding-level) variance: a constant column.
    if (!(v > 0) || Math.sqrt(v / Math.max(state.n, 1)) <= 1e-13 * scale)
      constantColumn(fn, state.variables[i]!);
    sd[i] = Math.sqrt(v);
  }
  const R = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    R[i * k + i] = 1;
    for (let j = i + 1; j < k; j++) {
      let r = state.comoment[i * k + j]! / (sd[i]! * sd[j]!);
      if (r > 1) r = 1;
      else if (r < -1) r = -1;
      R[i * k + j] = r;
      R[j * k + i] = r;
    }
  }
  return R;
}
