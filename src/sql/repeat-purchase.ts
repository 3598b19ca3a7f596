/**
 * `repeatPurchase` pushed down: a CTE pipeline (orders → epoch ms → period index on a grid computed
 * in JavaScript → orders and exact revenue per (period, buyer) → per period: orders, buyers, repeat
 * buyers, revenue; over the window: buyers and repeat buyers) for DuckDB and PostgreSQL, finalised
 * with the in-memory formulas into the same `RepeatPurchaseResult` as `repeatPurchase(orders, options)`.
 *
 * @module
 */
import { compareKeys } from "../core/accumulator.js";
import { CxMetricsError, InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import { Decimal } from "../core/money.js";
import {
  type CalendarOptions,
  type Period,
  checkPeriod,
  checkTimeZone,
  periodRange,
  tryParseInstant,
} from "../core/time.js";
import {
  type RepeatPurchaseOptions,
  type RepeatPurchaseResult,
  type RepeatPurchaseSummary,
  repeatPurchaseFromCounts,
} from "../retention/repeat-purchase.js";
import { epochLiteral, gridIndexSql } from "./_grid.js";
import { isDataException } from "./_probes.js";
import { checkCounts, checkPipelineDialect, epochMs, groupKeyOf } from "./_subscriptions.js";
import { type ResolvedTransactionColumns, transactionCheckSql } from "./_transactions.js";
import { type Dialect, ParamBinder, countIf, quoteIdent } from "./dialect.js";
import type { SqlEngine, SqlRow } from "./engine.js";
import { type GroupKey, countValue } from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import { type TableSource, tableSql } from "./table.js";

/** Column names of an order table (one order per row; defaults in snake_case, as in the shared CSV). */
export interface OrderColumns {
  /** Default `customer_id` (text or integer; NULL and empty text are rejected). */
  customerId?: string;
  /** Default `ordered_at`: a zoned timestamp, or ISO-8601 text with an offset. */
  orderedAt?: string;
  /** Default `amount`: DECIMAL/numeric, an integer, a DOUBLE, or decimal text such as `"19.99"`. */
  amount?: string;
}

/**
 * Options of {@link repeatPurchaseSql}: those of `repeatPurchase` (period, time zone, week start,
 * from, to), plus the table, its columns and an optional `by` column.
 */
export interface RepeatPurchaseSqlOptions extends RepeatPurchaseOptions {
  table: TableSource;
  columns?: OrderColumns;
  /**
   * Group the orders by this column of each order (e.g. `"channel"`): the result is then a `Map`
   * from each value (NULL is the key `null`) to that group's result, keys in code-point order, every
   * group on one grid (see {@link repeatPurchaseSql}).
   */
  by?: string;
}

/**
 * How the engine reads the amount column (from the check and range queries of
 * {@link RepeatPurchaseSqlQueries}).
 */
export interface OrderAmountReading {
  /** The column's SQL type as the engine names it (`DECIMAL(10,2)`, `DOUBLE`, `numeric`, `text`, …). */
  type: string;
  /**
   * DuckDB only: the scale of the DECIMAL(38, scale) the amounts are summed in (0–38): a DECIMAL
   * column's own scale, 0 for integers, otherwise the most decimals of any amount.
   */
  scale: number;
  /**
   * DuckDB only: the most digits before the point of any amount (text amounts that fit 18 digits are
   * parsed as DECIMAL(18), much faster than DECIMAL(38)).
   */
  digits: number;
}

/** The statements of the pipeline (for review, or to run with another driver). */
export interface RepeatPurchaseSqlQueries {
  /**
   * Row count `n`, invalid-row counts and the amount column's type `ty` (run first; reads the columns
   * as text, so it casts nothing).
   */
  check: { sql: string; params: unknown[] };
  /**
   * Given the amount column's type: first and last instant (`lo`, `hi`, epoch ms); in DuckDB also
   * `bad_time` (instants `TRY_CAST` cannot read) and, for the amounts, `scale` and `digits` (most
   * decimals and most digits before the point; text and DOUBLE amounts) or `hi_amount` / `lo_amount`
   * (DECIMAL and integer columns, whose scale is the type's).
   */
  range(amountType: string): { sql: string; params: unknown[] };
  /**
   * Given the grid boundaries (epoch ms) and the amount reading: rows `kind = 'p'` per (group `k0`,
   * period index `j`; −1 before the grid, P after it) with `orders`, `buyers`, `repeaters` (buyers
   * with ≥ 2 orders in the period) and `revenue` (exact, as text); rows `kind = 'w'` per group with
   * the window's `buyers` and `repeaters`.
   */
  periods(boundaries: readonly number[], amount: OrderAmountReading): { sql: string; params: unknown[] };
}

const FN = "repeatPurchase (sql)";

/** Invalid-row counts of the check query (aliases of `transactionCheckSql`): [alias, path, code, what]. */
const PROBLEMS: readonly [string, string, string, string][] = [
  ["no_customer", "customerId", "missing_value", "have no customer id"],
  ["empty_customer", "customerId", "invalid_type", "have an empty customer id"],
  ["no_time", "orderedAt", "missing_value", "have no orderedAt"],
  ["no_amount", "amount", "missing_value", "have no amount"],
  ["nonfinite_amount", "amount", "non_finite_value", "have a non-finite amount (NaN or infinity)"],
  [
    "bad_amount",
    "amount",
    "invalid_type",
    'have an amount that is not a number or a decimal string such as "19.99"',
  ],
];
const TIME_PROBLEMS: readonly [string, string, string, string][] = [
  ["bad_time", "orderedAt", "invalid_time", "have an orderedAt that is not an instant"],
];

/** Column types summed as they are (exact); other types (DOUBLE, REAL, text) are read through their text. */
const EXACT_DUCKDB = /^(DECIMAL\(|(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))$)/;
const EXACT_PG = new Set(["smallint", "integer", "bigint", "numeric"]);
/** DuckDB's widest DECIMAL. */
const DUCKDB_DIGITS = 38;

/** The `columns` option with defaults; unknown keys and empty names are refused. */
function orderColumns(columns: OrderColumns | undefined): Required<OrderColumns> {
  if (columns !== undefined && (columns === null || typeof columns !== "object"))
    invalidOption(FN, "columns", "{ customerId?, orderedAt?, amount? }", columns);
  const c = columns ?? {};
  for (const [k, v] of Object.entries(c)) {
    if (!["customerId", "orderedAt", "amount"].includes(k))
      invalidOption(FN, `columns.${k}`, "one of customerId, orderedAt, amount", k);
    if (v !== undefined && (typeof v !== "string" || v === ""))
      invalidOption(FN, `columns.${k}`, "a column name", v);
  }
  return {
    customerId: c.customerId ?? "customer_id",
    orderedAt: c.orderedAt ?? "ordered_at",
    amount: c.amount ?? "amount",
  };
}

/** The amount as an exact decimal: DuckDB DECIMAL(38, scale), PostgreSQL numeric. */
function amountSql(d: Dialect, a: string, amount: OrderAmountReading): string {
  if (d === "duckdb") {
    const { scale: s, digits } = amount;
    if (!Number.isInteger(s) || s < 0 || s > DUCKDB_DIGITS)
      invalidOption(FN, "amount.scale", "an integer from 0 to 38", s);
    if (!Number.isInteger(digits) || digits < 0)
      invalidOption(FN, "amount.digits", "a non-negative integer", digits);
    const dec = `DECIMAL(${DUCKDB_DIGITS}, ${s})`;
    if (EXACT_DUCKDB.test(amount.type)) return `CAST(${a} AS ${dec})`;
    // A DOUBLE prints as its shortest round-trip decimal (0.1 → '0.1'), the string `toDecimal` reads.
    // Text parses ~50× faster into an int64 DECIMAL(18) than into DECIMAL(38): use it when amounts fit.
    const text = `CAST(${a} AS VARCHAR)`;
    return digits + s <= 18
      ? `CAST(CAST(${text} AS DECIMAL(18, ${s})) AS ${dec})`
      : `CAST(${text} AS ${dec})`;
  }
  // float8 → numeric directly keeps 15 digits; its text is the shortest round-trip decimal
  return EXACT_PG.has(amount.type) ? `CAST(${a} AS numeric)` : `CAST(CAST(${a} AS text) AS numeric)`;
}

/**
 * Generate the pipeline's SQL for DuckDB or PostgreSQL (for review, or to run with another driver).
 * Column and table names are quoted, file paths bound; the grid boundaries (epoch ms computed by
 * cxmetrics) and the decimal scale are inlined as integer literals. The time zone never reaches SQL:
 * the grid is computed in JavaScript (`periodRange`).
 *
 * @throws {InvalidInputError} `invalid_option` (other dialects, columns, `by`, boundaries, scale)
 * @example
 * // illustrative
 * const q = repeatPurchaseQueries("postgres", { table: ["shop", "orders"], by: "channel" });
 * q.check.sql; // SELECT x.*, (SELECT CAST(pg_typeof(a) AS text) …) AS ty FROM (WITH x AS …) x
 * const { starts } = periodRange(Date.parse("2025-01-01T00:00:00Z"), Date.parse("2025-12-31T00:00:00Z"), "month");
 * q.periods(starts, { type: "numeric", scale: 0, digits: 0 }).sql;
 */
export function repeatPurchaseQueries(
  dialect: Dialect,
  options: Pick<RepeatPurchaseSqlOptions, "table" | "columns" | "by">,
): RepeatPurchaseSqlQueries {
  checkPipelineDialect(FN, dialect);
  const d = dialect;
  const q = (s: string) => quoteIdent(d, s);
  const cols = orderColumns(options.columns);
  const by = options.by;
  if (by !== undefined && (typeof by !== "string" || by === "")) invalidOption(FN, "by", "a column name", by);
  const resolved: ResolvedTransactionColumns = {
    customerId: cols.customerId,
    amount: cols.amount,
    time: { kind: "at", column: cols.orderedAt },
    order: undefined,
  };
  const check = () => {
    const b = new ParamBinder(d);
    const counts = transactionCheckSql(d, b, options.table, resolved);
    const type = d === "duckdb" ? "typeof(a)" : "CAST(pg_typeof(a) AS text)";
    const sql =
      `SELECT x.*, (SELECT ${type} FROM (SELECT ${q(cols.amount)} AS a FROM ${tableSql(d, b, options.table)} ` +
      `AS ${q("t")}) y LIMIT 1) AS ty FROM (${counts}) x`;
    return { sql, params: b.params };
  };
  const range = (amountType: string) => {
    const b = new ParamBinder(d);
    const from = `${tableSql(d, b, options.table)} AS ${q("t")}`;
    if (d === "postgres") {
      const sql = `SELECT min(t) AS lo, max(t) AS hi FROM (SELECT ${epochMs(d, q(cols.orderedAt))} AS t FROM ${from}) x`;
      return { sql, params: b.params };
    }
    const head =
      `WITH x AS (SELECT w, TRY_CAST(w AS TIMESTAMPTZ) AS ts, a FROM ` +
      `(SELECT ${q(cols.orderedAt)} AS w, ${q(cols.amount)} AS a FROM ${from}) x0) ` +
      `SELECT min(epoch_ms(ts)) AS lo, max(epoch_ms(ts)) AS hi, ${countIf(d, "w IS NOT NULL AND ts IS NULL")} AS bad_time, `;
    if (EXACT_DUCKDB.test(amountType))
      return {
        sql: `${head}CAST(max(a) AS VARCHAR) AS hi_amount, CAST(min(a) AS VARCHAR) AS lo_amount FROM x`,
        params: b.params,
      };
    // Decimals an amount needs: fraction digits (trailing zeros dropped) minus the exponent; digits
    // before the point: integer digits (leading zeros dropped) plus the exponent. An exponent too
    // large for INTEGER counts as 100000 digits (refused below, never rounded).
    const s = "lower(trim(CAST(a AS VARCHAR)))";
    const ex = `regexp_extract(${s}, 'e([+-]?[0-9]+)$', 1)`;
    const e = `(CASE WHEN ${ex} = '' THEN 0 ELSE COALESCE(TRY_CAST(${ex} AS INTEGER), CASE WHEN ${ex} LIKE '-%' THEN -100000 ELSE 100000 END) END)`;
    const frac = `length(rtrim(regexp_extract(${s}, '[.]([0-9]*)', 1), '0'))`;
    const int = `length(ltrim(regexp_extract(${s}, '^[+-]?([0-9]*)', 1), '0'))`;
    const sql = `${head}max(greatest(${frac} - ${e}, 0)) AS scale, max(greatest(${int} + ${e}, 0)) AS digits FROM x`;
    return { sql, params: b.params };
  };
  const periods = (boundaries: readonly number[], amount: OrderAmountReading) => {
    if (boundaries.length === 0 || !boundaries.every(Number.isSafeInteger))
      invalidOption(FN, "boundaries", "one or more integer epoch milliseconds", boundaries);
    const b = new ParamBinder(d);
    const P = boundaries.length - 1;
    const k = by === undefined ? "" : "k, ";
    const text = d === "duckdb" ? "VARCHAR" : "text";
    const j = gridIndexSql("t", boundaries, epochLiteral, { below: -1, above: P });
    // OFFSET 0 keeps PostgreSQL from inlining the epoch expression into every comparison of the tree
    // (and from JIT-compiling the bloated expression): half the time on 1M rows
    const fence = d === "postgres" ? " OFFSET 0" : "";
    const sql =
      `WITH r0 AS (SELECT ${q(cols.customerId)} AS c, ${by === undefined ? "" : `${q(by)} AS k, `}` +
      `${epochMs(d, q(cols.orderedAt))} AS t, ${amountSql(d, q(cols.amount), amount)} AS a ` +
      `FROM ${tableSql(d, b, options.table)} AS ${q("t")}${fence}), ` +
      `r AS (SELECT ${k}c, ${j} AS j, a FROM r0), ` +
      // one row per (group, period, buyer): that buyer's orders and revenue in the period
      `pc AS (SELECT ${k}j, c, count(*) AS n, sum(a) AS s FROM r GROUP BY ${k}j, c) ` +
      `SELECT 'p' AS kind, ${by === undefined ? "" : "k AS k0, "}j, CAST(sum(n) AS BIGINT) AS orders, ` +
      `CAST(count(*) AS BIGINT) AS buyers, ${countIf(d, "n >= 2")} AS repeaters, CAST(sum(s) AS ${text}) AS revenue ` +
      `FROM pc GROUP BY ${k}j ` +
      // the window: each buyer's orders over every period of the grid
      `UNION ALL SELECT 'w', ${by === undefined ? "" : "k, "}NULL, NULL, CAST(count(*) AS BIGINT), ${countIf(d, "n >= 2")}, NULL ` +
      `FROM (SELECT ${k}c, sum(n) AS n FROM pc WHERE j >= 0 AND j < ${P} GROUP BY ${k}c) w` +
      (by === undefined ? "" : " GROUP BY k");
    return { sql, params: b.params };
  };
  return { check: check(), range, periods };
}

/** Digits before the point of a decimal text such as `-0012.50` (leading zeros dropped). */
const intDigits = (v: unknown): number =>
  (
    String(v ?? "")
      .replace(/^[+-]/, "")
      .split(".")[0] ?? ""
  ).replace(/^0+/, "").length;

/** Scale and most digits before the point of DuckDB amounts, from the range query's row. */
function duckdbAmountDigits(type: string, r: SqlRow): { scale: number; digits: number } {
  if (EXACT_DUCKDB.test(type)) {
    const scale = Number(/^DECIMAL\(\d+,\s*(\d+)\)$/.exec(type)?.[1] ?? 0);
    return { scale, digits: Math.max(intDigits(r.hi_amount), intDigits(r.lo_amount)) };
  }
  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  return { scale: num(r.scale), digits: num(r.digits) };
}

function internal(what: string, v: unknown): never {
  throw new CxMetricsError(
    "internal_error",
    `${FN}: internal error (please report): ${what} is ${formatValue(v)}`,
  );
}

/** An instant option read as `repeatPurchase` reads it (local dates in `timeZone`). */
function instantOption(name: "from" | "to", v: unknown, timeZone: string): number | undefined {
  if (v === undefined) return undefined;
  const r = tryParseInstant(v, timeZone);
  if ("error" in r) {
    throw new InvalidInputError(
      [{ index: null, path: [name], code: "invalid_time", message: `instant ${r.error}` }],
      { context: FN, code: "invalid_time" },
    );
  }
  return r.ms;
}

/** The summary of `repeatPurchase` from the counts and the exact revenue (its own formulas). */
function summary(
  orders: number,
  buyers: number,
  repeatBuyers: number,
  revenue: Decimal,
): RepeatPurchaseSummary {
  return repeatPurchaseFromCounts({ orders, buyers, repeatBuyers, revenue });
}

/** What the engine returned for one group. */
interface GroupCounts {
  cells: ({ orders: number; buyers: number; repeaters: number; revenue: Decimal } | undefined)[];
  outside: number;
  buyers: number;
  repeaters: number;
}

function resultOf(
  period: Period,
  timeZone: string,
  starts: readonly number[],
  labels: readonly string[],
  g: GroupCounts,
): RepeatPurchaseResult {
  const periods = labels.map((label, i) => {
    const c = g.cells[i];
    return {
      label,
      start: new Date(starts[i]!),
      end: new Date(starts[i + 1]!),
      ...(c === undefined
        ? summary(0, 0, 0, new Decimal(0))
        : summary(c.orders, c.buyers, c.repeaters, c.revenue)),
    };
  });
  // the window's revenue is added period by period from 0, as mergeStates does in memory
  let revenue = new Decimal(0);
  let orders = 0;
  for (const p of periods) {
    revenue = revenue.plus(p.revenue);
    orders += p.orders;
  }
  return {
    period,
    timeZone,
    periods,
    total: summary(orders, g.buyers, g.repeaters, revenue),
    excluded: { outsideWindow: g.outside },
  };
}

/** Fold the rows of the periods query into per-group counts. */
function readRows(rows: readonly SqlRow[], P: number, grouped: boolean): Map<GroupKey, GroupCounts> {
  const groups = new Map<GroupKey, GroupCounts>();
  for (const row of rows) {
    const key = grouped ? groupKeyOf(row.k0) : null;
    let g = groups.get(key);
    if (g === undefined) {
      g = { cells: new Array(P).fill(undefined), outside: 0, buyers: 0, repeaters: 0 };
      groups.set(key, g);
    }
    const buyers = countValue(row.buyers, "buyers");
    const repeaters = countValue(row.repeaters, "repeaters");
    if (row.kind === "w") {
      g.buyers += buyers;
      g.repeaters += repeaters;
      continue;
    }
    if (row.kind !== "p") internal("row kind", row.kind);
    const j = Number(row.j);
    if (!Number.isInteger(j) || j < -1 || j > P) internal("period index", row.j);
    const orders = countValue(row.orders, "orders");
    if (j < 0 || j >= P) {
      g.outside += orders;
      continue;
    }
    const text = row.revenue;
    if (typeof text !== "string" || orders === 0) internal("revenue", text);
    // 0 + sum, as the in-memory state adds each amount to a Decimal 0
    g.cells[j] = { orders, buyers, repeaters, revenue: new Decimal(0).plus(new Decimal(text)) };
  }
  return groups;
}

/**
 * Repeat purchase per calendar period and over the window, computed in the engine (DuckDB and
 * PostgreSQL; tested with DuckDB 1.5 and PostgreSQL 15) from an order table: the definitions and the
 * result object of the in-memory `repeatPurchase(orders, options)` (see its documentation):
 * - per period (orders placed in it, by the calendar of `timeZone`): orders; buyers = distinct
 *   customer ids; repeat buyers = buyers with ≥ 2 orders in the period; repeat purchase rate = repeat
 *   buyers / buyers; purchase frequency = orders / buyers; revenue = Σ amount (exact `Decimal`);
 *   average order value = revenue / orders (40 significant digits); empty periods of the window are
 *   listed with `reason: "no_orders"`;
 * - `total`: the same over every order of the window (a buyer repeats with ≥ 2 orders in the window);
 *   `excluded.outsideWindow`: orders before the period of `from` or after the period of `to`;
 * - the window runs from the period of `from` (default: the first order's) to the period of `to`
 *   (default: the last order's); periods are half-open and computed in JavaScript with the in-memory
 *   calendar code (time zone, DST, week start), so the engine only compares epoch milliseconds with
 *   inlined boundaries (a balanced tree of comparisons; no time-zone conversion per row).
 *
 * Pipeline: (1) row and invalid-row counts — NULL customer id, orderedAt or amount `missing_value`,
 * empty customer id or non-numeric amount `invalid_type`, NaN/∞ `non_finite_value`, as the other
 * pipelines report them (no row index) — and the amount column's type; (2) first and last instant
 * (an unreadable instant: `invalid_time`, naming orderedAt) and, in DuckDB, the digits the amounts
 * need; (3) one pass that groups orders by (period, buyer), then by period, plus the window's buyers.
 * Output: about one row per period (per group). An empty table runs only (1).
 *
 * Money is exact: amounts are summed as DECIMAL(38, s) in DuckDB (s = a DECIMAL column's scale, else
 * the most decimals of any amount, found in step 2) and as `numeric` in PostgreSQL, returned as text
 * and read into `Decimal`. DOUBLE/REAL and text amounts go through their text: a double's shortest
 * round-trip decimal, which is what `toDecimal` reads from a JavaScript number (PostgreSQL prints it so
 * with the default `extra_float_digits` ≥ 1). In DuckDB, amounts and sums that could exceed 38 digits
 * are refused (`out_of_range`) rather than rounded or overflowed (DuckDB's DECIMAL sum wraps silently
 * past its HUGEINT range); PostgreSQL has no limit. The in-memory function adds with decimal.js's 20
 * significant digits; for sums within 20 digits (any realistic money) both are exact and equal; beyond,
 * the engine's per-period sum is exact and rounded to 20 digits once, so it may differ from the
 * in-memory one (rounded at every addition) in the last digit.
 *
 * `by` (one column) groups the orders by that column's value: a `Map` from each value (code-point key
 * order; NULL is `null`) to `repeatPurchase(ordersOfThatGroup, { ...options, from: from ?? first
 * order of the table, to: to ?? last order of the table })` — every group on one grid, as `runMetric`
 * does for `by` and `period`. (When `from` is after the table's last order, or `to` before its first,
 * no group has a period and every order is outside the window, as `repeatPurchase` with the options as
 * given says.) Groups come from every order, those outside the window included.
 *
 * Differences from the in-memory function: errors name the column, not a row index; customer ids
 * compare by the column's SQL type (integers are accepted; in memory ids are strings); instants are
 * truncated to whole milliseconds; text instants are read by the engine's cast (write them with an
 * offset: one without is read in the session time zone).
 *
 * @throws {InvalidInputError} `invalid_option` (period, weekStartsOn, from after to, columns, by,
 *   other dialects), `invalid_time` (time zone, from/to, unreadable instants), `missing_value`,
 *   `invalid_type`, `non_finite_value` (bad rows), `out_of_range` (DuckDB: amounts beyond 38 digits)
 * @example
 * // illustrative (needs a database)
 * const r = await runMetric(duckdbEngine(con), repeatPurchaseSql(), {
 *   table: readCsv("orders.csv"), period: "month", timeZone: "America/New_York",
 *   from: "2025-01-01", to: "2026-06-30" });
 * r.periods[0]?.repeatPurchaseRate; r.total.revenue.toFixed(2);
 * const byChannel = await runMetric(duckdbEngine(con), repeatPurchaseSql(), { table: "orders", by: "channel" });
 */
export function repeatPurchaseSql(): PipelineSqlMetric<
  RepeatPurchaseResult,
  Map<GroupKey, RepeatPurchaseResult>,
  RepeatPurchaseSqlOptions
> {
  return {
    kind: "pipeline",
    name: "repeatPurchase",
    async run(engine: SqlEngine, options: RepeatPurchaseSqlOptions) {
      if (options === null || typeof options !== "object")
        invalidOption(FN, "options", "{ table, columns?, by?, period?, timeZone?, from?, to? }", options);
      // option checks in the order of repeatPurchase / byPeriod
      const period = checkPeriod(FN, options.period ?? "month");
      const timeZone = checkTimeZone(FN, options.timeZone ?? "UTC");
      const weekStartsOn = options.weekStartsOn ?? 1;
      if (!Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 6)
        invalidOption(FN, "weekStartsOn", "an integer 0 (Sunday) to 6 (Saturday)", weekStartsOn);
      const cal: CalendarOptions = { timeZone, weekStartsOn };
      const from = instantOption("from", options.from, timeZone);
      const to = instantOption("to", options.to, timeZone);
      if (from !== undefined && to !== undefined && from > to)
        invalidOption(FN, "from", `an instant on or before to (${new Date(to).toISOString()})`, options.from);
      const grouped = options.by !== undefined;
      const queries = repeatPurchaseQueries(engine.dialect, options);

      const [info] = await engine.query(queries.check.sql, queries.check.params, {});
      checkCounts(FN, info ?? {}, PROBLEMS);
      const n = countValue(info?.n, "n");

      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let amount: OrderAmountReading = { type: "", scale: 0, digits: 0 };
      if (n > 0) {
        const type = String(info?.ty ?? "");
        const rangeQ = queries.range(type);
        let range: SqlRow[];
        try {
          range = await engine.query(rangeQ.sql, rangeQ.params, {});
        } catch (e) {
          if (engine.dialect !== "postgres" || !isDataException(e)) throw e;
          throw new InvalidInputError(
            [
              {
                index: null,
                path: ["orderedAt"],
                code: "invalid_time",
                message: `orderedAt holds a value that is not an instant (engine: ${e instanceof Error ? e.message : formatValue(e)})`,
              },
            ],
            { context: FN, code: "invalid_time", cause: e },
          );
        }
        const r = range[0] ?? {};
        if (engine.dialect === "duckdb") checkCounts(FN, r, TIME_PROBLEMS);
        lo = r.lo === null || r.lo === undefined ? lo : Number(r.lo);
        hi = r.hi === null || r.hi === undefined ? hi : Number(r.hi);
        const { scale, digits } =
          engine.dialect === "duckdb" ? duckdbAmountDigits(type, r) : { scale: 0, digits: 0 };
        // a sum of n amounts below 10^digits has at most digits + scale + len(n) digits
        const need = digits + scale + String(n).length;
        if (engine.dialect === "duckdb" && need > DUCKDB_DIGITS) {
          throw new InvalidInputError(
            [
              {
                index: null,
                path: ["amount"],
                code: "out_of_range",
                message: `amounts with up to ${digits} digits before and ${scale} after the point, summed over ${n} rows, may need ${need} digits; DuckDB's DECIMAL holds 38 (round the amounts, or use PostgreSQL)`,
              },
            ],
            { context: FN, code: "out_of_range" },
          );
        }
        amount = { type, scale, digits };
      }

      const min = from ?? lo;
      const max = to ?? hi;
      const grid = min <= max ? periodRange(min, max, period, cal) : { starts: [], labels: [] };
      const P = grid.labels.length;
      let groups = new Map<GroupKey, GroupCounts>();
      if (n > 0) {
        // with no period, one dummy boundary: every order is outside the (empty) window
        const q = queries.periods(P > 0 ? grid.starts : [0], amount);
        groups = readRows(await engine.query(q.sql, q.params, {}), P, grouped);
      }
      if (!grouped) {
        const g = groups.get(null) ?? { cells: [], outside: 0, buyers: 0, repeaters: 0 };
        return resultOf(period, timeZone, grid.starts, grid.labels, g);
      }
      const keys = [...groups.keys()].sort(compareKeys);
      return new Map(
        keys.map((k) => [k, resultOf(period, timeZone, grid.starts, grid.labels, groups.get(k)!)]),
      );
    },
  };
}
