/**
 * Mean and variance by Welford's online update, with Chan et al.'s pairwise merge, as a
 * mergeable accumulator. Numerically stable for data with a large mean relative to its spread.
 *
 * @see B. P. Welford (1962), Technometrics 4(3):419–420; T. F. Chan, G. H. Golub, R. J. LeVeque (1979),
 *   "Updating formulae and a pairwise algorithm for computing sample variances".
 * @module
 */
import type { Accumulator } from "./accumulator.js";

/** Welford state: count, mean and the sum of squared deviations `m2`. Plain JSON. */
export interface MomentsState {
  n: number;
  mean: number;
  m2: number;
  min: number | null;
  max: number | null;
}

/** Summary moments. `variance` and `sd` use n − 1 (sample); null when n < 2. `mean` null when n = 0. */
export interface Moments {
  n: number;
  mean: number | null;
  variance: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
}

/**
 * Fold one finite value into a Welford state (mutates and returns it).
 *
 * @example
 * addMoment(momentsAccumulator().init(), 5) //=> { n: 1, mean: 5, m2: 0, min: 5, max: 5 }
 */
export function addMoment(s: MomentsState, x: number): MomentsState {
  s.n += 1;
  const d = x - s.mean;
  s.mean += d / s.n;
  s.m2 += d * (x - s.mean);
  if (s.min === null || x < s.min) s.min = x;
  if (s.max === null || x > s.max) s.max = x;
  return s;
}

/**
 * Merge two Welford states (Chan, Golub & LeVeque 1979 pairwise update); mutates and returns `a`.
 *
 * @example
 * const acc = momentsAccumulator();
 * momentsResult(mergeMoments(foldState([1, 2], acc), foldState([3, 4], acc))).variance //=> 1.6666666666666667
 */
export function mergeMoments(a: MomentsState, b: MomentsState): MomentsState {
  if (b.n === 0) return a;
  if (a.n === 0) {
    a.n = b.n;
    a.mean = b.mean;
    a.m2 = b.m2;
    a.min = b.min;
    a.max = b.max;
    return a;
  }
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  a.mean += (d * b.n) / n;
  a.m2 += b.m2 + (d * d * a.n * b.n) / n;
  a.n = n;
  if (b.min !== null && (a.min === null || b.min < a.min)) a.min = b.min;
  if (b.max !== null && (a.max === null || b.max > a.max)) a.max = b.max;
  return a;
}

/**
 * Result of a Welford state: mean, sample variance m2/(n − 1) (null below 2 values), sd, min, max.
 *
 * @example
 * momentsResult(foldState([2, 4], momentsAccumulator())) //=> { n: 2, mean: 3, variance: 2, sd: 1.4142135623730951, min: 2, max: 4 }
 */
export function momentsResult(s: MomentsState): Moments {
  const variance = s.n >= 2 ? s.m2 / (s.n - 1) : null;
  return {
    n: s.n,
    mean: s.n > 0 ? s.mean : null,
    variance,
    sd: variance === null ? null : Math.sqrt(variance),
    min: s.min,
    max: s.max,
  };
}

/**
 * Accumulator of count, mean, sample variance, min and max (finite numbers only; validate first).
 *
 * @example
 * fold([1, 2, 3, 4], momentsAccumulator()).variance //=> 1.6666666666666667
 */
export function momentsAccumulator(): Accumulator<number, MomentsState, Moments> {
  return {
    init: () => ({ n: 0, mean: 0, m2: 0, min: null, max: null }),
    add: (s, x) => addMoment(s, x),
    merge: mergeMoments,
    result: momentsResult,
  };
}
