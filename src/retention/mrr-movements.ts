/**
 * MRR movements (new, expansion, contraction, churn, reactivation), gross and net revenue
 * retention and the SaaS quick ratio per calendar period, from subscription rows. Money is exact.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { fold, groupBy } from "../core/accumulator.js";
import type { Decimal } from "../core/money.js";
import {
  type CustomerHistory,
  type CustomerKey,
  type PeriodGrid,
  type SubscriptionLike,
  type SubscriptionMetricOptions,
  bigRatio,
  boundaryRange,
  internalError,
  keyFunction,
  makeGrid,
  periodIndex,
  readSubscriptions,
  unitsToDecimal,
} from "./_subscription-timeline.js";

/** Options for {@link mrrMovements}. */
export interface MrrMovementsOptions<R = SubscriptionLike, K = string | null>
  extends SubscriptionMetricOptions {
  /** Group customers: `"segment"` or a function of the customer's first row (by startedAt, then subscriptionId). */
  by?: CustomerKey<R, K>;
}

/** Movement kinds. */
export type MrrMovementKind = "new" | "expansion" | "contraction" | "churn" | "reactivation";

/** One period of {@link mrrMovements}. Money in the subscriptions' currency per month, exact `Decimal`. */
export interface MrrMovementsRow {
  label: string;
  start: Date;
  end: Date;
  /** True when the period ends after `asOf`. */
  incomplete: boolean;
  /** MRR at the start snapshot. */
  startingMrr: Decimal;
  /** MRR of customers at 0 at the start and > 0 at the end who are new in the period. */
  new: Decimal;
  /** Increase of customers > 0 at both snapshots. */
  expansion: Decimal;
  /** Decrease of customers > 0 at both snapshots (positive number). */
  contraction: Decimal;
  /** Start MRR of customers > 0 at the start and 0 at the end (positive number). */
  churn: Decimal;
  /** MRR of customers at 0 at the start and > 0 at the end who are not new. */
  reactivation: Decimal;
  /** MRR at the end snapshot = start + new + expansion − contraction − churn + reactivation (checked). */
  endingMrr: Decimal;
  /** endingMrr − startingMrr. */
  netChange: Decimal;
  /** (start − contraction − churn) / start; null when start = 0. */
  grossRevenueRetention: number | null;
  /** (start + expansion − contraction − churn) / start; null when start = 0. */
  netRevenueRetention: number | null;
  /** (new + expansion + reactivation) / (contraction + churn); null when the denominator is 0. */
  quickRatio: number | null;
  /** Customers per movement. */
  customers: Record<MrrMovementKind, number>;
  /** Why a ratio is null. */
  nullReasons: { field: string; reason: string }[];
}

/** State of {@link mrrMovementsAccumulator}: exact integer units (bigint; structured-clone-able, not JSON). */
export interface MrrMovementsState {
  /** Difference array over boundaries of total MRR units. */
  level: bigint[];
  movement: Record<MrrMovementKind, bigint[]>;
  customers: Record<MrrMovementKind, number[]>;
}

const KINDS: readonly MrrMovementKind[] = ["new", "expansion", "contraction", "churn", "reactivation"];

/**
 * Mergeable MRR-movement state on a fixed grid. Input: one customer's whole history with MRR in
 * units of `1 / unitsPerCurrency` (as read by the library); merge = concatenation for parts
 * holding disjoint customers.
 *
 * @example
 * const [jan, feb, mar] = ["2025-01-01", "2025-02-01", "2025-03-01"].map((d) => Date.parse(`${d}T00:00:00Z`));
 * const grid = { period: "month" as const, timeZone: "UTC", weekStartsOn: 1 as const, starts: [jan!, feb!, mar!],
 *   labels: ["2025-01", "2025-02"], asOf: Number.POSITIVE_INFINITY };
 * // One customer paying 30.00 a month (3000 units of 1/100) from 1 January to 15 February.
 * const history = { customerId: "c1", signup: jan!, firstRow: {}, rows: [{ index: 0, subscriptionId: null,
 *   paidStart: jan!, end: Date.parse("2025-02-15T00:00:00Z"), startedAt: jan!, units: 3000n, excluded: null }] };
 * fold([history], mrrMovementsAccumulator(grid, 100n)).map((r) => [r.label, r.new.toString(), r.churn.toString()])
 * //=> [["2025-01", "30", "0"], ["2025-02", "0", "30"]]
 */
export function mrrMovementsAccumulator(
  grid: PeriodGrid,
  unitsPerCurrency: bigint,
): Accumulator<CustomerHistory<unknown>, MrrMovementsState, MrrMovementsRow[]> {
  const starts = grid.starts;
  const P = Math.max(0, starts.length - 1);
  const big = (k: number) => new Array<bigint>(k).fill(0n);
  const num = (k: number) => new Array<number>(k).fill(0);
  return {
    init: () => ({
      level: big(P + 2),
      movement: { new: big(P), expansion: big(P), contraction: big(P), churn: big(P), reactivation: big(P) },
      customers: { new: num(P), expansion: num(P), contraction: num(P), churn: num(P), reactivation: num(P) },
    }),
    add(s, history) {
      if (P === 0) return s;
      const events: { j: number; u: bigint }[] = [];
      let firstPaid = Number.NaN;
      for (const r of history.rows) {
        if (r.excluded) continue;
        if (Number.isNaN(firstPaid)) firstPaid = r.paidStart;
        let [lo, hi] = boundaryRange(starts, r.paidStart, r.end);
        if (hi > P) hi = P;
        if (lo > hi || r.units === 0n) continue;
        s.level[lo]! += r.units;
        s.level[hi + 1]! -= r.units;
        events.push({ j: lo, u: r.units }, { j: hi + 1, u: -r.units });
      }
      if (events.length === 0) return s;
      const newIn = periodIndex(starts, firstPaid);
      events.sort((a, b) => a.j - b.j);
      let v = 0n;
      let k = 0;
      while (k < events.length) {
        const j = events[k]!.j;
        const before = v;
        while (k < events.length && events[k]!.j === j) v += events[k++]!.u;
        if (j < 1 || j > P || v === before) continue;
        const m = j - 1;
        let kind: MrrMovementKind;
        let amount: bigint;
        if (before === 0n) {
          kind = newIn === m ? "new" : "reactivation";
          amount = v;
        } else if (v === 0n) {
          kind = "churn";
          amount = before;
        } else if (v > before) {
          kind = "expansion";
          amount = v - before;
        } else {
          kind = "contraction";
          amount = before - v;
        }
        s.movement[kind][m]! += amount;
        s.customers[kind][m]!++;
      }
      return s;
    },
    merge(a, b) {
      for (let i = 0; i < a.level.length; i++) a.level[i]! += b.level[i]!;
      for (const kind of KINDS) {
        const x = a.movement[kind];
        const y = b.movement[kind];
        const cx = a.customers[kind];
        const cy = b.customers[kind];
        for (let i = 0; i < x.length; i++) {
          x[i]! += y[i]!;
          cx[i]! += cy[i]!;
        }
      }
      return a;
    },
    result(s) {
      const levels: bigint[] = [];
      let lv = 0n;
      for (let j = 0; j <= P; j++) {
        lv += s.level[j]!;
        levels.push(lv);
      }
      const dec = (u: bigint) => unitsToDecimal(u, unitsPerCurrency);
      const out: MrrMovementsRow[] = [];
      for (let m = 0; m < P; m++) {
        const s0 = levels[m]!;
        const s1 = levels[m + 1]!;
        const mv = (k: MrrMovementKind) => s.movement[k][m]!;
        const nw = mv("new");
        const ex = mv("expansion");
        const co = mv("contraction");
        const ch = mv("churn");
        const re = mv("reactivation");
        if (s1 !== s0 + nw + ex - co - ch + re) {
          internalError("mrrMovements", `end MRR ≠ start + movements in ${grid.labels[m]}`);
        }
        const nullReasons: { field: string; reason: string }[] = [];
        if (s0 === 0n) {
          nullReasons.push({ field: "grossRevenueRetention", reason: "starting MRR is 0" });
          nullReasons.push({ field: "netRevenueRetention", reason: "starting MRR is 0" });
        }
        if (co + ch === 0n)
          nullReasons.push({ field: "quickRatio", reason: "no contraction and no churn (denominator 0)" });
        const customers = {} as Record<MrrMovementKind, number>;
        for (const k of KINDS) customers[k] = s.customers[k][m]!;
        out.push({
          label: grid.labels[m]!,
          start: new Date(starts[m]!),
          end: new Date(starts[m + 1]!),
          incomplete: starts[m + 1]! > grid.asOf,
          startingMrr: dec(s0),
          new: dec(nw),
          expansion: dec(ex),
          contraction: dec(co),
          churn: dec(ch),
          reactivation: dec(re),
          endingMrr: dec(s1),
          netChange: dec(s1 - s0),
          grossRevenueRetention: bigRatio(s0 - co - ch, s0),
          netRevenueRetention: bigRatio(s0 + ex - co - ch, s0),
          quickRatio: bigRatio(nw + ex + re, co + ch),
          customers,
          nullReasons,
        });
      }
      return out;
    },
  };
}

/**
 * MRR movements per calendar period (ChartMogul / Baremetrics movement categories, made precise
 * in the definitions of `../shared/reference/retention.json`).
 *
 * Row MRR = amount normalised to a month: month → amount / intervalCount, year → amount / 12,
 * quarter → amount / 3, week → amount × 52 / 12, day → amount × 365 / 12 (each divided by
 * `intervalCount`); exact rationals (integer units internally, `Decimal` out). A customer's MRR at
 * a boundary b is the sum over rows with `paidStart < b ≤ endedAt` (trial time has no MRR).
 * Per customer and period compare the start value m0 with the end value m1: 0 → >0 is new (if
 * the first paid start is in the period) or reactivation; >0 → 0 churn (m0); both >0 expansion or
 * contraction by the difference. Changes that cancel inside a period produce no movement.
 *
 * - GRR = (start − contraction − churn) / start; NRR = (start + expansion − contraction − churn) / start;
 *   quick ratio = (new + expansion + reactivation) / (contraction + churn) (Mamoon Hamid, Social Capital).
 *   Ratios are the correctly rounded float64 of the exact rational.
 * - The identity end = start + new + expansion − contraction − churn + reactivation holds exactly and
 *   is checked (a violation throws an internal error).
 *
 * @returns one row per period, or a `Map` of arrays per group when `by` is given
 * @throws {InvalidInputError} `invalid_time`, `out_of_range`, `invalid_currency`, `invalid_option`
 * @example
 * const subs = parseSubscriptions([
 *   { customerId: "c1", billingInterval: "month", amount: "30", startedAt: "2025-01-01T00:00:00Z", endedAt: "2025-02-15T00:00:00Z" },
 *   { customerId: "c2", billingInterval: "month", amount: "50", startedAt: "2025-01-01T00:00:00Z" },
 *   { customerId: "c3", billingInterval: "year", amount: "600", startedAt: "2025-02-10T00:00:00Z" },
 * ]);
 * const feb = mrrMovements(subs, { from: "2025-01-01T00:00:00Z", to: "2025-03-31T00:00:00Z" })[1]!;
 * [feb.startingMrr, feb.new, feb.churn, feb.endingMrr].map(String); //=> ["80", "50", "30", "100"]
 * [feb.grossRevenueRetention, feb.netRevenueRetention, feb.quickRatio] //=> [0.625, 0.625, 1.6666666666666667]
 */
export function mrrMovements<R extends SubscriptionLike>(
  subscriptions: readonly R[],
  options?: MrrMovementsOptions<R> & { by?: undefined },
): MrrMovementsRow[];
export function mrrMovements<R extends SubscriptionLike, K>(
  subscriptions: readonly R[],
  options: MrrMovementsOptions<R, K> & { by: CustomerKey<R, K> },
): Map<K, MrrMovementsRow[]>;
export function mrrMovements<R extends SubscriptionLike, K>(
  subscriptions: readonly R[],
  options: MrrMovementsOptions<R, K> = {},
): MrrMovementsRow[] | Map<K, MrrMovementsRow[]> {
  const fn = "mrrMovements";
  const tl = readSubscriptions(fn, subscriptions, options);
  const grid = makeGrid(fn, options, tl.minPaidStart, tl.maxInstant);
  const acc = mrrMovementsAccumulator(grid, tl.unitsPerCurrency);
  if (options.by === undefined) return fold(tl.customers, acc);
  return groupBy(tl.customers, keyFunction<R, K>(options.by), acc, { order: "key" });
}
