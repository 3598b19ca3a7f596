/**
 * Customer profitability: profit per customer (revenue − cost to serve), the whale curve and the
 * share of unprofitable customers.
 *
 * @see Kaplan, R. S. & Cooper, R. (1998). *Cost & Effect*, Harvard Business School Press, ch. 10
 *   (the "whale curve": cumulative profit by customers ranked from most to least profitable, typically
 *   peaking at 150–300 % of total profit).
 * @module
 */
import { InvalidInputError, formatValue } from "../core/errors.js";
import { Decimal, type MoneyInput, toDecimal } from "../core/money.js";
import type { Warning } from "../core/values.js";

/** A revenue or cost amount attributed to a customer. */
export interface CustomerAmount {
  customerId: string | number;
  amount: MoneyInput;
}

/** One customer's profitability. */
export interface CustomerProfit {
  customerId: string | number;
  revenue: Decimal;
  cost: Decimal;
  /** revenue − cost. */
  profit: Decimal;
  /** 1 = most profitable. */
  rank: number;
}

/** A point of the whale curve after the `customers` most profitable customers. */
export interface WhalePoint {
  customers: number;
  /** customers / n. */
  shareOfCustomers: number;
  cumulativeProfit: Decimal;
  /** cumulativeProfit / total profit (`null` when total profit ≤ 0). */
  shareOfProfit: number | null;
}

/** Result of {@link customerProfitability}. */
export interface CustomerProfitabilityResult {
  n: number;
  /** Customers sorted by profit, most profitable first (ties: first appearance). */
  customers: CustomerProfit[];
  totalRevenue: Decimal;
  totalCost: Decimal;
  totalProfit: Decimal;
  /** The whale curve, n + 1 points from (0, 0) to (n, total profit). */
  whaleCurve: WhalePoint[];
  /** Height of the whale curve's peak as a share of total profit (e.g. 1.5 = 150 %); `null` when total profit ≤ 0 or n = 0. */
  peakShareOfProfit: number | null;
  /** Share of customers at the peak (the profitable ones). */
  peakShareOfCustomers: number | null;
  /** Customers with profit < 0. */
  unprofitable: number;
  /** unprofitable / n (`null` when n = 0). */
  shareUnprofitable: number | null;
  warnings: Warning[];
}

/**
 * Profit per customer from revenue and cost records (several records per customer are summed; a
 * customer present in only one list has 0 in the other), ranked into the whale curve.
 * Money is exact (`Decimal`); shares are float64.
 *
 * @throws {InvalidInputError} a record without a customerId or with an amount that is not money.
 * @example
 * const r = customerProfitability([{ customerId: "a", amount: 100 }, { customerId: "b", amount: 50 }], [{ customerId: "b", amount: 80 }]);
 * r.shareUnprofitable //=> 0.5
 * r.peakShareOfProfit //=> 100 / 70
 */
export function customerProfitability(
  revenues: ArrayLike<CustomerAmount>,
  costs: ArrayLike<CustomerAmount>,
): CustomerProfitabilityResult {
  const fn = "customerProfitability";
  const index = new Map<string | number, number>();
  const ids: (string | number)[] = [];
  const rev: Decimal[] = [];
  const cost: Decimal[] = [];
  const zero = new Decimal(0);
  const add = (list: ArrayLike<CustomerAmount>, name: "revenues" | "costs"): void => {
    if (list === null || typeof list !== "object" || typeof list.length !== "number") {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [name],
            code: "invalid_type",
            message: `expected an array of { customerId, amount }, found ${formatValue(list)}`,
          },
        ],
        { context: fn },
      );
    }
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      const id = r?.customerId;
      if (!((typeof id === "string" && id.length > 0) || (typeof id === "number" && Number.isFinite(id)))) {
        throw new InvalidInputError(
          [
            {
              index: i,
              path: [name, "customerId"],
              code: id == null ? "missing_value" : "invalid_type",
              message: `customerId is ${formatValue(id)}; expected a non-empty string or a finite number`,
            },
          ],
          { context: fn },
        );
      }
      const v = toDecimal(r!.amount, { index: i, path: [name, "amount"], fn });
      let k = index.get(id);
      if (k === undefined) {
        k = ids.length;
        index.set(id, k);
        ids.push(id);
        rev.push(zero);
        cost.push(zero);
      }
      if (name === "revenues") rev[k] = rev[k]!.plus(v);
      else cost[k] = cost[k]!.plus(v);
    }
  };
  add(revenues, "revenues");
  add(costs, "costs");
  const n = ids.length;
  const profit = ids.map((_, k) => rev[k]!.minus(cost[k]!));
  const order = ids.map((_, k) => k).sort((i, j) => profit[j]!.comparedTo(profit[i]!) || i - j);
  const customers: CustomerProfit[] = order.map((k, r) => ({
    customerId: ids[k]!,
    revenue: rev[k]!,
    cost: cost[k]!,
    profit: profit[k]!,
    rank: r + 1,
  }));
  let totalRevenue = zero;
  let totalCost = zero;
  for (let k = 0; k < n; k++) {
    totalRevenue = totalRevenue.plus(rev[k]!);
    totalCost = totalCost.plus(cost[k]!);
  }
  const totalProfit = totalRevenue.minus(totalCost);
  const positive = totalProfit.greaterThan(0);
  const whaleCurve: WhalePoint[] = [
    { customers: 0, shareOfCustomers: 0, cumulativeProfit: zero, shareOfProfit: positive ? 0 : null },
  ];
  let cum = zero;
  let peak = zero;
  let peakAt = 0;
  let unprofitable = 0;
  for (let r = 0; r < n; r++) {
    const p = customers[r]!.profit;
    if (p.isNegative() && !p.isZero()) unprofitable++;
    cum = cum.plus(p);
    if (cum.greaterThan(peak)) {
      peak = cum;
      peakAt = r + 1;
    }
    whaleCurve.push({
      customers: r + 1,
      shareOfCustomers: (r + 1) / n,
      cumulativeProfit: cum,
      shareOfProfit: positive ? cum.div(totalProfit).toNumber() : null,
    });
  }
  const warnings: Warning[] = [];
  if (n > 0 && !positive)
    warnings.push({
      code: "non_positive_total",
      message: `${fn}: total profit is ${totalProfit.toString()}; shares of profit are undefined (null)`,
    });
  return {
    n,
    customers,
    totalRevenue,
    totalCost,
    totalProfit,
    whaleCurve,
    peakShareOfProfit: positive && n > 0 ? peak.div(totalProfit).toNumber() : null,
    peakShareOfCustomers: positive && n > 0 ? peakAt / n : null,
    unprofitable,
    shareUnprofitable: n > 0 ? unprofitable / n : null,
    warnings,
  };
}
