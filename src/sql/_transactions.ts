/**
 * Shared SQL of the transaction-log pipelines (`rfmSummarySql`): the columns of a transaction table,
 * the rows CTE with each purchase's calendar-day number (a `date` column, or the day of an instant
 * in a time zone) and its amount as a double, and the invalid-row counts that mirror the in-memory
 * record checks of `rfmSummary`. Internal (not re-exported).
 *
 * @module
 */
import { InvalidInputError, formatValue } from "../core/errors.js";
import { type Dialect, type ParamBinder, countIf, quoteIdent } from "./dialect.js";
import { type TableSource, tableSql } from "./table.js";

/** Column names of a transaction table (one purchase per row). Give `date` or `at`, not both. */
export interface TransactionColumns {
  /** Default `customer_id` (text or integer; NULL and empty text are rejected). */
  customerId?: string;
  /** A calendar-day column: a SQL DATE, or text `YYYY-MM-DD` (years 0001–9999). */
  date?: string;
  /** An instant column: a zoned timestamp, or ISO-8601 text with an offset (its day in `timeZone` counts). */
  at?: string;
  /** Default `amount`: a number (DOUBLE, DECIMAL/numeric, integer) or decimal text such as `"19.99"`. */
  amount?: string;
  /**
   * Optional column giving the log's order (a row number, a sequence, an ingestion time; unique).
   * With it, same-day amounts are summed in that order and customers come in order of their first
   * row, exactly as the in-memory function reads an array in that order.
   */
  order?: string;
}

/** Columns after defaults, with the time column resolved. */
export interface ResolvedTransactionColumns {
  customerId: string;
  amount: string;
  /** The time column and whether it holds calendar days (`date`) or instants (`at`). */
  time: { kind: "date" | "at"; column: string };
  order: string | undefined;
}

/** The `columns` option with defaults; exactly one of `date` / `at`. */
export function transactionColumns(
  fn: string,
  columns: TransactionColumns | undefined,
): ResolvedTransactionColumns {
  const bad = (path: string, message: string): never => {
    const where = path === "" ? ["columns"] : ["columns", path];
    throw new InvalidInputError([{ index: null, path: where, code: "invalid_option", message }], {
      context: fn,
      code: "invalid_option",
    });
  };
  if (columns !== undefined && (columns === null || typeof columns !== "object"))
    bad("", `expected { customerId?, date | at, amount?, order? }, found ${formatValue(columns)}`);
  const c = columns ?? {};
  for (const k of Object.keys(c)) {
    if (!["customerId", "date", "at", "amount", "order"].includes(k))
      bad(k, `expected one of customerId, date, at, amount, order; found ${formatValue(k)}`);
  }
  if (c.date !== undefined && c.at !== undefined)
    bad("at", "expected a `date` or an `at` column, found both");
  if (c.date === undefined && c.at === undefined)
    bad("date", "expected a `date` column (calendar days) or an `at` column (instants); found neither");
  return {
    customerId: c.customerId ?? "customer_id",
    amount: c.amount ?? "amount",
    time: c.date !== undefined ? { kind: "date", column: c.date } : { kind: "at", column: c.at! },
    order: c.order,
  };
}

const text = (d: Dialect) => (d === "duckdb" ? "VARCHAR" : "text");

/** `s` matches the regular expression (constant patterns written here; no backslashes, so no escaping rules apply). */
function matches(d: Dialect, s: string, re: string): string {
  return d === "duckdb" ? `regexp_matches(${s}, '${re}')` : `(${s} ~ '${re}')`;
}

/** The decimal-string rule of the in-memory function (`^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$`). */
const NUMBER_RE = "^[[:space:]]*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?[[:space:]]*$";
const NON_FINITE = `('nan', '+nan', '-nan', 'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity')`;

/**
 * `YYYY-MM-DD` text of a date column value as written (DuckDB prints DATE values that way; in
 * PostgreSQL a DATE is formatted with to_char so the session DateStyle does not matter).
 */
function dateText(d: Dialect, w: string): string {
  return d === "duckdb"
    ? `CAST(${w} AS VARCHAR)`
    : `CASE WHEN pg_typeof(${w}) = CAST('date' AS regtype) THEN to_char(CAST(CAST(${w} AS text) AS date), 'YYYY-MM-DD') ELSE CAST(${w} AS text) END`;
}

/** True when text `s` is a real proleptic-Gregorian date `YYYY-MM-DD` with a year from 1 (casts guarded by CASE). */
function validDateText(d: Dialect, s: string): string {
  const part = (from: number, len: number) => `CAST(substr(${s}, ${from}, ${len}) AS INTEGER)`;
  const y = part(1, 4);
  const m = part(6, 2);
  const day = part(9, 2);
  const leap = `(${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0))`;
  const monthDays = `CASE ${m} WHEN 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END`;
  return (
    `CASE WHEN ${matches(d, s, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")} THEN ` +
    `(${y} >= 1 AND ${m} BETWEEN 1 AND 12 AND ${day} >= 1 AND ${day} <= ${monthDays}) ELSE false END`
  );
}

/**
 * The CTE `r(c, d, a[, t][, o])` of valid rows: c the customer id, d the purchase day (days since
 * 1970-01-01; for instants the calendar day in `timeZone`, bound as a parameter), a the amount as
 * a double, t the instant (instants only), o the order column (when given).
 */
export function transactionRowsCte(
  d: Dialect,
  b: ParamBinder,
  table: TableSource,
  cols: ResolvedTransactionColumns,
  timeZone: string,
): string {
  const q = (s: string) => quoteIdent(d, s);
  const w = q(cols.time.column);
  const parts = [`${q(cols.customerId)} AS c`];
  if (cols.time.kind === "date") {
    parts.push(
      d === "duckdb"
        ? `CAST(CAST(${w} AS DATE) - DATE '1970-01-01' AS INTEGER) AS d`
        : `(CAST(${w} AS date) - DATE '1970-01-01') AS d`,
    );
  } else {
    const tz = b.text(timeZone);
    parts.push(
      d === "duckdb"
        ? `CAST(CAST(timezone(${tz}, CAST(${w} AS TIMESTAMPTZ)) AS DATE) - DATE '1970-01-01' AS INTEGER) AS d`
        : `(CAST(timezone(${tz}, CAST(${w} AS timestamptz)) AS date) - DATE '1970-01-01') AS d`,
      `CAST(${w} AS ${d === "duckdb" ? "TIMESTAMPTZ" : "timestamptz"}) AS t`,
    );
  }
  parts.push(`CAST(${q(cols.amount)} AS ${d === "duckdb" ? "DOUBLE" : "double precision"}) AS a`);
  if (cols.order !== undefined) parts.push(`${q(cols.order)} AS o`);
  return `r AS (SELECT ${parts.join(", ")} FROM ${tableSql(d, b, table)} AS ${q("t")})`;
}

/** Invalid-row problems of a transaction table: [alias, path, code, what] for `checkCounts`. */
export const TRANSACTION_PROBLEMS: readonly [string, string, string, string][] = [
  ["no_customer", "customerId", "missing_value", "have no customer id"],
  ["empty_customer", "customerId", "invalid_type", "have an empty customer id"],
  ["no_time", "date", "missing_value", "have no purchase date or instant"],
  ["bad_date", "date", "invalid_time", 'have a date that is not a calendar day "YYYY-MM-DD"'],
  ["no_order", "order", "missing_value", "have no value in the order column"],
  ["no_amount", "amount", "missing_value", "have no amount"],
  ["nonfinite_amount", "amount", "non_finite_value", "have a non-finite amount (NaN or infinity)"],
  [
    "bad_amount",
    "amount",
    "invalid_type",
    'have an amount that is not a number or a decimal string such as "19.99"',
  ],
];

/**
 * The validation query: `n` (rows) and one count per {@link TRANSACTION_PROBLEMS} alias. It reads
 * the columns as written (text forms), so it runs on any column types without cast errors; the
 * rows CTE runs only after it found nothing.
 */
export function transactionCheckSql(
  d: Dialect,
  b: ParamBinder,
  table: TableSource,
  cols: ResolvedTransactionColumns,
): string {
  const q = (s: string) => quoteIdent(d, s);
  const T = text(d);
  const at = `lower(trim(CAST(a AS ${T})))`;
  const counts = [
    `CAST(count(*) AS BIGINT) AS n`,
    `${countIf(d, "c IS NULL")} AS no_customer`,
    `${countIf(d, `CAST(c AS ${T}) = ''`)} AS empty_customer`,
    `${countIf(d, "w IS NULL")} AS no_time`,
    cols.time.kind === "date"
      ? `${countIf(d, `w IS NOT NULL AND NOT (${validDateText(d, dateText(d, "w"))})`)} AS bad_date`
      : "CAST(0 AS BIGINT) AS bad_date",
    cols.order === undefined ? "CAST(0 AS BIGINT) AS no_order" : `${countIf(d, "o IS NULL")} AS no_order`,
    `${countIf(d, "a IS NULL")} AS no_amount`,
    `${countIf(d, `a IS NOT NULL AND ${at} IN ${NON_FINITE}`)} AS nonfinite_amount`,
    `${countIf(d, `a IS NOT NULL AND ${at} NOT IN ${NON_FINITE} AND NOT ${matches(d, `CAST(a AS ${T})`, NUMBER_RE)}`)} AS bad_amount`,
  ];
  return (
    `WITH x AS (SELECT ${q(cols.customerId)} AS c, ${q(cols.time.column)} AS w, ${q(cols.amount)} AS a` +
    (cols.order === undefined ? " " : `, ${q(cols.order)} AS o `) +
    `FROM ${tableSql(d, b, table)} AS ${q("t")}) SELECT ${counts.join(", ")} FROM x`
  );
}
