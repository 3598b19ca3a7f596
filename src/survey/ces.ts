/**
 * Customer Effort Score: the mean answer to "the company made it easy to handle my issue" on an
 * agreement scale (default 1–7, higher = easier), with a Student-t interval and the share of easy
 * answers.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { invalidOption } from "../core/errors.js";
import type { ConfidenceInterval } from "../core/interval.js";
import { type ProportionCiMethod, proportionInterval } from "../core/proportion.js";
import {
  type Accessor,
  type Excluded,
  type MissingOptions,
  type Warning,
  checkLevel,
  smallSampleWarning,
} from "../core/values.js";
import {
  type RatingScale,
  type RatingState,
  addRating,
  addRatings,
  countAtLeast,
  emptyRatingState,
  meanSummary,
  mergeRatingStates,
  ratingCount,
  resolveMissing,
  resolveScale,
  resolveThreshold,
} from "./rating-scale.js";

/** Options of {@link ces}. */
export interface CesOptions extends MissingOptions {
  /** Rating scale, integers, higher = easier; default `{ min: 1, max: 7 }`. */
  scale?: RatingScale;
  /** Lowest "easy" rating; default the points above the midpoint (5–7 on 1–7, 4–5 on 1–5). */
  easy?: { min: number };
  /** Interval of the easy share (see `proportionInterval`); default `"wilson"`. */
  ci?: ProportionCiMethod;
  /** Confidence level in (0, 1); default 0.95 (for both intervals). */
  level?: number;
}

/** Result of {@link ces}. */
export interface CesResult {
  /** Mean rating (scale units; higher = easier); `null` when n = 0. Same as `mean`. */
  score: number | null;
  /** Answers counted (missing excluded). */
  n: number;
  /** Mean rating; `null` when n = 0. */
  mean: number | null;
  /** Sample standard deviation (n − 1); `null` when n < 2. */
  sd: number | null;
  /** sd/√n; `null` when n < 2. */
  standardError: number | null;
  /** Student-t interval of the mean, method `"t"`; `null` when n < 2. */
  ci: ConfidenceInterval | null;
  /** Answers ≥ `easyMin`. */
  easy: number;
  /** The lowest easy rating used. */
  easyMin: number;
  /** easy / n, 0–1; `null` when n = 0. */
  shareEasy: number | null;
  /** Proportion interval of `shareEasy` (0–1); `null` when n = 0. */
  shareEasyCi: ConfidenceInterval | null;
  scale: RatingScale;
  /** Answers per scale point, `distribution[k]` for rating `scale.min + k`. */
  distribution: number[];
  excluded: Excluded;
  warnings: Warning[];
}

interface Resolved {
  fn: string;
  scale: RatingScale;
  easyMin: number;
  method: ProportionCiMethod;
  level: number;
  omit: boolean;
}

const METHODS: ReadonlySet<string> = new Set([
  "wilson",
  "agrestiCoull",
  "clopperPearson",
  "jeffreys",
  "wald",
]);

function resolve(fn: string, options: CesOptions | undefined): Resolved {
  const scale = resolveScale(fn, options?.scale, { min: 1, max: 7 });
  const easyMin = resolveThreshold(
    fn,
    "easy",
    options?.easy,
    scale,
    Math.floor((scale.min + scale.max) / 2) + 1,
  );
  const method = options?.ci ?? "wilson";
  if (typeof method !== "string" || !METHODS.has(method))
    invalidOption(fn, "ci", `one of ${[...METHODS].join(", ")}`, method);
  const level = checkLevel(fn, options?.level ?? 0.95);
  return { fn, scale, easyMin, method, level, omit: resolveMissing(fn, options?.missing) };
}

function result(s: RatingState, o: Resolved): CesResult {
  const n = ratingCount(s);
  const m = meanSummary(s, o.level);
  const easy = countAtLeast(s, o.easyMin);
  return {
    score: m.mean,
    n,
    mean: m.mean,
    sd: m.sd,
    standardError: m.standardError,
    ci: m.ci,
    easy,
    easyMin: o.easyMin,
    shareEasy: n > 0 ? easy / n : null,
    shareEasyCi: proportionInterval(easy, n, { method: o.method, level: o.level }),
    scale: { min: s.min, max: s.max },
    distribution: [...s.counts],
    excluded: { missing: s.missing },
    warnings: smallSampleWarning(n),
  };
}

/**
 * The CES accumulator: counts per scale point (merge adds counts, exactly).
 *
 * @throws {InvalidInputError} from `add` naming the index for a rating that is not an integer on
 *   the scale, or a missing value unless `missing: "omit"`; `invalid_option` for bad options.
 * @example
 * fold([7, 5, 3], cesAccumulator()).mean //=> 5
 */
export function cesAccumulator(
  options?: CesOptions,
): Accumulator<number | null | undefined, RatingState, CesResult> {
  const o = resolve("cesAccumulator", options);
  return {
    init: () => emptyRatingState(o.scale),
    add: (s, x, i) => addRating(o.fn, s, x, i, o.omit),
    merge: (a, b) => mergeRatingStates(o.fn, a, b),
    result: (s) => result(s, o),
  };
}

/**
 * CES (CEB/Gartner CES 2.0): mean agreement with "the company made it easy for me to handle my
 * issue" on 1–7 (higher = easier), with a Student-t interval mean ∓ t(1 − α/2, n − 1)·sd/√n (sd with
 * n − 1), and the share of easy answers (≥ `easy.min`, default 5 on 1–7) with a binomial interval.
 *
 * Edge cases: n = 0 → every score `null`; n = 1 → mean only (sd, SE and interval `null`); n < 30
 * adds a `small_sample` warning.
 *
 * @see M. Dixon, K. Freeman, N. Toman (2010), "Stop Trying to Delight Your Customers", Harvard
 *   Business Review 88(7/8); CEB (2013) CES 2.0.
 * @throws {InvalidInputError} naming the index: `out_of_range` (8 on 1–7), `not_an_integer`,
 *   `non_finite_value`, `invalid_type`, `missing_value`; `invalid_option` for bad options.
 * @example
 * ces([7, 6, 5, 2]).mean //=> 5
 */
export function ces(
  scores: ArrayLike<number | null | undefined> | Iterable<number | null | undefined>,
  options?: CesOptions,
): CesResult;
export function ces<T>(
  rows: Iterable<T> | ArrayLike<T>,
  accessor: Accessor<T>,
  options?: CesOptions,
): CesResult;
export function ces(data: unknown, accessorOrOptions?: unknown, maybeOptions?: unknown): CesResult {
  const accessor =
    typeof accessorOrOptions === "function" ? (accessorOrOptions as Accessor<unknown, unknown>) : undefined;
  const o = resolve("ces", (accessor ? maybeOptions : accessorOrOptions) as CesOptions | undefined);
  return result(addRatings(o.fn, emptyRatingState(o.scale), data, accessor, o.omit), o);
}
