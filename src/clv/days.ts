/**
 * Calendar-day numbers for transaction logs: days since 1970-01-01 of a `"YYYY-MM-DD"` date, or of
 * the calendar day an instant falls on in an IANA time zone (offsets from the zone database via
 * `@date-fns/tz`, cached per 15-minute bucket, so millions of instants cost a few zone look-ups).
 *
 * @module
 */
import { TZDate } from "@date-fns/tz";
import { invalidOption } from "../core/errors.js";
import { tryParseInstant } from "../core/time.js";

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Day number of `"YYYY-MM-DD"`, or NaN when it is not a valid calendar date. */
export function dayOfDateString(s: unknown): number {
  if (typeof s !== "string" || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return Number.NaN;
  let y = 0;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    y = y * 10 + c;
  }
  const m1 = s.charCodeAt(5) - 48;
  const m2 = s.charCodeAt(6) - 48;
  const d1 = s.charCodeAt(8) - 48;
  const d2 = s.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return Number.NaN;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]!) return Number.NaN;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return Number.NaN;
  return daysFromCivil(y, m, d);
}

/** Maps epoch ms to the calendar-day number in a zone; offsets cached per 15-minute bucket. */
export function dayOfInstantFn(timeZone: string): (ms: number) => number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return (ms) => Math.floor(ms / MS_PER_DAY);
  const cache = new Map<number, number>();
  return (ms) => {
    const bucket = Math.floor(ms / 900_000);
    let off = cache.get(bucket);
    if (off === undefined) {
      off = -new TZDate(bucket * 900_000, timeZone).getTimezoneOffset() * 60_000;
      cache.set(bucket, off);
    }
    return Math.floor((ms + off) / MS_PER_DAY);
  };
}

/** Read an option that names a calendar day (`"YYYY-MM-DD"`) or an instant (its day in the zone) as a day number. */
export function readDayBoundary(
  fn: string,
  name: string,
  v: unknown,
  dayOfInstant: (ms: number) => number,
): number {
  const d = dayOfDateString(v);
  if (!Number.isNaN(d)) return d;
  if (v instanceof Date || typeof v === "number" || (typeof v === "string" && v.length > 10)) {
    const r = tryParseInstant(v);
    if ("ms" in r) return dayOfInstant(r.ms);
  }
  return invalidOption(
    fn,
    name,
    'a calendar day "YYYY-MM-DD" or an instant (Date, epoch ms, ISO-8601 with offset)',
    v,
  );
}
