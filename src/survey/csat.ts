/**
 * Customer Satisfaction Score: the share of satisfied answers (by default the top two boxes of a
 * 1–5 scale), in percent, with a binomial confidence interval, plus the mean rating.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import type { ConfidenceInterval } from "../core/interval.js";
import { type ProportionCiMethod, proportionInterval } from "../core/proportion.js";
import { invalidOption } from "../core/errors.js";
import {
  type Accessor,
  type Excluded,
  type MissingOptions,
  type Warning,
  checkLevel,
  smallSampleWarning,
} from "../core/values.js";
import {
  type MeanSummary,
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

/** Options of {@link csat}. */
export interface CsatOptions extends MissingOptions {
  /** Rating scale, integers; default `{ min: 1, max: 5 }`. */
  scale?: RatingScale;
  /** Lowest satisfied rating; default the top two boxes (`max − 1`, i.e. 4 and 5 on 1–5). */
  satisfied?: { min: number };
  /** Interval for the satisfied share (see `proportionInterval`); default `"wilson"`. */
  ci?: ProportionCiMethod;
  /** Confidence level in (0, 1); default 0.95 (for both intervals). */
  level?: number;
}

/** Result of {@link csat}. */
export interface CsatResult {
  /** Satisfied share in percent 0–100; `null` when n = 0. */
  score: number | null;
  /** Satisfied share 0–1; `null` when n = 0. */
  share: number | null;
  /** Answers counted (missing excluded). */
  n: number;
  /** Answers ≥ `satisfiedMin`. */
  satisfied: number;
  /** The lowest satisfied rating used. */
  satisfiedMin: number;
  scale: RatingScale;
  /** Interval of the satisfied share in percent (the unit of `score`); `null` when n = 0. */
  ci: ConfidenceInterval | null;
  /** Answers per scale point, `distribution[k]` for rating `scale.min + k`. */
  distribution: number[];
  /** Mean rating with its t interval (scale units). */
  mean: MeanSummary;
  excluded: Excluded;
  warnings: Warning[];
}

interface Resolved {
  fn: string;
  scale: RatingScale;
  satisfiedMin: number;
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

function resolve(fn: string, options: CsatOptions | undefined): Resolved {
  const scale = resolveScale(fn, options?.scale, { min: 1, max: 5 });
  const satisfiedMin = resolveThreshold(fn, "satisfied", options?.satisfied, scale, scale.max - 1);
  const method = options?.ci ?? "wilson";
  if (typeof method !== "string" || !METHODS.has(method))
    invalidOption(fn, "ci", `one of ${[...METHODS].join(", ")}`, method);
  const level = checkLevel(fn, options?.level ?? 0.95);
  return { fn, scale, satisfiedMin, method, level, omit: resolveMissing(fn, options?.missing) };
}

function result(s: RatingState, o: Resolved): CsatResult {
  const n = ratingCount(s);
  const satisfied = countAtLeast(s, o.satisfiedMin);
  const share = n > 0 ? satisfied / n : null;
  const p = proportionInterval(satisfied, n, { method: o.method, level: o.level });
  return {
    score: share === null ? null : 100 * share,
    share,
    n,
    satisfied,
    satisfiedMin: o.satisfiedMin,
    scale: { min: s.min, max: s.max },
    ci: p === null ? null : { lower: 100 * p.lower, upper: 100 * p.upper, level: p.level, method: p.method },
    distribution: [...s.counts],
    mean: meanSummary(s, o.level),
    excluded: { missing: s.missing },
    warnings: smallSampleWarning(n),
  };
}

/**
 * The CSAT accumulator: counts per scale point (merge adds counts, exactly).
 *
 * @throws {InvalidInputError} from `add` naming the index for a rating that is not an integer on
 *   the scale, or a missing value unless `missing: "omit"`; `invalid_option` for bad options.
 * @example
 * fold([5, 4, 2, null], csatAccumulator({ missing: "omit" })).score //=> 66.66666666666667
 */
export function csatAccumulator(
  options?: CsatOptions,
): Accumulator<number | null | undefined, RatingState, CsatResult> {
  const o = resolve("csatAccumulator", options);
  return {
    init: () => emptyRatingState(o.scale),
    add: (s, x, i) => addRating(o.fn, s, x, i, o.omit),
    merge: (a, b) => mergeRatingStates(o.fn, a, b),
    result: (s) => result(s, o),
  };
}

/**
 * CSAT = 100·(answers ≥ satisfied.min)/answered, on an integer scale (default 1–5, satisfied = top
 * two boxes 4–5). The interval is a binomial proportion interval of the satisfied share
 * (`ci`: `wilson` default, `agrestiCoull`, `clopperPearson`, `jeffreys`, `wald`, as statsmodels'
 * `proportion_confint`), reported in percent like the score. `mean` is the mean rating with a
 * Student-t interval (sd with n − 1).
 *
 * Which interval: Wilson is the default (good coverage at every n, never outside [0, 100]);
 * Clopper–Pearson when a guaranteed (conservative) coverage is required; Jeffreys for a Bayesian
 * reading; plain Wald only for large n with shares away from 0 and 100.
 *
 * Edge cases: empty input (or all missing under `missing: "omit"`) → `n: 0`, `score: null`,
 * `ci: null`; n < 30 adds a `small_sample` warning.
 *
 * @see ACSI methodology; Brown, Cai & DasGupta (2001), "Interval Estimation for a Binomial
 *   Proportion", Statistical Science 16(2):101–133.
 * @throws {InvalidInputError} naming the index: `out_of_range` (6 on 1–5), `not_an_integer`,
 *   `non_finite_value`, `invalid_type`, `missing_value`; `invalid_option` for bad options.
 * @example
 * csat([5, 4, 4, 3, 1]).score //=> 60
 * const rows = [{ csat: 5 }, { csat: null }, { csat: 2 }];
 * csat(rows, (r) => r.csat, { missing: "omit", ci: "clopperPearson" }).excluded //=> { missing: 1 }
 */
export function csat(
  scores: ArrayLike<number | null | undefined> | Iterable<number | null | undefined>,
  options?: CsatOptions,
): CsatResult;
export function csat<T>(
  rows: Iterable<T> | ArrayLike<T>,
  accessor: Accessor<T>,
  options?: CsatOptions,
): CsatResult;
export function csat(data: unknown, accessorOrOptions?: unknown, maybeOptions?: unknown): CsatResult {
  const accessor =
    typeof accessorOrOptions === "function" ? (accessorOrOptions as Accessor<unknown, unknown>) : undefined;
  const o = resolve("csat", (accessor ? maybeOptions : accessorOrOptions) as CsatOptions | undefined);
  return result(addRatings(o.fn, emptyRatingState(o.scale), data, accessor, o.omit), o);
}
