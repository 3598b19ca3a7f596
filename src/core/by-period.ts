/**
 * Period series: fold rows into consecutive calendar periods, with the empty periods between the
 * first and last present listed too (their result is the accumulator's empty result).
 *
 * @module
 */
import type { Accumulator } from "./accumulator.js";
import { InvalidInputError, formatValue } from "./errors.js";
import {
  type CalendarOptions,
  type Period,
  checkPeriod,
  checkTimeZone,
  locatePeriod,
  periodRange,
  tryParseInstant,
} from "./time.js";

/** Options for {@link byPeriod}. */
export interface ByPeriodOptions<T> extends CalendarOptions {
  /** The instant of a row: a `Date`, epoch ms, or an ISO-8601 string with an offset. */
  at: (row: T, index: number) => unknown;
  /** Period granularity. */
  period: Period;
  /** Include periods from this instant even if empty (default: the first row's period). */
  from?: Date | string | number;
  /** Include periods up to this instant even if empty (default: the last row's period). */
  to?: Date | string | number;
}

/** One period of a series. */
export interface PeriodResult<Out> {
  /** Inclusive start. */
  start: Date;
  /** Exclusive end. */
  end: Date;
  /** `2026-03`, `2026-W12`, `2026-Q1`, `2026`, `2026-03-14`. */
  label: string;
  result: Out;
}

/**
 * Fold rows per calendar period in a time zone. Periods are half-open `[start, end)` local time;
 * every period from the first to the last present (or `from`/`to`) is returned in order.
 * Instants without an offset are rejected (`invalid_time`, naming the row) unless `timeZone` is
 * given, in which case they are read as local time there.
 *
 * Rows are visited twice: once to parse instants (kept in a Float64Array), once to fold.
 *
 * @example
 * const rows = [
 *   { submittedAt: "2026-01-31T23:30:00Z", nps: 10 }, // already February in Berlin
 *   { submittedAt: "2026-01-10T12:00:00Z", nps: 3 },
 *   { submittedAt: "2026-03-05T12:00:00Z", nps: 9 },
 * ];
 * byPeriod(rows, { at: (r) => r.submittedAt, period: "month", timeZone: "Europe/Berlin" },
 *   mapInput(npsAccumulator(), (r) => r.nps)).map((p) => [p.label, p.result.score])
 * //=> [["2026-01", -100], ["2026-02", 100], ["2026-03", 100]]
 */
export function byPeriod<T, S, Out>(
  rows: ArrayLike<T> | Iterable<T>,
  options: ByPeriodOptions<T>,
  acc: Accumulator<T, S, Out>,
): PeriodResult<Out>[] {
  const states = byPeriodState(rows, options, acc);
  return states.map((p) => ({ start: p.start, end: p.end, label: p.label, result: acc.result(p.state) }));
}

/**
 * Like {@link byPeriod} but returns states, for merging.
 *
 * @example
 * byPeriodState([{ at: "2026-01-05T00:00:00Z", x: 1 }], { at: (r) => r.at, period: "year" },
 *   mapInput(momentsAccumulator(), (r) => r.x)).map((p) => [p.label, p.state.n]) //=> [["2026", 1]]
 */
export function byPeriodState<T, S, Out>(
  rows: ArrayLike<T> | Iterable<T>,
  options: ByPeriodOptions<T>,
  acc: Accumulator<T, S, Out>,
): { start: Date; end: Date; label: string; state: S }[] {
  const fn = "byPeriod";
  const { period, cal, from, to } = resolveByPeriod(fn, options);
  const list: T[] = Array.isArray(rows) ? (rows as T[]) : Array.from(rows as Iterable<T>);
  const n = list.length;
  const times = new Float64Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const ms = rowInstant(fn, options, list[i] as T, i);
    times[i] = ms;
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  if (from !== undefined) min = from;
  if (to !== undefined) max = to;
  if (!(min <= max)) return [];
  const { starts, labels } = periodRange(min, max, period, cal);
  const states: S[] = labels.map(() => acc.init());
  for (let i = 0; i < n; i++) {
    const k = locatePeriod(starts, times[i]!);
    if (k < 0) continue; // outside an explicit from/to window
    states[k] = acc.add(states[k]!, list[i] as T, i);
  }
  return labels.map((label, k) => ({
    start: new Date(starts[k]!),
    end: new Date(starts[k + 1]!),
    label,
    state: states[k]!,
  }));
}

/**
 * The checked options of {@link byPeriod} (shared with `byPeriodAsync`): period, calendar and the
 * `from`/`to` bounds in epoch ms. Internal.
 */
export function resolveByPeriod<T>(
  fn: string,
  options: ByPeriodOptions<T>,
): { period: Period; cal: Required<CalendarOptions>; from: number | undefined; to: number | undefined } {
  const period = checkPeriod(fn, options.period);
  const timeZone = checkTimeZone(fn, options.timeZone ?? "UTC");
  const weekStartsOn = options.weekStartsOn ?? 1;
  if (!Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 6) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["weekStartsOn"],
          code: "invalid_option",
          message: `weekStartsOn is ${formatValue(weekStartsOn)}; expected an integer 0 (Sunday) to 6 (Saturday)`,
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  const bound = (v: Date | string | number | undefined, which: string): number | undefined => {
    if (v === undefined) return undefined;
    const r = tryParseInstant(v, options.timeZone);
    if ("error" in r) {
      throw new InvalidInputError(
        [{ index: null, path: [which], code: "invalid_time", message: `instant ${r.error}` }],
        { context: fn, code: "invalid_time" },
      );
    }
    return r.ms;
  };
  const from = bound(options.from, "from");
  const to = bound(options.to, "to");
  if (from !== undefined && to !== undefined && from > to) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["from"],
          code: "invalid_option",
          message: `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`,
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  return { period, cal: { timeZone, weekStartsOn }, from, to };
}

/** The instant of row `i` in epoch ms, or `invalid_time` naming the row. Internal. */
export function rowInstant<T>(fn: string, options: ByPeriodOptions<T>, row: T, i: number): number {
  const r = tryParseInstant(options.at(row, i), options.timeZone);
  if ("error" in r) {
    throw new InvalidInputError(
      [{ index: i, path: ["at"], code: "invalid_time", message: `instant ${r.error}` }],
      {
        context: fn,
        code: "invalid_time",
      },
    );
  }
  return r.ms;
}
