/**
 * LTV:CAC — customer lifetime value per unit of acquisition cost.
 *
 * @module
 */
import { InvalidInputError, formatValue } from "../core/errors.js";
import { Decimal, type MoneyInput, toDecimal } from "../core/money.js";

/** Input of {@link ltvToCacRatio}: a lifetime value you already have, or the parts of the simple SaaS LTV. */
export type LtvToCacInput =
  | {
      /** Lifetime value per customer (gross-margin based), currency units. */
      ltv: MoneyInput;
      /** Acquisition cost per customer, currency units. */
      cac: MoneyInput;
    }
  | {
      /** Average MRR per customer (ARPA), currency per month. */
      averageMrr: MoneyInput;
      /** Gross margin in (0, 1]. */
      grossMargin: number;
      /** Monthly customer churn rate in [0, 1]. */
      monthlyChurnRate: number;
      /** Acquisition cost per customer. */
      cac: MoneyInput;
    };

/** Result of {@link ltvToCacRatio}. */
export interface LtvToCacResult {
  /** LTV used (given, or averageMrr × grossMargin / monthlyChurnRate); `null` when churn is 0. */
  ltv: Decimal | null;
  cac: Decimal;
  /** LTV / CAC (float64 of the exact ratio); `null` with a reason when undefined. */
  ratio: number | null;
  /** Months to recover CAC from gross-margin MRR: cac / (averageMrr × grossMargin) (parts form only). */
  paybackMonths: number | null;
  /** `zero_cac` (nothing spent: the ratio is unbounded), `zero_churn` (LTV unbounded), `zero_margin_mrr`. */
  reason: "zero_cac" | "zero_churn" | "zero_margin_mrr" | null;
}

const D40 = Decimal.clone({ precision: 40 });

function bad(
  path: string,
  value: unknown,
  expected: string,
  code: "out_of_range" | "invalid_type" | "non_finite_value",
): never {
  throw new InvalidInputError(
    [{ index: null, path: [path], code, message: `${path} is ${formatValue(value)}; expected ${expected}` }],
    {
      context: "ltvToCacRatio",
      code,
    },
  );
}

function fraction(path: string, v: unknown, lowOpen: boolean): number {
  if (typeof v !== "number") bad(path, v, "a number", "invalid_type");
  if (!Number.isFinite(v)) bad(path, v, "a finite number", "non_finite_value");
  if (!(lowOpen ? v > 0 : v >= 0) || v > 1)
    bad(path, v, lowOpen ? "a number in (0, 1]" : "a number in [0, 1]", "out_of_range");
  return v;
}

function nonNegative(path: string, v: unknown): Decimal {
  const d = toDecimal(v, { path: [path], fn: "ltvToCacRatio" });
  if (d.isNegative()) bad(path, v, "an amount ≥ 0", "out_of_range");
  return d;
}

/**
 * LTV:CAC ratio. With `{ ltv, cac }` it is the plain ratio. With the parts it uses the simple
 * steady-state SaaS lifetime value LTV = ARPA × gross margin / monthly churn (expected lifetime
 * 1/churn months, geometric), and also returns the CAC payback = CAC / (ARPA × gross margin) months.
 * A common rule of thumb reads ≥ 3 as healthy; it is a heuristic, not a law.
 *
 * Exact decimal arithmetic (40 significant digits), ratios rounded once to float64.
 *
 * @see Skok, "SaaS Metrics 2.0 – A Guide to Measuring and Improving What Matters" (LTV:CAC > 3, payback < 12 months).
 * @throws {InvalidInputError} `out_of_range` (negative money, margin or churn outside its range),
 *   `invalid_type`, `non_finite_value`.
 * @example
 * ltvToCacRatio({ ltv: 3000, cac: 1000 }).ratio //=> 3
 * ltvToCacRatio({ averageMrr: 100, grossMargin: 0.8, monthlyChurnRate: 0.02, cac: 1000 }).ratio //=> 4
 */
export function ltvToCacRatio(input: LtvToCacInput): LtvToCacResult {
  if (input === null || typeof input !== "object")
    bad("input", input, "{ ltv, cac } or { averageMrr, grossMargin, monthlyChurnRate, cac }", "invalid_type");
  const cac = nonNegative("cac", input.cac);
  let ltv: Decimal | null;
  let paybackMonths: number | null = null;
  let reason: LtvToCacResult["reason"] = null;
  if ("ltv" in input) ltv = nonNegative("ltv", input.ltv);
  else {
    const arpa = nonNegative("averageMrr", input.averageMrr);
    const gm = fraction("grossMargin", input.grossMargin, true);
    const churn = fraction("monthlyChurnRate", input.monthlyChurnRate, false);
    const marginMrr = new D40(arpa).times(gm);
    ltv = churn === 0 ? null : new Decimal(marginMrr.div(churn));
    if (marginMrr.isZero()) reason = "zero_margin_mrr";
    else paybackMonths = new D40(cac).div(marginMrr).toNumber();
    if (churn === 0) reason = "zero_churn";
  }
  let ratio: number | null = null;
  if (ltv !== null) {
    if (cac.isZero()) reason = "zero_cac";
    else ratio = new D40(ltv).div(cac).toNumber();
  }
  return { ltv, cac, ratio, paybackMonths, reason };
}
