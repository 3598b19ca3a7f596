/**
 * Customer retention and churn per calendar period, from subscription rows.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { fold, groupBy } from "../core/accumulator.js";
import { invalidOption } from "../core/errors.js";
import {
  type CustomerHistory,
  type CustomerKey,
  type PeriodGrid,
  type SubscriptionLike,
  type SubscriptionMetricOptions,
  boundaryRange,
  internalError,
  keyFunction,
  makeGrid,
  periodIndex,
  readSubscriptions,
  spellsOf,
} from "./_subscription-timeline.js";

/** Denominator of the churn rate. */
export type ChurnDenominator = "start" | "startPlusNew" | "allExposed";

/** Options for {@link customerRetention}. */
export interface CustomerRetentionOptions<R = SubscriptionLike, K = string | null>
  extends SubscriptionMetricOptions {
  /**
   * Denominator of `churnRate`: `"start"` (default, C / S), `"startPlusNew"` (C / (S + N)) or
   * `"allExposed"` (C / (S + N + R), bounded by 1). All three are also in `churnRates`.
   */
  churnDenominator?: ChurnDenominator;
  /** Group customers: `"segment"` or a function of the customer's first row (by startedAt, then subscriptionId). */
  by?: CustomerKey<R, K>;
}

/** One reporting period of {@link customerRetention}. Counts are customers, rates shares 0–1. */
export interface CustomerRetentionRow {
  /** `2026-03`, `2026-W12`, … */
  label: string;
  /** Period start (inclusive). */
  start: Date;
  /** Period end (exclusive). */
  end: Date;
  /** True when the period ends after `asOf` (its end snapshot is not final). */
  incomplete: boolean;
  /** S: customers counted at the start snapshot. */
  startingCustomers: number;
  /** E: customers counted at the end snapshot (= next period's S). */
  endingCustomers: number;
  /** N: customers whose first paid start ever lies in the period. */
  newCustomers: number;
  /** R: customers back after a gap (a paid row starts in the period; not in S; not new). */
  reactivatedCustomers: number;
  /** C = churnedFromStart + churnedNew + churnedReactivated; E = S + N + R − C. */
  churnedCustomers: number;
  /** In S, not in E. */
  churnedFromStart: number;
  /** New in the period and gone by its end. */
  churnedNew: number;
  /** Reactivated in the period and gone by its end. */
  churnedReactivated: number;
  /** S − churnedFromStart. */
  retainedFromStart: number;
  /** C over the chosen denominator (`churnDenominator`); null when it is 0. */
  churnRate: number | null;
  /** The denominator used for `churnRate`. */
  churnDenominator: ChurnDenominator;
  /** All three churn rates. */
  churnRates: { start: number | null; startPlusNew: number | null; allExposed: number | null };
  /** churnedFromStart / S (starting-base churn). */
  startingBaseChurnRate: number | null;
  /** Customer retention rate (E − N) / S; equals 1 − C/S + R/S. Null when S = 0. */
  retentionRate: number | null;
  /** Why a rate is null. */
  nullReasons: { field: string; reason: string }[];
}

/** State of {@link customerRetentionAccumulator}: per-period integer counts (plain JSON). */
export interface CustomerRetentionState {
  /** Coverage difference array over boundaries 0..P (+1). */
  coverage: number[];
  newCustomers: number[];
  reactivated: number[];
  churnedFromStart: number[];
  churnedNew: number[];
  churnedReactivated: number[];
}

/** Flows of one customer on a grid (shared with the MRR movements). */
export interface CustomerFlow {
  /** Merged boundary ranges [lo, hi] the customer is counted at. */
  ranges: [number, number][];
  /** Period of the first paid start (−1 when outside the grid or never paid). */
  firstPeriod: number;
  /** Periods in which the customer is reactivated (ascending, distinct). */
  reactivatedIn: number[];
}

/**
 * Is boundary j inside one of the (sorted, disjoint, inclusive) ranges?
 *
 * @example
 * coveredAt([[0, 1], [4, 5]], 1) //=> true
 * coveredAt([[0, 1], [4, 5]], 2) //=> false
 */
export function coveredAt(ranges: readonly [number, number][], j: number): boolean {
  for (let k = ranges.length - 1; k >= 0; k--) {
    const r = ranges[k]!;
    if (r[0] <= j) return j <= r[1];
  }
  return false;
}

/**
 * Compute a customer's boundary coverage, new period and reactivation periods (definitions: snapshot,
 * new, reactivated). `null` when the customer has no paid time.
 *
 * @example
 * const [jan, feb, mar] = ["2025-01-01", "2025-02-01", "2025-03-01"].map((d) => Date.parse(`${d}T00:00:00Z`));
 * const grid = { period: "month" as const, timeZone: "UTC", weekStartsOn: 1 as const, starts: [jan!, feb!, mar!],
 *   labels: ["2025-01", "2025-02"], asOf: Number.POSITIVE_INFINITY };
 * // One customer paying 30.00 a month (3000 units of 1/100) from 1 January to 15 February.
 * const history = { customerId: "c1", signup: jan!, firstRow: {}, rows: [{ index: 0, subscriptionId: null,
 *   paidStart: jan!, end: Date.parse("2025-02-15T00:00:00Z"), startedAt: jan!, units: 3000n, excluded: null }] };
 * customerFlow(history, grid.starts) //=> { ranges: [[1, 1]], firstPeriod: 0, reactivatedIn: [] }
 */
export function customerFlow(
  history: CustomerHistory<unknown>,
  starts: readonly number[],
): CustomerFlow | null {
  const spells = spellsOf(history.rows);
  if (spells.length === 0) return null;
  const P = starts.length - 1;
  const ranges: [number, number][] = [];
  const spellPeriods: number[] = [];
  for (const s of spells) {
    let [lo, hi] = boundaryRange(starts, s.start, s.end);
    if (hi > P) hi = P;
    spellPeriods.push(periodIndex(starts, s.start));
    if (lo > hi) continue;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else ranges.push([lo, hi]);
  }
  const firstPeriod = spellPeriods[0]!;
  const reactivatedIn: number[] = [];
  for (let k = 1; k < spellPeriods.length; k++) {
    const p = spellPeriods[k]!;
    if (p < 0 || p === firstPeriod || reactivatedIn[reactivatedIn.length - 1] === p) continue;
    if (!coveredAt(ranges, p)) reactivatedIn.push(p);
  }
  return { ranges, firstPeriod, reactivatedIn };
}

/**
 * Mergeable state of customer counts on a fixed period grid. Input: one customer's whole history
 * (customer-level definitions need all of a customer's rows together), so merge = concatenation
 * holds when parts hold disjoint customers.
 *
 * @example
 * const [jan, feb, mar] = ["2025-01-01", "2025-02-01", "2025-03-01"].map((d) => Date.parse(`${d}T00:00:00Z`));
 * const grid = { period: "month" as const, timeZone: "UTC", weekStartsOn: 1 as const, starts: [jan!, feb!, mar!],
 *   labels: ["2025-01", "2025-02"], asOf: Number.POSITIVE_INFINITY };
 * // One customer paying 30.00 a month (3000 units of 1/100) from 1 January to 15 February.
 * const history = { customerId: "c1", signup: jan!, firstRow: {}, rows: [{ index: 0, subscriptionId: null,
 *   paidStart: jan!, end: Date.parse("2025-02-15T00:00:00Z"), startedAt: jan!, units: 3000n, excluded: null }] };
 * fold([history], customerRetentionAccumulator(grid)).map((r) => [r.label, r.newCustomers, r.churnedCustomers])
 * //=> [["2025-01", 1, 0], ["2025-02", 0, 1]]
 */
export function customerRetentionAccumulator(
  grid: PeriodGrid,
  options?: { churnDenominator?: ChurnDenominator },
): Accumulator<CustomerHistory<unknown>, CustomerRetentionState, CustomerRetentionRow[]> {
  const starts = grid.starts;
  const P = Math.max(0, starts.length - 1);
  const zeros = (k: number) => new Array<number>(k).fill(0);
  const denominator = options?.churnDenominator ?? "start";
  return {
    init: () => ({
      coverage: zeros(P + 2),
      newCustomers: zeros(P),
      reactivated: zeros(P),
      churnedFromStart: zeros(P),
      churnedNew: zeros(P),
      churnedReactivated: zeros(P),
    }),
    add(s, history) {
      if (P === 0) return s;
      const f = customerFlow(history, starts);
      if (f === null) return s;
      for (const [lo, hi] of f.ranges) {
        s.coverage[lo]!++;
        s.coverage[hi + 1]!--;
        if (hi < P) s.churnedFromStart[hi]!++;
      }
      const p0 = f.firstPeriod;
      if (p0 >= 0) {
        s.newCustomers[p0]!++;
        if (!coveredAt(f.ranges, p0 + 1)) s.churnedNew[p0]!++;
      }
      for (const p of f.reactivatedIn) {
        s.reactivated[p]!++;
        if (!coveredAt(f.ranges, p + 1)) s.churnedReactivated[p]!++;
      }
      return s;
    },
    merge(a, b) {
      for (const k of [
        "coverage",
        "newCustomers",
        "reactivated",
        "churnedFromStart",
        "churnedNew",
        "churnedReactivated",
      ] as const) {
        const x = a[k];
        const y = b[k];
        for (let i = 0; i < x.length; i++) x[i]! += y[i]!;
      }
      return a;
    },
    result(s) {
      const out: CustomerRetentionRow[] = [];
      let cov = 0;
      const atBoundary: number[] = [];
      for (let j = 0; j <= P; j++) {
        cov += s.coverage[j]!;
        atBoundary.push(cov);
      }
      for (let m = 0; m < P; m++) {
        const S = atBoundary[m]!;
        const E = atBoundary[m + 1]!;
        const N = s.newCustomers[m]!;
        const R = s.reactivated[m]!;
        const cfs = s.churnedFromStart[m]!;
        const cn = s.churnedNew[m]!;
        const cr = s.churnedReactivated[m]!;
        const C = cfs + cn + cr;
        if (E !== S + N + R - C)
          internalError("customerRetention", `E = S + N + R − C fails in ${grid.labels[m]}`);
        const nullReasons: { field: string; reason: string }[] = [];
        const rate = (num: number, den: number, field: string, why: string): number | null => {
          if (den !== 0) return num / den;
          nullReasons.push({ field, reason: why });
          return null;
        };
        const rates = {
          start: rate(C, S, "churnRates.start", "no customers at the period start (S = 0)"),
          startPlusNew: rate(
            C,
            S + N,
            "churnRates.startPlusNew",
            "no customers at the start and none new (S + N = 0)",
          ),
          allExposed: rate(C, S + N + R, "churnRates.allExposed", "no customers exposed (S + N + R = 0)"),
        };
        const startingBase = S === 0 ? null : cfs / S;
        const retention = S === 0 ? null : (E - N) / S;
        if (S === 0) {
          nullReasons.push({
            field: "startingBaseChurnRate",
            reason: "no customers at the period start (S = 0)",
          });
          nullReasons.push({ field: "retentionRate", reason: "no customers at the period start (S = 0)" });
        }
        const churnRate = rates[denominator];
        if (churnRate === null)
          nullReasons.push({
            field: "churnRate",
            reason: nullReasons.find((r) => r.field === `churnRates.${denominator}`)!.reason,
          });
        out.push({
          label: grid.labels[m]!,
          start: new Date(grid.starts[m]!),
          end: new Date(grid.starts[m + 1]!),
          incomplete: grid.starts[m + 1]! > grid.asOf,
          startingCustomers: S,
          endingCustomers: E,
          newCustomers: N,
          reactivatedCustomers: R,
          churnedCustomers: C,
          churnedFromStart: cfs,
          churnedNew: cn,
          churnedReactivated: cr,
          retainedFromStart: S - cfs,
          churnRate,
          churnDenominator: denominator,
          churnRates: rates,
          startingBaseChurnRate: startingBase,
          retentionRate: retention,
          nullReasons,
        });
      }
      return out;
    },
  };
}

const DENOMINATORS: readonly ChurnDenominator[] = ["start", "startPlusNew", "allExposed"];

/**
 * Customer counts and churn per calendar period, from subscription rows.
 *
 * Definitions (the defaults of `../shared/reference/retention.json`, after ChartMogul/Baremetrics
 * usage made precise): a row is paid from `trialEnd ?? startedAt` to `endedAt` (trial time is
 * not customer time). A customer is counted at a period boundary b iff some paid row has
 * `paidStart < b ≤ endedAt` (the state just before b: a row ending exactly at b is still counted
 * at b, its churn belongs to the period containing b). Then per period:
 * S = counted at the start, E = counted at the end, N = first paid start ever in the period,
 * R = a paid row starts in the period, not in S, not new (once per customer), C = (S ∪ N ∪ R) − E,
 * so E = S + N + R − C exactly (checked; a violation throws an internal error).
 *
 * - `churnRate` = C / S (`"start"`, default), C / (S + N) (`"startPlusNew"`) or C / (S + N + R)
 *   (`"allExposed"`, the only one bounded by 1).
 * - `retentionRate` = (E − N) / S (customer retention rate, CRR; Kumar & Reinartz). It is not
 *   1 − churnRate when customers come back: it equals 1 − C/S + R/S.
 * - Rates are the correctly rounded float64 of the exact ratio of counts (one division of two integers).
 *
 * Rows with an empty paid interval (ended at start, or within the trial) or still in trial at
 * `asOf` are excluded. Counting is an accumulator over customers (the whole history of each
 * customer is needed: reactivation and "new" look at all of a customer's rows).
 *
 * @param subscriptions parsed {@link Subscription} rows (or raw records with offsets on instants)
 * @returns one row per period from `from` to `to`, or a `Map` of such arrays per group when `by` is given
 * @throws {InvalidInputError} `invalid_time`, `out_of_range` (end before start), `invalid_currency`, `invalid_option`
 * @example
 * const subs = parseSubscriptions([
 *   { customerId: "c1", billingInterval: "month", amount: "30", startedAt: "2025-01-01T00:00:00Z", endedAt: "2025-02-15T00:00:00Z" },
 *   { customerId: "c2", billingInterval: "month", amount: "50", startedAt: "2025-01-01T00:00:00Z" },
 *   { customerId: "c3", billingInterval: "year", amount: "600", startedAt: "2025-02-10T00:00:00Z" },
 * ]);
 * const rows = customerRetention(subs, { from: "2025-01-01T00:00:00Z", to: "2025-03-31T00:00:00Z", period: "month" });
 * rows.map((r) => [r.label, r.startingCustomers, r.newCustomers, r.churnedCustomers, r.churnRate])
 * //=> [["2025-01", 0, 2, 0, null], ["2025-02", 2, 1, 1, 0.5], ["2025-03", 2, 0, 0, 0]]
 * rows[1]?.churnRates //=> { start: 0.5, startPlusNew: 0.3333333333333333, allExposed: 0.3333333333333333 }
 */
export function customerRetention<R extends SubscriptionLike>(
  subscriptions: readonly R[],
  options?: CustomerRetentionOptions<R> & { by?: undefined },
): CustomerRetentionRow[];
export function customerRetention<R extends SubscriptionLike, K>(
  subscriptions: readonly R[],
  options: CustomerRetentionOptions<R, K> & { by: CustomerKey<R, K> },
): Map<K, CustomerRetentionRow[]>;
export function customerRetention<R extends SubscriptionLike, K>(
  subscriptions: readonly R[],
  options: CustomerRetentionOptions<R, K> = {},
): CustomerRetentionRow[] | Map<K, CustomerRetentionRow[]> {
  const fn = "customerRetention";
  const denominator = options.churnDenominator ?? "start";
  if (!DENOMINATORS.includes(denominator))
    invalidOption(fn, "churnDenominator", `one of ${DENOMINATORS.join(", ")}`, denominator);
  const tl = readSubscriptions(fn, subscriptions, options);
  const grid = makeGrid(fn, options, tl.minPaidStart, tl.maxInstant);
  const acc = customerRetentionAccumulator(grid, { churnDenominator: denominator });
  if (options.by === undefined) return fold(tl.customers, acc);
  return groupBy(tl.customers, keyFunction<R, K>(options.by), acc, { order: "key" });
}
