/**
 * Repeat purchase from an order log: orders, buyers, repeat buyers, repeat purchase rate, purchase
 * frequency, revenue and average order value, per calendar period in a time zone and over the window.
 *
 * @module
 */
import { type Accumulator, mergeStates } from "../core/accumulator.js";
import { byPeriodState } from "../core/by-period.js";
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal, toDecimal } from "../core/money.js";
import {
  type CalendarOptions,
  type InstantInput,
  type Period,
  checkPeriod,
  checkTimeZone,
  parseInstant,
} from "../core/time.js";
import type { Order } from "../schemas/order.js";

/** The fields {@link repeatPurchase} reads from an order (a parsed {@link Order} has them all). */
export type RepeatPurchaseOrder = Pick<Order, "customerId" | "orderedAt"> & {
  amount: Decimal | string | number;
};

/**
 * Accumulator state: order count, exact revenue, orders per buyer. Holds a `Map` keyed by customer id
 * (a buyer named `__proto__` is data); serialise it as `[...perBuyer]` to cross a process boundary.
 */
export interface RepeatPurchaseState {
  orders: number;
  revenue: Decimal;
  perBuyer: Map<string, number>;
}

/** Repeat-purchase figures for one set of orders. */
export interface RepeatPurchaseSummary {
  /** Number of orders. */
  orders: number;
  /** Distinct buyers with at least one order. */
  buyers: number;
  /** Buyers with at least two orders in the set. */
  repeatBuyers: number;
  /** repeatBuyers / buyers (share 0–1); `null` when there are no buyers. */
  repeatPurchaseRate: number | null;
  /** orders / buyers (orders per buyer); `null` when there are no buyers. */
  purchaseFrequency: number | null;
  /** Sum of amounts (exact, currency units). */
  revenue: Decimal;
  /** revenue / orders (exact to 40 significant digits); `null` when there are no orders. */
  averageOrderValue: Decimal | null;
  /** Why the ratios are `null`: `"no_orders"`; otherwise `null`. */
  reason: "no_orders" | null;
}

/** One period of {@link repeatPurchase}. */
export interface RepeatPurchasePeriod extends RepeatPurchaseSummary {
  /** `2025-03`, `2025-W10`, … */
  label: string;
  /** Inclusive start (the period's local midnight in `timeZone`). */
  start: Date;
  /** Exclusive end. */
  end: Date;
}

/** Options for {@link repeatPurchase}. */
export interface RepeatPurchaseOptions extends CalendarOptions {
  /** Calendar period (default `"month"`). */
  period?: Period;
  /** First period of the reporting window (an instant, or a local date such as `"2025-01-01"` read in `timeZone`). */
  from?: InstantInput;
  /** Last period of the reporting window: the period containing this instant is included. */
  to?: InstantInput;
}

/** Result of {@link repeatPurchase}. */
export interface RepeatPurchaseResult {
  period: Period;
  timeZone: string;
  /** Every period of the window in order, empty ones included. */
  periods: RepeatPurchasePeriod[];
  /** The same figures over all orders in the window (a buyer repeats if they ordered twice in the window). */
  total: RepeatPurchaseSummary;
  /** Orders left out: outside the `from`/`to` window. */
  excluded: { outsideWindow: number };
}

const D40 = Decimal.clone({ precision: 40 });

/**
 * The mergeable state behind {@link repeatPurchase} (merge = concatenation of the order sets).
 *
 * @example
 * const orders = parseOrders([
 *   { orderId: "o1", customerId: "a", orderedAt: "2025-01-03T10:00:00Z", amount: "20" },
 *   { orderId: "o2", customerId: "a", orderedAt: "2025-02-03T10:00:00Z", amount: "25" },
 *   { orderId: "o3", customerId: "b", orderedAt: "2025-01-20T10:00:00Z", amount: "40" },
 * ]);
 * const all = fold(orders, repeatPurchaseAccumulator());
 * [all.buyers, all.repeatBuyers, all.repeatPurchaseRate, all.purchaseFrequency] //=> [2, 1, 0.5, 1.5]
 */
export function repeatPurchaseAccumulator(): Accumulator<
  RepeatPurchaseOrder,
  RepeatPurchaseState,
  RepeatPurchaseSummary
> {
  return {
    init: () => ({ orders: 0, revenue: new Decimal(0), perBuyer: new Map() }),
    add: (st, x, index) => {
      const id = x?.customerId;
      if (typeof id !== "string" || id === "") {
        throw new InvalidInputError(
          [
            {
              index,
              path: ["customerId"],
              code: "invalid_type",
              message: `customerId is ${formatValue(id)}; expected a non-empty string`,
            },
          ],
          { context: "repeatPurchase", code: "invalid_type" },
        );
      }
      const amount = toDecimal(x.amount, { index, path: ["amount"], fn: "repeatPurchase" });
      st.orders++;
      st.revenue = st.revenue.plus(amount);
      st.perBuyer.set(id, (st.perBuyer.get(id) ?? 0) + 1);
      return st;
    },
    merge: (a, b) => {
      a.orders += b.orders;
      a.revenue = a.revenue.plus(b.revenue);
      for (const [id, k] of b.perBuyer) a.perBuyer.set(id, (a.perBuyer.get(id) ?? 0) + k);
      return a;
    },
    result: summarize,
  };
}

function summarize(st: RepeatPurchaseState): RepeatPurchaseSummary {
  let repeatBuyers = 0;
  for (const k of st.perBuyer.values()) if (k >= 2) repeatBuyers++;
  return repeatPurchaseFromCounts({
    orders: st.orders,
    buyers: st.perBuyer.size,
    repeatBuyers,
    revenue: st.revenue,
  });
}

/**
 * The repeat-purchase figures from counts made elsewhere (a database, another pipeline): the
 * formulas {@link repeatPurchase} applies — rate = repeatBuyers / buyers, frequency = orders / buyers,
 * AOV = revenue / orders (exact to 40 significant digits); `null` ratios with reason `"no_orders"`
 * when there are no orders. `cxmetrics/sql`'s `repeatPurchaseSql` finalises with it.
 *
 * @throws {InvalidInputError} `invalid_option` for counts that are not non-negative integers with
 *   repeatBuyers ≤ buyers ≤ orders, or buyers = 0 while orders > 0.
 * @example
 * const s = repeatPurchaseFromCounts({ orders: 3, buyers: 2, repeatBuyers: 1, revenue: new Decimal("85") });
 * [s.repeatPurchaseRate, s.purchaseFrequency, s.averageOrderValue?.toString()] //=> [0.5, 1.5, "28.33333333333333333333333333333333333333"]
 */
export function repeatPurchaseFromCounts(counts: {
  orders: number;
  buyers: number;
  repeatBuyers: number;
  revenue: Decimal;
}): RepeatPurchaseSummary {
  const { orders, buyers, repeatBuyers, revenue } = counts;
  const count = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
  if (
    !count(orders) ||
    !count(buyers) ||
    !count(repeatBuyers) ||
    repeatBuyers > buyers ||
    buyers > orders ||
    (orders > 0 && buyers === 0) ||
    !(revenue instanceof Decimal)
  ) {
    invalidOption(
      "repeatPurchaseFromCounts",
      "counts",
      "integers with 0 ≤ repeatBuyers ≤ buyers ≤ orders (buyers > 0 when orders > 0) and a Decimal revenue",
      counts,
    );
  }
  const empty = orders === 0;
  return {
    orders,
    buyers,
    repeatBuyers,
    repeatPurchaseRate: empty ? null : repeatBuyers / buyers,
    purchaseFrequency: empty ? null : orders / buyers,
    revenue,
    averageOrderValue: empty ? null : new Decimal(new D40(revenue).div(orders)),
    reason: empty ? "no_orders" : null,
  };
}

/**
 * Repeat purchase per calendar period and over the window.
 *
 * Per period (orders placed in it, by the calendar of `timeZone`): orders; buyers = distinct
 * `customerId`; repeat buyers = buyers with ≥ 2 orders in the period; repeat purchase rate =
 * repeat buyers / buyers; purchase frequency = orders / buyers; revenue = Σ amount (exact);
 * average order value (AOV) = revenue / orders. `total` applies the same formulas to all orders of
 * the window (so a buyer with one order in each of two months is a repeat buyer in `total` but in
 * neither month). Rates are the correctly rounded float64 of the exact ratio of two counts.
 *
 * The window runs from the period of `from` (default: the first order's) to the period of `to`
 * (default: the last order's); orders outside it are counted in `excluded.outsideWindow`.
 * Orders on a period boundary belong to the period that starts there (half-open periods).
 * Instants must be `Date`s, epoch ms or ISO strings with an offset (`invalid_time` otherwise).
 * Results do not depend on the process time zone.
 *
 * @see Shopify, "Repeat customer rate"; Kumar & Reinartz (2018), Customer Relationship Management, ch. 6.
 * @throws {InvalidInputError} `invalid_option` (period), `invalid_time` (unknown time zone,
 *   instant without offset), `invalid_type` (customer id or amount).
 * @example
 * const orders = parseOrders([
 *   { orderId: "o1", customerId: "a", orderedAt: "2025-01-03T10:00:00Z", amount: "20" },
 *   { orderId: "o2", customerId: "a", orderedAt: "2025-02-03T10:00:00Z", amount: "25" },
 *   { orderId: "o3", customerId: "b", orderedAt: "2025-01-20T10:00:00Z", amount: "40" },
 * ]);
 * const r = repeatPurchase(orders, { period: "month" });
 * // within each month nobody bought twice; over the window customer "a" did
 * r.periods.map((p) => [p.label, p.repeatPurchaseRate]) //=> [["2025-01", 0], ["2025-02", 0]]
 * r.total.repeatPurchaseRate //=> 0.5
 */
export function repeatPurchase(
  orders: readonly RepeatPurchaseOrder[],
  options?: RepeatPurchaseOptions,
): RepeatPurchaseResult {
  const fn = "repeatPurchase";
  const period = checkPeriod(fn, options?.period ?? "month");
  const timeZone = checkTimeZone(fn, options?.timeZone ?? "UTC");
  if (!Array.isArray(orders)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of orders, found ${formatValue(orders)}`,
        },
      ],
      { context: fn, code: "invalid_type" },
    );
  }
  const acc = repeatPurchaseAccumulator();
  const states = byPeriodState(
    orders,
    {
      at: (o, i) => parseInstant(o?.orderedAt, { index: i, path: ["orderedAt"], fn }),
      period,
      timeZone,
      weekStartsOn: options?.weekStartsOn ?? 1,
      ...(options?.from === undefined ? {} : { from: options.from }),
      ...(options?.to === undefined ? {} : { to: options.to }),
    },
    acc,
  );
  const totalState = mergeStates(
    acc,
    states.map((p) => p.state),
  );
  const periods = states.map((p) => ({ label: p.label, start: p.start, end: p.end, ...summarize(p.state) }));
  return {
    period,
    timeZone,
    periods,
    total: summarize(totalState),
    excluded: { outsideWindow: orders.length - totalState.orders },
  };
}
