/**
 * Exact money. Amounts are accepted as `number | string | Decimal` and carried as `Decimal`
 * (decimal.js) so sums of many small amounts stay exact: 0.1 + 0.2 is 0.3.
 *
 * @module
 */
import Decimal from "decimal.js";
import { InvalidInputError, formatValue } from "./errors.js";

export { Decimal };

/** A money amount as the library accepts it. */
export type MoneyInput = number | string | Decimal;

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Convert an amount to `Decimal`. Numbers convert through their shortest round-trip decimal
 * string (so `0.1` is exactly 0.1). Throws `InvalidInputError` for non-finite numbers and strings
 * that are not plain decimals.
 *
 * @example
 * toDecimal("19.99").plus(toDecimal(0.01)).toString() //=> "20"
 */
export function toDecimal(
  value: unknown,
  where?: { index?: number; path?: (string | number)[]; fn?: string },
): Decimal {
  if (Decimal.isDecimal(value)) {
    if ((value as Decimal).isFinite()) return value as Decimal;
  } else if (typeof value === "number") {
    if (Number.isFinite(value)) return new Decimal(value);
  } else if (typeof value === "string" && DECIMAL_RE.test(value.trim())) {
    return new Decimal(value.trim());
  }
  throw new InvalidInputError(
    [
      {
        index: where?.index ?? null,
        path: where?.path ?? [],
        code: typeof value === "number" ? "non_finite_value" : "invalid_type",
        message: `amount is ${formatValue(value)}; expected a finite number or a decimal string such as "19.99"`,
      },
    ],
    { context: where?.fn ?? "toDecimal" },
  );
}

/**
 * Sum of Decimals (exact).
 *
 * @example
 * sumDecimal([toDecimal("0.1"), toDecimal("0.2")]).toString() //=> "0.3"
 */
export function sumDecimal(values: Iterable<Decimal>): Decimal {
  let s = new Decimal(0);
  for (const v of values) s = s.plus(v);
  return s;
}

/**
 * Ratio of two Decimals as a float64, or `null` when the denominator is zero.
 *
 * @example
 * ratio(toDecimal(1), toDecimal(4)) //=> 0.25
 * ratio(toDecimal(1), toDecimal(0)) //=> null
 */
export function ratio(numerator: Decimal, denominator: Decimal): number | null {
  return denominator.isZero() ? null : numerator.div(denominator).toNumber();
}
