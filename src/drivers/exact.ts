/**
 * Null distributions of rank correlations for small samples without ties, as R's
 * `cor.test(..., exact = TRUE)` evaluates them (internal to `drivers/`).
 *
 * - Spearman: Best & Roberts' Algorithm AS 89 — the exact permutation distribution of
 *   S = Σ d² for n ≤ 9, an Edgeworth series for 10 ≤ n ≤ 1290 (R's limits).
 * - Kendall: the exact distribution of the number of concordant pairs (Mahonian numbers:
 *   permutations of n by number of inversions), for n < 50.
 *
 * @see D. J. Best, D. E. Roberts (1975), "Algorithm AS 89: The upper tail probabilities of
 *   Spearman's rho", Applied Statistics 24(3):377–379.
 * @see M. G. Kendall (1938), "A new measure of rank correlation", Biometrika 30:81–93.
 * @module
 */
import { normalCdf, normalSf } from "../core/distributions.js";

const spearmanCounts = new Map<number, Float64Array>();

/** counts[s] = number of permutations of 1..n with Σ (i − π(i))² = s, for n ≤ 9. */
function spearmanDistribution(n: number): Float64Array {
  const cached = spearmanCounts.get(n);
  if (cached) return cached;
  const max = (n * (n * n - 1)) / 3;
  const counts = new Float64Array(max + 1);
  const perm = Array.from({ length: n }, (_, i) => i);
  const used = new Uint8Array(n);
  const walk = (pos: number, s: number): void => {
    if (pos === n) {
      counts[s] = counts[s]! + 1;
      return;
    }
    for (let v = 0; v < n; v++) {
      if (used[v] === 1) continue;
      used[v] = 1;
      perm[pos] = v;
      walk(pos + 1, s + (pos - v) * (pos - v));
      used[v] = 0;
    }
  };
  walk(0, 0);
  spearmanCounts.set(n, counts);
  return counts;
}

/**
 * AS 89 as R implements it: Pr[S ≥ is] (upper) or Pr[S < is] (lower), S = (n³ − n)(1 − ρ)/6.
 * Exact for n ≤ 9; Edgeworth series above.
 */
export function spearmanTail(n: number, is: number, lowerTail: boolean): number {
  const base = lowerTail ? 0 : 1;
  if (n <= 1 || is <= 0) return base;
  const n3 = (n * (n * n - 1)) / 3;
  if (is > n3) return 1 - base;
  if (n <= 9) {
    const counts = spearmanDistribution(n);
    let total = 0;
    let atLeast = 0;
    for (let s = 0; s < counts.length; s++) {
      total += counts[s]!;
      if (s >= is) atLeast += counts[s]!;
    }
    return (lowerTail ? total - atLeast : atLeast) / total;
  }
  const c = [
    0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831, 0.0131, 4.6e-4,
  ] as const;
  const b = 1 / n;
  const x = ((6 * (is - 1) * b) / (n * n - 1) - 1) * Math.sqrt(n - 1);
  const y = x * x;
  const u =
    x *
    b *
    (c[0] +
      b * (c[1] + c[2] * b) +
      y *
        (-c[3] +
          b * (c[4] + c[5] * b) -
          y * b * (c[6] + c[7] * b - y * (c[8] - c[9] * b + y * b * (c[10] - c[11] * y)))));
  const corr = u / Math.exp(y / 2);
  const pv = (lowerTail ? -corr : corr) + (lowerTail ? normalCdf(x) : normalSf(x));
  return Math.min(1, Math.max(0, pv));
}

/**
 * Two-sided exact (n ≤ 9) or Edgeworth (n ≤ 1290) p-value for Spearman's S statistic, as
 * `cor.test(method = "spearman", exact = TRUE)`: p = min(1, 2·tail), the tail on the side of S.
 */
export function spearmanExactPValue(s: number, n: number): number {
  const q = Math.round(s);
  const p = s > (n * n * n - n) / 6 ? spearmanTail(n, q, false) : spearmanTail(n, q + 2, true);
  return Math.min(1, 2 * p);
}

const kendallCounts = new Map<number, Float64Array>();

/** counts[k] = number of permutations of n items with k inversions (Mahonian numbers). */
function kendallDistribution(n: number): Float64Array {
  const cached = kendallCounts.get(n);
  if (cached) return cached;
  let row = Float64Array.of(1);
  for (let m = 2; m <= n; m++) {
    const size = (m * (m - 1)) / 2 + 1;
    const next = new Float64Array(size);
    // next[k] = Σ_{i=0}^{m-1} row[k − i], summed directly (a running window sum would subtract
    // numbers up to 10^60 from each other and lose the small tail counts)
    for (let k = 0; k < size; k++) {
      let s = 0;
      for (let i = Math.max(0, k - row.length + 1); i < m && i <= k; i++) s += row[k - i]!;
      next[k] = s;
    }
    row = next;
  }
  kendallCounts.set(n, row);
  return row;
}

/**
 * Two-sided exact p-value of Kendall's tau for n < 50 without ties, as
 * `cor.test(method = "kendall", exact = TRUE)`: T = concordant pairs; p = min(1, 2·tail).
 * The upper tail is summed directly (R computes 1 − lower tail; they agree to ~1e-16 absolute).
 */
export function kendallExactPValue(concordant: number, n: number): number {
  const counts = kendallDistribution(n);
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k]!;
  const q = Math.round(concordant);
  let tail = 0;
  if (q > (n * (n - 1)) / 4) {
    for (let k = Math.max(q, 0); k < counts.length; k++) tail += counts[k]!;
  } else {
    for (let k = 0; k <= Math.min(q, counts.length - 1); k++) tail += counts[k]!;
  }
  return Math.min(1, (2 * tail) / total);
}
