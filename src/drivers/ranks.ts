/**
 * Rank helpers for Spearman's rho and Kendall's tau-b (internal to `drivers/`).
 *
 * @module
 */

/** Sort order of `x` (indices), stable, ascending. */
function sortOrder(x: ArrayLike<number>): Uint32Array {
  const n = x.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const v = Float64Array.from(x as ArrayLike<number>);
  order.sort((a, b) => v[a]! - v[b]! || a - b);
  return order;
}

/**
 * Mid-ranks (1-based; tied values share the average of the ranks they span), as R's `rank()` with
 * `ties.method = "average"`.
 *
 * @example
 * averageRanks([10, 20, 20, 5]) //=> [2, 3.5, 3.5, 1]
 */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = sortOrder(x);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = x[order[i]!]!;
    while (j < n && x[order[j]!] === v) j++;
    const r = (i + j + 1) / 2; // average of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]!] = r;
    i = j;
  }
  return ranks;
}

/** True when some value occurs more than once. */
export function hasTies(x: ArrayLike<number>): boolean {
  const s = Float64Array.from(x as ArrayLike<number>).sort();
  for (let i = 1; i < s.length; i++) if (s[i] === s[i - 1]) return true;
  return false;
}

/** Sums over tie groups of sizes t: Σ t(t−1)/2, Σ t(t−1)(2t+5), Σ t(t−1), Σ t(t−1)(t−2). */
export interface TieSums {
  pairs: number;
  v: number;
  t1: number;
  t2: number;
}

function tieSums(sorted: ArrayLike<number>): TieSums {
  const out = { pairs: 0, v: 0, t1: 0, t2: 0 };
  const n = sorted.length;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    if (t > 1) {
      out.pairs += (t * (t - 1)) / 2;
      out.v += t * (t - 1) * (2 * t + 5);
      out.t1 += t * (t - 1);
      out.t2 += t * (t - 1) * (t - 2);
    }
    i = j;
  }
  return out;
}

/** Kendall statistics of a pair of columns. */
export interface KendallStats {
  /** S = concordant − discordant pairs. */
  s: number;
  /** n(n−1)/2. */
  n0: number;
  /** Tie sums of x and of y. */
  xTies: TieSums;
  yTies: TieSums;
  /** tau-b = S / √((n0 − n1)(n0 − n2)); NaN when a column is constant (callers check). */
  tauB: number;
}

/**
 * Kendall's S and tau-b in O(n log n) by Knight's algorithm: sort by (x, y), count joint ties,
 * then merge-sort y counting the exchanges (discordant pairs).
 *
 * @see W. R. Knight (1966), "A computer method for calculating Kendall's tau with ungrouped data", JASA 61:436–439.
 */
export function kendallStats(x: ArrayLike<number>, y: ArrayLike<number>): KendallStats {
  const n = x.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const xv = Float64Array.from(x as ArrayLike<number>);
  const yv = Float64Array.from(y as ArrayLike<number>);
  order.sort((a, b) => xv[a]! - xv[b]! || yv[a]! - yv[b]!);
  const xs = new Float64Array(n);
  let ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = xv[order[i]!]!;
    ys[i] = yv[order[i]!]!;
  }
  const xTies = tieSums(xs);
  // joint ties: runs equal in both x and y (adjacent after the lexicographic sort)
  let joint = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && xs[j] === xs[i] && ys[j] === ys[i]) j++;
    const t = j - i;
    joint += (t * (t - 1)) / 2;
    i = j;
  }
  // bottom-up merge sort of ys counting exchanges
  let buf = new Float64Array(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) {
        if (ys[a]! <= ys[b]!) buf[k++] = ys[a++]!;
        else {
          buf[k++] = ys[b++]!;
          swaps += mid - a;
        }
      }
      while (a < mid) buf[k++] = ys[a++]!;
      while (b < hi) buf[k++] = ys[b++]!;
    }
    const t = ys;
    ys = buf;
    buf = t;
  }
  const yTies = tieSums(ys);
  const n0 = (n * (n - 1)) / 2;
  const s = n0 - xTies.pairs - yTies.pairs + joint - 2 * swaps;
  const tauB = s / Math.sqrt((n0 - xTies.pairs) * (n0 - yTies.pairs));
  return { s, n0, xTies, yTies, tauB };
}
