/**
 * Event-reading helpers of {@link cohortRetention}: a fast strict ISO-8601 instant reader and a
 * constant-time locator of the period containing an instant.
 *
 * Internal (the `_event` prefix): not re-exported from `cxmetrics/retention`.
 *
 * @module
 */

/** Days from 1970-01-01 to y-m-d (proleptic Gregorian; Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const Y0 = 1900;
const Y1 = 2200;
/** MONTH_DAYS[(y − Y0) × 12 + m − 1]: days from 1970-01-01 to the first of month m of year y. */
const MONTH_DAYS = (() => {
  const a = new Int32Array((Y1 - Y0) * 12 + 1);
  for (let j = 0; j < a.length; j++) a[j] = daysFromCivil(Y0 + Math.floor(j / 12), (j % 12) + 1, 1);
  return a;
})();

/**
 * Epoch ms of a strict ISO-8601 instant `YYYY-MM-DD(T| )HH:MM(:SS(.f…)?)?(Z|z|±HH:MM)`, or NaN
 * for any other shape (callers then fall back to the general parser, which also reports errors).
 * Equals `Date.parse` on every string it accepts (fractions beyond milliseconds are truncated, as
 * `Date.parse` does). Character arithmetic only: no allocation, no regular expression.
 */
export function isoMs(s: string): number {
  const n = s.length;
  if (n === 24 && s.charCodeAt(23) === 90) return iso24(s);
  return isoGeneral(s, n);
}

function isoGeneral(s: string, n: number): number {
  if (n < 17) return Number.NaN;
  const y0 = s.charCodeAt(0) - 48;
  const y1 = s.charCodeAt(1) - 48;
  const y2 = s.charCodeAt(2) - 48;
  const y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48;
  const m1 = s.charCodeAt(6) - 48;
  const d0 = s.charCodeAt(8) - 48;
  const d1 = s.charCodeAt(9) - 48;
  const h0 = s.charCodeAt(11) - 48;
  const h1 = s.charCodeAt(12) - 48;
  const i0 = s.charCodeAt(14) - 48;
  const i1 = s.charCodeAt(15) - 48;
  // a digit d has d ≥ 0 and 9 − d ≥ 0: one sign test for all twelve
  const bad = y0 | (9 - y0) | y1 | (9 - y1) | y2 | (9 - y2) | y3 | (9 - y3) | m0 | (9 - m0) | m1 | (9 - m1);
  const bad2 = d0 | (9 - d0) | d1 | (9 - d1) | h0 | (9 - h0) | h1 | (9 - h1) | i0 | (5 - i0) | i1 | (9 - i1);
  if ((bad | bad2) < 0) return Number.NaN;
  const sep = s.charCodeAt(10);
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(13) !== 58 ||
    (sep !== 84 && sep !== 32)
  )
    return Number.NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  const h = h0 * 10 + h1;
  if (mo < 1 || mo > 12 || day < 1 || h > 23) return Number.NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(16) === 58) {
    const s0 = s.charCodeAt(17) - 48;
    const s1 = s.charCodeAt(18) - 48;
    if ((s0 | (5 - s0) | s1 | (9 - s1)) < 0) return Number.NaN;
    sec = s0 * 10 + s1;
    i = 19;
    if (s.charCodeAt(19) === 46) {
      // fraction: at least one digit; milliseconds = the first three (truncated, like Date.parse)
      i = 20;
      let scale = 100;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale = scale === 100 ? 10 : scale === 10 ? 1 : 0;
        i++;
      }
      if (i === 20) return Number.NaN;
    }
  }
  let off = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return Number.NaN;
  } else if (z === 43 || z === 45) {
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return Number.NaN;
    const o1 = s.charCodeAt(i + 1) - 48;
    const o2 = s.charCodeAt(i + 2) - 48;
    const o3 = s.charCodeAt(i + 4) - 48;
    const o4 = s.charCodeAt(i + 5) - 48;
    if ((o1 | (2 - o1) | o2 | (9 - o2) | o3 | (5 - o3) | o4 | (9 - o4)) < 0) return Number.NaN;
    const oh = o1 * 10 + o2;
    if (oh >= 24) return Number.NaN;
    off = (oh * 60 + o3 * 10 + o4) * (z === 43 ? 1 : -1);
  } else return Number.NaN;
  let days: number;
  if (y >= Y0 && y < Y1) {
    const j = (y - Y0) * 12 + mo - 1;
    days = MONTH_DAYS[j]!;
    if (day > MONTH_DAYS[j + 1]! - days) return Number.NaN;
  } else {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const dim = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
    if (day > dim) return Number.NaN;
    days = daysFromCivil(y, mo, 1);
  }
  return ((((days + day - 1) * 24 + h) * 60 + i0 * 10 + i1 - off) * 60 + sec) * 1000 + ms;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` (the shape `Date#toISOString` writes), straight-line; else {@link isoMs}'s general path. */
function iso24(s: string): number {
  const y0 = s.charCodeAt(0) - 48;
  const y1 = s.charCodeAt(1) - 48;
  const y2 = s.charCodeAt(2) - 48;
  const y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48;
  const m1 = s.charCodeAt(6) - 48;
  const d0 = s.charCodeAt(8) - 48;
  const d1 = s.charCodeAt(9) - 48;
  const h0 = s.charCodeAt(11) - 48;
  const h1 = s.charCodeAt(12) - 48;
  const i0 = s.charCodeAt(14) - 48;
  const i1 = s.charCodeAt(15) - 48;
  const s0 = s.charCodeAt(17) - 48;
  const s1 = s.charCodeAt(18) - 48;
  const f0 = s.charCodeAt(20) - 48;
  const f1 = s.charCodeAt(21) - 48;
  const f2 = s.charCodeAt(22) - 48;
  const bad = y0 | (9 - y0) | y1 | (9 - y1) | y2 | (9 - y2) | y3 | (9 - y3) | m0 | (9 - m0) | m1 | (9 - m1);
  const bad2 = d0 | (9 - d0) | d1 | (9 - d1) | h0 | (9 - h0) | h1 | (9 - h1) | i0 | (5 - i0) | i1 | (9 - i1);
  const bad3 = s0 | (5 - s0) | s1 | (9 - s1) | f0 | (9 - f0) | f1 | (9 - f1) | f2 | (9 - f2);
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  const h = h0 * 10 + h1;
  if (
    (bad | bad2 | bad3) < 0 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 ||
    mo < 1 ||
    mo > 12 ||
    day < 1 ||
    h > 23 ||
    y < Y0 ||
    y >= Y1
  )
    return isoGeneral(s, s.length);
  const j = (y - Y0) * 12 + mo - 1;
  const days = MONTH_DAYS[j]!;
  if (day > MONTH_DAYS[j + 1]! - days) return Number.NaN;
  return (
    ((((days + day - 1) * 24 + h) * 60 + i0 * 10 + i1) * 60 + s0 * 10 + s1) * 1000 + f0 * 100 + f1 * 10 + f2
  );
}

/**
 * Constant-time "which period contains t" for a period grid `starts[0..P]` (epoch ms boundaries):
 * a table over buckets of the largest step G (a day, an hour, 15 minutes, a minute, a second) that
 * divides every boundary's distance from `starts[0]`, so every bucket lies in one period. For UTC
 * months G is a day (≈ 30 entries a month); in a zone with daylight saving time, an hour.
 * `null` when no step gives a table of at most 2^20 entries (callers then binary-search).
 */
export interface PeriodLocator {
  /** starts[0]. */
  base: number;
  /** Bucket width (ms). */
  step: number;
  /** Period index of each bucket. */
  table: Int32Array;
}

const STEPS = [86_400_000, 3_600_000, 900_000, 60_000, 1000];

/** Build a {@link PeriodLocator} for the boundaries, or null (see there). */
export function periodLocator(starts: readonly number[]): PeriodLocator | null {
  const P = starts.length - 1;
  if (P < 1) return null;
  const base = starts[0]!;
  const span = starts[P]! - base;
  for (const step of STEPS) {
    if (span / step > 1 << 20) return null;
    let ok = true;
    for (let j = 1; j <= P && ok; j++) if ((starts[j]! - base) % step !== 0) ok = false;
    if (!ok) continue;
    const table = new Int32Array(span / step);
    for (let j = 0; j < P; j++) table.fill(j, (starts[j]! - base) / step, (starts[j + 1]! - base) / step);
    return { base, step, table };
  }
  return null;
}
