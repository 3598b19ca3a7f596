/**
 * t-digest: an approximate, mergeable summary of a distribution for quantiles in streaming and
 * partitioned (parallel, per-shard, per-day) use, in O(δ) memory whatever the number of values.
 *
 * This is the **merging** variant of Dunning & Ertl with the **k1** scale function
 * k1(q) = δ/(2π) · asin(2q − 1): incoming values are buffered; when the buffer is full it is sorted
 * and merged with the (sorted) centroids in one pass that joins neighbours as long as the joined
 * centroid spans at most one unit of k, i.e. k1(q_right) − k1(q_left) ≤ 1.
 *
 * ## Error bound
 * Since dk1/dq = δ / (2π √(q(1 − q))), a centroid around quantile q spans a share of the data of at
 * most about Δq(q) = 2π √(q(1 − q)) / δ (π/δ at the median, ≈ 0.031 for δ = 100) and single points
 * at the extremes. Interpolating between centroid centres keeps the estimate inside the centroids
 * that contain q, so the **rank error** |F_n(x̂_q) − q| is bounded by about Δq(q) (see
 * {@link tdigestRankErrorBound}); in practice it is 10–100× smaller (for δ = 100 on 10⁵ seeded
 * log-normal values: at most about 2e-3 anywhere, 4e-4 at the 0.1 % and 99.9 % points — measured in
 * test/service/tdigest.test.ts and bench/results/service.md). The bound is on ranks, not values:
 * the value error is the bound times the local spread of the data. It is not a worst-case guarantee for adversarial orders
 * (e.g. sorted input merged many times), only for the construction invariant above.
 *
 * Exact quantiles need all values; use this when the data do not fit, arrive as a stream, or are
 * summarised per partition and merged later (merge = summary of the concatenation, within the bound).
 *
 * @see T. Dunning & O. Ertl (2019), "Computing extremely accurate quantiles using t-digests",
 *   arXiv:1902.04023 (Algorithm 1, merging variant; scale function k1).
 * @see T. Dunning (2021), "The t-digest: Efficient estimates of distributions", Software Impacts 7.
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { invalidOption } from "../core/errors.js";
import { throwBadValue } from "../core/values.js";

/**
 * A t-digest state: plain JSON data (centroid means and weights sorted by mean, plus the
 * not-yet-merged buffer), so it crosses worker and process boundaries.
 */
export interface TDigestState {
  /** δ: the compression; about δ/2 … δ centroids are kept. */
  compression: number;
  /** Centroid means, ascending. */
  means: number[];
  /** Centroid weights (counts), aligned with `means`. */
  weights: number[];
  /** Values added but not yet merged into centroids. */
  buffer: number[];
  /** Total weight (centroids + buffer). */
  count: number;
  /** Smallest value seen (`Infinity` when empty). */
  min: number;
  /** Largest value seen (`-Infinity` when empty). */
  max: number;
}

/**
 * Default compression δ (at most about δ/2 … δ centroids; larger is more accurate and bigger).
 *
 * @example
 * tdigestInit().compression === DEFAULT_COMPRESSION //=> true
 */
export const DEFAULT_COMPRESSION = 100;

function checkCompression(fn: string, compression: unknown): number {
  if (
    typeof compression !== "number" ||
    !Number.isFinite(compression) ||
    compression < 10 ||
    compression > 100_000
  )
    return invalidOption(fn, "compression", "a number from 10 to 100000", compression);
  return compression;
}

/** Buffer length that triggers a merge pass (larger buffers: fewer passes, same accuracy). */
function bufferSize(compression: number): number {
  return Math.max(2_000, Math.ceil(20 * compression));
}

/**
 * An empty digest.
 *
 * @example
 * tdigestInit(200).compression //=> 200
 */
export function tdigestInit(compression: number = DEFAULT_COMPRESSION): TDigestState {
  checkCompression("tdigest", compression);
  return {
    compression,
    means: [],
    weights: [],
    buffer: [],
    count: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
  };
}

/**
 * Add one finite value (mutates and returns `s`; no check — callers validate).
 *
 * @example
 * const s = tdigestInit(); tdigestAdd(s, 4); tdigestAdd(s, 8);
 * [s.count, s.min, s.max] //=> [2, 4, 8]
 */
export function tdigestAdd(s: TDigestState, x: number): TDigestState {
  s.buffer.push(x);
  s.count++;
  if (x < s.min) s.min = x;
  if (x > s.max) s.max = x;
  if (s.buffer.length >= bufferSize(s.compression)) flush(s);
  return s;
}

/** k-limit: the largest q reachable from q0 with k1 growing by at most 1. */
function qLimit(q0: number, compression: number): number {
  const k = (compression / (2 * Math.PI)) * Math.asin(2 * Math.min(1, Math.max(0, q0)) - 1) + 1;
  if (k >= compression / 4) return 1;
  return (Math.sin((2 * Math.PI * k) / compression) + 1) / 2;
}

/**
 * One merge pass over items sorted by mean (Dunning & Ertl 2019, Algorithm 1): join each item into
 * the current centroid while the cumulative weight stays within the k-limit of the centroid's start.
 */
function compressSorted(
  means: Float64Array,
  weights: Float64Array,
  len: number,
  total: number,
  compression: number,
): { means: number[]; weights: number[] } {
  const outM: number[] = [];
  const outW: number[] = [];
  if (len === 0) return { means: outM, weights: outW };
  let soFar = 0;
  let limit = total * qLimit(0, compression);
  let m = means[0]!;
  let w = weights[0]!;
  for (let i = 1; i < len; i++) {
    const m2 = means[i]!;
    const w2 = weights[i]!;
    if (soFar + w + w2 <= limit) {
      w += w2;
      m += ((m2 - m) * w2) / w;
    } else {
      outM.push(m);
      outW.push(w);
      soFar += w;
      limit = total * qLimit(soFar / total, compression);
      m = m2;
      w = w2;
    }
  }
  outM.push(m);
  outW.push(w);
  return { means: outM, weights: outW };
}

/** Merge the buffer into the centroids (mutates `s`). */
function flush(s: TDigestState): void {
  if (s.buffer.length === 0) return;
  const buf = Float64Array.from(s.buffer);
  buf.sort();
  s.buffer = [];
  mergeSortedBatch(s, buf);
}

/**
 * Merge a sorted batch of unit-weight values into the centroids (mutates `s`; `count`, `min` and
 * `max` must already include the batch).
 */
function mergeSortedBatch(s: TDigestState, buf: Float64Array): void {
  const b = buf.length;
  const c = s.means.length;
  const len = c + b;
  const means = new Float64Array(len);
  const weights = new Float64Array(len);
  // Two-way merge of the sorted centroids and the sorted batch (weight 1 each).
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < c && j < b) {
    if (s.means[i]! <= buf[j]!) {
      means[k] = s.means[i]!;
      weights[k++] = s.weights[i++]!;
    } else {
      means[k] = buf[j++]!;
      weights[k++] = 1;
    }
  }
  while (i < c) {
    means[k] = s.means[i]!;
    weights[k++] = s.weights[i++]!;
  }
  while (j < b) {
    means[k] = buf[j++]!;
    weights[k++] = 1;
  }
  const r = compressSorted(means, weights, len, s.count, s.compression);
  s.means = r.means;
  s.weights = r.weights;
}

/**
 * Merge digest `b` into `a` (mutates and returns `a`; `b` is not changed). The result summarises
 * the concatenation of both inputs within the error bound; it uses the larger compression.
 *
 * @example
 * const both = tdigestMerge(tdigest([1, 2, 3]), tdigest([4, 5]));
 * [both.count, tdigestQuantile(both, 0.5)] //=> [5, 3]
 */
export function tdigestMerge(a: TDigestState, b: TDigestState): TDigestState {
  if (b.count === 0) return a;
  a.compression = Math.max(a.compression, b.compression);
  flush(a);
  const bm = b.means;
  const bw = b.weights;
  const bb = Float64Array.from(b.buffer);
  bb.sort();
  // Items of b: its centroids and its buffer, merged into one sorted run.
  const items: [number, number][] = [];
  for (let i = 0; i < bm.length; i++) items.push([bm[i]!, bw[i]!]);
  for (let i = 0; i < bb.length; i++) items.push([bb[i]!, 1]);
  const all: [number, number][] = [];
  for (let i = 0; i < a.means.length; i++) all.push([a.means[i]!, a.weights[i]!]);
  for (const it of items) all.push(it);
  all.sort((x, y) => x[0] - y[0]);
  const len = all.length;
  const means = new Float64Array(len);
  const weights = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    means[i] = all[i]![0];
    weights[i] = all[i]![1];
  }
  a.count += b.count;
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  const r = compressSorted(means, weights, len, a.count, a.compression);
  a.means = r.means;
  a.weights = r.weights;
  return a;
}

/**
 * A deep copy of a state (merging mutates its first argument).
 *
 * @example
 * const a = tdigest([1, 2, 3]);
 * const b = tdigestClone(a); tdigestAdd(b, 4);
 * [a.count, b.count] //=> [3, 4]
 */
export function tdigestClone(s: TDigestState): TDigestState {
  return { ...s, means: s.means.slice(), weights: s.weights.slice(), buffer: s.buffer.slice() };
}

function flushed(s: TDigestState): TDigestState {
  if (s.buffer.length === 0) return s;
  const c = tdigestClone(s);
  flush(c);
  return c;
}

/**
 * Estimated quantile p ∈ [0, 1] (does not change `s`). Interpolates linearly between centroid
 * centres (each centroid's weight split evenly around its mean, singletons exact), out to the exact
 * min and max at the ends. `null` when empty. Monotone in p.
 *
 * @example
 * const s = tdigestInit(); for (let i = 1; i <= 1000; i++) tdigestAdd(s, i);
 * tdigestQuantile(s, 0.5) //=> ≈ 500
 */
export function tdigestQuantile(state: TDigestState, p: number): number | null {
  if (typeof p !== "number" || !(p >= 0 && p <= 1))
    return invalidOption("tdigestQuantile", "p", "a probability in [0, 1]", p);
  const s = flushed(state);
  const n = s.means.length;
  if (s.count === 0 || n === 0) return null;
  const m = s.means;
  const w = s.weights;
  const total = s.count;
  if (n === 1) {
    if (w[0] === 1) return m[0]!;
  }
  const index = p * total;
  if (index < 1) return s.min;
  if (index > total - 1) return s.max;
  // Left tail: between min and the first centroid's centre.
  const w0 = w[0]!;
  if (w0 > 1 && index < w0 / 2) return s.min + ((index - 1) / (w0 / 2 - 1)) * (m[0]! - s.min);
  // Right tail: between the last centroid's centre and max.
  const wl = w[n - 1]!;
  if (wl > 1 && total - index <= wl / 2)
    return s.max - ((total - index - 1) / (wl / 2 - 1)) * (s.max - m[n - 1]!);
  let soFar = w0 / 2;
  for (let i = 0; i < n - 1; i++) {
    const dw = (w[i]! + w[i + 1]!) / 2;
    if (soFar + dw > index) {
      let leftUnit = 0;
      if (w[i] === 1) {
        if (index - soFar < 0.5) return m[i]!;
        leftUnit = 0.5;
      }
      let rightUnit = 0;
      if (w[i + 1] === 1) {
        if (soFar + dw - index <= 0.5) return m[i + 1]!;
        rightUnit = 0.5;
      }
      const z1 = index - soFar - leftUnit;
      const z2 = soFar + dw - index - rightUnit;
      const a = m[i]!;
      const b = m[i + 1]!;
      if (z1 + z2 <= 0) return a;
      const v = (a * z2 + b * z1) / (z1 + z2);
      return Math.min(Math.max(v, a), b);
    }
    soFar += dw;
  }
  return s.max;
}

/**
 * Estimated rank F(x) ∈ [0, 1]: the share of values below x (half of those equal), interpolated
 * like {@link tdigestQuantile}. `null` when empty.
 *
 * @example
 * tdigestCdf(tdigest(Float64Array.from({ length: 1000 }, (_, i) => i)), 250) //=> ≈ 0.25
 * tdigestCdf(tdigestInit(), 1) //=> null
 */
export function tdigestCdf(state: TDigestState, x: number): number | null {
  const s = flushed(state);
  const n = s.means.length;
  if (s.count === 0 || n === 0) return null;
  if (x < s.min) return 0;
  if (x > s.max) return 1;
  if (s.min === s.max) return 0.5;
  const m = s.means;
  const w = s.weights;
  const total = s.count;
  if (x < m[0]!) return m[0]! - s.min > 0 ? (((x - s.min) / (m[0]! - s.min)) * (w[0]! / 2)) / total : 0;
  let soFar = 0;
  for (let i = 0; i < n - 1; i++) {
    if (x === m[i]) {
      let eq = 0;
      for (let j = i; j < n && m[j] === x; j++) eq += w[j]!;
      return (soFar + eq / 2) / total;
    }
    if (x < m[i + 1]!) {
      const left = soFar + w[i]! / 2;
      const dw = (w[i]! + w[i + 1]!) / 2;
      return (left + (dw * (x - m[i]!)) / (m[i + 1]! - m[i]!)) / total;
    }
    soFar += w[i]!;
  }
  const last = m[n - 1]!;
  if (x === last) return (soFar + w[n - 1]! / 2) / total;
  return (total - (w[n - 1]! / 2) * ((s.max - x) / (s.max - last))) / total;
}

/**
 * The documented rank-error bound at quantile p for compression δ: 2π √(p(1 − p)) / δ (the share of
 * the data one k1 centroid can span there), plus 1/n for the discreteness of n values.
 *
 * @example
 * tdigestRankErrorBound(0.5, 100) //=> 0.0314…
 */
export function tdigestRankErrorBound(
  p: number,
  compression: number = DEFAULT_COMPRESSION,
  n = Number.POSITIVE_INFINITY,
): number {
  return (2 * Math.PI * Math.sqrt(p * (1 - p))) / compression + 1 / n;
}

/** Result of the t-digest accumulator: the summary, plus a `quantile` reader. */
export interface TDigestSummary {
  /** Number of values. */
  n: number;
  /** Exact minimum (`null` when empty). */
  min: number | null;
  /** Exact maximum (`null` when empty). */
  max: number | null;
  /** Number of centroids kept. */
  centroids: number;
  /** Compression δ. */
  compression: number;
  /** The flushed state (a copy; merge it elsewhere or read quantiles from it). */
  state: TDigestState;
}

/**
 * The t-digest as an accumulator of numbers: fold, group, merge partial digests across workers.
 * Values must be finite (throws `non_finite_value` / `invalid_type` naming the index).
 *
 * @example
 * const d = fold([3, 1, 2], tdigestAccumulator()); tdigestQuantile(d.state, 0.5) //=> 2
 */
export function tdigestAccumulator(
  compression: number = DEFAULT_COMPRESSION,
): Accumulator<number, TDigestState, TDigestSummary> {
  checkCompression("tdigestAccumulator", compression);
  return {
    init: () => tdigestInit(compression),
    add: (s, x, i) => {
      if (typeof x !== "number" || !Number.isFinite(x))
        throwBadValue("tdigest", i, x, "a finite number", false);
      return tdigestAdd(s, x);
    },
    merge: tdigestMerge,
    result: (s) => {
      const f = tdigestClone(s);
      flush(f);
      return {
        n: f.count,
        min: f.count ? f.min : null,
        max: f.count ? f.max : null,
        centroids: f.means.length,
        compression: f.compression,
        state: f,
      };
    },
  };
}

/** Options for {@link tdigest}. */
export interface TDigestOptions {
  /** Compression δ (default 100): memory and accuracy grow with it. */
  compression?: number;
}

/**
 * Build a t-digest of `values` (an array or typed array of finite numbers).
 *
 * @example
 * tdigestQuantile(tdigest(Float64Array.from({ length: 1e5 }, (_, i) => i)), 0.9) //=> ≈ 90000
 */
export function tdigest(values: ArrayLike<number>, options?: TDigestOptions): TDigestState {
  const compression = checkCompression("tdigest", options?.compression ?? DEFAULT_COMPRESSION);
  const s = tdigestInit(compression);
  // Bulk path: batches of the buffer size, copied, checked, sorted natively and merged.
  const n = values.length;
  const size = bufferSize(compression);
  const typed = values instanceof Float64Array;
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    const batch = typed ? (values as Float64Array).slice(start, end) : new Float64Array(end - start);
    for (let i = start; i < end; i++) {
      const x = typed ? batch[i - start]! : values[i];
      if (typeof x !== "number" || !Number.isFinite(x))
        throwBadValue("tdigest", i, x, "a finite number", false);
      if (!typed) batch[i - start] = x;
      if (x < s.min) s.min = x;
      if (x > s.max) s.max = x;
    }
    batch.sort();
    s.count += end - start;
    mergeSortedBatch(s, batch);
  }
  return s;
}
