/**
 * Kaplan–Meier product-limit estimate of a survival curve from right-censored durations, with
 * Greenwood standard errors, pointwise confidence intervals (plain, log, log–log) and the median
 * survival time with its Brookmeyer–Crowley interval.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { normalQuantile } from "../core/distributions.js";
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { type Warning, checkLevel, throwBadValue } from "../core/values.js";

/** Pointwise confidence-interval transform for S(t). */
export type KaplanMeierCiKind = "plain" | "log" | "logLog";

/** Rule that picks the median survival time from the step curve. */
export type KaplanMeierMedianRule = "r" | "strict";

/** Options for {@link kaplanMeier}. */
export interface KaplanMeierOptions {
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
  /**
   * Pointwise interval for S(t) (default `"log"`, R `survfit`'s default):
   * - `"plain"`: S ± z·se, clipped to [0, 1];
   * - `"log"`: exp(log S ± z·se/S), upper limit capped at 1;
   * - `"logLog"`: S^exp(± z·(se/S)/log S) (undefined where S = 1).
   */
  ci?: KaplanMeierCiKind;
  /**
   * Median rule (default `"r"`): `"r"` is R survival's quantile rule — the smallest event time with
   * S(t) ≤ 0.5, and when S equals 0.5 (within √ε) on a flat step, the midpoint between that time and
   * the next event time. `"strict"` is the smallest event time with S(t) < 0.5 (SAS, statsmodels).
   */
  median?: KaplanMeierMedianRule;
  /**
   * Curve rows (default `"event"`): one row per distinct event time (statsmodels), or `"all"`: one
   * row per distinct time, censoring-only times included with `events: 0` (R `survfit`, lifelines).
   */
  times?: "event" | "all";
}

/** The survival curve as parallel columns (plain arrays, one entry per row). */
export interface KaplanMeierCurve {
  /** Distinct times (event times, or all times with `times: "all"`), ascending, in the durations' unit. */
  time: number[];
  /** Number at risk just before `time` (durations ≥ time). */
  atRisk: number[];
  /** Events at exactly `time`. */
  events: number[];
  /** Censored durations equal to `time`. */
  censored: number[];
  /** S(time), right-continuous (events at `time` included). */
  survival: number[];
  /** Greenwood standard error of S; `null` once S = 0 (the variance is undefined). */
  se: (number | null)[];
  /** Lower pointwise limit; `null` where undefined (se null, or log–log at S = 1). */
  lower: (number | null)[];
  /** Upper pointwise limit; `null` where undefined. */
  upper: (number | null)[];
}

/** The estimate at one time `t` (see {@link KaplanMeierResult.at}). */
export interface KaplanMeierPoint {
  /** The time asked for. */
  time: number;
  /** S(t): 1 before the first event time. */
  survival: number;
  /** Greenwood se: 0 before the first event, `null` once S = 0. */
  se: number | null;
  /** Pointwise limits of the result's interval kind; `null` before the first event (se = 0) and where undefined. */
  lower: number | null;
  upper: number | null;
  /** Durations ≥ t (only from `at`; `null` from {@link survivalAt}, which sees the curve only). */
  atRisk: number | null;
}

/** Median survival time with its confidence interval. */
export interface KaplanMeierMedian {
  /** The median (see `rule`); `null` when S never reaches 0.5. */
  estimate: number | null;
  /** `"r"` or `"strict"`, see {@link KaplanMeierOptions.median}. */
  rule: KaplanMeierMedianRule;
  /** Lower limit (an event time); `null` when no event time passes the test. */
  lower: number | null;
  /** Upper limit (an event time); `null` when not reached by the data. */
  upper: number | null;
  level: number;
  /** `"brookmeyerCrowley-cloglog"`: inversion of pointwise tests on the complementary log–log scale. */
  method: "brookmeyerCrowley-cloglog";
}

/** Result of {@link kaplanMeier}: plain data, plus the `at` function (its only non-data member). */
export interface KaplanMeierResult {
  /** Number of durations. */
  n: number;
  /** Number of events (uncensored durations). */
  events: number;
  /** Number of censored durations. */
  censored: number;
  /** Confidence level of the pointwise intervals and of the median interval. */
  level: number;
  /** Interval kind of `curve.lower` / `curve.upper`. */
  ci: KaplanMeierCiKind;
  /** The normal quantile used, z = Φ⁻¹(1 − (1 − level)/2). */
  z: number;
  curve: KaplanMeierCurve;
  median: KaplanMeierMedian;
  /** `median_not_reached`, `no_events`, `small_sample`. */
  warnings: Warning[];
  /**
   * S(t) and its interval at any time t ≥ 0 (step function, right-continuous), with the number at
   * risk at t. The only member that is not plain data; {@link survivalAt} does the same from the data.
   */
  at(t: number): KaplanMeierPoint;
}

/** Input of {@link kaplanMeier}: parallel columns. */
export interface SurvivalData {
  /** Durations ≥ 0 (any unit; the curve's times are in the same unit). */
  durations: ArrayLike<number>;
  /** 1 / `true` = the event happened at the duration; 0 / `false` = censored there. */
  events: ArrayLike<number | boolean>;
}

/** Accumulator state of {@link kaplanMeierAccumulator}: the observations (KM needs the whole sample). */
export interface KaplanMeierState {
  durations: number[];
  events: (0 | 1)[];
}

/**
 * Input of {@link kaplanMeierFromCounts}: the sample reduced to one entry per distinct duration
 * (a life table), as parallel columns — what a database returns for
 * `SELECT duration, count(*), count(*) FILTER (WHERE event) … GROUP BY duration`.
 */
export interface KaplanMeierCounts {
  /** Distinct durations, strictly ascending, finite and ≥ 0 (any unit). */
  time: ArrayLike<number>;
  /** Number of durations equal to `time[k]` (events and censored together): an integer ≥ 1. */
  count: ArrayLike<number>;
  /** How many of them are events (the rest are censored there): an integer from 0 to `count[k]`. */
  events: ArrayLike<number>;
}

const FN = "kaplanMeier";
const CI_KINDS: readonly KaplanMeierCiKind[] = ["plain", "log", "logLog"];
const HALF_TOL = Math.sqrt(Number.EPSILON);

/**
 * Pointwise interval for S at one step, or nulls where it is undefined.
 * @internal
 */
function interval(
  kind: KaplanMeierCiKind,
  s: number,
  se: number | null,
  z: number,
): [number | null, number | null] {
  if (se === null || !(s > 0)) return [null, null];
  if (se === 0) return kind === "logLog" ? [null, null] : [s, s];
  if (kind === "plain") return [Math.max(0, s - z * se), Math.min(1, s + z * se)];
  const sig = se / s;
  if (kind === "log") return [Math.exp(Math.log(s) - z * sig), Math.min(1, Math.exp(Math.log(s) + z * sig))];
  if (!(s < 1)) return [null, null];
  const ls = Math.log(s);
  const a = s ** Math.exp((z * sig) / ls);
  const b = s ** Math.exp((-z * sig) / ls);
  return [Math.min(a, b), Math.max(a, b)];
}

function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last entry ≤ x in an ascending array, or -1. */
function lastAtOrBefore(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function readEvent(value: unknown, index: number): 0 | 1 {
  if (value === 1 || value === true) return 1;
  if (value === 0 || value === false) return 0;
  throwBadValue(FN, index, value, "an event indicator: 1 / true (event) or 0 / false (censored)", true, [
    "events",
  ]);
}

function readDuration(value: unknown, index: number): number {
  if (typeof value !== "number" || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
    throwBadValue(FN, index, value, "a finite duration ≥ 0", false, ["durations"]);
  }
  return value;
}

/**
 * Kaplan–Meier estimate of the survival function S(t) = P(T > t) from right-censored durations.
 *
 * S(t) = ∏_{tᵢ ≤ t} (1 − dᵢ/nᵢ) over distinct event times tᵢ with dᵢ events and nᵢ at risk (durations ≥ tᵢ;
 * a duration censored at tᵢ is still at risk at tᵢ). Greenwood: Var S(t) = S(t)² Σ dᵢ/(nᵢ(nᵢ − dᵢ)).
 * Pointwise intervals: see {@link KaplanMeierOptions.ci}. Median: see {@link KaplanMeierOptions.median};
 * its interval is Brookmeyer & Crowley's test inversion on the cloglog scale as in SAS PROC LIFETEST and
 * statsmodels `SurvfuncRight.quantile_ci(0.5, method="cloglog")`: the event times tᵢ with
 * |g(Sᵢ) − g(0.5)| ≤ z·|g′(Sᵢ)|·seᵢ, g(x) = log(−log x); lower = the first such time, upper = the event
 * time after the last such one (`null` when that is the last event time).
 *
 * Values agree with R `survival::survfit(Surv(t, d) ~ 1, conf.type = "plain" | "log" | "log-log", timefix = FALSE)`
 * (R's default `timefix = TRUE` also ties times within ~1.5e-8 relative; here only equal durations tie) and
 * with statsmodels `SurvfuncRight` (product form; statsmodels sums logs, a difference of ~1e-15).
 * Computed in float64 after one sort of the durations (O(n log n)).
 *
 * Edge cases: empty input → `n: 0`, empty curve, median `null`; no events → empty event curve,
 * warning `no_events`; S reaching 0 → se, lower and upper `null` from there on.
 *
 * @see Kaplan & Meier (1958), JASA 53:457–481; Greenwood (1926); Brookmeyer & Crowley (1982), Biometrics 38:29–41.
 * @throws {InvalidInputError} `length_mismatch`, `non_finite_value`, `out_of_range` (negative duration),
 *   `invalid_type`, `missing_value` (with index), `invalid_option`.
 * @example
 * const km = kaplanMeier({ durations: [1, 2, 2, 3, 4], events: [1, 1, 0, 1, 0] });
 * km.curve.survival //=> [0.8, 0.6000000000000001, 0.30000000000000004] (4/5, ·3/4, ·1/2)
 * km.at(2.5).survival //=> 0.6000000000000001
 * km.median.estimate //=> 3
 */
export function kaplanMeier(data: SurvivalData, options?: KaplanMeierOptions): KaplanMeierResult {
  const opts = resolveOptions(options);
  if (data === null || typeof data !== "object" || data.durations == null || data.events == null) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected { durations, events }, found ${formatValue(data)}`,
        },
      ],
      { context: FN, code: "invalid_type" },
    );
  }
  const { durations, events } = data;
  const n = durations.length;
  if (events.length !== n) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["events"],
          code: "length_mismatch",
          message: `events has ${events.length} entries; durations has ${n}`,
        },
      ],
      { context: FN, code: "length_mismatch" },
    );
  }
  const all = new Float64Array(n);
  let nEvents = 0;
  for (let i = 0; i < n; i++) {
    all[i] = readDuration(durations[i], i);
    nEvents += readEvent(events[i], i);
  }
  const ev = new Float64Array(nEvents);
  for (let i = 0, k = 0; i < n; i++) if (events[i] === 1 || events[i] === true) ev[k++] = all[i]!;
  all.sort();
  ev.sort();
  return fromSorted(all, ev, opts);
}

/** Checked options with their defaults. */
interface ResolvedOptions {
  level: number;
  kind: KaplanMeierCiKind;
  rule: KaplanMeierMedianRule;
  timesMode: "event" | "all";
}

function resolveOptions(options: KaplanMeierOptions | undefined): ResolvedOptions {
  const level = checkLevel(FN, options?.level ?? 0.95);
  const kind = options?.ci ?? "log";
  if (!CI_KINDS.includes(kind)) invalidOption(FN, "ci", `one of ${CI_KINDS.join(", ")}`, kind);
  const rule = options?.median ?? "r";
  if (rule !== "r" && rule !== "strict") invalidOption(FN, "median", '"r" or "strict"', rule);
  const timesMode = options?.times ?? "event";
  if (timesMode !== "event" && timesMode !== "all") invalidOption(FN, "times", '"event" or "all"', timesMode);
  return { level, kind, rule, timesMode };
}

/**
 * Reduce sorted durations and sorted event durations to one entry per distinct duration (the first
 * value of each run of equal durations is the entry's time, so a −0 among zeros stays −0). @internal
 */
function fromSorted(all: Float64Array, ev: Float64Array, opts: ResolvedOptions): KaplanMeierResult {
  const n = all.length;
  const m = ev.length;
  const time = new Float64Array(n);
  const count = new Float64Array(n);
  const events = new Float64Array(n);
  let K = 0;
  let i = 0;
  let j = 0;
  while (i < n) {
    const u = all[i]!;
    let c = 0;
    while (i < n && all[i] === u) {
      i++;
      c++;
    }
    let d = 0;
    while (j < m && ev[j] === u) {
      j++;
      d++;
    }
    time[K] = u;
    count[K] = c;
    events[K++] = d;
  }
  // `at` keeps the times: a copy of K entries, not the n-entry buffer
  return fromCounts(time.slice(0, K), count, events.subarray(0, K), n, m, opts);
}

/**
 * Kaplan–Meier estimate from a sample already reduced to distinct durations with their counts (a
 * life table): the same result as {@link kaplanMeier} on the durations the counts describe, float
 * for float (both run the same code). This is how `kaplanMeierSql` (`cxmetrics/sql`) finalises the
 * per-duration counts a database returns, and it serves data that arrive as a life table.
 *
 * Definitions, options and edge cases: see {@link kaplanMeier}. n = Σ count, events = Σ events.
 *
 * @throws {InvalidInputError} `invalid_type` (not `{ time, count, events }`), `length_mismatch`,
 *   `missing_value`, `non_finite_value`, `out_of_range` (a negative or not strictly ascending time,
 *   a count < 1, events outside 0 … count), `not_an_integer` (counts; with the index `k`),
 *   `invalid_option`.
 * @example
 * // durations [1, 2, 2, 3, 4] with events [1, 1, 0, 1, 0], as a life table
 * const km = kaplanMeierFromCounts({ time: [1, 2, 3, 4], count: [1, 2, 1, 1], events: [1, 1, 1, 0] });
 * km.curve.survival //=> [0.8, 0.6000000000000001, 0.30000000000000004]
 * km.at(2).atRisk //=> 4
 * km.n //=> 5
 */
export function kaplanMeierFromCounts(
  counts: KaplanMeierCounts,
  options?: KaplanMeierOptions,
): KaplanMeierResult {
  const opts = resolveOptions(options);
  const fn = "kaplanMeierFromCounts";
  const fail = (index: number | null, path: string, code: string, message: string): never => {
    throw new InvalidInputError([{ index, path: path === "" ? [] : [path], code, message }], {
      context: fn,
      code: code as "invalid_type",
    });
  };
  if (
    counts === null ||
    typeof counts !== "object" ||
    counts.time == null ||
    counts.count == null ||
    counts.events == null
  )
    fail(null, "", "invalid_type", `expected { time, count, events }, found ${formatValue(counts)}`);
  const { time, count, events } = counts;
  const K = time.length;
  for (const [name, col] of [
    ["count", count],
    ["events", events],
  ] as const) {
    if (col.length !== K)
      fail(null, name, "length_mismatch", `${name} has ${col.length} entries; time has ${K}`);
  }
  let n = 0;
  let m = 0;
  for (let k = 0; k < K; k++) {
    const t = time[k];
    if (typeof t !== "number" || !(t >= 0) || t === Number.POSITIVE_INFINITY)
      throwBadValue(fn, k, t, "a finite duration ≥ 0", false, ["time"]);
    if (k > 0 && !(t > time[k - 1]!))
      fail(
        k,
        "time",
        "out_of_range",
        `time is ${formatValue(t)} after ${formatValue(time[k - 1])}; expected distinct times in ascending order`,
      );
    const c = count[k];
    if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 1)
      throwBadValue(fn, k, c, "a count: an integer ≥ 1", true, ["count"]);
    const d = events[k];
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0 || d > c)
      throwBadValue(fn, k, d, `an event count: an integer from 0 to count (${c})`, true, ["events"]);
    n += c;
    m += d;
  }
  if (!Number.isSafeInteger(n))
    fail(null, "count", "out_of_range", `the counts sum to ${n}; expected a safe integer`);
  // copies: `at` keeps the times, and the caller may reuse its arrays
  return fromCounts(Float64Array.from(time), Float64Array.from(count), Float64Array.from(events), n, m, opts);
}

/**
 * The one implementation of the curve: distinct times ascending with their counts (n = Σ count,
 * m = Σ events). @internal
 */
function fromCounts(
  time: ArrayLike<number>,
  count: ArrayLike<number>,
  events: ArrayLike<number>,
  n: number,
  m: number,
  opts: ResolvedOptions,
): KaplanMeierResult {
  const { level, kind, rule, timesMode } = opts;
  const K = time.length;
  const z = normalQuantile(1 - (1 - level) / 2);
  const curve: KaplanMeierCurve = {
    time: [],
    atRisk: [],
    events: [],
    censored: [],
    survival: [],
    se: [],
    lower: [],
    upper: [],
  };
  // Event-time columns (always kept, for `at` and the median).
  const eTime: number[] = [];
  const eSurv: number[] = [];
  const eSe: (number | null)[] = [];
  // before[k] = durations < time[k]; the number at risk at time[k] is n − before[k].
  const before = new Float64Array(K + 1);
  let s = 1;
  let g = 0;
  for (let k = 0; k < K; k++) {
    const u = time[k]!;
    const c = count[k]!;
    const d = events[k]!;
    const risk = n - before[k]!;
    before[k + 1] = before[k]! + c;
    if (d > 0) {
      s *= 1 - d / risk;
      g = risk > d ? g + d / (risk * (risk - d)) : Number.NaN;
      const se = Number.isNaN(g) || !(s > 0) ? null : s * Math.sqrt(g);
      eTime.push(u);
      eSurv.push(s);
      eSe.push(se);
    }
    if (d > 0 || timesMode === "all") {
      const se = eSe.length > 0 ? eSe[eSe.length - 1]! : 0;
      const [lo, hi] = eSe.length > 0 ? interval(kind, s, se, z) : [null, null];
      curve.time.push(u);
      curve.atRisk.push(risk);
      curve.events.push(d);
      curve.censored.push(c - d);
      curve.survival.push(s);
      curve.se.push(se);
      curve.lower.push(lo);
      curve.upper.push(hi);
    }
  }

  const warnings: Warning[] = [];
  if (n > 0 && m === 0)
    warnings.push({
      code: "no_events",
      message: "no events: S(t) = 1 throughout and the median is not reached",
    });
  const median = medianOf(eTime, eSurv, eSe, z, level, rule);
  if (m > 0 && median.estimate === null) {
    warnings.push({
      code: "median_not_reached",
      message: `S(t) stays above 0.5 (last value ${eSurv[eSurv.length - 1]}); the median is not estimable`,
    });
  }

  const at = (t: number): KaplanMeierPoint => {
    if (typeof t !== "number" || Number.isNaN(t)) invalidOption(FN, "at(t)", "a number", t);
    const k = lastAtOrBefore(eTime, t);
    const atRisk = n - before[lowerBound(time, t)]!;
    if (k < 0) return { time: t, survival: 1, se: 0, lower: null, upper: null, atRisk };
    const sk = eSurv[k]!;
    const se = eSe[k]!;
    const [lo, hi] = interval(kind, sk, se, z);
    return { time: t, survival: sk, se, lower: lo, upper: hi, atRisk };
  };

  return { n, events: m, censored: n - m, level, ci: kind, z, curve, median, warnings, at };
}

function medianOf(
  time: number[],
  surv: number[],
  se: (number | null)[],
  z: number,
  level: number,
  rule: KaplanMeierMedianRule,
): KaplanMeierMedian {
  let estimate: number | null = null;
  for (let k = 0; k < time.length; k++) {
    const sk = surv[k]!;
    if (rule === "r" && Math.abs(sk - 0.5) <= HALF_TOL) {
      estimate = k + 1 < time.length ? (time[k]! + time[k + 1]!) / 2 : time[k]!;
      break;
    }
    if (sk < 0.5) {
      estimate = time[k]!;
      break;
    }
  }
  // Brookmeyer–Crowley on the cloglog scale (statsmodels quantile_ci, SAS LIFETEST).
  const g0 = Math.log(-Math.log(0.5));
  let first = -1;
  let last = -1;
  for (let k = 0; k < time.length; k++) {
    const sk = surv[k]!;
    const sek = se[k];
    if (sek === null || sek === undefined) continue;
    const gp = -1 / (sk * Math.log(sk));
    const r = (Math.log(-Math.log(sk)) - g0) / (gp * sek);
    if (Math.abs(r) <= z) {
      if (first < 0) first = k;
      last = k;
    }
  }
  const lower = first < 0 ? null : time[first]!;
  const upper = last < 0 || last === time.length - 1 ? null : time[last + 1]!;
  return { estimate, rule, lower, upper, level, method: "brookmeyerCrowley-cloglog" };
}

/**
 * S(t) and its interval at time t, read from a {@link KaplanMeierResult}'s plain data (for example
 * after a JSON round trip, which drops `at`). `atRisk` is `null` because the curve alone does not
 * hold censoring between its rows.
 *
 * @example
 * survivalAt(kaplanMeier({ durations: [1, 2, 3], events: [1, 1, 1] }), 1.5).survival //=> 0.6666…
 */
export function survivalAt(
  result: Pick<KaplanMeierResult, "curve" | "ci" | "z">,
  t: number,
): KaplanMeierPoint {
  if (typeof t !== "number" || Number.isNaN(t)) invalidOption("survivalAt", "t", "a number", t);
  const { curve } = result;
  // With times: "all" the curve has censoring-only rows; S is flat there, so the last row ≤ t is right.
  const k = lastAtOrBefore(curve.time, t);
  // Rows before the first event (times: "all") have S = 1 exactly; after an event S < 1.
  if (k < 0 || curve.survival[k] === 1)
    return { time: t, survival: 1, se: 0, lower: null, upper: null, atRisk: null };
  const s = curve.survival[k]!;
  const se = curve.se[k] ?? null;
  const [lo, hi] = interval(result.ci, s, se, result.z);
  return { time: t, survival: s, se, lower: lo, upper: hi, atRisk: null };
}

/**
 * Accumulator form: the state collects the observations (Kaplan–Meier needs the whole sample, so
 * the state grows with n; merge = concatenation). `result` runs {@link kaplanMeier}.
 *
 * @example
 * fold([{ duration: 3, event: true }], kaplanMeierAccumulator()).n //=> 1
 */
export function kaplanMeierAccumulator(
  options?: KaplanMeierOptions,
): Accumulator<{ duration: number; event: number | boolean }, KaplanMeierState, KaplanMeierResult> {
  return {
    init: () => ({ durations: [], events: [] }),
    add: (st, x, index) => {
      st.durations.push(readDuration(x?.duration, index));
      st.events.push(readEvent(x?.event, index));
      return st;
    },
    merge: (a, b) => {
      for (let k = 0; k < b.durations.length; k++) {
        a.durations.push(b.durations[k]!);
        a.events.push(b.events[k]!);
      }
      return a;
    },
    result: (st) => kaplanMeier(st, options),
  };
}
