/**
 * Net Promoter Score: the share of promoters (9–10) minus the share of detractors (0–6) on the
 * 0–10 "how likely are you to recommend us" question, in points from −100 to 100.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { formatValue, invalidOption } from "../core/errors.js";
import type { ConfidenceInterval } from "../core/interval.js";
import { normalQuantile } from "../core/distributions.js";
import { seededRandom } from "../core/random.js";
import {
  type Accessor,
  type Excluded,
  type MissingOptions,
  type Warning,
  checkLevel,
  smallSampleWarning,
  throwBadValue,
} from "../core/values.js";

/**
 * Interval methods for NPS:
 * - `"wald"`: score ∓ z·SE with SE from the trinomial variance (Rocks 2016, eq. 2); fine for n ≥ 30
 *   and shares away from 0/1;
 * - `"adjustedWald"`: Rocks (2016) adjusted Wald — add 3 pseudo-responses (¾ detractor, 1½ passive,
 *   ¾ promoter) and apply Wald to the adjusted counts, centred on the adjusted score; better coverage
 *   for small n and extreme shares;
 * - `"bootstrap"`: percentile bootstrap of the score, seeded and reproducible.
 */
export type NpsCiMethod = "wald" | "adjustedWald" | "bootstrap";

/** Options of {@link nps} and {@link npsAccumulator}. */
export interface NpsOptions extends MissingOptions {
  /** Interval method; default `"wald"`. */
  ci?: NpsCiMethod;
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
  /** Bootstrap seed (any finite number); default 1. The same seed gives the same interval everywhere. */
  seed?: number;
  /** Bootstrap resamples (integer ≥ 100); default 2000. */
  resamples?: number;
}

/** Mergeable NPS state: counts per category and of omitted missing values. Plain JSON. */
export interface NpsState {
  promoters: number;
  passives: number;
  detractors: number;
  missing: number;
}

/** Shares of each category, 0–1. */
export interface NpsShares {
  promoters: number;
  passives: number;
  detractors: number;
}

/** The adjusted counts and score of the Rocks (2016) adjusted Wald interval. */
export interface NpsAdjusted {
  /** n + 3. */
  n: number;
  /** promoters + ¾. */
  promoters: number;
  /** passives + 1½. */
  passives: number;
  /** detractors + ¾. */
  detractors: number;
  /** Adjusted score in points (the interval's centre). */
  score: number;
  /** Adjusted per-response variance (proportion units). */
  variance: number;
  /** Adjusted standard error in points. */
  standardError: number;
}

/** Result of {@link nps}. Scores, standard errors and interval bounds are in points (−100…100). */
export interface NpsResult {
  /** NPS in points, `null` when n = 0. */
  score: number | null;
  /** Number of scores counted (missing values excluded). */
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** Category shares 0–1; `null` when n = 0. */
  shares: NpsShares | null;
  /** Per-response variance p + d − (p − d)² in proportion units; `null` when n = 0. */
  variance: number | null;
  /** Standard error of the score, 100·√(variance/n) points; `null` when n = 0. */
  standardError: number | null;
  /** Confidence interval (points, not clipped); `null` when n = 0. */
  ci: ConfidenceInterval | null;
  /** Adjusted counts when `ci: "adjustedWald"`, else `null`. */
  adjusted: NpsAdjusted | null;
  excluded: Excluded;
  warnings: Warning[];
}

interface Resolved {
  fn: string;
  ci: NpsCiMethod;
  level: number;
  omit: boolean;
  seed: number;
  resamples: number;
}

const CI_METHODS: ReadonlySet<string> = new Set(["wald", "adjustedWald", "bootstrap"]);
const EXPECTED = "an integer from 0 to 10";

/** Validate and default the options (internal; shared with eNPS and npsDifference).
 * @internal
 */
export function resolveNpsOptions(fn: string, options: NpsOptions | undefined): Resolved {
  const ci = options?.ci ?? "wald";
  if (typeof ci !== "string" || !CI_METHODS.has(ci))
    invalidOption(fn, "ci", '"wald", "adjustedWald" or "bootstrap"', ci);
  const level = checkLevel(fn, options?.level ?? 0.95);
  const missing = options?.missing ?? "throw";
  if (missing !== "throw" && missing !== "omit") invalidOption(fn, "missing", '"throw" or "omit"', missing);
  const seed = options?.seed ?? 1;
  if (typeof seed !== "number" || !Number.isFinite(seed)) invalidOption(fn, "seed", "a finite number", seed);
  const resamples = options?.resamples ?? 2000;
  if (typeof resamples !== "number" || !Number.isInteger(resamples) || resamples < 100 || resamples > 1e7) {
    invalidOption(fn, "resamples", "an integer from 100 to 10000000", resamples);
  }
  return { fn, ci, level, omit: missing === "omit", seed, resamples };
}

/** z = Φ⁻¹(1 − α/2) for a two-sided interval at `level`.
 * @internal
 */
export function zFor(level: number): number {
  return normalQuantile(1 - (1 - level) / 2);
}

/** An empty NPS state.
 * @internal
 */
export function emptyNpsState(): NpsState {
  return { promoters: 0, passives: 0, detractors: 0, missing: 0 };
}

function addOne(s: NpsState, x: unknown, index: number, o: Resolved): NpsState {
  if (typeof x === "number" && x >= 0 && x <= 10 && Number.isInteger(x)) {
    if (x >= 9) s.promoters++;
    else if (x >= 7) s.passives++;
    else s.detractors++;
  } else if ((x === null || x === undefined) && o.omit) s.missing++;
  else throwBadValue(o.fn, index, x, EXPECTED);
  return s;
}

function mergeNps(a: NpsState, b: NpsState): NpsState {
  a.promoters += b.promoters;
  a.passives += b.passives;
  a.detractors += b.detractors;
  a.missing += b.missing;
  return a;
}

/** Trinomial variance p + d − (p − d)², clamped at 0 against rounding. */
function trinomialVariance(p: number, d: number): number {
  return Math.max(0, p + d - (p - d) * (p - d));
}

/** Percentile bootstrap of the score (type-7 quantiles of the resampled scores). */
function bootstrapInterval(s: NpsState, n: number, o: Resolved): ConfidenceInterval {
  const rnd = seededRandom(o.seed);
  const p = s.promoters / n;
  const pd = (s.promoters + s.detractors) / n;
  const scores = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) {
    let prom = 0;
    let det = 0;
    for (let i = 0; i < n; i++) {
      const u = rnd();
      if (u < p) prom++;
      else if (u < pd) det++;
    }
    scores[r] = (100 * (prom - det)) / n;
  }
  scores.sort();
  const q = (prob: number) => {
    const h = (o.resamples - 1) * prob;
    const lo = Math.floor(h);
    const a = scores[lo]!;
    const b = scores[Math.min(lo + 1, o.resamples - 1)]!;
    return a + (h - lo) * (b - a);
  };
  const alpha = 1 - o.level;
  return { lower: q(alpha / 2), upper: q(1 - alpha / 2), level: o.level, method: "bootstrap" };
}

/** Result for a state (internal; shared with eNPS).
 * @internal
 */
export function npsResultFromState(s: NpsState, o: Resolved): NpsResult {
  const { promoters, passives, detractors } = s;
  const n = promoters + passives + detractors;
  const excluded = { missing: s.missing };
  if (n === 0) {
    return {
      score: null,
      n: 0,
      promoters,
      passives,
      detractors,
      shares: null,
      variance: null,
      standardError: null,
      ci: null,
      adjusted: null,
      excluded,
      warnings: [],
    };
  }
  const p = promoters / n;
  const d = detractors / n;
  const score = (100 * (promoters - detractors)) / n;
  const variance = trinomialVariance(p, d);
  const standardError = 100 * Math.sqrt(variance / n);
  const warnings = smallSampleWarning(n);
  let ci: ConfidenceInterval;
  let adjusted: NpsAdjusted | null = null;
  if (o.ci === "adjustedWald") {
    const na = n + 3;
    const pa = (promoters + 0.75) / na;
    const da = (detractors + 0.75) / na;
    const va = trinomialVariance(pa, da);
    const sa = 100 * (pa - da);
    const sea = 100 * Math.sqrt(va / na);
    const h = zFor(o.level) * sea;
    adjusted = {
      n: na,
      promoters: promoters + 0.75,
      passives: passives + 1.5,
      detractors: detractors + 0.75,
      score: sa,
      variance: va,
      standardError: sea,
    };
    ci = { lower: sa - h, upper: sa + h, level: o.level, method: "adjustedWald" };
  } else if (o.ci === "bootstrap") {
    ci = bootstrapInterval(s, n, o);
  } else {
    const h = zFor(o.level) * standardError;
    ci = { lower: score - h, upper: score + h, level: o.level, method: "wald" };
    if (variance === 0) {
      warnings.push({
        code: "zero_variance",
        message: `all ${n} responses are in one category; the Wald interval is degenerate (use ci: "adjustedWald")`,
      });
    }
  }
  return {
    score,
    n,
    promoters,
    passives,
    detractors,
    shares: { promoters: p, passives: passives / n, detractors: d },
    variance,
    standardError,
    ci,
    adjusted,
    excluded,
    warnings,
  };
}

/** Build the accumulator for a resolved option set (internal; shared with eNPS).
 * @internal
 */
export function makeNpsAccumulator(o: Resolved): Accumulator<number | null | undefined, NpsState, NpsResult> {
  return {
    init: emptyNpsState,
    add: (s, x, i) => addOne(s, x, i, o),
    merge: mergeNps,
    result: (s) => npsResultFromState(s, o),
  };
}

/**
 * The NPS accumulator: counts promoters, passives and detractors; merges by adding counts (exact).
 * The options set how missing values are treated and which interval the result carries.
 *
 * @throws {InvalidInputError} from `add`: a value that is not an integer 0–10 (`out_of_range`,
 *   `not_an_integer`, `non_finite_value`, `invalid_type`), or `null`/`undefined` (`missing_value`)
 *   unless `missing: "omit"`; `invalid_option` for bad options.
 * @example
 * const acc = npsAccumulator();
 * const s = acc.merge(foldState([10, 9], acc), foldState([3], acc));
 * acc.result(s).score //=> 33.333333333333336
 */
export function npsAccumulator(
  options?: NpsOptions,
): Accumulator<number | null | undefined, NpsState, NpsResult> {
  return makeNpsAccumulator(resolveNpsOptions("npsAccumulator", options));
}

// ---------------------------------------------------------------------------------------------
// Hot loops
// ---------------------------------------------------------------------------------------------

function badAt(o: Resolved, index: number, value: unknown): never {
  throwBadValue(o.fn, index, value, EXPECTED);
}

/**
 * Uint8Array: four bytes at a time (SWAR). Per 32-bit word w of bytes b ≤ 10:
 * b + 0x77 has its high bit set iff b ≥ 9 (promoter), b + 0x79 has it clear iff b ≤ 6 (detractor),
 * b + 0x75 has it set iff b ≥ 11 (invalid; bytes ≥ 128 are caught by w's own high bit). No byte
 * carries into the next while every byte is ≤ 10; blocks with an invalid byte are rescanned
 * byte by byte to name its index. Lane counters are flushed every 255 words.
 */
function countUint8(a: Uint8Array, s: NpsState, o: Resolved): void {
  const n = a.length;
  let prom = 0;
  let det = 0;
  let i = 0;
  const scalar = (k: number) => {
    const x = a[k]!;
    if (x > 10) badAt(o, k, x);
    if (x >= 9) prom++;
    else if (x <= 6) det++;
  };
  while (i < n && ((a.byteOffset + i) & 3) !== 0) scalar(i++);
  const words = (n - i) >>> 2;
  if (words > 0) {
    const w32 = new Int32Array(a.buffer, a.byteOffset + i, words);
    let k = 0;
    while (k < words) {
      const end = Math.min(words, k + 255);
      const start = k;
      let pa = 0;
      let da = 0;
      let bad = 0;
      for (; k < end; k++) {
        const w = w32[k]!;
        bad |= w | ((w + 0x75757575) | 0);
        pa += (((w + 0x77777777) | 0) >>> 7) & 0x01010101;
        da += (~((w + 0x79797979) | 0) >>> 7) & 0x01010101;
      }
      if ((bad & 0x80808080) !== 0) {
        for (let j = i + start * 4; j < i + end * 4; j++) if (a[j]! > 10) badAt(o, j, a[j]);
      }
      prom += (pa & 0xff) + ((pa >>> 8) & 0xff) + ((pa >>> 16) & 0xff) + (pa >>> 24);
      det += (da & 0xff) + ((da >>> 8) & 0xff) + ((da >>> 16) & 0xff) + (da >>> 24);
    }
    i += words * 4;
  }
  while (i < n) scalar(i++);
  s.promoters += prom;
  s.detractors += det;
  s.passives += n - prom - det;
}

/**
 * Numeric typed arrays (Float64Array, Int32Array, …): integer and range check in the same pass,
 * counts by score in a small table (no data-dependent branches besides the never-taken error one).
 */
function countNumeric(a: ArrayLike<number>, s: NpsState, o: Resolved): void {
  const n = a.length;
  const c = new Int32Array(16);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const k = x | 0;
    if (k !== x || k >>> 0 > 10) badAt(o, i, x);
    c[k]!++;
  }
  addTable(s, c);
}

/** Plain arrays (any element type): numbers in the fast branch, everything else checked. */
function countArray(a: ArrayLike<unknown>, s: NpsState, o: Resolved): void {
  const n = a.length;
  const c = new Int32Array(16);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const k = x | 0;
    if (k !== x || k >>> 0 > 10) {
      if ((x === null || x === undefined) && o.omit) {
        missing++;
        continue;
      }
      badAt(o, i, x);
    }
    c[k]!++;
  }
  addTable(s, c);
  s.missing += missing;
}

function addTable(s: NpsState, c: Int32Array): void {
  s.promoters += c[9]! + c[10]!;
  s.passives += c[7]! + c[8]!;
  s.detractors += c[0]! + c[1]! + c[2]! + c[3]! + c[4]! + c[5]! + c[6]!;
}

/** Count a values argument (array, typed array or iterable) or rows with an accessor into `s`.
 * @internal
 */
export function countNpsInto(
  s: NpsState,
  data: ArrayLike<unknown> | Iterable<unknown>,
  accessor: Accessor<unknown, unknown> | undefined,
  o: Resolved,
): NpsState {
  if (accessor === undefined) {
    if (data instanceof Uint8Array) countUint8(data, s, o);
    else if (ArrayBuffer.isView(data) && !(data instanceof DataView) && !isBigIntArray(data))
      countNumeric(data as unknown as ArrayLike<number>, s, o);
    else if (isArrayLike(data)) countArray(data, s, o);
    else if (data !== null && typeof data === "object" && Symbol.iterator in data) {
      let i = 0;
      for (const x of data) addOne(s, x, i++, o);
    } else
      invalidOption(o.fn, "scores", "an array, a typed array or an iterable of scores", formatValue(data));
    return s;
  }
  if (typeof accessor !== "function")
    invalidOption(o.fn, "accessor", "a function (row, index) => score", accessor);
  if (isArrayLike(data)) {
    for (let i = 0; i < data.length; i++) addOne(s, accessor(data[i], i), i, o);
  } else if (data !== null && typeof data === "object" && Symbol.iterator in data) {
    let i = 0;
    for (const row of data) {
      addOne(s, accessor(row, i), i, o);
      i++;
    }
  } else invalidOption(o.fn, "rows", "an array or an iterable of rows", formatValue(data));
  return s;
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as ArrayLike<unknown>).length === "number";
}

function isBigIntArray(x: ArrayBufferView): boolean {
  return x instanceof BigInt64Array || x instanceof BigUint64Array;
}

/** Shared implementation of the overloads (internal; used by eNPS).
 * @internal
 */
export function npsImpl(
  fn: string,
  data: unknown,
  accessorOrOptions: unknown,
  maybeOptions: unknown,
): NpsResult {
  const accessor =
    typeof accessorOrOptions === "function" ? (accessorOrOptions as Accessor<unknown, unknown>) : undefined;
  const options = (accessor ? maybeOptions : accessorOrOptions) as NpsOptions | undefined;
  const o = resolveNpsOptions(fn, options);
  const s = countNpsInto(emptyNpsState(), data as ArrayLike<unknown>, accessor, o);
  return npsResultFromState(s, o);
}

/**
 * Net Promoter Score of 0–10 answers: NPS = 100·(promoters − detractors)/n, promoters score 9–10,
 * passives 7–8, detractors 0–6. Standard error from the trinomial variance
 * Var = p + d − (p − d)² (p, d the promoter and detractor shares): SE = 100·√(Var/n) points.
 *
 * Intervals (`ci`): `"wald"` (default) score ∓ z·SE; `"adjustedWald"` (Rocks 2016: 3 pseudo-responses
 * split ¾ / 1½ / ¾ among detractors / passives / promoters, interval centred on the adjusted score,
 * see `adjusted`); `"bootstrap"` (percentile bootstrap of `resamples` multinomial resamples drawn with
 * `seededRandom(seed)`; cost n × resamples). Bounds are not clipped to [−100, 100].
 *
 * Fast paths: a `Uint8Array` is counted four bytes at a time (SWAR); other typed arrays and plain
 * arrays in one pass with the integer check, counting into an 11-entry table. The input is never copied or mutated.
 *
 * Edge cases: empty input (or all missing under `missing: "omit"`) → `n: 0`, `score: null`,
 * `ci: null`. n < 30 adds a `small_sample` warning; a Wald interval with zero variance (all responses in
 * one category) adds `zero_variance`.
 *
 * @see F. Reichheld (2003), "The One Number You Need to Grow", Harvard Business Review 81(12).
 * @see B. Rocks (2016), "Interval Estimation for the 'Net Promoter Score'", The American Statistician
 *   70(4):365–372 (arXiv:1601.07235).
 * @throws {InvalidInputError} naming the index: `out_of_range` (e.g. 11), `not_an_integer` (8.5),
 *   `non_finite_value` (NaN, ±Infinity), `invalid_type` (a string), `missing_value` (null/undefined
 *   unless `missing: "omit"`); `invalid_option` for bad options.
 * @example
 * nps([10, 9, 8, 3]).score //=> 25
 * const rows = [{ nps: 10 }, { nps: 9 }, { nps: 6 }];
 * nps(rows, (r) => r.nps, { ci: "adjustedWald" }).ci?.method //=> "adjustedWald"
 */
export function nps(
  scores: ArrayLike<number | null | undefined> | Iterable<number | null | undefined>,
  options?: NpsOptions,
): NpsResult;
export function nps<T>(
  rows: Iterable<T> | ArrayLike<T>,
  accessor: Accessor<T>,
  options?: NpsOptions,
): NpsResult;
export function nps(data: unknown, accessorOrOptions?: unknown, maybeOptions?: unknown): NpsResult {
  return npsImpl("nps", data, accessorOrOptions, maybeOptions);
}
