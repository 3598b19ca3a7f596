/**
 * Exact sample quantiles, all nine definitions of Hyndman & Fan (1996), by selection (Floyd–Rivest)
 * rather than a full sort when only a few quantiles are asked for.
 *
 * Exact quantiles need every value in memory (a quantile is not a function of a fixed-size summary);
 * for streaming and merging across partitions use the t-digest in `./tdigest.ts`.
 *
 * @module
 */
import { invalidOption } from "../core/errors.js";
import { throwBadValue } from "../core/values.js";

/**
 * A Hyndman–Fan sample quantile type, 1–9 (R's `quantile(type = )`; numpy's `method =`):
 * 1 inverted CDF, 2 averaged inverted CDF, 3 closest observation (SAS), 4 interpolated inverted CDF,
 * 5 Hazen, 6 Weibull (Minitab, SPSS), 7 linear (R and numpy default, Excel `PERCENTILE.INC`),
 * 8 median-unbiased (Hyndman–Fan's recommendation), 9 normal-unbiased.
 */
export type QuantileMethod = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * Every supported {@link QuantileMethod}.
 *
 * @example
 * QUANTILE_METHODS.length //=> 9
 */
export const QUANTILE_METHODS: readonly QuantileMethod[] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * Validate a quantile method option: return it, or throw `InvalidInputError` code `invalid_option`.
 *
 * @example
 * checkQuantileMethod("responseTimes", 8) //=> 8
 */
export function checkQuantileMethod(fn: string, method: unknown): QuantileMethod {
  if (typeof method !== "number" || !QUANTILE_METHODS.includes(method as QuantileMethod))
    return invalidOption(fn, "quantileMethod", "a Hyndman–Fan type, an integer from 1 to 9", method);
  return method as QuantileMethod;
}

/**
 * Validate probabilities in [0, 1]: return them, or throw `InvalidInputError` code `invalid_option`.
 *
 * @example
 * checkProbabilities("responseTimes", [0.5, 0.9]) //=> [0.5, 0.9]
 */
export function checkProbabilities(fn: string, ps: unknown, name = "quantiles"): number[] {
  if (!Array.isArray(ps)) return invalidOption(fn, name, "an array of probabilities in [0, 1]", ps);
  for (const p of ps)
    if (typeof p !== "number" || !(p >= 0 && p <= 1))
      return invalidOption(fn, name, "probabilities in [0, 1]", p);
  return ps as number[];
}

/**
 * Machine-epsilon fuzz on j = floor(np + m), as R's quantile.default does, so that np + m that is an
 * integer up to rounding is treated as one (e.g. n = 10, p = 0.3). Internal.
 */
export const FUZZ = 4 * Number.EPSILON;

/** Hyndman & Fan's offset m of types 1–6, 8, 9: j = floor(np + m). Internal. */
export function positionOffset(p: number, method: QuantileMethod): number {
  return method === 1 || method === 2 || method === 4
    ? 0
    : method === 3
      ? -0.5
      : method === 5
        ? 0.5
        : method === 6
          ? p
          : method === 8
            ? (p + 1) / 3
            : p / 4 + 3 / 8;
}

/**
 * Where a quantile falls in the order statistics: 0-based indices `lo`, `hi` (clamped to [0, n−1])
 * and the weight `gamma` of `hi`: Q = (1 − γ)·x[lo] + γ·x[hi].
 *
 * @example
 * quantilePosition(4, 0.5, 7) //=> { lo: 1, hi: 2, gamma: 0.5 }
 */
export function quantilePosition(
  n: number,
  p: number,
  method: QuantileMethod,
): { lo: number; hi: number; gamma: number } {
  if (method === 7) {
    // numpy / R type 7: h = (n − 1)p, written directly so that results agree to the last bit.
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return { lo, hi: Math.min(lo + 1, n - 1), gamma: h - lo };
  }
  // Hyndman & Fan (1996): j = floor(np + m), g = np + m − j; 1-based x_j, clamped.
  const np = n * p + positionOffset(p, method);
  let j = Math.floor(np + FUZZ);
  let g = np - j;
  if (Math.abs(g) < FUZZ) g = 0;
  let gamma: number;
  if (method === 1) gamma = g > 0 ? 1 : 0;
  else if (method === 2) gamma = g > 0 ? 1 : 0.5;
  else if (method === 3) gamma = g === 0 && j % 2 === 0 ? 0 : 1;
  else gamma = g;
  // 1-based j → 0-based lo = j − 1, hi = j; clamp both ends.
  if (j < 1) {
    j = 1;
    gamma = 0;
  }
  if (j >= n) {
    j = n;
    gamma = 0;
  }
  return { lo: j - 1, hi: Math.min(j, n - 1), gamma };
}

/**
 * Interpolate between the order statistics `a` = x[lo] and `b` = x[hi] with weight γ of `b`, as numpy
 * does (exact at both ends, monotone in γ). Internal: not re-exported from `cxmetrics/service`.
 */
export function lerp(a: number, b: number, gamma: number): number {
  if (gamma === 0) return a;
  if (gamma === 1 || a === b) return b;
  const d = b - a;
  return gamma >= 0.5 ? b - d * (1 - gamma) : a + d * gamma;
}

/**
 * Quantile `p` of values already sorted ascending (no check that they are).
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.5) //=> 2.5
 */
export function quantileSorted(
  sorted: ArrayLike<number>,
  p: number,
  method: QuantileMethod = 7,
): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const { lo, hi, gamma } = quantilePosition(n, p, method);
  return lerp(sorted[lo]!, sorted[hi]!, gamma);
}

/** Options for {@link quantiles}. */
export interface QuantilesOptions {
  /** Hyndman–Fan type 1–9 (default 7). */
  method?: QuantileMethod;
  /**
   * `"select"` (default): Floyd–Rivest selection of only the order statistics needed (O(n) expected);
   * `"sort"`: sort a copy (`Float64Array.prototype.sort`). Same answers.
   */
  algorithm?: "select" | "sort";
}

/**
 * Exact sample quantiles of `values` for each probability in `ps` (Hyndman & Fan 1996 type
 * `method`, default 7: h = (n − 1)p, x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋)). The input is not
 * modified: a Float64Array copy is partially ordered by selection.
 *
 * Exact quantiles need all n values (O(n) memory); use `tdigest` for a bounded, mergeable summary.
 *
 * @returns one value per probability, `null` for every probability when `values` is empty
 * @throws {InvalidInputError} `non_finite_value` / `invalid_type` naming the index of a bad value;
 *   `invalid_option` for probabilities outside [0, 1] or an unknown method.
 * @see R. J. Hyndman & Y. Fan (1996), "Sample quantiles in statistical packages", The American
 *   Statistician 50(4), 361–365. doi:10.1080/00031305.1996.10473566
 * @see R. W. Floyd & R. L. Rivest (1975), "Algorithm 489: SELECT", CACM 18(3), 173.
 * @example
 * quantiles([7, 1, 3, 5], [0.5, 0.9]) //=> [4, 6.4]
 */
export function quantiles(
  values: ArrayLike<number>,
  ps: readonly number[],
  options?: QuantilesOptions,
): (number | null)[] {
  const fn = "quantiles";
  const method = checkQuantileMethod(fn, options?.method ?? 7);
  checkProbabilities(fn, ps);
  const n = values.length;
  if (n === 0) return ps.map(() => null);
  let a: Float64Array;
  if (values instanceof Float64Array) {
    a = values.slice(); // one memcpy; then check
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(a[i]!)) throwBadValue(fn, i, a[i], "a finite number", false);
  } else {
    a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (typeof x !== "number" || !Number.isFinite(x)) throwBadValue(fn, i, x, "a finite number", false);
      a[i] = x;
    }
  }
  return quantilesInPlace(a, ps, method, options?.algorithm ?? "select");
}

/**
 * Like {@link quantiles} but reorders `a` in place (no copy, no value checks). For internal use by
 * accumulators that own their buffer.
 *
 * @example
 * quantilesInPlace(Float64Array.of(7, 1, 3, 5), [0.5, 0.9], 7) //=> [4, 6.4]
 */
export function quantilesInPlace(
  a: Float64Array,
  ps: readonly number[],
  method: QuantileMethod,
  algorithm: "select" | "sort" = "select",
): (number | null)[] {
  const n = a.length;
  if (n === 0) return ps.map(() => null);
  const pos = ps.map((p) => quantilePosition(n, p, method));
  if (algorithm === "sort" || ps.length > 16) a.sort();
  else {
    const ks = [...new Set(pos.flatMap((q) => (q.gamma === 0 ? [q.lo] : [q.lo, q.hi])))].sort(
      (x, y) => x - y,
    );
    multiSelect(a, 0, n - 1, ks, 0, ks.length - 1);
  }
  return pos.map(({ lo, hi, gamma }) => lerp(a[lo]!, a[hi]!, gamma));
}

/** Place every k of `ks[kLo..kHi]` (ascending) at its sorted position within a[left..right]. */
function multiSelect(
  a: Float64Array,
  left: number,
  right: number,
  ks: number[],
  kLo: number,
  kHi: number,
): void {
  if (kLo > kHi || left > right) return;
  const mid = (kLo + kHi) >> 1;
  const k = ks[mid]!;
  // Two adjacent order statistics: the second is the minimum of the right part.
  select(a, left, right, k);
  let j = mid + 1;
  if (j <= kHi && ks[j] === k + 1 && k + 1 <= right) {
    let mi = k + 1;
    for (let i = k + 2; i <= right; i++) if (a[i]! < a[mi]!) mi = i;
    swap(a, k + 1, mi);
    j++;
    multiSelect(a, k + 2, right, ks, j, kHi);
  } else multiSelect(a, k + 1, right, ks, j, kHi);
  multiSelect(a, left, k - 1, ks, kLo, mid - 1);
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Floyd–Rivest selection: afterwards a[k] is the value it would have after sorting a[left..right],
 * with smaller-or-equal values before it and greater-or-equal after.
 */
function select(a: Float64Array, left: number, right: number, k: number): void {
  while (right > left) {
    if (right - left > 600) {
      // Recurse on a sample to find pivots that bracket k tightly.
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      select(a, newLeft, newRight, k);
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}
