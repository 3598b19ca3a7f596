/**
 * Closed-form ("textbook") customer lifetime value from a constant margin per period, a constant
 * retention rate and a discount rate, in exact decimal arithmetic.
 *
 * @see Gupta, S. & Lehmann, D. R. (2003). Customers as Assets. *Journal of Interactive Marketing*
 *   17(1), 9–24 (the margin multiple r/(1 + d − r)); Gupta & Lehmann (2005), *Managing Customers as
 *   Investments*, Wharton School Publishing.
 * @see Berger, P. D. & Nasr, N. I. (1998). Customer Lifetime Value: Marketing Models and Applications.
 *   *Journal of Interactive Marketing* 12(1), 17–30 (timing of the first margin; finite horizons).
 * @module
 */
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal, type MoneyInput, toDecimal } from "../core/money.js";

/**
 * Which stream of margins is valued (m margin per period, r retention rate, d discount rate per period):
 * - `"marginMultiple"`: m·r/(1 + d − r). Margins at the end of each period, each received only if the
 *   customer is still retained then; the acquisition period's margin is not counted. Gupta & Lehmann
 *   (2003)'s "margin multiple" r/(1 + d − r).
 * - `"initialMargin"`: m·(1 + d)/(1 + d − r). The same stream plus a margin received now, at
 *   acquisition (t = 0): m + m·r/(1 + d − r).
 * - `"firstPeriodCertain"`: m/(1 + d − r). The first margin at the end of period 1 is certain; each later
 *   one needs one more retention: Σ_{t≥1} m·r^(t−1)/(1+d)^t.
 * - `"finiteHorizon"`: Σ_{t=1..N} m·r^t/(1+d)^t, the `"marginMultiple"` stream cut at N = `periods`
 *   (tends to it as N → ∞).
 */
export type ClvFormulaVariant = "marginMultiple" | "initialMargin" | "firstPeriodCertain" | "finiteHorizon";

const VARIANTS: readonly ClvFormulaVariant[] = [
  "marginMultiple",
  "initialMargin",
  "firstPeriodCertain",
  "finiteHorizon",
];

/** Inputs of {@link clvFormula}. */
export interface ClvFormulaOptions {
  /** Margin per customer per period (money: number, decimal string or Decimal). */
  margin: MoneyInput;
  /** Retention rate per period, 0 ≤ r ≤ 1. */
  retentionRate: number | string | Decimal;
  /** Discount rate per period, d ≥ 0 (e.g. 0.1 for 10 % a year with yearly periods). */
  discountRate: number | string | Decimal;
  /** Stream of margins valued (default `"marginMultiple"`). */
  variant?: ClvFormulaVariant;
  /** Number of periods N for `"finiteHorizon"` (integer ≥ 0). */
  periods?: number;
  /** Optional acquisition cost subtracted from the value (money). */
  acquisitionCost?: MoneyInput;
}

/** Result of {@link clvFormula}. */
export interface ClvFormulaResult {
  /** CLV in the margin's currency (exact decimal, 20 significant digits), net of `acquisitionCost`. */
  value: Decimal;
  /** The value divided by the margin before acquisition cost: the "margin multiple". */
  multiple: Decimal;
  variant: ClvFormulaVariant;
  /** The formula used, in words. */
  formula: string;
}

const FORMULAS: Record<ClvFormulaVariant, string> = {
  marginMultiple: "m·r/(1+d−r)",
  initialMargin: "m·(1+d)/(1+d−r)",
  firstPeriodCertain: "m/(1+d−r)",
  finiteHorizon: "Σ_{t=1..N} m·r^t/(1+d)^t",
};

function rate(fn: string, name: string, v: unknown, max: number | null): Decimal {
  let d: Decimal;
  try {
    d = toDecimal(v, { fn, path: [name] });
  } catch {
    return invalidOption(fn, name, max === null ? "a finite rate ≥ 0" : `a rate from 0 to ${max}`, v);
  }
  if (d.isNegative() || (max !== null && d.greaterThan(max)))
    invalidOption(fn, name, max === null ? "a finite rate ≥ 0" : `a rate from 0 to ${max}`, v);
  return d;
}

/**
 * Customer lifetime value from a constant margin, retention rate and discount rate, in one of the
 * named textbook variants (see {@link ClvFormulaVariant}); computed with `Decimal`.
 *
 * @throws {InvalidInputError} `invalid_option` for a retention rate outside [0, 1], a negative discount
 *   rate, an unknown variant, 1 + d − r = 0 (r = 1 and d = 0: infinite value), or bad `periods`.
 * @example
 * clvFormula({ margin: 100, retentionRate: 0.8, discountRate: 0.1 }).value.toString() //=> "266.66666666666666667"
 * clvFormula({ margin: 100, retentionRate: 0.8, discountRate: 0.1, variant: "initialMargin" }).value.toNumber() //=> 366.666…
 */
export function clvFormula(options: ClvFormulaOptions): ClvFormulaResult {
  const fn = "clvFormula";
  if (options === null || typeof options !== "object")
    invalidOption(fn, "options", "{ margin, retentionRate, discountRate, variant? }", options);
  const variant = options.variant ?? "marginMultiple";
  if (!VARIANTS.includes(variant))
    invalidOption(fn, "variant", VARIANTS.map((v) => `"${v}"`).join(", "), variant);
  const m = toDecimal(options.margin, { fn, path: ["margin"] });
  const r = rate(fn, "retentionRate", options.retentionRate, 1);
  const d = rate(fn, "discountRate", options.discountRate, null);
  const one = new Decimal(1);
  const den = one.plus(d).minus(r);
  let multiple: Decimal;
  if (variant === "finiteHorizon") {
    const N = options.periods;
    if (typeof N !== "number" || !Number.isInteger(N) || N < 0)
      invalidOption(fn, "periods", "an integer ≥ 0 (number of periods for finiteHorizon)", N);
    const q = r.div(one.plus(d));
    multiple = q.equals(1) ? new Decimal(N) : q.times(one.minus(q.pow(N))).div(one.minus(q));
  } else {
    if (options.periods !== undefined)
      invalidOption(
        fn,
        "periods",
        `no periods for variant "${variant}" (it is an infinite horizon)`,
        options.periods,
      );
    if (den.isZero()) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: ["retentionRate"],
            code: "invalid_option",
            message: `retention rate 1 with discount rate 0 gives an infinite lifetime value; found r = ${formatValue(options.retentionRate)}, d = ${formatValue(options.discountRate)}`,
          },
        ],
        { context: fn, code: "invalid_option" },
      );
    }
    if (variant === "marginMultiple") multiple = r.div(den);
    else if (variant === "initialMargin") multiple = one.plus(d).div(den);
    else multiple = one.div(den);
  }
  let value = m.times(multiple);
  if (options.acquisitionCost !== undefined)
    value = value.minus(toDecimal(options.acquisitionCost, { fn, path: ["acquisitionCost"] }));
  return { value, multiple, variant, formula: FORMULAS[variant] };
}
