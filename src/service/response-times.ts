/**
 * First-response and resolution times: how long customers wait, as mean, median and quantiles.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { invalidOption } from "../core/errors.js";
import type { Warning } from "../core/values.js";
import type { Ticket } from "../schemas/ticket.js";
import { type TimeUnit, UNIT_MS, checkUnit } from "./duration.js";
import { type GroupedFunction, type GroupingOptions, runGrouped, ticketKeyFunction } from "./grouping.js";
import {
  type QuantileMethod,
  checkProbabilities,
  checkQuantileMethod,
  quantilesInPlace,
} from "./quantile.js";
import {
  DEFAULT_COMPRESSION,
  type TDigestState,
  tdigestAdd,
  tdigestClone,
  tdigestInit,
  tdigestMerge,
  tdigestQuantile,
  tdigestRankErrorBound,
} from "./tdigest.js";
import {
  type InvalidTicket,
  type TicketInput,
  invalidTicket,
  mergeInvalid,
  readTickets,
} from "./ticket-validity.js";

/** Which wait is measured: created → first response, or created → (first) resolution. */
export type ResponseMeasure = "firstResponse" | "resolution";

/** Options of {@link responseTimesAccumulator}. */
export interface ResponseTimesAccumulatorOptions {
  /** `"firstResponse"` (default): firstResponseAt − createdAt. `"resolution"`: resolvedAt − createdAt. */
  measure?: ResponseMeasure | undefined;
  /** Unit of every reported time (default `"hours"`). */
  unit?: TimeUnit | undefined;
  /** Probabilities of the reported quantiles (default `[0.5, 0.9]`). The median is always reported. */
  quantiles?: readonly number[] | undefined;
  /**
   * Hyndman–Fan sample quantile type 1–9 (default 7, numpy's and R's default), computed exactly
   * (all values are kept: O(n) memory). `"tdigest"`: approximate quantiles from a t-digest
   * (O(`compression`) memory, mergeable across partitions; rank error within `errorBound`).
   */
  quantileMethod?: QuantileMethod | "tdigest" | undefined;
  /** t-digest compression δ (default 100); only with `quantileMethod: "tdigest"`. */
  compression?: number | undefined;
}

/** Options for {@link responseTimes}. */
export interface ResponseTimesOptions extends ResponseTimesAccumulatorOptions, GroupingOptions {}

/** Result of {@link responseTimes}. Times are in `unit`. */
export interface ResponseTimesResult {
  measure: ResponseMeasure;
  unit: TimeUnit;
  /** The quantile definition used (`7` = Hyndman–Fan type 7, or `"tdigest"`). */
  quantileMethod: QuantileMethod | "tdigest";
  /** Tickets with a time (valid, answered / resolved). */
  n: number;
  /** Arithmetic mean (compensated sum of exact millisecond differences); `null` when n = 0. */
  mean: number | null;
  /** Median (quantile 0.5 by `quantileMethod`); `null` when n = 0. */
  median: number | null;
  /** Quantile per requested probability, keyed by `String(p)` (`quantiles[0.9]`, `quantiles["0.9"]`). */
  quantiles: Record<string, number | null>;
  /** Shortest time (exact, also with t-digest); `null` when n = 0. */
  min: number | null;
  /** Longest time (exact); `null` when n = 0. */
  max: number | null;
  /** Valid tickets without the end instant (never answered, or still open for `"resolution"`); not in n. */
  unanswered: number;
  /** Left out, by reason. */
  excluded: { invalid: number; unanswered: number };
  /** Every invalid ticket (id, index, reasons). */
  invalid: InvalidTicket[];
  /**
   * With `"tdigest"`: the documented rank-error bound at each requested probability (see
   * `tdigestRankErrorBound`); `null` for exact methods.
   */
  rankErrorBound: Record<string, number> | null;
  /** Why `mean` and the quantiles are `null`, else `null`. */
  nullReason: string | null;
  warnings: Warning[];
}

/** State of {@link responseTimesAccumulator} (plain JSON; times in milliseconds). */
export interface ResponseTimesState {
  /** Every time (exact methods), else `null`. */
  values: number[] | null;
  /** The digest (`"tdigest"`), else `null`. */
  digest: TDigestState | null;
  n: number;
  /** Neumaier sum of the times and its compensation. */
  sum: number;
  compensation: number;
  min: number;
  max: number;
  unanswered: number;
  invalid: InvalidTicket[];
}

function neumaier(s: ResponseTimesState, x: number): void {
  const t = s.sum + x;
  if (Math.abs(s.sum) >= Math.abs(x)) s.compensation += s.sum - t + x;
  else s.compensation += x - t + s.sum;
  s.sum = t;
}

/**
 * Response or resolution times as an accumulator of tickets: fold, `groupBy`, `byPeriod`, merge
 * partial states (merge = concatenation; with t-digest within its error bound).
 *
 * @example
 * const tickets = parseTickets([
 *   { ticketId: "T1", issueId: "I1", channel: "chat", priority: "high", createdAt: "2026-03-02T10:00:00Z",
 *     firstResponseAt: "2026-03-02T10:05:00Z", resolvedAt: "2026-03-02T11:00:00Z" },
 *   { ticketId: "T2", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-02T09:00:00Z",
 *     firstResponseAt: "2026-03-02T15:00:00Z", resolvedAt: "2026-03-03T09:00:00Z" },
 *   { ticketId: "T3", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-04T09:00:00Z",
 *     firstResponseAt: "2026-03-04T10:00:00Z", resolvedAt: "2026-03-04T12:00:00Z" },
 *   { ticketId: "T4", issueId: "I3", channel: "chat", priority: "urgent", createdAt: "2026-03-05T12:00:00Z" },
 * ]);
 * const chat = groupBy(tickets, (t) => t.channel, responseTimesAccumulator({ unit: "minutes" })).get("chat");
 * [chat?.median, chat?.unanswered] //=> [5, 1]
 */
export function responseTimesAccumulator(
  options?: ResponseTimesAccumulatorOptions,
): Accumulator<Ticket, ResponseTimesState, ResponseTimesResult> {
  return responseTimesParts(options).accumulator;
}

/**
 * The parts of {@link responseTimesAccumulator}: the accumulator, the probabilities whose quantiles
 * its result reads (the median first when it was not requested), the quantile method, and `finish`,
 * which builds the result from a state and those quantiles (in ms) — for callers that computed the
 * quantiles elsewhere (the SQL pushdown). Internal.
 */
export function responseTimesParts(options?: ResponseTimesAccumulatorOptions): {
  accumulator: Accumulator<Ticket, ResponseTimesState, ResponseTimesResult>;
  probabilities: readonly number[];
  method: QuantileMethod | "tdigest";
  finish(s: ResponseTimesState, quantilesMs: readonly (number | null)[]): ResponseTimesResult;
} {
  const fn = "responseTimes";
  const measure = options?.measure ?? "firstResponse";
  if (measure !== "firstResponse" && measure !== "resolution")
    invalidOption(fn, "measure", `"firstResponse" or "resolution"`, measure);
  const unit = checkUnit(fn, options?.unit ?? "hours");
  const ps = checkProbabilities(fn, [...(options?.quantiles ?? [0.5, 0.9])]);
  const method = options?.quantileMethod ?? 7;
  const approx = method === "tdigest";
  if (!approx) checkQuantileMethod(fn, method);
  const compression = options?.compression ?? DEFAULT_COMPRESSION;
  if (approx)
    tdigestInit(compression); // validates
  else if (options?.compression !== undefined)
    invalidOption(
      fn,
      "compression",
      `no compression unless quantileMethod is "tdigest"`,
      options.compression,
    );
  const unitMs = UNIT_MS[unit];
  const end = measure === "firstResponse" ? (t: Ticket) => t.firstResponseAt : (t: Ticket) => t.resolvedAt;
  const allPs = ps.includes(0.5) ? ps : [0.5, ...ps];
  const finish = (s: ResponseTimesState, qs: readonly (number | null)[]): ResponseTimesResult => {
    const n = s.n;
    const toUnit = (v: number | null) => (v === null ? null : v / unitMs);
    const quantiles: Record<string, number | null> = {};
    ps.forEach((p) => {
      quantiles[String(p)] = toUnit(qs[allPs.indexOf(p)]!);
    });
    let rankErrorBound: Record<string, number> | null = null;
    if (approx) {
      rankErrorBound = {};
      for (const p of ps)
        rankErrorBound[String(p)] = tdigestRankErrorBound(p, s.digest!.compression, Math.max(n, 1));
    }
    const warnings: Warning[] = [];
    if (approx && n > 0)
      warnings.push({
        code: "approximate",
        message: "quantiles are t-digest estimates (see rankErrorBound); mean, min and max are exact",
      });
    return {
      measure,
      unit,
      quantileMethod: method,
      n,
      mean: n === 0 ? null : (s.sum + s.compensation) / n / unitMs,
      median: toUnit(qs[allPs.indexOf(0.5)]!),
      quantiles,
      min: n === 0 ? null : s.min / unitMs,
      max: n === 0 ? null : s.max / unitMs,
      unanswered: s.unanswered,
      excluded: { invalid: s.invalid.length, unanswered: s.unanswered },
      invalid: s.invalid.slice(),
      rankErrorBound,
      nullReason:
        n === 0
          ? `no valid ticket with ${measure === "firstResponse" ? "a first response" : "a resolution"}`
          : null,
      warnings,
    };
  };
  const accumulator: Accumulator<Ticket, ResponseTimesState, ResponseTimesResult> = {
    init: () => ({
      values: approx ? null : [],
      digest: approx ? tdigestInit(compression) : null,
      n: 0,
      sum: 0,
      compensation: 0,
      min: Number.POSITIVE_INFINITY,
      max: Number.NEGATIVE_INFINITY,
      unanswered: 0,
      invalid: [],
    }),
    add: (s, t, index) => {
      const bad = invalidTicket(t, index);
      if (bad) {
        s.invalid.push(bad);
        return s;
      }
      const e = end(t);
      if (e === null) {
        s.unanswered++;
        return s;
      }
      const ms = e.getTime() - t.createdAt.getTime();
      s.n++;
      neumaier(s, ms);
      if (ms < s.min) s.min = ms;
      if (ms > s.max) s.max = ms;
      if (s.values) s.values.push(ms);
      else tdigestAdd(s.digest!, ms);
      return s;
    },
    merge: (a, b) => {
      a.n += b.n;
      neumaier(a, b.sum);
      neumaier(a, b.compensation);
      if (b.min < a.min) a.min = b.min;
      if (b.max > a.max) a.max = b.max;
      a.unanswered += b.unanswered;
      a.invalid = mergeInvalid(a.invalid, b.invalid);
      if (a.values && b.values) for (const v of b.values) a.values.push(v);
      else if (a.digest && b.digest) tdigestMerge(a.digest, b.digest);
      else invalidOption(fn, "quantileMethod", "states built with the same quantileMethod", "a mixed merge");
      return a;
    },
    result: (s) => {
      let qs: (number | null)[];
      if (s.n === 0) qs = allPs.map(() => null);
      else if (s.values) qs = quantilesInPlace(Float64Array.from(s.values), allPs, method as QuantileMethod);
      else {
        const d = tdigestClone(s.digest!);
        qs = allPs.map((p) => tdigestQuantile(d, p));
      }
      return finish(s, qs);
    },
  };
  return { accumulator, probabilities: allPs, method, finish };
}

/**
 * Response times (created → first response) or resolution times (created → first resolution):
 * n, mean, median and quantiles, in `unit` (default hours).
 *
 * Time = end − createdAt in elapsed wall-clock time (no business-hours calendar), from exact
 * millisecond differences. Tickets without the end instant are not in n (counted in `unanswered`;
 * no censoring correction: for open tickets' resolution times use a survival curve). Invalid tickets
 * are listed in `invalid` and left out.
 *
 * Quantiles are Hyndman–Fan type 7 by default (h = (n − 1)p, linear between order statistics;
 * numpy's and R's default); `quantileMethod` picks any of types 1–9. Exact quantiles need all values
 * in memory; `quantileMethod: "tdigest"` gives approximate, mergeable quantiles in O(δ) memory
 * with the documented rank-error bound in `rankErrorBound`.
 *
 * @see R. J. Hyndman & Y. Fan (1996), "Sample quantiles in statistical packages", The American Statistician 50(4).
 * @throws {InvalidInputError} `invalid_option` (measure, unit, quantiles, quantileMethod, compression, by, period).
 * @example
 * const tickets = parseTickets([
 *   { ticketId: "T1", issueId: "I1", channel: "chat", priority: "high", createdAt: "2026-03-02T10:00:00Z",
 *     firstResponseAt: "2026-03-02T10:05:00Z", resolvedAt: "2026-03-02T11:00:00Z" },
 *   { ticketId: "T2", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-02T09:00:00Z",
 *     firstResponseAt: "2026-03-02T15:00:00Z", resolvedAt: "2026-03-03T09:00:00Z" },
 *   { ticketId: "T3", issueId: "I2", channel: "email", priority: "normal", createdAt: "2026-03-04T09:00:00Z",
 *     firstResponseAt: "2026-03-04T10:00:00Z", resolvedAt: "2026-03-04T12:00:00Z" },
 *   { ticketId: "T4", issueId: "I3", channel: "chat", priority: "urgent", createdAt: "2026-03-05T12:00:00Z" },
 * ]);
 * const rt = responseTimes(tickets, { measure: "firstResponse", unit: "hours", quantiles: [0.5, 0.9] });
 * // answered after 1/12, 6 and 1 hours; T4 unanswered
 * [rt.n, rt.mean, rt.median, rt.unanswered] //=> [3, 2.361111111111111, 1, 1]
 * rt.quantiles //=> { "0.5": 1, "0.9": 5 }
 */
export const responseTimes = function responseTimes(
  tickets: readonly TicketInput[],
  options?: ResponseTimesOptions,
): unknown {
  const fn = "responseTimes";
  const opts: ResponseTimesOptions = options ?? {};
  const acc = responseTimesAccumulator(opts);
  const list = readTickets(fn, tickets);
  const keyFn = opts.by === undefined ? () => null : ticketKeyFunction(fn, opts.by);
  return runGrouped(fn, list, acc, opts, keyFn, (t) => t.createdAt);
} as GroupedFunction<
  Ticket,
  "channel" | "priority",
  Omit<ResponseTimesOptions, "by" | "period">,
  ResponseTimesResult
>;
