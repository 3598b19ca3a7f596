/**
 * Historical CLV: the margin each customer has actually produced to date (a sum, no projection).
 *
 * @module
 */
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal, type MoneyInput, toDecimal } from "../core/money.js";
import { checkTimeZone, tryParseInstant } from "../core/time.js";
import { dayOfDateString, dayOfInstantFn, readDayBoundary } from "./days.js";
import type { RfmTransaction } from "./rfm-summary.js";

/** Options of {@link historicalClv}. */
export interface HistoricalClvOptions<T extends RfmTransaction = RfmTransaction> {
  /**
   * Margin of a transaction: a share of its amount (number/string/Decimal, default 1 = the whole
   * amount) or a function returning the margin in money.
   */
  margin?: number | string | Decimal | ((transaction: T, index: number) => MoneyInput);
  /** Count only transactions on or before this calendar day (`"YYYY-MM-DD"` or an instant; inclusive). */
  asOf?: string | Date | number;
  /** Zone in which instants fall on days, for `asOf` (default `"UTC"`). */
  timeZone?: string;
}

/** One customer's historical value. */
export interface HistoricalClvRow {
  customerId: string | number;
  /** Sum of margins to date (exact). */
  value: Decimal;
  /** Sum of amounts to date (exact). */
  revenue: Decimal;
  /** Transactions counted. */
  transactions: number;
}

/** Result of {@link historicalClv}. */
export interface HistoricalClvResult {
  /** Customers, in order of first appearance. */
  customers: HistoricalClvRow[];
  /** Number of customers. */
  n: number;
  /** Sum over customers. */
  total: Decimal;
  /** Mean value per customer (`null` when n = 0), exact to 20 significant digits. */
  mean: Decimal | null;
  /** Transactions left out because they fall after `asOf`. */
  excluded: { afterAsOf: number };
}

/**
 * Historical customer lifetime value: Σ margin of each customer's transactions to date, with
 * `Decimal` sums (exact). Margin = amount × `margin` share, or what a `margin` function returns.
 *
 * @throws {InvalidInputError} a record without customerId or with an amount that is not money (index and path).
 * @example
 * historicalClv([{ customerId: "a", date: "2026-01-05", amount: "10.10" }, { customerId: "a", date: "2026-02-01", amount: "0.20" }], { margin: 0.5 })
 *   .customers[0]?.value.toString() //=> "5.15"
 */
export function historicalClv<T extends RfmTransaction>(
  transactions: ArrayLike<T>,
  options?: HistoricalClvOptions<T>,
): HistoricalClvResult {
  const fn = "historicalClv";
  if (transactions === null || typeof transactions !== "object" || typeof transactions.length !== "number") {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of transactions, found ${formatValue(transactions)}`,
        },
      ],
      { context: fn },
    );
  }
  const marginOpt = options?.margin ?? 1;
  const share = typeof marginOpt === "function" ? null : toDecimalOption(fn, marginOpt);
  const marginFn = typeof marginOpt === "function" ? marginOpt : null;
  let asOf: number | null = null;
  let dayOfInstant: ((ms: number) => number) | null = null;
  if (options?.asOf !== undefined) {
    dayOfInstant = dayOfInstantFn(checkTimeZone(fn, options.timeZone ?? "UTC"));
    asOf = readDayBoundary(fn, "asOf", options.asOf, dayOfInstant);
  }
  const index = new Map<string | number, number>();
  const rows: HistoricalClvRow[] = [];
  let excluded = 0;
  for (let i = 0; i < transactions.length; i++) {
    const t = transactions[i]!;
    if (t === null || typeof t !== "object") {
      throw new InvalidInputError(
        [
          {
            index: i,
            path: [],
            code: "invalid_type",
            message: `record is ${formatValue(t)}; expected { customerId, amount, date | at }`,
          },
        ],
        { context: fn },
      );
    }
    const id = t.customerId;
    if (!((typeof id === "string" && id.length > 0) || (typeof id === "number" && Number.isFinite(id)))) {
      throw new InvalidInputError(
        [
          {
            index: i,
            path: ["customerId"],
            code: id == null ? "missing_value" : "invalid_type",
            message: `customerId is ${formatValue(id)}; expected a non-empty string or a finite number`,
          },
        ],
        { context: fn },
      );
    }
    if (asOf !== null) {
      let d: number;
      if (t.date !== undefined) d = dayOfDateString(t.date);
      else {
        const r = tryParseInstant(t.at);
        d = "ms" in r ? dayOfInstant!(r.ms) : Number.NaN;
      }
      if (Number.isNaN(d)) {
        throw new InvalidInputError(
          [
            {
              index: i,
              path: [t.date !== undefined ? "date" : "at"],
              code: "invalid_time",
              message: `purchase day/instant ${formatValue(t.date ?? t.at)} is not valid; expected "YYYY-MM-DD" or an instant with offset`,
            },
          ],
          { context: fn, code: "invalid_time" },
        );
      }
      if (d > asOf) {
        excluded++;
        continue;
      }
    }
    const amount = toDecimal(t.amount, { index: i, path: ["amount"], fn });
    const margin = share
      ? amount.times(share)
      : toDecimal(marginFn!(t, i), { index: i, path: ["margin"], fn });
    let k = index.get(id);
    if (k === undefined) {
      k = rows.length;
      index.set(id, k);
      rows.push({ customerId: id, value: new Decimal(0), revenue: new Decimal(0), transactions: 0 });
    }
    const row = rows[k]!;
    row.value = row.value.plus(margin);
    row.revenue = row.revenue.plus(amount);
    row.transactions++;
  }
  let total = new Decimal(0);
  for (const r of rows) total = total.plus(r.value);
  return {
    customers: rows,
    n: rows.length,
    total,
    mean: rows.length > 0 ? total.div(rows.length) : null,
    excluded: { afterAsOf: excluded },
  };
}

function toDecimalOption(fn: string, v: unknown): Decimal {
  try {
    return toDecimal(v, { fn, path: ["margin"] });
  } catch {
    return invalidOption(fn, "margin", "a margin share (e.g. 0.3) or a function returning the margin", v);
  }
}
