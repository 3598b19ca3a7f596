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
 * const s = acc.add(acc.init(), [9, 4, 3], 0);
 * keyDriversFromState(acc.merge(s, otherState));
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

/** Merge two co-moment states over the same variables (Chan et al.); mutates and returns `a`. */
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

const BLOCK = 8192;

function sumColumn(col: ArrayLike<number>, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += col[i]!;
    s1 += col[i + 1]!;
  }
  if (i < n) s0 += col[i]!;
  return s0 + s1;
}

function center(
  S: Float64Array,
  o: number,
  col: ArrayLike<number>,
  r0: number,
  len: number,
  m: number,
): void {
  if (col instanceof Float64Array) {
    S.set(col.subarray(r0, r0 + len), o);
    const end = o + len;
    for (let i = o; i < end; i++) S[i] = S[i]! - m;
  } else {
    for (let i = 0; i < len; i++) S[o + i] = col[r0 + i]! - m;
  }
}

function tileDiagonal(S: Float64Array, B: number, len: number, a: number, C: Float64Array, q: number): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let s22 = 0;
  let s23 = 0;
  let s33 = 0;
  const o0 = a * B;
  const o1 = o0 + B;
  const o2 = o1 + B;
  const o3 = o2 + B;
  for (let i = 0; i < len; i++) {
    const x0 = S[o0 + i]!;
    const x1 = S[o1 + i]!;
    const x2 = S[o2 + i]!;
    const x3 = S[o3 + i]!;
    s00 += x0 * x0;
    s01 += x0 * x1;
    s02 += x0 * x2;
    s03 += x0 * x3;
    s11 += x1 * x1;
    s12 += x1 * x2;
    s13 += x1 * x3;
    s22 += x2 * x2;
    s23 += x2 * x3;
    s33 += x3 * x3;
  }
  const r = a * q + a;
  C[r] = C[r]! + s00;
  C[r + 1] = C[r + 1]! + s01;
  C[r + 2] = C[r + 2]! + s02;
  C[r + 3] = C[r + 3]! + s03;
  C[r + q + 1] = C[r + q + 1]! + s11;
  C[r + q + 2] = C[r + q + 2]! + s12;
  C[r + q + 3] = C[r + q + 3]! + s13;
  C[r + 2 * q + 2] = C[r + 2 * q + 2]! + s22;
  C[r + 2 * q + 3] = C[r + 2 * q + 3]! + s23;
  C[r + 3 * q + 3] = C[r + 3 * q + 3]! + s33;
}

function tile4x4(
  S: Float64Array,
  B: number,
  len: number,
  a: number,
  b: number,
  C: Float64Array,
  q: number,
): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let s20 = 0;
  let s21 = 0;
  let s22 = 0;
  let s23 = 0;
  let s30 = 0;
  let s31 = 0;
  let s32 = 0;
  let s33 = 0;
  const a0 = a * B;
  const a1 = a0 + B;
  const a2 = a1 + B;
  const a3 = a2 + B;
  const b0 = b * B;
  const b1 = b0 + B;
  const b2 = b1 + B;
  const b3 = b2 + B;
  for (let i = 0; i < len; i++) {
    const x0 = S[a0 + i]!;
    const x1 = S[a1 + i]!;
    const x2 = S[a2 + i]!;
    const x3 = S[a3 + i]!;
    const y0 = S[b0 + i]!;
    const y1 = S[b1 + i]!;
    const y2 = S[b2 + i]!;
    const y3 = S[b3 + i]!;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s02 += x0 * y2;
    s03 += x0 * y3;
    s10 += x1 * y0;
    s11 += x1 * y1;
    s12 += x1 * y2;
    s13 += x1 * y3;
    s20 += x2 * y0;
    s21 += x2 * y1;
    s22 += x2 * y2;
    s23 += x2 * y3;
    s30 += x3 * y0;
    s31 += x3 * y1;
    s32 += x3 * y2;
    s33 += x3 * y3;
  }
  const sums = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33];
  for (let u = 0; u < 4; u++) {
    for (let v = 0; v < 4; v++) {
      const at = (a + u) * q + b + v;
      C[at] = C[at]! + sums[u * 4 + v]!;
    }
  }
}

/**
 * Means and co-moment matrix of complete, finite columns of equal length `n` (validate first):
 * two passes (means, then cross-products of deviations), rows in blocks of 8192 copied centred into
 * a scratch buffer, and the upper triangle of the matrix filled 4×4 column pairs per sweep.
 * Returns the full symmetric k×k matrix.
 */
export function centeredCrossProducts(
  columns: ArrayLike<number>[],
  n: number,
): { mean: Float64Array; comoment: Float64Array } {
  const k = columns.length;
  const mean = new Float64Array(k);
  for (let c = 0; c < k; c++) mean[c] = n > 0 ? sumColumn(columns[c]!, n) / n : 0;
  const q = Math.ceil(k / 4) * 4;
  const B = Math.max(1, Math.min(BLOCK, n));
  const S = new Float64Array(q * B);
  const C = new Float64Array(q * q);
  for (let r0 = 0; r0 < n; r0 += B) {
    const len = Math.min(B, n - r0);
    for (let c = 0; c < k; c++) center(S, c * B, columns[c]!, r0, len, mean[c]!);
    for (let a = 0; a < q; a += 4) {
      tileDiagonal(S, B, len, a, C, q);
      for (let b = a + 4; b < q; b += 4) tile4x4(S, B, len, a, b, C, q);
    }
  }
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const v = C[i * q + j]!;
      out[i * k + j] = v;
      out[j * k + i] = v;
    }
  }
  return { mean, comoment: out };
}

/**
 * Co-moment state of named columns computed in one go with the fast kernel (the same state
 * {@link coMomentAccumulator} builds row by row, up to rounding). Rows with a `null`/`undefined`
 * value are dropped (listwise) and counted, unless `missing: "throw"`.
 *
 * @example
 * coMomentsFromColumns({ nps: [9, 7, 3], speed: [5, 4, 2] }).comoment //=> [[Syy, Syx], [Sxy, Sxx]] flattened
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

/** Build a state from already checked, complete columns. */
export function stateFromChecked(
  names: string[],
  columns: ArrayLike<number>[],
  n: number,
  missing: number,
): CoMomentState {
  const { mean, comoment } = centeredCrossProducts(columns, n);
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
