/**
 * RFM summary of a transaction log: per customer, the repeat-purchase frequency, recency and age
 * (T) of the calibration period, and the mean value of repeat purchases — the input of the BG/NBD and
 * Gamma-Gamma models, with the meanings of the Python `lifetimes` package
 * (`summary_data_from_transaction_data`, `calibration_and_holdout_data`).
 *
 * @module
 */
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal } from "../core/money.js";
import { checkTimeZone, tryParseInstant } from "../core/time.js";
import { dayOfDateString, dayOfInstantFn, readDayBoundary } from "./days.js";

/** Duration unit of `recency`, `T` and `holdoutDuration`. */
export type RfmTimeUnit = "day" | "week" | "month";

/**
 * Days per unit: a week is 7 days; a month is the mean Gregorian month, 365.25/12 = 30.4375 days.
 *
 * @example
 * RFM_UNIT_DAYS //=> { day: 1, week: 7, month: 30.4375 }
 */
export const RFM_UNIT_DAYS: Readonly<Record<RfmTimeUnit, number>> = { day: 1, week: 7, month: 365.25 / 12 };

/** A transaction as {@link rfmSummary} reads it (see `transactionSchema` in `cxmetrics/schemas`). */
export interface RfmTransaction {
  customerId: string | number;
  /** Calendar day `"YYYY-MM-DD"` of the purchase, or … */
  date?: string | undefined;
  /** … the instant of the purchase (Date, epoch ms, ISO-8601 string with offset). */
  at?: Date | string | number | undefined;
  /** Purchase value (number, decimal string or Decimal); read as float64. */
  amount: number | string | Decimal;
}

/** The same log as columns of equal length (fastest for millions of rows). */
export interface RfmTransactionColumns {
  customerId: ArrayLike<string | number>;
  /** Calendar days `"YYYY-MM-DD"`; give `date` or `at`. */
  date?: ArrayLike<string>;
  /** Instants: epoch ms (a Float64Array is fastest), Dates or ISO strings with offset. */
  at?: ArrayLike<number | Date | string>;
  amount: ArrayLike<number>;
}

/** Options of {@link rfmSummary}. */
export interface RfmSummaryOptions {
  /**
   * Last day of the calibration period, inclusive: a calendar day `"YYYY-MM-DD"`, or an instant whose
   * calendar day in `timeZone` is the last day. Later purchases are not counted (except in the holdout).
   */
  calibrationEnd: string | Date | number;
  /** Unit of recency, T and holdoutDuration (default `"day"`). */
  timeUnit?: RfmTimeUnit;
  /** IANA zone in which instants (`at`) fall on calendar days (default `"UTC"`). */
  timeZone?: string;
  /**
   * Last day of a holdout period (inclusive, after `calibrationEnd`): adds `holdoutFrequency`,
   * `holdoutMonetaryValue` and `holdoutDuration` to every row.
   */
  holdoutEnd?: string | Date | number;
}

/** One customer's summary. */
export interface RfmRow {
  customerId: string | number;
  /** Repeat purchases: distinct purchase days in the calibration period minus 1. */
  frequency: number;
  /** Time from the first to the last calibration purchase day (0 when frequency is 0), in `timeUnit`. */
  recency: number;
  /** Time from the first purchase day to `calibrationEnd` (whole days, then in `timeUnit`). */
  T: number;
  /** Mean of the repeat purchase days' summed amounts (first day excluded); 0 when frequency is 0. */
  monetaryValue: number;
  /** With `holdoutEnd`: distinct purchase days in (calibrationEnd, holdoutEnd]. */
  holdoutFrequency?: number;
  /** With `holdoutEnd`: mean summed amount of those days (0 when none). */
  holdoutMonetaryValue?: number;
  /** With `holdoutEnd`: holdout length in `timeUnit`. */
  holdoutDuration?: number;
}

function badRecord(fn: string, index: number, path: string, code: string, message: string): never {
  throw new InvalidInputError([{ index, path: [path], code, message }], { context: fn });
}

function isColumns(t: unknown): t is RfmTransactionColumns {
  return (
    typeof t === "object" &&
    t !== null &&
    !Array.isArray(t) &&
    "customerId" in t &&
    typeof (t as RfmTransactionColumns).customerId === "object"
  );
}

function amountToNumber(fn: string, i: number, v: unknown): number {
  if (typeof v === "number") {
    if (Number.isFinite(v)) return v;
    return badRecord(fn, i, "amount", "non_finite_value", `amount is ${v}; expected a finite number`);
  }
  if (typeof v === "string" && /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(v))
    return Number(v);
  if (Decimal.isDecimal(v) && (v as Decimal).isFinite()) return (v as Decimal).toNumber();
  return badRecord(
    fn,
    i,
    "amount",
    v === null || v === undefined ? "missing_value" : "invalid_type",
    `amount is ${formatValue(v)}; expected a finite number, a decimal string or a Decimal`,
  );
}

/**
 * Summarise a transaction log per customer for the BG/NBD and Gamma-Gamma models.
 *
 * Definitions (those of `lifetimes` with daily data, and of Fader, Hardie & Lee's CDNOW summary):
 * purchases are placed on calendar days (`date`, or the day of `at` in `timeZone`); all purchases of
 * a customer on one day are merged into one (amounts summed). Only days up to `calibrationEnd`
 * (inclusive) count; customers whose first purchase is later are left out.
 * - `frequency` = number of distinct purchase days − 1 (repeat purchases);
 * - `recency` = last purchase day − first purchase day;
 * - `T` = `calibrationEnd` − first purchase day (so a first purchase on the last day gives T = 0);
 * - `monetaryValue` = mean summed amount of the repeat purchase days (first day excluded), 0 if none.
 * Durations are whole days divided by 1 (day), 7 (week) or 365.25/12 (month). Note that `lifetimes`
 * with `freq="W"`/`"M"` instead merges purchases within the same week/month; here purchases are
 * always merged by day and only the unit changes (as the CDNOW summary, in weeks = days/7).
 * Amounts are read as float64 (a model input, not an exact money total).
 *
 * Rows come in order of each customer's first appearance in the log. Inputs are not mutated.
 *
 * @throws {InvalidInputError} a record without a valid `customerId`, day/instant (`invalid_time`) or
 *   amount, naming its index and field; an invalid option (`invalid_option`).
 * @example
 * rfmSummary([
 *   { customerId: "a", date: "1997-01-01", amount: 10 },
 *   { customerId: "a", date: "1997-01-08", amount: 20 },
 * ], { calibrationEnd: "1997-01-15", timeUnit: "week" })
 * //=> [{ customerId: "a", frequency: 1, recency: 1, T: 2, monetaryValue: 20 }]
 */
export function rfmSummary(
  transactions: ArrayLike<RfmTransaction> | RfmTransactionColumns,
  options: RfmSummaryOptions,
): RfmRow[] {
  const fn = "rfmSummary";
  if (options === null || typeof options !== "object")
    invalidOption(fn, "options", "{ calibrationEnd, timeUnit?, timeZone?, holdoutEnd? }", options);
  const unit = options.timeUnit ?? "day";
  const unitDays = RFM_UNIT_DAYS[unit];
  if (!Object.hasOwn(RFM_UNIT_DAYS, unit) || unitDays === undefined)
    invalidOption(fn, "timeUnit", '"day", "week" or "month"', unit);
  const timeZone = checkTimeZone(fn, options.timeZone ?? "UTC");
  const dayOfInstant = dayOfInstantFn(timeZone);
  const calEnd = readDayBoundary(fn, "calibrationEnd", options.calibrationEnd, dayOfInstant);
  const hasHoldout = options.holdoutEnd !== undefined;
  const holdEnd = hasHoldout ? readDayBoundary(fn, "holdoutEnd", options.holdoutEnd, dayOfInstant) : calEnd;
  if (hasHoldout && holdEnd <= calEnd)
    invalidOption(fn, "holdoutEnd", `a day after calibrationEnd`, options.holdoutEnd);

  // ---- pass 1: customer index and day number of every transaction ----
  let n: number;
  let idAt: (i: number) => unknown;
  let dayAt: (i: number) => number;
  let amountAt: (i: number) => number;
  let givenAmounts: Float64Array | null = null; // a Float64Array column is used in place (no copy)
  const dayFromAt = (i: number, v: unknown): number => {
    if (typeof v === "number" && Number.isFinite(v)) return dayOfInstant(v);
    const r = tryParseInstant(v);
    if ("ms" in r) return dayOfInstant(r.ms);
    return badRecord(fn, i, "at", "invalid_time", `instant ${r.error}`);
  };
  const dayFromDate = (i: number, v: unknown): number => {
    const d = dayOfDateString(v);
    if (Number.isNaN(d))
      badRecord(
        fn,
        i,
        "date",
        v === undefined || v === null ? "missing_value" : "invalid_time",
        `date is ${formatValue(v)}; expected a calendar day "YYYY-MM-DD"`,
      );
    return d;
  };
  if (isColumns(transactions)) {
    const cols = transactions;
    n = cols.customerId.length;
    const dates = cols.date;
    const ats = cols.at;
    if (!dates && !ats) invalidOption(fn, "transactions", "columns with date or at", "neither");
    for (const [name, col] of [
      ["amount", cols.amount],
      ["date", dates],
      ["at", ats],
    ] as const) {
      if (col && col.length !== n) {
        throw new InvalidInputError(
          [
            {
              index: null,
              path: [name],
              code: "length_mismatch",
              message: `column ${name} has ${col.length} values; expected ${n} (as customerId)`,
            },
          ],
          { context: fn, code: "length_mismatch" },
        );
      }
    }
    idAt = (i) => cols.customerId[i];
    dayAt = dates ? (i) => dayFromDate(i, dates[i]) : (i) => dayFromAt(i, ats![i]);
    amountAt = (i) => amountToNumber(fn, i, cols.amount[i]);
    if (cols.amount instanceof Float64Array) givenAmounts = cols.amount;
  } else {
    const rows = transactions as ArrayLike<RfmTransaction>;
    if (rows === null || typeof rows !== "object" || typeof rows.length !== "number") {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [],
            code: "invalid_type",
            message: `expected an array of transactions or an object of columns, found ${formatValue(rows)}`,
          },
        ],
        { context: fn },
      );
    }
    n = rows.length;
    const row = (i: number): RfmTransaction => {
      const r = rows[i];
      if (r === null || typeof r !== "object")
        badRecord(
          fn,
          i,
          "customerId",
          r == null ? "missing_value" : "invalid_type",
          `record is ${formatValue(r)}; expected { customerId, date | at, amount }`,
        );
      return r;
    };
    idAt = (i) => row(i).customerId;
    dayAt = (i) => {
      const r = row(i);
      if (r.date !== undefined) {
        if (r.at !== undefined)
          badRecord(fn, i, "at", "invalid_record", "expected either `date` or `at`, found both");
        return dayFromDate(i, r.date);
      }
      if (r.at === undefined)
        badRecord(
          fn,
          i,
          "date",
          "missing_value",
          "expected a date (YYYY-MM-DD) or an instant `at`; found neither",
        );
      return dayFromAt(i, r.at);
    };
    amountAt = (i) => amountToNumber(fn, i, row(i).amount);
  }

  const index = new Map<string | number, number>();
  const ids: (string | number)[] = [];
  const cust = new Int32Array(n);
  const day = new Int32Array(n);
  const amount = givenAmounts ?? new Float64Array(n);
  // small non-negative integer ids (the common case for large logs) index a dense table instead of the Map
  let dense = new Int32Array(0);
  const DENSE_MAX = 1 << 26;
  for (let i = 0; i < n; i++) {
    const id = idAt(i);
    let c: number | undefined;
    if (typeof id === "number" && id >= 0 && id < DENSE_MAX && Number.isInteger(id)) {
      if (id >= dense.length) {
        const grown = new Int32Array(Math.min(DENSE_MAX, Math.max(1024, id + 1, dense.length * 2))).fill(-1);
        grown.set(dense);
        dense = grown;
      }
      c = dense[id]!;
      if (c < 0) {
        c = ids.length;
        dense[id] = c;
        ids.push(id);
      }
    } else c = index.get(id as string | number);
    if (c === undefined) {
      if (!((typeof id === "string" && id.length > 0) || (typeof id === "number" && Number.isFinite(id)))) {
        badRecord(
          fn,
          i,
          "customerId",
          id === null || id === undefined ? "missing_value" : "invalid_type",
          `customerId is ${formatValue(id)}; expected a non-empty string or a finite number`,
        );
      }
      c = ids.length;
      index.set(id, c);
      ids.push(id);
    }
    cust[i] = c;
    day[i] = dayAt(i);
    if (givenAmounts) {
      if (!Number.isFinite(givenAmounts[i]!)) amountAt(i); // throws naming the index
    } else amount[i] = amountAt(i);
  }
  const nc = ids.length;

  // ---- pass 2: counting sort of transactions by customer ----
  const start = new Int32Array(nc + 1);
  for (let i = 0; i < n; i++) start[cust[i]! + 1]!++;
  for (let c = 0; c < nc; c++) start[c + 1] = start[c + 1]! + start[c]!;
  const fill = start.slice(0, nc);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[cust[i]!]!++] = i;

  // ---- pass 3: per customer, sort its days and summarise ----
  const out: RfmRow[] = [];
  let bufDay = new Int32Array(64);
  let bufAmt = new Float64Array(64);
  const holdoutDuration = (holdEnd - calEnd) / unitDays;
  for (let c = 0; c < nc; c++) {
    const lo = start[c]!;
    const len = start[c + 1]! - lo;
    if (len > bufDay.length) {
      bufDay = new Int32Array(len * 2);
      bufAmt = new Float64Array(len * 2);
    }
    // insertion sort by day (lists are short); stable, so equal days keep input order
    for (let k = 0; k < len; k++) {
      const i = order[lo + k]!;
      const d = day[i]!;
      const v = amount[i]!;
      let j = k - 1;
      while (j >= 0 && bufDay[j]! > d) {
        bufDay[j + 1] = bufDay[j]!;
        bufAmt[j + 1] = bufAmt[j]!;
        j--;
      }
      bufDay[j + 1] = d;
      bufAmt[j + 1] = v;
    }
    const first = bufDay[0]!;
    if (first > calEnd) continue;
    let days = 0;
    let last = first;
    let repeatSum = 0;
    let hDays = 0;
    let hSum = 0;
    let prev = Number.NaN;
    for (let k = 0; k < len; k++) {
      const d = bufDay[k]!;
      if (d > holdEnd) break;
      const isNew = d !== prev;
      prev = d;
      if (d <= calEnd) {
        if (isNew) {
          days++;
          last = d;
        }
        if (d !== first) repeatSum += bufAmt[k]!;
      } else {
        if (isNew) hDays++;
        hSum += bufAmt[k]!;
      }
    }
    const frequency = days - 1;
    const row: RfmRow = {
      customerId: ids[c]!,
      frequency,
      recency: (last - first) / unitDays,
      T: (calEnd - first) / unitDays,
      monetaryValue: frequency > 0 ? repeatSum / frequency : 0,
    };
    if (hasHoldout) {
      row.holdoutFrequency = hDays;
      row.holdoutMonetaryValue = hDays > 0 ? hSum / hDays : 0;
      row.holdoutDuration = holdoutDuration;
    }
    out.push(row);
  }
  return out;
}
