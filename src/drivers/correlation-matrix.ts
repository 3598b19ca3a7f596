/**
 * Correlation matrix of named columns (Pearson, Spearman or Kendall tau-b).
 *
 * @module
 */
import { invalidOption } from "../core/errors.js";
import { sumColumn } from "./_kernel.js";
import { type Column, checkColumns, checkLengths, constantColumn, requireRows } from "./columns.js";
import { correlationFromState, stateFromChecked } from "./co-moments.js";
import { type CorrelationMethod, checkMethod, pearsonOf } from "./correlation.js";
import { averageRanks, kendallStats } from "./ranks.js";

/** Options for {@link correlationMatrix}. */
export interface CorrelationMatrixOptions {
  /** `"pearson"` (default), `"spearman"` or `"kendall"` (tau-b). */
  method?: CorrelationMethod;
  /**
   * Missing values (`null`/`undefined`): `"throw"` (default); `"listwise"` uses only rows complete in
   * every column; `"pairwise"` uses, for each pair, the rows complete in both (R's
   * `use = "pairwise.complete.obs"`; the matrix may then not be positive semi-definite).
   */
  missing?: "throw" | "listwise" | "pairwise";
}

/** Result of {@link correlationMatrix}. */
export interface CorrelationMatrixResult {
  method: CorrelationMethod;
  /** Column names, in input order: the rows and columns of `matrix`. */
  variables: string[];
  /** Symmetric matrix with a unit diagonal, `matrix[i][j]` = correlation of variables i and j. */
  matrix: number[][];
  /** Rows used (complete rows; with `"pairwise"`, the input row count). */
  n: number;
  /** Complete pairs per cell with `missing: "pairwise"`; `null` otherwise (every cell used `n` rows). */
  pairs: number[][] | null;
  /** Rows dropped for a missing value (`"listwise"`); 0 for `"pairwise"` (see `pairs`). */
  excluded: { missing: number };
}

/**
 * Correlation matrix of named columns. Pearson uses a two-pass co-moment kernel (means, then the
 * cross-products of centred values over cache-sized blocks of rows, by a WebAssembly SIMD
 * micro-kernel when available, else in JavaScript; with typed-array columns the means pass is also
 * the finiteness check); Spearman is Pearson on mid-ranks; Kendall computes tau-b for each pair in
 * O(n log n).
 *
 * @throws {InvalidInputError} `length_mismatch`, `non_finite_value` (naming column and index), `missing_value`.
 * @throws {InsufficientDataError} `insufficient_data` with fewer than 3 complete rows; `constant_column`.
 * @example
 * correlationMatrix({ a: [1, 2, 3, 4], b: [2, 1, 4, 3] }).matrix //=> [[1, 0.6], [0.6, 1]] (to rounding)
 */
export function correlationMatrix(
  columns: Record<string, Column>,
  options: CorrelationMatrixOptions = {},
): CorrelationMatrixResult {
  const fn = "correlationMatrix";
  const method = checkMethod(fn, options.method ?? "pearson");
  const missing = options.missing ?? "throw";
  if (missing !== "throw" && missing !== "listwise" && missing !== "pairwise") {
    invalidOption(fn, "missing", '"throw", "listwise" or "pairwise"', missing);
  }
  const names = Object.keys(columns);
  const cols = names.map((k) => columns[k]!);
  const k = names.length;
  if (missing === "pairwise") return pairwiseMatrix(fn, names, cols, method);
  if (method === "pearson") {
    const fast = pearsonOfNumericArrays(fn, names, cols);
    if (fast !== null) return fast;
  }
  const checked = checkColumns(fn, names, cols, missing);
  const n = checked.n;
  requireRows(fn, n, 3);
  const matrix: number[][] = names.map(() => new Array<number>(k).fill(1));
  if (method === "kendall") {
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const t = kendallStats(checked.columns[i]!, checked.columns[j]!);
        if (!(t.n0 - t.xTies.pairs > 0)) constantColumn(fn, names[i]!);
        if (!(t.n0 - t.yTies.pairs > 0)) constantColumn(fn, names[j]!);
        matrix[i]![j] = t.tauB;
        matrix[j]![i] = t.tauB;
      }
    }
  } else {
    const data = method === "spearman" ? checked.columns.map((c) => averageRanks(c)) : checked.columns;
    const R = correlationFromState(stateFromChecked(names, data, n, 0), fn);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) matrix[i]![j] = R[i * k + j]!;
  }
  return { method, variables: names, matrix, n, pairs: null, excluded: { missing: checked.missing } };
}

function isNumericTypedArray(x: unknown): x is ArrayLike<number> {
  return (
    ArrayBuffer.isView(x) &&
    !(x instanceof DataView) &&
    !(x instanceof BigInt64Array) &&
    !(x instanceof BigUint64Array)
  );
}

/**
 * Pearson fast path when every column is a numeric typed array (no missing values possible): the
 * means pass doubles as the finiteness check — a sum is finite only if every value is — so the
 * data is read twice in all (means, then co-moments) instead of three times. A non-finite sum falls
 * back to the general path, which names the offending value (or, after an overflow, goes on).
 */
function pearsonOfNumericArrays(fn: string, names: string[], cols: Column[]): CorrelationMatrixResult | null {
  if (!cols.every(isNumericTypedArray)) return null;
  const n = checkLengths(fn, names, cols);
  if (n < 3) return null;
  const k = names.length;
  const mean = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const s = sumColumn(cols[c] as ArrayLike<number>, n);
    if (!(s - s === 0)) return null;
    mean[c] = s / n;
  }
  const R = correlationFromState(stateFromChecked(names, cols as ArrayLike<number>[], n, 0, mean), fn);
  const matrix: number[][] = names.map((_, i) => Array.from(R.subarray(i * k, i * k + k)));
  return { method: "pearson", variables: names, matrix, n, pairs: null, excluded: { missing: 0 } };
}

function pairwiseMatrix(
  fn: string,
  names: string[],
  cols: Column[],
  method: CorrelationMethod,
): CorrelationMatrixResult {
  const k = names.length;
  // validate values (missing allowed) once
  const all = checkColumns(fn, names, cols, "listwise");
  const matrix: number[][] = names.map(() => new Array<number>(k).fill(1));
  const pairs: number[][] = names.map(() => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    pairs[i]![i] = countPresent(cols[i]!);
    for (let j = i + 1; j < k; j++) {
      const pair = checkColumns(fn, [names[i]!, names[j]!], [cols[i]!, cols[j]!], "listwise");
      const n = pair.n;
      requireRows(fn, n, 3, `complete pairs of "${names[i]}" and "${names[j]}"`);
      let [x, y] = pair.columns as [ArrayLike<number>, ArrayLike<number>];
      let r: number;
      if (method === "kendall") {
        const t = kendallStats(x, y);
        if (!(t.n0 - t.xTies.pairs > 0)) constantColumn(fn, names[i]!);
        if (!(t.n0 - t.yTies.pairs > 0)) constantColumn(fn, names[j]!);
        r = t.tauB;
      } else {
        if (method === "spearman") {
          x = averageRanks(x);
          y = averageRanks(y);
        }
        const R = correlationFromState(stateFromChecked([names[i]!, names[j]!], [x, y], n, 0), fn);
        r = R[1]!;
        if (method === "pearson") r = pearsonOf(x, y, n);
      }
      matrix[i]![j] = r;
      matrix[j]![i] = r;
      pairs[i]![j] = n;
      pairs[j]![i] = n;
    }
  }
  return { method, variables: names, matrix, n: all.rows, pairs, excluded: { missing: 0 } };
}

function countPresent(col: Column): number {
  let c = 0;
  for (let i = 0; i < col.length; i++) if (col[i] !== null && col[i] !== undefined) c++;
  return c;
}
