/**
 * Integer rating scales (CSAT 1–5, CES 1–7, …) as counts per scale point: the mergeable state
 * behind {@link csatAccumulator} and {@link cesAccumulator}. Counting makes merge exact and the
 * mean and variance independent of input order.
 *
 * @module
 */
import { formatValue, invalidOption } from "../core/errors.js";
import type { ConfidenceInterval } from "../core/interval.js";
import { studentTQuantile } from "../core/distributions.js";
import { type Accessor, forEachValue, throwBadValue } from "../core/values.js";

/** An integer rating scale, inclusive bounds. */
export interface RatingScale {
  min: number;
  max: number;
}

/** Counts per scale point (`counts[k]` = answers equal to `min + k`) and omitted missing values. Plain JSON. */
export interface RatingState {
  min: number;
  max: number;
  counts: number[];
  missing: number;
}

/** Mean of the answered ratings with its Student-t interval. */
export interface MeanSummary {
  /** Mean rating in scale units; `null` when n = 0. */
  mean: number | null;
  /** Sample standard deviation (n − 1); `null` when n < 2. */
  sd: number | null;
  /** sd/√n; `null` when n < 2. */
  standardError: number | null;
  /** Degrees of freedom n − 1; `null` when n < 2. */
  df: number | null;
  /** mean ∓ t(1 − α/2, n − 1)·SE; `null` when n < 2. Method `"t"`. */
  ci: ConfidenceInterval | null;
}

/** Largest number of points a scale may have (the state holds one count per point). */
export const MAX_SCALE_POINTS = 101;

/** Validate a scale option (integers, min < max, at most {@link MAX_SCALE_POINTS} points). */
export function resolveScale(fn: string, scale: RatingScale | undefined, fallback: RatingScale): RatingScale {
  if (scale === undefined) return fallback;
  const ok =
    typeof scale === "object" &&
    scale !== null &&
    Number.isSafeInteger(scale.min) &&
    Number.isSafeInteger(scale.max) &&
    scale.min < scale.max &&
    scale.max - scale.min < MAX_SCALE_POINTS;
  if (!ok)
    invalidOption(
      fn,
      "scale",
      `{ min, max } with integers min < max and at most ${MAX_SCALE_POINTS} points`,
      scale === null || typeof scale !== "object"
        ? scale
        : `{ min: ${formatValue(scale.min)}, max: ${formatValue(scale.max)} }`,
    );
  return { min: scale.min, max: scale.max };
}

/** Validate a threshold option `{ min }` inside the scale. */
export function resolveThreshold(
  fn: string,
  name: string,
  value: { min: number } | undefined,
  scale: RatingScale,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const m = typeof value === "object" && value !== null ? value.min : undefined;
  if (typeof m !== "number" || !Number.isInteger(m) || m < scale.min || m > scale.max) {
    invalidOption(fn, `${name}.min`, `an integer from ${scale.min} to ${scale.max}`, m);
  }
  return m;
}

/** Validate `missing`. */
export function resolveMissing(fn: string, missing: unknown): boolean {
  const m = missing ?? "throw";
  if (m !== "throw" && m !== "omit") invalidOption(fn, "missing", '"throw" or "omit"', m);
  return m === "omit";
}

/** An empty state for a scale. */
export function emptyRatingState(scale: RatingScale): RatingState {
  return {
    min: scale.min,
    max: scale.max,
    counts: new Array<number>(scale.max - scale.min + 1).fill(0),
    missing: 0,
  };
}

/** Fold one rating (mutates and returns `s`). Throws naming `index` for a bad value. */
export function addRating(fn: string, s: RatingState, x: unknown, index: number, omit: boolean): RatingState {
  if (typeof x === "number" && Number.isInteger(x) && x >= s.min && x <= s.max) s.counts[x - s.min]!++;
  else if ((x === null || x === undefined) && omit) s.missing++;
  else throwBadValue(fn, index, x, `an integer from ${s.min} to ${s.max}`);
  return s;
}

/** Merge `b` into `a` (same scale required). */
export function mergeRatingStates(fn: string, a: RatingState, b: RatingState): RatingState {
  if (a.min !== b.min || a.max !== b.max)
    invalidOption(fn, "scale", `states on the same scale (${a.min}–${a.max})`, `${b.min}–${b.max}`);
  for (let k = 0; k < a.counts.length; k++) a.counts[k]! += b.counts[k]!;
  a.missing += b.missing;
  return a;
}

/** Fold a values argument or rows with an accessor into `s`. */
export function addRatings(
  fn: string,
  s: RatingState,
  data: unknown,
  accessor: Accessor<unknown, unknown> | undefined,
  omit: boolean,
): RatingState {
  if (data === null || typeof data !== "object")
    invalidOption(fn, "scores", "an array, a typed array or an iterable", data);
  if (accessor !== undefined && typeof accessor !== "function")
    invalidOption(fn, "accessor", "a function (row, index) => rating", accessor);
  forEachValue(data as ArrayLike<unknown>, accessor, (x, i) => {
    addRating(fn, s, x, i, omit);
  });
  return s;
}

/** Number of answers. */
export function ratingCount(s: RatingState): number {
  let n = 0;
  for (const c of s.counts) n += c;
  return n;
}

/** Number of answers ≥ `min`. */
export function countAtLeast(s: RatingState, min: number): number {
  let c = 0;
  for (let k = Math.max(0, min - s.min); k < s.counts.length; k++) c += s.counts[k]!;
  return c;
}

/**
 * Mean, sample sd (n − 1, two-pass over the counts), standard error and the Student-t interval
 * mean ∓ t(1 − α/2, n − 1)·sd/√n.
 */
export function meanSummary(s: RatingState, level: number): MeanSummary {
  const n = ratingCount(s);
  if (n === 0) return { mean: null, sd: null, standardError: null, df: null, ci: null };
  let sum = 0;
  for (let k = 0; k < s.counts.length; k++) sum += s.counts[k]! * (s.min + k);
  const mean = sum / n;
  if (n < 2) return { mean, sd: null, standardError: null, df: null, ci: null };
  let m2 = 0;
  for (let k = 0; k < s.counts.length; k++) {
    const dev = s.min + k - mean;
    m2 += s.counts[k]! * dev * dev;
  }
  const sd = Math.sqrt(m2 / (n - 1));
  const standardError = sd / Math.sqrt(n);
  const df = n - 1;
  const h = studentTQuantile(1 - (1 - level) / 2, df) * standardError;
  return { mean, sd, standardError, df, ci: { lower: mean - h, upper: mean + h, level, method: "t" } };
}
