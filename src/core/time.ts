/**
 * Instants and calendar periods. Periods are half-open `[start, end)` in an explicit IANA time
 * zone (default `"UTC"`), computed with date-fns and `@date-fns/tz` so daylight-saving transitions
 * are handled by the zone database, not by fixed offsets.
 *
 * @module
 */
import { TZDate } from "@date-fns/tz";
import {
  addDays,
  addMonths,
  addQuarters,
  addWeeks,
  addYears,
  getISOWeek,
  getISOWeekYear,
  startOfDay,
  startOfMonth,
  startOfQuarter,
  startOfWeek,
  startOfYear,
} from "date-fns";
import { InvalidInputError, formatValue } from "./errors.js";

/** Calendar period granularity. */
export type Period = "day" | "week" | "month" | "quarter" | "year";

/**
 * The periods {@link Period} allows, for validation.
 *
 * @example
 * PERIODS //=> ["day", "week", "month", "quarter", "year"]
 */
export const PERIODS: readonly Period[] = ["day", "week", "month", "quarter", "year"];

/** An instant: a `Date`, epoch milliseconds, or an ISO-8601 string with an offset (`Z`, `+01:00`). */
export type InstantInput = Date | string | number;

/** Calendar options shared by period functions. */
export interface CalendarOptions {
  /** IANA time zone of the calendar (default `"UTC"`). */
  timeZone?: string;
  /** First day of the week, 0 = Sunday … 6 = Saturday (default 1, Monday: ISO weeks). */
  weekStartsOn?: 0 | 1 | 2 | 3 | 4 | 5 | 6;
}

const OFFSET_RE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const zoneCache = new Map<string, boolean>();
const HOUR_OFFSET_RE = /(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[+-]\d{2})$/;
const DATE_TIME_FIELDS_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;

/**
 * Why a date-time string names no real calendar moment (month 13, February 30, hour 25, minute 60),
 * or `null`. `Date.parse` and `TZDate` would silently roll such values into the next month or day.
 */
function impossibleDate(s: string): string | null {
  const m = DATE_TIME_FIELDS_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12) return `has month ${m[2]}; expected 01–12`;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) return `has day ${m[3]}; ${y}-${m[2]} has ${days} days`;
  if (
    m[4] !== undefined &&
    (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59))
  )
    return `has time ${m[4]}:${m[5]}${m[6] === undefined ? "" : `:${m[6]}`}; expected hours 00–23, minutes and seconds 00–59`;
  return null;
}

/**
 * True when `timeZone` is a time zone this runtime knows (IANA name or `UTC`). Cached.
 *
 * @example
 * isValidTimeZone("Europe/Berlin") //=> true
 * isValidTimeZone("Mars/Olympus") //=> false
 */
export function isValidTimeZone(timeZone: string): boolean {
  let ok = zoneCache.get(timeZone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(timeZone, ok);
  }
  return ok;
}

/**
 * Return `timeZone` when it is a known zone; throw `InvalidInputError` code `invalid_time` otherwise.
 *
 * @example
 * checkTimeZone("myMetric", "Asia/Kolkata") //=> "Asia/Kolkata"
 */
export function checkTimeZone(fn: string, timeZone: string): string {
  if (typeof timeZone !== "string" || !isValidTimeZone(timeZone)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["timeZone"],
          code: "invalid_time",
          message: `unknown time zone ${formatValue(timeZone)}; expected an IANA name such as "Europe/Berlin" or "UTC"`,
        },
      ],
      { context: fn, code: "invalid_time" },
    );
  }
  return timeZone;
}

/**
 * Parse an instant to epoch milliseconds: `{ ms }`, or `{ error }` with the reason when it is not
 * valid. Accepts a `Date`, finite epoch milliseconds or an ISO-8601 string. Strings must carry an
 * offset (`2026-03-01T10:00:00+01:00`, `…Z`) unless `timeZone` is given, in which case a local
 * date-time or date (`2026-03-01 10:00`, `2026-03-01`) is read in that zone.
 *
 * @example
 * tryParseInstant("2026-03-01", "Europe/Berlin") //=> { ms: 1772319600000 }
 * tryParseInstant("2026-03-01") //=> { error: '"2026-03-01" has no UTC offset…' }
 */
export function tryParseInstant(value: unknown, timeZone?: string): { ms: number } | { error: string } {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? { error: "is an Invalid Date" } : { ms };
  }
  if (typeof value === "number") {
    // ±8.64e15 ms is the range a JavaScript Date can represent (ECMA-262 §21.4.1.1).
    return Number.isFinite(value) && Math.abs(value) <= 8.64e15
      ? { ms: value }
      : { error: `is ${value}; expected epoch milliseconds within ±8.64e15 (the Date range)` };
  }
  if (typeof value !== "string")
    return { error: `is ${formatValue(value)}; expected a Date or an ISO-8601 string` };
  let s = value.trim();
  const calendarError = impossibleDate(s);
  if (calendarError) return { error: `${formatValue(value)} ${calendarError}` };
  // ISO-8601 allows an hour-only offset (±hh); Date.parse does not.
  s = s.replace(HOUR_OFFSET_RE, "$1:00");
  if (OFFSET_RE.test(s) && s.length > 10) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? { error: `${formatValue(value)} is not a valid ISO-8601 instant` } : { ms };
  }
  const m = LOCAL_RE.exec(s);
  if (!m) return { error: `${formatValue(value)} is not a valid ISO-8601 instant` };
  if (timeZone === undefined) {
    return {
      error: `${formatValue(value)} has no UTC offset; write it with one (e.g. "${s.length === 10 ? `${s}T00:00:00Z` : `${s}Z`}") or pass a timeZone`,
    };
  }
  const [, y, mo, d, h, mi, sec, frac] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const dt = new TZDate(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(sec ?? 0),
    ms,
    timeZone,
  );
  const t = dt.getTime();
  return Number.isNaN(t) ? { error: `${formatValue(value)} is not a valid date` } : { ms: t };
}

/**
 * Parse an instant to epoch milliseconds; throws `InvalidInputError` (code `invalid_time`) naming
 * `index` and `path` when it is invalid or lacks an offset and no `timeZone` is given.
 *
 * @example
 * parseInstant("2026-03-01T00:00:00+01:00") //=> 1772319600000
 */
export function parseInstant(
  value: unknown,
  options?: { timeZone?: string; index?: number; path?: (string | number)[]; fn?: string },
): number {
  const r = tryParseInstant(value, options?.timeZone);
  if ("ms" in r) return r.ms;
  throw new InvalidInputError(
    [
      {
        index: options?.index ?? null,
        path: options?.path ?? [],
        code: "invalid_time",
        message: `instant ${r.error}`,
      },
    ],
    { context: options?.fn ?? "parseInstant", code: "invalid_time" },
  );
}

/**
 * Start (epoch ms) of the calendar period containing `ms` in `timeZone` (default UTC; weeks start
 * on `weekStartsOn`, default 1 = Monday).
 *
 * @example
 * new Date(periodStart(Date.parse("2026-03-14T10:00:00Z"), "month")).toISOString() //=> "2026-03-01T00:00:00.000Z"
 */
export function periodStart(ms: number, period: Period, options?: CalendarOptions): number {
  const d = new TZDate(ms, options?.timeZone ?? "UTC");
  switch (period) {
    case "day":
      return startOfDay(d).getTime();
    case "week":
      return startOfWeek(d, { weekStartsOn: options?.weekStartsOn ?? 1 }).getTime();
    case "month":
      return startOfMonth(d).getTime();
    case "quarter":
      return startOfQuarter(d).getTime();
    case "year":
      return startOfYear(d).getTime();
  }
}

/**
 * Start (epoch ms) of the period `k` periods after the one starting at `startMs` (calendar
 * arithmetic in `timeZone`, so a "day" across a DST change is 23 or 25 hours).
 *
 * @example
 * new Date(addPeriods(Date.parse("2026-01-01T00:00:00Z"), "quarter", 1)).toISOString() //=> "2026-04-01T00:00:00.000Z"
 */
export function addPeriods(startMs: number, period: Period, k: number, options?: CalendarOptions): number {
  const d = new TZDate(startMs, options?.timeZone ?? "UTC");
  switch (period) {
    case "day":
      return addDays(d, k).getTime();
    case "week":
      return addWeeks(d, k).getTime();
    case "month":
      return addMonths(d, k).getTime();
    case "quarter":
      return addQuarters(d, k).getTime();
    case "year":
      return addYears(d, k).getTime();
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * Label of the period starting at `startMs`: `2026-03-14` (day), `2026-W12` (ISO week, when weeks
 * start on Monday) or the start date `2026-03-15` (other week starts), `2026-03`, `2026-Q1`, `2026`.
 *
 * @example
 * periodLabel(Date.parse("2026-03-16T00:00:00Z"), "week") //=> "2026-W12"
 * periodLabel(Date.parse("2026-03-16T00:00:00Z"), "quarter") //=> "2026-Q1"
 */
export function periodLabel(startMs: number, period: Period, options?: CalendarOptions): string {
  const d = new TZDate(startMs, options?.timeZone ?? "UTC");
  const y = d.getFullYear();
  switch (period) {
    case "day":
      return `${y}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    case "week":
      if ((options?.weekStartsOn ?? 1) === 1) return `${getISOWeekYear(d)}-W${pad(getISOWeek(d))}`;
      return `${y}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    case "month":
      return `${y}-${pad(d.getMonth() + 1)}`;
    case "quarter":
      return `${y}-Q${Math.floor(d.getMonth() / 3) + 1}`;
    case "year":
      return String(y);
  }
}

/** One calendar period: half-open `[start, end)`, with its label. */
export interface PeriodBounds {
  start: Date;
  end: Date;
  label: string;
}

/**
 * Check the period option: return it when it is one of {@link PERIODS}, otherwise throw
 * `InvalidInputError` code `invalid_option` naming `fn`.
 *
 * @example
 * checkPeriod("myMetric", "month") //=> "month"
 */
export function checkPeriod(fn: string, period: unknown): Period {
  if (!PERIODS.includes(period as Period)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["period"],
          code: "invalid_option",
          message: `expected one of ${PERIODS.join(", ")}, found ${formatValue(period)}`,
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  return period as Period;
}

/**
 * Every period from the one containing `fromMs` to the one containing `toMs` inclusive, in order.
 * Boundaries as epoch ms: `starts[i]` is the start of period i and `starts[length]` the end of the last.
 *
 * @example
 * periodRange(Date.parse("2026-01-15T00:00:00Z"), Date.parse("2026-03-02T00:00:00Z"), "month").labels
 * //=> ["2026-01", "2026-02", "2026-03"]
 */
export function periodRange(
  fromMs: number,
  toMs: number,
  period: Period,
  options?: CalendarOptions,
): { starts: number[]; labels: string[] } {
  const first = periodStart(fromMs, period, options);
  const starts = [first];
  const labels: string[] = [];
  let s = first;
  let guard = 0;
  while (s <= toMs) {
    labels.push(periodLabel(s, period, options));
    s = addPeriods(first, period, starts.length, options);
    starts.push(s);
    if (++guard > 1_000_000)
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [],
            code: "out_of_range",
            message: "more than a million periods between the first and last instant",
          },
        ],
        { context: "periodRange", code: "out_of_range" },
      );
  }
  return { starts, labels };
}

/**
 * Index of the period containing `ms` given sorted boundaries (binary search); -1 outside.
 *
 * @example
 * locatePeriod([0, 10, 20], 15) //=> 1
 * locatePeriod([0, 10, 20], 20) //=> -1
 * locatePeriod([], 5) //=> -1
 */
export function locatePeriod(starts: ArrayLike<number>, ms: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  // no period (fewer than two boundaries), or outside them
  if (hi < 1 || !(ms >= starts[0]! && ms < starts[hi]!)) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= ms) lo = mid;
    else hi = mid;
  }
  return lo;
}
