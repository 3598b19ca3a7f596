/**
 * `rfmSummary` pushed down: a CTE pipeline (transactions → purchase day in the time zone → each
 * customer's first day → distinct calibration and holdout days, last day, and the ordered float
 * sums of the repeat and holdout amounts) for DuckDB and PostgreSQL, finalised in JavaScript with
 * the in-memory formulas, so the rows equal `rfmSummary`'s.
 *
 * @module
 */
import { RFM_UNIT_DAYS, type RfmRow, type RfmSummaryOptions } from "../clv/rfm-summary.js";
import { dayOfInstantFn, readDayBoundary } from "../clv/days.js";
import { compareKeys } from "../core/accumulator.js";
import { CxMetricsError, formatValue, invalidOption } from "../core/errors.js";
import { checkTimeZone } from "../core/time.js";
import { checkCounts, checkPipelineDialect } from "./_subscriptions.js";
import {
  type ResolvedTransactionColumns,
  TRANSACTION_PROBLEMS,
  type TransactionColumns,
  transactionCheckSql,
  transactionColumns,
  transactionRowsCte,
} from "./_transactions.js";
import { type Dialect, ParamBinder } from "./dialect.js";
import type { SqlEngine } from "./engine.js";
import { countValue } from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import type { TableSource } from "./table.js";

export type { TransactionColumns } from "./_transactions.js";

/** Options of {@link rfmSummarySql}: those of `rfmSummary`, plus the table and its columns. */
export interface RfmSummarySqlOptions extends RfmSummaryOptions {
  table: TableSource;
  /** Column names: `customerId` (default `customer_id`), `amount` (default `amount`), `date` or `at`, `order`. */
  columns: TransactionColumns;
}

/** The two statements of the pipeline (for review, or to run with another client). */
export interface RfmSummarySqlQueries {
  /** Row count and invalid-row counts (run first: the summary casts the columns). */
  check: { sql: string; params: unknown[] };
  /**
   * One row per customer whose first purchase day is on or before `calibrationEnd`: c (id), f (first
   * day), l (last calibration day), days (distinct calibration days), rs (repeat amounts' float sum),
   * with a holdout hdays and hs; days are numbers since 1970-01-01.
   */
  summary(calibrationEnd: number, holdoutEnd: number | null): { sql: string; params: unknown[] };
}

const FN = "rfmSummary (sql)";

/**
 * The ordered left-to-right float64 sum of `a` over the rows where `cond` holds, in the order
 * `order` — the addition order of the in-memory loop, so the sum is the same double. DuckDB folds
 * the ordered list with `list_reduce` from +0 (as the loop does); PostgreSQL's `sum(float8 ORDER BY …)`
 * adds in input order from the first value (the finaliser adds it to +0, which changes nothing but
 * the sign of a zero). NULL when no row qualifies.
 */
function orderedSum(d: Dialect, cond: string, order: string): string {
  return d === "duckdb"
    ? `list_reduce(list(a ORDER BY ${order}) FILTER (WHERE ${cond}), lambda s, v: s + v, CAST(0 AS DOUBLE))`
    : `sum(a ORDER BY ${order}) FILTER (WHERE ${cond})`;
}

/**
 * Generate the pipeline's SQL for DuckDB or PostgreSQL. Column names are quoted, the time zone and
 * file paths are bound; the calibration and holdout ends (day numbers computed by cxmetrics) are
 * inlined as integer literals.
 */
export function rfmSummaryQueries(
  dialect: Dialect,
  options: Pick<RfmSummarySqlOptions, "table" | "columns" | "timeZone">,
): RfmSummarySqlQueries {
  checkPipelineDialect(FN, dialect);
  const d = dialect;
  const cols: ResolvedTransactionColumns = transactionColumns(FN, options.columns);
  const timeZone = checkTimeZone(FN, options.timeZone ?? "UTC");
  const check = () => {
    const b = new ParamBinder(d);
    return { sql: transactionCheckSql(d, b, options.table, cols), params: b.params };
  };
  const summary = (calEnd: number, holdEnd: number | null) => {
    for (const [name, v] of [
      ["calibrationEnd", calEnd],
      ["holdoutEnd", holdEnd ?? 0],
    ] as const) {
      if (!Number.isSafeInteger(v)) invalidOption(FN, name, "a day number (integer)", v);
    }
    const b = new ParamBinder(d);
    const E = String(calEnd);
    const H = String(holdEnd ?? calEnd);
    const INT = d === "duckdb" ? "INTEGER" : "integer";
    const hasOrder = cols.order !== undefined;
    // Same-day purchases are added in log order (`o`), or else by instant and amount.
    const order = hasOrder ? "d, o" : cols.time.kind === "at" ? "d, t, a" : "d, a";
    const extra = cols.time.kind === "at" ? ", t" : "";
    const select = [
      "c",
      "f",
      `CAST(max(d) FILTER (WHERE d <= ${E}) AS ${INT}) AS l`,
      `CAST(count(DISTINCT d) FILTER (WHERE d <= ${E}) AS ${INT}) AS days`,
      `${orderedSum(d, `d > f AND d <= ${E}`, order)} AS rs`,
    ];
    if (holdEnd !== null) {
      select.push(
        `CAST(count(DISTINCT d) FILTER (WHERE d > ${E}) AS ${INT}) AS hdays`,
        `${orderedSum(d, `d > ${E}`, order)} AS hs`,
      );
    }
    const sql =
      `WITH ${transactionRowsCte(d, b, options.table, cols, timeZone)}, ` +
      `x AS (SELECT c, d, a${extra}${hasOrder ? ", o, min(o) OVER (PARTITION BY c) AS fo" : ""}, ` +
      `min(d) OVER (PARTITION BY c) AS f FROM r) ` +
      `SELECT ${select.join(", ")} FROM x WHERE f <= ${E} AND d <= ${H} ` +
      `GROUP BY c, f${hasOrder ? ", fo ORDER BY fo, c" : ""}`;
    return { sql, params: b.params };
  };
  return { check: check(), summary };
}

/** A customer id as the driver returned it (bigint → number when safe, else its decimal text). */
function customerIdOf(v: unknown): string | number {
  if (typeof v === "string" || typeof v === "number") return v;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return String(v);
}

/** A day number or count the engine returned (integer). */
function intOf(v: unknown, what: string): number {
  const n = typeof v === "bigint" ? Number(v) : typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) {
    throw new CxMetricsError(
      "internal_error",
      `${FN}: internal error (please report): ${what} is ${formatValue(v)}; expected an integer`,
    );
  }
  return n;
}

/** A float sum the engine returned (NULL: no rows, 0). `0 + x` makes the sum start at +0 as the in-memory loop does. */
function sumOf(v: unknown): number {
  if (v === null || v === undefined) return 0;
  return 0 + (typeof v === "number" ? v : Number(v));
}

/**
 * The RFM summary of a transaction table computed in the engine (DuckDB ≥ 1.3, PostgreSQL ≥ 13):
 * per customer the repeat-purchase `frequency`, `recency`, `T` and `monetaryValue`, with
 * `holdoutEnd` also `holdoutFrequency`, `holdoutMonetaryValue` and `holdoutDuration` — the definitions
 * and the result rows of the in-memory `rfmSummary(transactions, options)` (lifetimes'
 * `summary_data_from_transaction_data` / `calibration_and_holdout_data` with daily data; see its
 * documentation):
 * - a purchase falls on a calendar day (the `date` column, or the day of the `at` instant in
 *   `timeZone`); a customer's purchases on one day are one purchase (amounts summed);
 * - `frequency` = distinct purchase days up to `calibrationEnd` (inclusive) − 1; `recency` = last −
 *   first of those days; `T` = `calibrationEnd` − first day; both in days / 1, 7 or 365.25/12
 *   (`timeUnit`); customers whose first purchase is after `calibrationEnd` are left out;
 * - `monetaryValue` = (sum of the amounts on the repeat days) / `frequency`, 0 when frequency is 0.
 *
 * Pipeline: a first query counts rows and invalid rows (NULL or empty customer id, NULL day/instant,
 * a date that is not `YYYY-MM-DD`, NULL, non-finite or non-numeric amounts) and throws like the
 * other SQL pipelines (`missing_value`, `invalid_type`, `invalid_time`, `non_finite_value`); the
 * second reduces the rows to one row per customer (first and last day, distinct days, sums) and
 * the finaliser divides exactly as the in-memory function does.
 *
 * Money: the in-memory function reads amounts as float64 and adds them one by one in day order
 * (same-day purchases in input order). The engine reproduces that addition order: amounts are cast
 * to DOUBLE (decimal text and DECIMAL/numeric are correctly rounded, as `Number("19.99")`), and
 * summed left to right ordered by day, then by the `order` column when given, else by instant and
 * amount (DuckDB `list_reduce` over an ordered `list`, PostgreSQL `sum(… ORDER BY …)`). So every
 * float equals the in-memory result, bit for bit.
 *
 * Differences from the in-memory function: a table has no input order. With `columns.order` (a
 * unique row number or sequence) the result equals `rfmSummary` of the rows in that order; without
 * it, rows come in customer-id order (`compareKeys`: numbers ascending, strings by code unit) and
 * same-day amounts are added by instant then amount — `rfmSummary` of the log sorted by (customer
 * id, instant or date, amount). Invalid rows are reported without a row index. Customer ids come
 * back as the driver returns them (DuckDB BIGINT as a number when safe; `pg` returns int8 as text).
 * Dates must be years 0001–9999; instants must carry an offset (text without one is read in the
 * session time zone by the engine, not rejected).
 *
 * @throws {InvalidInputError} `invalid_option` (options, columns, other dialects), `invalid_time`
 *   (time zone, bad dates), `missing_value`, `invalid_type`, `non_finite_value` (bad rows)
 * @example
 * const rows = await runMetric(duckdbEngine(con), rfmSummarySql(), {
 *   table: readCsv("transactions.csv"),
 *   columns: { customerId: "customer_id", at: "ordered_at", amount: "amount" },
 *   calibrationEnd: "2025-12-31", holdoutEnd: "2026-06-30", timeUnit: "week", timeZone: "America/New_York",
 * });
 * rows[0]?.frequency
 */
export function rfmSummarySql(): PipelineSqlMetric<RfmRow[], never, RfmSummarySqlOptions> {
  return {
    kind: "pipeline",
    name: "rfmSummary",
    async run(engine: SqlEngine, options: RfmSummarySqlOptions) {
      if (options === null || typeof options !== "object")
        invalidOption(
          FN,
          "options",
          "{ table, columns, calibrationEnd, timeUnit?, timeZone?, holdoutEnd? }",
          options,
        );
      // Option checks of rfmSummary, in its order and with its codes.
      const unit = options.timeUnit ?? "day";
      const unitDays = RFM_UNIT_DAYS[unit];
      if (!Object.hasOwn(RFM_UNIT_DAYS, unit) || unitDays === undefined)
        invalidOption(FN, "timeUnit", '"day", "week" or "month"', unit);
      const timeZone = checkTimeZone(FN, options.timeZone ?? "UTC");
      const dayOfInstant = dayOfInstantFn(timeZone);
      const calEnd = readDayBoundary(FN, "calibrationEnd", options.calibrationEnd, dayOfInstant);
      const hasHoldout = options.holdoutEnd !== undefined;
      const holdEnd = hasHoldout
        ? readDayBoundary(FN, "holdoutEnd", options.holdoutEnd, dayOfInstant)
        : calEnd;
      if (hasHoldout && holdEnd <= calEnd)
        invalidOption(FN, "holdoutEnd", "a day after calibrationEnd", options.holdoutEnd);

      const queries = rfmSummaryQueries(engine.dialect, { ...options, timeZone });
      const [info] = await engine.query(queries.check.sql, queries.check.params, {});
      checkCounts(FN, info ?? {}, TRANSACTION_PROBLEMS);
      if (countValue(info?.n, "n") === 0) return [];

      const q = queries.summary(calEnd, hasHoldout ? holdEnd : null);
      const rows = await engine.query(q.sql, q.params, {});
      const holdoutDuration = (holdEnd - calEnd) / unitDays;
      const out: RfmRow[] = [];
      for (const r of rows) {
        const first = intOf(r.f, "f");
        const last = intOf(r.l, "l");
        const frequency = intOf(r.days, "days") - 1;
        const repeatSum = sumOf(r.rs);
        const row: RfmRow = {
          customerId: customerIdOf(r.c),
          frequency,
          recency: (last - first) / unitDays,
          T: (calEnd - first) / unitDays,
          monetaryValue: frequency > 0 ? repeatSum / frequency : 0,
        };
        if (hasHoldout) {
          const hDays = intOf(r.hdays, "hdays");
          row.holdoutFrequency = hDays;
          row.holdoutMonetaryValue = hDays > 0 ? sumOf(r.hs) / hDays : 0;
          row.holdoutDuration = holdoutDuration;
        }
        out.push(row);
      }
      if (options.columns?.order === undefined) out.sort((a, b) => compareKeys(a.customerId, b.customerId));
      return out;
    },
  };
}
