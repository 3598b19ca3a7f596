/**
 * Cohort retention tables: customers (or users) grouped by the period they started, and the
 * share of each cohort active k periods later. From subscription rows (paid time) or from
 * activity events (Amplitude's N-period retention, "on" and "on or after").
 *
 * @module
 */
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import {
  type CalendarOptions,
  type InstantInput,
  type Period,
  checkPeriod,
  checkTimeZone,
  periodRange,
  tryParseInstant,
} from "../core/time.js";
import type { ActivityEvent } from "../schemas/activity.js";
import {
  type SubscriptionLike,
  instantAt,
  internalError,
  periodIndex,
  readSubscriptions,
  spellsOf,
  upperBound,
} from "./_subscription-timeline.js";

/** What a cell counts. */
export type CohortMode = "active" | "onOrAfter";

/** An activity event as {@link cohortRetention} accepts it (a parsed {@link ActivityEvent} or a raw record). */
export interface ActivityEventLike {
  userId: string | number;
  occurredAt: InstantInput;
  eventType?: string | null;
}

/** Options for {@link cohortRetention}. */
export interface CohortRetentionOptions extends CalendarOptions {
  /** Calendar period of cohorts and cells (default `"month"`). */
  period?: Period;
  /** Last offset k (cells k = 0..horizon; default 12). */
  horizon?: number;
  /**
   * `"active"` (default): members active in period cohort + k (subscriptions: a paid row intersects
   * it; events: an event in it: Amplitude "N-day retention on"). `"onOrAfter"`: members active in
   * that period or any later one up to `asOf` (Amplitude "unbounded" / "on or after").
   */
  mode?: CohortMode;
  /**
   * Subscriptions: `"firstPaid"` (default; period of the first paid start, when the customer
   * counts as new) or `"signup"` (period of the first `startedAt`, trial included; members include
   * customers who never paid, so share[0] can be < 1).
   * Events: `"firstEvent"` (default; the first event of any type) or an event type (the cohort
   * event, e.g. `"signed_up"`: users enter at their first such event).
   */
  cohortBy?: string;
  /** Events only: the event type that counts as a return (default: any event). */
  returnEvent?: string;
  /**
   * Data as-of instant (exclusive). Cells of periods starting at or after it are `null`; cells of
   * the period containing it are computed from the data so far and flagged incomplete. Default:
   * 1 ms after the last instant in the data.
   */
  asOf?: InstantInput;
  /** First cohort: the period containing this instant (default: the first cohort with members). */
  from?: InstantInput;
  /** Last cohort: the period containing this instant (default: the period containing asOf − 1 ms). */
  to?: InstantInput;
}

/** One cohort of {@link cohortRetention}. */
export interface CohortRow {
  /** Cohort period label (`2025-03`, `2025-W10`, `2025-03-14`). */
  cohort: string;
  /** Cohort period start. */
  start: Date;
  /** Members of the cohort. */
  size: number;
  /** Members active (per `mode`) at offsets 0..horizon; null after asOf. */
  active: (number | null)[];
  /** active[k] / size; null when the cell is null or size is 0. */
  share: (number | null)[];
  /** True for cells whose period is not over at asOf (null cells included). */
  incomplete: boolean[];
}

/** Result of {@link cohortRetention}. */
export interface CohortRetentionResult {
  period: Period;
  mode: CohortMode;
  horizon: number;
  /** Data as-of (exclusive). */
  asOf: Date;
  rows: CohortRow[];
  /** Explanations for nulls (empty cohorts, cells after asOf). */
  nullReasons: { cohort: string; reason: string }[];
}

interface Common {
  period: Period;
  cal: { timeZone: string; weekStartsOn: NonNullable<CalendarOptions["weekStartsOn"]> };
  horizon: number;
  mode: CohortMode;
}

function common(fn: string, options: CohortRetentionOptions): Common {
  const period = checkPeriod(fn, options.period ?? "month");
  const timeZone = checkTimeZone(fn, options.timeZone ?? "UTC");
  const horizon = options.horizon ?? 12;
  if (!Number.isInteger(horizon) || horizon < 0 || horizon > 10_000)
    invalidOption(fn, "horizon", "an integer from 0 to 10000", horizon);
  const mode = options.mode ?? "active";
  if (mode !== "active" && mode !== "onOrAfter") invalidOption(fn, "mode", '"active" or "onOrAfter"', mode);
  return { period, cal: { timeZone, weekStartsOn: options.weekStartsOn ?? 1 }, horizon, mode };
}

/**
 * Build the table from per-member (cohort period, first/last active period, active bits).
 * `starts`: grid boundaries; the grid's last period contains asOf − 1.
 */
function buildTable(
  c: Common,
  starts: number[],
  labels: string[],
  asOf: number,
  firstCohort: number,
  lastCohort: number,
  counts: { size: Float64Array; active: Float64Array; onOrAfter: Float64Array },
): CohortRetentionResult {
  const H = c.horizon + 1;
  const P = labels.length;
  const rows: CohortRow[] = [];
  const nullReasons: { cohort: string; reason: string }[] = [];
  for (let q = firstCohort; q <= lastCohort; q++) {
    const size = counts.size[q]!;
    const active: (number | null)[] = [];
    const share: (number | null)[] = [];
    const incomplete: boolean[] = [];
    let afterAsOf = false;
    for (let k = 0; k < H; k++) {
      const p = q + k;
      if (p >= P) {
        active.push(null);
        share.push(null);
        incomplete.push(true);
        afterAsOf = true;
        continue;
      }
      const v = (c.mode === "active" ? counts.active : counts.onOrAfter)[q * H + k]!;
      active.push(v);
      share.push(size === 0 ? null : v / size);
      incomplete.push(starts[p + 1]! > asOf);
    }
    if (size === 0) nullReasons.push({ cohort: labels[q]!, reason: "empty cohort: shares are null" });
    if (afterAsOf)
      nullReasons.push({ cohort: labels[q]!, reason: "cells of periods starting at or after asOf are null" });
    rows.push({ cohort: labels[q]!, start: new Date(starts[q]!), size, active, share, incomplete });
  }
  return { period: c.period, mode: c.mode, horizon: c.horizon, asOf: new Date(asOf), rows, nullReasons };
}

function cohortRange(
  fn: string,
  options: CohortRetentionOptions,
  starts: number[],
  dataFirst: number,
  P: number,
): [number, number] {
  let first = dataFirst;
  if (options.from !== undefined)
    first = Math.max(0, upperBound(starts, instantAt(fn, options.from, null, "from")) - 1);
  let last = P - 1;
  if (options.to !== undefined)
    last = Math.min(P - 1, upperBound(starts, instantAt(fn, options.to, null, "to")) - 1);
  return [first, last];
}

function fromSubscriptions<R extends SubscriptionLike>(
  fn: string,
  subs: readonly R[],
  options: CohortRetentionOptions,
): CohortRetentionResult {
  const c = common(fn, options);
  const cohortBy = options.cohortBy ?? "firstPaid";
  if (cohortBy !== "firstPaid" && cohortBy !== "signup")
    invalidOption(fn, "cohortBy", '"firstPaid" or "signup" for subscriptions', cohortBy);
  const asOfOpt = options.asOf;
  const tl = readSubscriptions(fn, subs, asOfOpt === undefined ? {} : { asOf: asOfOpt });
  let minKey = Number.POSITIVE_INFINITY;
  let maxInstant = tl.maxInstant;
  for (const cu of tl.customers) {
    const k = cohortBy === "signup" ? cu.signup : firstPaidOf(cu.rows);
    if (k < minKey) minKey = k;
    if (cu.signup > maxInstant) maxInstant = cu.signup;
  }
  const asOf = asOfOpt === undefined ? maxInstant + 1 : instantAt(fn, asOfOpt, null, "asOf");
  const fromMs =
    options.from === undefined ? minKey : Math.min(minKey, instantAt(fn, options.from, null, "from"));
  if (!Number.isFinite(fromMs) || !Number.isFinite(asOf) || fromMs >= asOf) {
    return {
      period: c.period,
      mode: c.mode,
      horizon: c.horizon,
      asOf: new Date(asOf),
      rows: [],
      nullReasons: [],
    };
  }
  const { starts, labels } = periodRange(fromMs, asOf - 1, c.period, c.cal);
  const P = labels.length;
  const H = c.horizon + 1;
  const size = new Float64Array(P);
  const active = new Float64Array(P * H);
  const onOrAfter = new Float64Array(P * H);
  const seen = new Int32Array(H).fill(-1);
  let dataFirst = P;
  let serial = 0;
  for (const cu of tl.customers) {
    serial++;
    const key = cohortBy === "signup" ? cu.signup : firstPaidOf(cu.rows);
    if (!Number.isFinite(key)) continue;
    const q = periodIndex(starts, key);
    if (q < 0) continue;
    if (q < dataFirst) dataFirst = q;
    size[q]!++;
    let lastActive = -1;
    for (const s of spellsOf(cu.rows)) {
      if (s.start >= starts[P]!) continue;
      const a = Math.max(q, periodIndex(starts, Math.max(s.start, starts[0]!)));
      // last period with start < end (the interval is [paidStart, end))
      const b = s.end === Number.POSITIVE_INFINITY ? P - 1 : Math.min(P - 1, lowerBound(starts, s.end) - 1);
      if (b > lastActive) lastActive = b;
      for (let p = a; p <= b && p - q < H; p++) {
        const k = p - q;
        if (seen[k] !== serial) {
          seen[k] = serial;
          active[q * H + k]!++;
        }
      }
    }
    for (let k = 0; k < H && q + k <= lastActive; k++) onOrAfter[q * H + k]!++;
  }
  const [first, last] = cohortRange(fn, options, starts, dataFirst, P);
  return buildTable(c, starts, labels, asOf, first, last, { size, active, onOrAfter });
}

function firstPaidOf(rows: readonly { paidStart: number; excluded: unknown }[]): number {
  for (const r of rows) if (!r.excluded) return r.paidStart;
  return Number.NaN;
}

/** First index j with starts[j] >= t. */
function lowerBound(starts: readonly number[], t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------- events

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * Fast strict ISO-8601 reader for `YYYY-MM-DDTHH:MM(:SS(.fff…)?)?(Z|±HH:MM)`; NaN when the string
 * has another shape (the caller then falls back to the general parser, which also reports errors).
 */
/** Digit at position i (no closure in the hot path: closures cost an allocation per call). */
function dig(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15];

export function fastIsoMs(s: string): number {
  const n = s.length;
  if (n < 17) return Number.NaN;
  for (let k = 0; k < 12; k++) {
    const c = dig(s, DIGIT_POSITIONS[k]!);
    if (c < 0 || c > 9) return Number.NaN;
  }
  const y = dig(s, 0) * 1000 + dig(s, 1) * 100 + dig(s, 2) * 10 + dig(s, 3);
  const mo = dig(s, 5) * 10 + dig(s, 6);
  const day = dig(s, 8) * 10 + dig(s, 9);
  const h = dig(s, 11) * 10 + dig(s, 12);
  const mi = dig(s, 14) * 10 + dig(s, 15);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return Number.NaN;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 32) return Number.NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    const s1 = dig(s, 17);
    const s2 = dig(s, 18);
    if (s1 < 0 || s1 > 5 || s2 < 0 || s2 > 9) return Number.NaN;
    sec = s1 * 10 + s2;
    i = 19;
    if (s.charCodeAt(i) === 46) {
      i++;
      let scale = 100;
      const j0 = i;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
        i++;
      }
      if (i === j0) return Number.NaN;
      ms = Math.round(ms);
    }
  }
  let off = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return Number.NaN;
  } else if (z === 43 || z === 45) {
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return Number.NaN;
    const o1 = dig(s, i + 1);
    const o2 = dig(s, i + 2);
    const o3 = dig(s, i + 4);
    const o4 = dig(s, i + 5);
    if (o1 < 0 || o1 > 2 || o2 < 0 || o2 > 9 || o3 < 0 || o3 > 5 || o4 < 0 || o4 > 9) return Number.NaN;
    const oh = o1 * 10 + o2;
    const om = o3 * 10 + o4;
    if (oh >= 24) return Number.NaN;
    off = (oh * 60 + om) * (z === 43 ? 1 : -1);
  } else return Number.NaN;
  if (!(y >= 0 && y <= 9999 && mo >= 1 && mo <= 12 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && day >= 1))
    return Number.NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  if (day > dim) return Number.NaN;
  // days from 1970-01-01
  const yy = y - 1;
  let days = 365 * (y - 1970) + (Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400)) - 477;
  days += DAYS_BEFORE_MONTH[mo - 1]! + (mo > 2 && leap ? 1 : 0) + day - 1;
  return ((days * 24 + h) * 60 + mi - off) * 60000 + sec * 1000 + ms;
}

function eventMs(fn: string, v: unknown, index: number): number {
  if (typeof v === "string") {
    const t = fastIsoMs(v);
    if (!Number.isNaN(t)) return t;
  } else if (v instanceof Date) {
    const t = v.getTime();
    if (!Number.isNaN(t)) return t;
  } else if (typeof v === "number" && Number.isFinite(v)) return v;
  const r = tryParseInstant(v);
  if ("ms" in r) return r.ms;
  throw new InvalidInputError(
    [{ index, path: ["occurredAt"], code: "invalid_time", message: `instant ${r.error}` }],
    { context: fn, code: "invalid_time" },
  );
}

function badUser(fn: string, i: number, u: unknown): never {
  throw new InvalidInputError(
    [
      {
        index: i,
        path: ["userId"],
        code: u == null ? "missing_value" : "invalid_type",
        message: `userId is ${formatValue(u)}; expected a non-empty string or a number`,
      },
    ],
    { context: fn },
  );
}

function checkEvent(fn: string, e: unknown, i: number): void {
  if (typeof e !== "object" || e === null) {
    throw new InvalidInputError(
      [
        {
          index: i,
          path: [],
          code: "invalid_type",
          message: `event is ${formatValue(e)}; expected { userId, occurredAt }`,
        },
      ],
      { context: fn },
    );
  }
}

/**
 * Events → table in one pass over the records (two when `from` or `asOf` must be found first), with
 * no per-event buffers: per user only the first cohort period and a bitset of active periods.
 * (Allocating per-event typed arrays made V8 run full collections of the caller's heap.)
 */
function fromEvents(
  fn: string,
  events: readonly ActivityEventLike[],
  options: CohortRetentionOptions,
): CohortRetentionResult {
  const c = common(fn, options);
  const cohortEvent =
    options.cohortBy === undefined || options.cohortBy === "firstEvent" ? null : options.cohortBy;
  const returnEvent = options.returnEvent ?? null;
  const n = events.length;
  let asOf = options.asOf === undefined ? Number.NaN : instantAt(fn, options.asOf, null, "asOf");
  const fromOpt = options.from === undefined ? Number.NaN : instantAt(fn, options.from, null, "from");
  if (Number.isNaN(asOf)) {
    // asOf defaults to the last event: one extra pass to find it
    let maxT = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      checkEvent(fn, e, i);
      const t = eventMs(fn, e.occurredAt, i);
      if (t > maxT) maxT = t;
    }
    asOf = maxT + 1;
  }
  const empty = (): CohortRetentionResult => ({
    period: c.period,
    mode: c.mode,
    horizon: c.horizon,
    asOf: new Date(asOf),
    rows: [],
    nullReasons: [],
  });
  if (n === 0 || !Number.isFinite(asOf)) return empty();
  // The grid starts at `from`, or (without it) at the first event seen, extended backwards when an
  // earlier event arrives (per-user data are then shifted): no pass just to find the minimum.
  let starts: number[] = [];
  let labels: string[] = [];
  let P = 0;
  let W = 1;
  let gridStart = Number.POSITIVE_INFINITY;
  let uniform = 0;
  const setGrid = (fromMs: number) => {
    const r = periodRange(fromMs, asOf - 1, c.period, c.cal);
    starts = r.starts;
    labels = r.labels;
    P = labels.length;
    W = Math.max(1, (P + 31) >>> 5);
    gridStart = starts[0]!;
    uniform = uniformStep(starts);
  };
  const fixedFrom = !Number.isNaN(fromOpt);
  if (fixedFrom) {
    if (!(fromOpt < asOf)) return empty();
    setGrid(fromOpt);
  }
  const ids = new Map<string | number, number>();
  const denseCap = Math.max(1 << 16, 4 * n);
  let dense = new Int32Array(1024);
  let U = 0;
  let cap = 1024;
  // first[u]: first cohort-event period (NONE = none yet, −1 = before the grid: not in any cohort shown)
  const NONE = 0x7fffffff;
  let first = new Int32Array(cap).fill(NONE);
  let bits = new Uint32Array(cap * W);
  const extendBack = (t: number) => {
    const oldP = P;
    const oldW = W;
    const oldStart = gridStart;
    setGrid(t);
    const shift = P - oldP;
    // the new grid ends where the old one did, so old period p is new period p + shift
    if (oldP > 0 && starts[shift] !== oldStart) internalError(fn, "grid extension misaligned");
    const nb = new Uint32Array(cap * W);
    if (oldP > 0) {
      for (let u = 0; u < U; u++) {
        const f = first[u]!;
        if (f >= 0 && f !== NONE) first[u] = f + shift;
        for (let w = 0; w < oldW; w++) {
          let x = bits[u * oldW + w]!;
          while (x !== 0) {
            const b = 31 - Math.clz32(x);
            x &= ~(1 << b);
            const p = w * 32 + b + shift;
            nb[u * W + (p >>> 5)]! |= 1 << (p & 31);
          }
        }
      }
    }
    bits = nb;
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    checkEvent(fn, e, i);
    const t = eventMs(fn, e.occurredAt, i);
    const u = e.userId;
    let id: number;
    if (typeof u === "number" && u >= 0 && (u | 0) === u && u < denseCap) {
      // small non-negative integer ids: a dense lookup table instead of a hash map
      if (u >= dense.length) {
        let len = dense.length;
        while (len <= u) len *= 2;
        const next = new Int32Array(Math.min(len, denseCap));
        next.set(dense);
        dense = next;
      }
      id = dense[u]! - 1;
      if (id < 0) {
        id = U++;
        dense[u] = id + 1;
      }
    } else {
      let m = ids.get(u);
      if (m === undefined) {
        if ((typeof u !== "string" || u === "") && !(typeof u === "number" && Number.isFinite(u)))
          badUser(fn, i, u);
        m = U++;
        ids.set(u, m);
      }
      id = m;
    }
    if (U > cap) {
      const nc = cap * 2;
      const f2 = new Int32Array(nc).fill(NONE);
      f2.set(first);
      first = f2;
      const b2 = new Uint32Array(nc * W);
      b2.set(bits);
      bits = b2;
      cap = nc;
    }
    if (t >= asOf) continue;
    if (t < gridStart && !fixedFrom) extendBack(t);
    let p: number;
    if (t < gridStart) p = -1;
    else if (uniform !== 0) p = Math.floor((t - gridStart) / uniform);
    else p = upperBound(starts, t) - 1;
    const et = cohortEvent === null && returnEvent === null ? null : (e.eventType ?? null);
    if (cohortEvent === null || et === cohortEvent) {
      if (p < 0) first[id] = -1;
      else if (p < first[id]!) first[id] = p;
    }
    if (p >= 0 && (returnEvent === null || et === returnEvent)) bits[id * W + (p >>> 5)]! |= 1 << (p & 31);
  }
  if (P === 0) return empty();
  const H = c.horizon + 1;
  const size = new Float64Array(P);
  const active = new Float64Array(P * H);
  const onOrAfter = new Float64Array(P * H);
  let dataFirst = P;
  for (let u = 0; u < U; u++) {
    const q = first[u]!;
    if (q < 0 || q >= P) continue;
    if (q < dataFirst) dataFirst = q;
    size[q]!++;
    const base = u * W;
    let last = -1;
    for (let w = W - 1; w >= 0; w--) {
      const x = bits[base + w]!;
      if (x !== 0) {
        last = w * 32 + 31 - Math.clz32(x);
        break;
      }
    }
    const row = q * H;
    const kMax = Math.min(H - 1, P - 1 - q);
    for (let k = 0; k <= kMax; k++) {
      const p = q + k;
      if (p > last) break;
      onOrAfter[row + k]!++;
      if ((bits[base + (p >>> 5)]! >>> (p & 31)) & 1) active[row + k]!++;
    }
  }
  const [f0, l0] = cohortRange(fn, options, starts, dataFirst, P);
  return buildTable(c, starts, labels, asOf, f0, l0, { size, active, onOrAfter });
}

/** Step (ms) when all periods have the same length (UTC days, or weeks in a zone without DST), else 0. */
function uniformStep(starts: readonly number[]): number {
  const step = starts[1]! - starts[0]!;
  for (let j = 2; j < starts.length; j++) if (starts[j]! - starts[j - 1]! !== step) return 0;
  return step;
}

function isEventInput(rows: readonly unknown[]): boolean {
  const r = rows[0] as Record<string, unknown> | undefined;
  return (
    r !== undefined && typeof r === "object" && r !== null && "occurredAt" in r && !("billingInterval" in r)
  );
}

/**
 * Cohort retention table.
 *
 * **From subscriptions** (the definitions of `../shared/reference/retention.json`): the cohort of a
 * customer is the period of their first paid start (`cohortBy: "firstPaid"`, default) or of their
 * first `startedAt` (`"signup"`, trial included, members who never paid included). `active[k]`
 * counts members with a paid row intersecting period cohort + k (`paidStart < period end` and
 * `endedAt > period start`); with `mode: "onOrAfter"`, members with any paid time at or after the
 * start of that period (observed up to asOf).
 *
 * **From activity events** (Amplitude's N-day/week/month retention in a time zone): the cohort is
 * the period of a user's first event (or first `cohortBy` event); `active[k]` counts users with an
 * event (or a `returnEvent`) in period cohort + k ("on"); `"onOrAfter"` counts users with one in
 * that period or later ("unbounded").
 *
 * share[k] = active[k] / size (float64 division of two counts). Cells of periods starting at or
 * after asOf are null and flagged `incomplete`; the cell of the period containing asOf is computed
 * from the data so far and flagged too. The table needs each member's whole history (first period),
 * so it is not an accumulator over rows; the event path is two passes over typed arrays.
 *
 * @param input subscriptions ({@link SubscriptionLike}) or activity events ({@link ActivityEventLike}; detected by `occurredAt`)
 * @throws {InvalidInputError} `invalid_time`, `invalid_option`, `invalid_type`, `missing_value`
 * @example
 * cohortRetention(events, { period: "week", horizon: 8, mode: "onOrAfter", timeZone: "Europe/Berlin",
 *   asOf: "2026-03-01T00:00:00Z" }).rows[0].share
 */
export function cohortRetention(
  input: readonly SubscriptionLike[] | readonly ActivityEventLike[] | readonly ActivityEvent[],
  options: CohortRetentionOptions = {},
): CohortRetentionResult {
  const fn = "cohortRetention";
  if (!Array.isArray(input)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of subscriptions or activity events, found ${formatValue(input)}`,
        },
      ],
      { context: fn },
    );
  }
  if (isEventInput(input)) return fromEvents(fn, input as readonly ActivityEventLike[], options);
  return fromSubscriptions(fn, input as readonly SubscriptionLike[], options);
}
