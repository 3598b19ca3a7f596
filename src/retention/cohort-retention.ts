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
import { isoMs, periodLocator } from "./_event-time.js";

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

/** Resolved options shared by the cohort builders. */
export interface CohortCommon {
  period: Period;
  cal: { timeZone: string; weekStartsOn: NonNullable<CalendarOptions["weekStartsOn"]> };
  horizon: number;
  mode: CohortMode;
}

function common(fn: string, options: CohortRetentionOptions): CohortCommon {
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
 * `starts`: grid boundaries; the grid's last period contains asOf − 1. `counts` are indexed by
 * cohort period q and offset k as `q * (horizon + 1) + k`. Shared with the SQL pushdown
 * (cxmetrics/sql), so both build the same result object.
 *
 * @example
 * const t = buildCohortTable({ period: "month", mode: "active", horizon: 1 }, [0, 10, 20], ["a", "b"], 20, 0, 0,
 *   { size: new Float64Array([2, 0]), active: new Float64Array([2, 1, 0, 0]), onOrAfter: new Float64Array(4) });
 * t.rows[0]?.share //=> [1, 0.5]
 */
export function buildCohortTable(
  c: Pick<CohortCommon, "period" | "mode" | "horizon">,
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
  return buildCohortTable(c, starts, labels, asOf, first, last, { size, active, onOrAfter });
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

/**
 * Fast strict ISO-8601 reader for `YYYY-MM-DD(T| )HH:MM(:SS(.f…)?)?(Z|z|±HH:MM)`: epoch ms, equal
 * to `Date.parse` on every string it accepts (fractions beyond ms truncated, as `Date.parse` does),
 * NaN for any other shape (the general parser then takes over and reports errors). No allocation.
 *
 * @example
 * fastIsoMs("2026-01-05T10:00:00+01:00") //=> 1767603600000
 * Number.isNaN(fastIsoMs("5 Jan 2026")) //=> true
 */
export function fastIsoMs(s: string): number {
  return isoMs(s);
}

function eventMs(fn: string, v: unknown, index: number): number {
  if (typeof v === "string") {
    const t = isoMs(v);
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
 * Per-user state, one Int32 run of S = 1 + W slots per user (one cache line for up to 480 periods):
 * `[first + 2, activity bits × W]` where first is the user's first cohort-event period (state 0:
 * none yet; 1: before the grid, in no cohort shown) and bit p of the words is set when the user has
 * a (return) event in period p.
 */
interface UserStates {
  st: Int32Array;
  /** Users (slots) with room. */
  cap: number;
}

/** Copy states to a new stride, periods shifted by `shift` (the grid grew backwards). */
function restride(s: UserStates, used: number, oldS: number, newS: number, shift: number): void {
  const out = new Int32Array(s.cap * newS);
  const oldW = oldS - 1;
  for (let u = 0; u < used; u++) {
    const o = u * oldS;
    const f = s.st[o]!;
    const n = u * newS;
    out[n] = f >= 2 ? f + shift : f;
    for (let w = 0; w < oldW; w++) {
      let x = s.st[o + 1 + w]!;
      while (x !== 0) {
        const b = 31 - Math.clz32(x);
        x &= ~(1 << b);
        const p = w * 32 + b + shift;
        out[n + 1 + (p >>> 5)]! |= 1 << (p & 31);
      }
    }
  }
  s.st = out;
}

function grow(s: UserStates, minCap: number, maxCap: number, S: number): void {
  let c = Math.max(1024, s.cap);
  while (c < minCap) c *= 2;
  c = Math.min(c, Math.max(maxCap, minCap));
  const out = new Int32Array(c * S);
  out.set(s.st);
  s.st = out;
  s.cap = c;
}

function emptyResult(c: CohortCommon, asOf: number): CohortRetentionResult {
  return {
    period: c.period,
    mode: c.mode,
    horizon: c.horizon,
    asOf: new Date(asOf),
    rows: [],
    nullReasons: [],
  };
}

/** The event path's period grid from `fromMs` to the period containing asOf − 1. */
interface EventGrid {
  starts: number[];
  labels: string[];
  P: number;
  /** Int32 slots per user: 1 + W activity words, with room for bit P. */
  S: number;
  start: number;
  table: Int32Array | null;
  step: number;
}

function eventGrid(c: CohortCommon, fromMs: number, asOf: number): EventGrid {
  const { starts, labels } = periodRange(fromMs, asOf - 1, c.period, c.cal);
  const P = labels.length;
  const loc = periodLocator(starts);
  return {
    starts,
    labels,
    P,
    // room for bit P too (an instant in [starts[P], asOf) when asOf has a fraction of a ms)
    S: 1 + Math.max(1, (P + 32) >>> 5),
    start: starts[0]!,
    table: loc === null ? null : loc.table,
    step: loc === null ? 1 : loc.step,
  };
}

/**
 * Events → table in one pass over the records (two when `asOf` must be found first), with no
 * per-event buffers: per user only the first cohort period and a bitset of active periods, in one
 * Int32 run (see {@link UserStates}). Small non-negative integer user ids index the states directly;
 * other ids are interned in a Map. The period of an instant comes from a bucket table (one division
 * and one load). Allocating per-event typed arrays made V8 run full collections of the caller's heap.
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
  const needType = cohortEvent !== null || returnEvent !== null;
  const n = events.length;
  let asOf = options.asOf === undefined ? Number.NaN : instantAt(fn, options.asOf, null, "asOf");
  const fromOpt = options.from === undefined ? Number.NaN : instantAt(fn, options.from, null, "from");
  if (Number.isNaN(asOf)) {
    // asOf defaults to the last event: one extra pass to find it
    let maxT = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const e = events[i]!;
      checkEvent(fn, e, i);
      const v = e.occurredAt;
      let t = typeof v === "string" ? isoMs(v) : v instanceof Date ? v.getTime() : Number.NaN;
      if (Number.isNaN(t)) t = eventMs(fn, v, i);
      if (t > maxT) maxT = t;
    }
    asOf = maxT + 1;
  }
  if (n === 0 || !Number.isFinite(asOf)) return emptyResult(c, asOf);
  const asOfMs = asOf;
  // The grid starts at `from`, or (without it) at the first event seen, extended backwards when an
  // earlier event arrives (per-user data are then shifted): no pass just to find the minimum.
  // Hot-loop state lives in plain locals (no closures: captured variables cost a context load).
  let g: EventGrid | null = null;
  let gridStart = Number.POSITIVE_INFINITY;
  let table: Int32Array | null = null;
  let step = 1;
  let S = 2;
  let starts: number[] = [];
  // numeric ids 0 ≤ u < directCap index `direct` (set with the first grid); others go through `ids`
  let directCap = 0;
  const direct: UserStates = { st: new Int32Array(0), cap: 0 };
  const mapped: UserStates = { st: new Int32Array(0), cap: 0 };
  let dst = direct.st;
  let dcap = 0;
  let mst = mapped.st;
  let mcap = 0;
  const ids = new Map<string | number, number>();
  let directUsed = 0;
  const fixedFrom = !Number.isNaN(fromOpt);
  if (fixedFrom) {
    if (!(fromOpt < asOfMs)) return emptyResult(c, asOfMs);
    g = eventGrid(c, fromOpt, asOfMs);
    directCap = Math.max(1 << 16, Math.floor((4 * n) / g.S));
    gridStart = g.start;
    table = g.table;
    step = g.step;
    S = g.S;
    starts = g.starts;
  }
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    checkEvent(fn, e, i);
    const v = e.occurredAt;
    let t: number;
    if (typeof v === "string") {
      t = isoMs(v);
      if (Number.isNaN(t)) t = eventMs(fn, v, i);
    } else if (v instanceof Date) {
      t = v.getTime();
      if (Number.isNaN(t)) t = eventMs(fn, v, i);
    } else t = eventMs(fn, v, i);
    const u = e.userId;
    if (typeof u === "string" ? u === "" : !(typeof u === "number" && Number.isFinite(u))) badUser(fn, i, u);
    if (t >= asOfMs) continue;
    if (t < gridStart && !fixedFrom) {
      const g2 = eventGrid(c, t, asOfMs);
      if (g === null) directCap = Math.max(1 << 16, Math.floor((4 * n) / g2.S));
      else {
        // the new grid ends where the old one did: old period p is new period p + shift
        const shift = upperBound(g2.starts, g.start) - 1;
        if (g2.starts[shift] !== g.start) internalError(fn, "grid extension misaligned");
        restride(direct, directUsed, g.S, g2.S, shift);
        restride(mapped, ids.size, g.S, g2.S, shift);
        dst = direct.st;
        mst = mapped.st;
      }
      g = g2;
      gridStart = g.start;
      table = g.table;
      step = g.step;
      S = g.S;
      starts = g.starts;
    }
    let p: number;
    if (t < gridStart) p = -1;
    else if (table !== null) p = table[Math.floor((t - gridStart) / step)] ?? upperBound(starts, t) - 1;
    else p = upperBound(starts, t) - 1;
    let st: Int32Array;
    let o: number;
    if (typeof u === "number" && u >= 0 && (u | 0) === u && u < directCap) {
      if (u >= dcap) {
        grow(direct, u + 1, directCap, S);
        dst = direct.st;
        dcap = direct.cap;
      }
      if (u >= directUsed) directUsed = u + 1;
      st = dst;
      o = u * S;
    } else {
      let m = ids.get(u);
      if (m === undefined) {
        m = ids.size;
        ids.set(u, m);
        if (m >= mcap) {
          grow(mapped, m + 1, Number.POSITIVE_INFINITY, S);
          mst = mapped.st;
          mcap = mapped.cap;
        }
      }
      st = mst;
      o = m * S;
    }
    const et = needType ? (e.eventType ?? null) : null;
    if (cohortEvent === null || et === cohortEvent) {
      const f = p < 0 ? 1 : p + 2;
      const cur = st[o]!;
      if (cur === 0 || f < cur) st[o] = f;
    }
    if (p >= 0 && (returnEvent === null || et === returnEvent)) st[o + 1 + (p >>> 5)]! |= 1 << (p & 31);
  }
  if (g === null) return emptyResult(c, asOfMs);
  const { labels, P } = g;
  const H = c.horizon + 1;
  const size = new Float64Array(P);
  const active = new Float64Array(P * H);
  const onOrAfter = new Float64Array(P * H);
  let dataFirst = P;
  const W = S - 1;
  for (const [s, used] of [
    [direct, directUsed],
    [mapped, ids.size],
  ] as const) {
    const st = s.st;
    for (let u = 0; u < used; u++) {
      const base = u * S;
      const q = st[base]! - 2;
      if (q < 0 || q >= P) continue;
      if (q < dataFirst) dataFirst = q;
      size[q]!++;
      let last = -1;
      for (let w = W - 1; w >= 0; w--) {
        const x = st[base + 1 + w]!;
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
        if ((st[base + 1 + (p >>> 5)]! >>> (p & 31)) & 1) active[row + k]!++;
      }
    }
  }
  const [f0, l0] = cohortRange(fn, options, starts, dataFirst, P);
  return buildCohortTable(c, starts, labels, asOf, f0, l0, { size, active, onOrAfter });
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
 * const events = parseActivityEvents([
 *   { userId: "u1", occurredAt: "2026-01-05T10:00:00Z" },
 *   { userId: "u1", occurredAt: "2026-01-14T10:00:00Z" },
 *   { userId: "u2", occurredAt: "2026-01-06T10:00:00Z" },
 * ]);
 * const table = cohortRetention(events, { period: "week", horizon: 3, mode: "onOrAfter", asOf: "2026-02-01T00:00:00Z" });
 * table.rows[0]?.cohort //=> "2026-W02"
 * table.rows[0]?.share //=> [1, 0.5, 0, 0]
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
