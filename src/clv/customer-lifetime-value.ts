/**
 * Model-based customer lifetime value: expected purchases from a BG/NBD model times expected spend
 * from a Gamma-Gamma model, discounted month by month over a horizon — the recipe of Fader, Hardie &
 * Lee (2005, JMR) as implemented by the Python `lifetimes` package (`customer_lifetime_value`).
 *
 * @module
 */
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import type { BgNbdModel } from "./bg-nbd.js";
import type { GammaGammaModel } from "./gamma-gamma.js";

/** Unit of time the BG/NBD model was fitted in. */
export type ClvModelTimeUnit = "day" | "week" | "month";

/**
 * Model time units per month, the constants of `lifetimes` (`freq` "D": 30, "W": 4.345, "M": 1).
 * They are kept as is so results match that package; note 4.345 weeks ≈ 30.415 days, not 30.
 *
 * @example
 * MODEL_UNITS_PER_MONTH //=> { day: 30, week: 4.345, month: 1 }
 */
export const MODEL_UNITS_PER_MONTH: Readonly<Record<ClvModelTimeUnit, number>> = {
  day: 30,
  week: 4.345,
  month: 1,
};

/** Options of {@link customerLifetimeValue}. */
export interface CustomerLifetimeValueOptions {
  /** Horizon in months (integer ≥ 1; default 12). */
  horizon?: number;
  /** Discount rate per month (default 0.01, i.e. ≈ 12.7 % a year). */
  discountRate?: number;
  /** Time unit of the BG/NBD model's summary (default `"week"`). */
  timeUnit?: ClvModelTimeUnit;
  /** Margin as a share of spend (default 1: value is revenue). */
  margin?: number;
}

/** A customer to value: their calibration summary (as from `rfmSummary`). */
export interface ClvCustomer {
  customerId?: string | number;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
}

/** One customer's value. */
export interface ClvRow {
  customerId: string | number | null;
  /** Discounted expected margin over the horizon (float64, currency of monetaryValue). */
  value: number;
  /** Expected purchases over the whole horizon (undiscounted). */
  expectedPurchases: number;
  /** Expected value per purchase from the spend model. */
  expectedSpend: number;
}

/** Result of {@link customerLifetimeValue}. */
export interface CustomerLifetimeValueResult {
  customers: ClvRow[];
  n: number;
  /** Sum of `value`. */
  total: number;
  /** How time was discretised, in words. */
  discretisation: string;
}

/**
 * CLV_i = Σ_{k=1..H} margin · E[Z_i] · (E[Y_i(k·u)] − E[Y_i((k−1)·u)]) / (1 + d)^k, with H the horizon in
 * months, u model time units per month ({@link MODEL_UNITS_PER_MONTH}), E[Y_i(t)] the BG/NBD conditional
 * expected purchases in (T, T + t] and E[Z_i] the Gamma-Gamma conditional expected spend.
 *
 * Discretisation: monthly steps, each month's expected purchases discounted at the month's end —
 * exactly `lifetimes`' `customer_lifetime_value(..., time=H, discount_rate=d, freq)`. Values are float64
 * (statistical models), not `Decimal`.
 *
 * @throws {InvalidInputError} `invalid_option` for a bad horizon, discount rate, unit or margin; a
 *   customer with invalid summary values.
 * @example
 * // Models at the CDNOW estimates (weeks); usually the fits of fitBgNbd and fitGammaGamma.
 * const bg = bgNbdModel({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
 * const gg = gammaGammaModel({ p: 6.25, q: 3.74, v: 15.44 });
 * const customers = [
 *   { customerId: "a", frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 },
 *   { customerId: "b", frequency: 0, recency: 0, T: 38.86, monetaryValue: 0 },
 * ];
 * const clv = customerLifetimeValue({ purchases: bg, spend: gg }, customers, { horizon: 12, discountRate: 0.01, timeUnit: "week" });
 * clv.customers.map((c) => c.value) //=> [36.289211125599216, 8.369004358920439]
 */
export function customerLifetimeValue(
  models: { purchases: BgNbdModel; spend: GammaGammaModel },
  customers: ArrayLike<ClvCustomer>,
  options?: CustomerLifetimeValueOptions,
): CustomerLifetimeValueResult {
  const fn = "customerLifetimeValue";
  if (
    !models ||
    typeof models.purchases?.conditionalExpectedPurchases !== "function" ||
    typeof models.spend?.conditionalExpectedValue !== "function"
  ) {
    invalidOption(
      fn,
      "models",
      "{ purchases: a BG/NBD model (fitBgNbd), spend: a Gamma-Gamma model (fitGammaGamma) }",
      models,
    );
  }
  const H = options?.horizon ?? 12;
  if (!Number.isInteger(H) || H < 1) invalidOption(fn, "horizon", "an integer number of months ≥ 1", H);
  const d = options?.discountRate ?? 0.01;
  if (typeof d !== "number" || !Number.isFinite(d) || d < 0)
    invalidOption(fn, "discountRate", "a monthly discount rate ≥ 0", d);
  const unit = options?.timeUnit ?? "week";
  if (!Object.hasOwn(MODEL_UNITS_PER_MONTH, unit))
    invalidOption(fn, "timeUnit", '"day", "week" or "month"', unit);
  const u = MODEL_UNITS_PER_MONTH[unit];
  const margin = options?.margin ?? 1;
  if (typeof margin !== "number" || !Number.isFinite(margin))
    invalidOption(fn, "margin", "a finite margin share (e.g. 0.3)", margin);
  const disc = Array.from({ length: H }, (_, k) => 1 / (1 + d) ** (k + 1));
  const rows: ClvRow[] = [];
  let total = 0;
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i]!;
    if (c === null || typeof c !== "object") {
      throw new InvalidInputError(
        [
          {
            index: i,
            path: [],
            code: "invalid_type",
            message: `customer is ${formatValue(c)}; expected { frequency, recency, T, monetaryValue }`,
          },
        ],
        { context: fn },
      );
    }
    let spend: number | null;
    try {
      spend = models.spend.conditionalExpectedValue(c);
    } catch (e) {
      if (e instanceof InvalidInputError)
        throw new InvalidInputError(
          e.issues.map((is) => ({ ...is, index: i })),
          { context: fn, cause: e },
        );
      throw e;
    }
    if (spend === null) {
      throw new InvalidInputError(
        [
          {
            index: i,
            path: ["monetaryValue"],
            code: "out_of_range",
            message: "the spend model has no finite expected value for this customer (q ≤ 1)",
          },
        ],
        { context: fn },
      );
    }
    let prev = 0;
    let value = 0;
    for (let k = 1; k <= H; k++) {
      const cum = models.purchases.conditionalExpectedPurchases(k * u, c);
      value += (cum - prev) * disc[k - 1]!;
      prev = cum;
    }
    value *= spend * margin;
    total += value;
    rows.push({ customerId: c.customerId ?? null, value, expectedPurchases: prev, expectedSpend: spend });
  }
  return {
    customers: rows,
    n: rows.length,
    total,
    discretisation: `${H} monthly steps of ${u} ${unit}(s); purchases expected in month k discounted by (1 + ${d})^k (as lifetimes' customer_lifetime_value)`,
  };
}
