/**
 * Aggregate pushdown: an accumulator whose state is a handful of SQL aggregates. One query groups
 * by the `by` columns and the calendar period (time-zone aware), the engine returns one row of
 * aggregates per group, and the finaliser rebuilds the accumulator's state from each row and calls
 * the accumulator's own `result` — so the result objects are those of the in-memory functions.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { compareKeys, compositeKey } from "../core/accumulator.js";
import type { PeriodResult } from "../core/by-period.js";
import { InvalidInputError, formatValue } from "../core/errors.js";
import {
  type CalendarOptions,
  type InstantInput,
  type Period,
  checkPeriod,
  checkTimeZone,
  parseInstant,
  periodRange,
  periodStart,
} from "../core/time.js";
import {
  type Dialect,
  ParamBinder,
  bigintCast,
  checkDialect,
  dateText,
  localTime,
  periodStartDate,
  quoteIdent,
} from "./dialect.js";
import { gridIndexSql } from "./_grid.js";
import { type TableSource, tableSql } from "./table.js";

/** One aggregate of a state: `sql` is an aggregate expression, `alias` the result column. */
export interface SqlAggregate {
  alias: string;
  sql: string;
}

/** A value a filter compares with (bound as a parameter). */
export type SqlValue = string | number | boolean;

/**
 * The SQL recipe of an accumulator: which input columns it reads (roles with default column names),
 * the aggregate expressions of its state, and how a row of those aggregates becomes the state.
 */
export interface AggregateSqlMetric<State, Out> {
  readonly kind: "aggregate";
  /** Name for error messages (`"nps"`). */
  readonly name: string;
  /** Input roles and their default column names, e.g. `{ value: "nps" }`. */
  readonly inputs: Readonly<Record<string, string>>;
  /**
   * The aggregate expressions of the state. `input(role)` is the SQL of that input column
   * (already quoted). Aliases must be plain lower-case ASCII.
   */
  aggregates(dialect: Dialect, input: (role: string) => string): SqlAggregate[];
  /**
   * Rebuild the accumulator's state from one row of aggregates (values as the driver returns them:
   * number, bigint or numeric string). Throws `InvalidInputError` for invalid rows the aggregates
   * counted (out-of-range or missing values), naming the column and the group.
   */
  state(row: Readonly<Record<string, unknown>>, where: string): State;
  /** The accumulator whose `result` turns a state into the library's result object. */
  readonly accumulator: Accumulator<never, State, Out>;
}

/** Grouping columns: one column name or several (the group key is then their {@link compositeKey}). */
export type ByColumns = string | readonly string[];

/** A group key: the column's value for one `by` column, the composite key string for several. */
export type GroupKey = string | number | boolean | null;

/** Options of {@link aggregateQuery} and `runMetric` for aggregate metrics. */
export interface AggregateQueryOptions extends CalendarOptions {
  /** The rows: a table name, a qualified name or a table expression ({@link TableSource}). */
  table: TableSource;
  /** Column of each input role (defaults: the metric's `inputs`), plus `at` for the instant of a row. */
  columns?: Readonly<Record<string, string>>;
  /** Group by these columns (values come back as the engine returns them; keys ordered by code point). */
  by?: ByColumns;
  /** Calendar period of the `at` column, in `timeZone` (default `"UTC"`). */
  period?: Period;
  /** Equality filters, `column = value` or `column IN (values)`, all values bound as parameters. */
  where?: Readonly<Record<string, SqlValue | readonly SqlValue[]>>;
  /** First period of the series (default: the first period present); periods before it are dropped. */
  from?: InstantInput;
  /** Last period of the series (default: the last period present); periods after it are dropped. */
  to?: InstantInput;
  /**
   * How `runMetric` assigns rows to periods in DuckDB and PostgreSQL (ignored by {@link aggregateQuery},
   * which always generates the one-statement `"truncate"` form):
   * - `"grid"` (default): a first query reads the first and last instant; the period boundaries are
   *   computed by cxmetrics in the time zone (the same `periodRange` the in-memory functions use) and
   *   inlined as timestamp literals; each row's period is found by a balanced tree of comparisons.
   *   No per-row time-zone conversion: ≈ 6× faster than `date_trunc` on the local time in DuckDB
   *   (bench/results/scale.md). Falls back to `"truncate"` above {@link GRID_PLAN_MAX_PERIODS} periods.
   * - `"truncate"`: one statement; each row's local time is computed (`timezone(zone, at)`) and
   *   truncated to its period.
   * The result is the same object either way.
   */
  periodPlan?: "grid" | "truncate";
}

/** The `"grid"` period plan is used up to this many periods (the comparison tree stays small). */
export const GRID_PLAN_MAX_PERIODS = 4096;

/** A generated query: SQL text, positional parameters, and the plan the finaliser needs. */
export interface SqlQuery {
  dialect: Dialect;
  sql: string;
  /** Values in placeholder order (`$1`, `:1`, `?`; `@p1`/`{p1:…}` for BigQuery/ClickHouse). */
  params: unknown[];
  /** The same values by name (`p1`, `p2`, …) for clients that take named parameters. */
  namedParams: Record<string, unknown>;
}

interface Plan {
  byColumns: string[];
  period: Period | undefined;
  calendar: Required<CalendarOptions>;
  atColumn: string | undefined;
  from: number | undefined;
  to: number | undefined;
  /** The `"grid"` plan: period boundaries (`starts.length` = periods + 1) and labels. */
  grid?: { starts: readonly number[]; labels: readonly string[] } | undefined;
}

const KEY_ALIAS = (i: number) => `k${i}`;
const PERIOD_ALIAS = "p";
const ROWS_ALIAS = "n_rows";

function columnsOf(
  metric: AggregateSqlMetric<unknown, unknown>,
  options: AggregateQueryOptions,
): Record<string, string> {
  const out: Record<string, string> = { ...metric.inputs };
  const given = options.columns ?? {};
  for (const role of Object.keys(given)) {
    const c = given[role];
    if (role !== "at" && !Object.hasOwn(metric.inputs, role)) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: ["columns", role],
            code: "invalid_option",
            message: `${metric.name} reads ${[...Object.keys(metric.inputs), "at"].join(", ")}; found a column for ${formatValue(role)}`,
          },
        ],
        { context: `${metric.name} (sql)`, code: "invalid_option" },
      );
    }
    if (c !== undefined) out[role] = c;
  }
  return out;
}

function planOf(metric: AggregateSqlMetric<unknown, unknown>, options: AggregateQueryOptions): Plan {
  const fn = `${metric.name} (sql)`;
  const by = options.by === undefined ? [] : typeof options.by === "string" ? [options.by] : [...options.by];
  const period = options.period === undefined ? undefined : checkPeriod(fn, options.period);
  const timeZone = checkTimeZone(fn, options.timeZone ?? "UTC");
  const weekStartsOn = options.weekStartsOn ?? 1;
  if (!Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 6) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["weekStartsOn"],
          code: "invalid_option",
          message: `expected an integer 0–6, found ${formatValue(weekStartsOn)}`,
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  const atColumn = options.columns?.at;
  if (period !== undefined && atColumn === undefined) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["columns", "at"],
          code: "invalid_option",
          message: 'a period needs the instant column: columns: { at: "submitted_at" }',
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  const cal = { timeZone, weekStartsOn };
  const bound = (v: InstantInput | undefined, which: string) =>
    v === undefined ? undefined : parseInstant(v, { timeZone, path: [which], fn });
  return {
    byColumns: by,
    period,
    calendar: cal,
    atColumn,
    from: bound(options.from, "from"),
    to: bound(options.to, "to"),
  };
}

/**
 * The SQL of an aggregate metric: a CTE `src` selecting the group keys (`k0…`), the local period
 * start date (`p`) and the inputs, then one row of state aggregates per group.
 *
 * ```sql
 * WITH "src" AS (SELECT "segment" AS "k0", CAST(date_trunc('month', timezone(CAST($1 AS VARCHAR),
 *   CAST("submitted_at" AS TIMESTAMPTZ))) AS DATE) AS "p", "nps" AS "value" FROM "responses" AS "t")
 * SELECT "k0", strftime("p", '%Y-%m-%d') AS "p", CAST(count(*) AS BIGINT) AS "n_rows", … FROM "src" GROUP BY "k0", "p"
 * ```
 *
 * Identifiers are quoted with {@link quoteIdent}; the time zone, filter values and file paths are bound
 * parameters. The table is aliased `t`.
 */
export function aggregateQuery<S, O>(
  dialect: Dialect,
  metric: AggregateSqlMetric<S, O>,
  options: AggregateQueryOptions,
): SqlQuery {
  return buildAggregate(
    checkDialect(`${metric.name} (sql)`, dialect),
    metric as AggregateSqlMetric<unknown, unknown>,
    options,
  ).query;
}

/** The WHERE conditions of the `where` option, values bound. */
function whereSql(d: Dialect, b: ParamBinder, options: AggregateQueryOptions): string[] {
  const q = (name: string) => quoteIdent(d, name);
  const where: string[] = [];
  if (options.where) {
    for (const col of Object.keys(options.where)) {
      const v = options.where[col]!;
      if (Array.isArray(v)) {
        if (v.length === 0) where.push("1 = 0");
        else
          where.push(
            `${q(col)} IN (${(v as readonly SqlValue[]).map((x) => b.bind(x, sqlType(x))).join(", ")})`,
          );
      } else where.push(`${q(col)} = ${b.bind(v, sqlType(v as SqlValue))}`);
    }
  }
  return where;
}

/** An instant as a timestamp literal (cxmetrics computes it; nothing from the user is inlined). */
function instantLiteral(d: Dialect, ms: number): string {
  const iso = new Date(ms).toISOString();
  return d === "duckdb" ? `TIMESTAMPTZ '${iso}'` : `CAST('${iso}' AS timestamptz)`;
}

function buildAggregate(
  d: Dialect,
  metric: AggregateSqlMetric<unknown, unknown>,
  options: AggregateQueryOptions,
  grid?: Plan["grid"],
): { query: SqlQuery; plan: Plan } {
  const plan = { ...planOf(metric, options), grid };
  const cols = columnsOf(metric, options);
  const b = new ParamBinder(d);
  const q = (name: string) => quoteIdent(d, name);
  const from = tableSql(d, b, options.table);
  const select: string[] = [];
  plan.byColumns.forEach((c, i) => {
    select.push(`${q(c)} AS ${q(KEY_ALIAS(i))}`);
  });
  const roles = Object.keys(metric.inputs);
  const inputs = roles.map((role) => `${q(cols[role]!)} AS ${q(`in_${role}`)}`);
  let source: string;
  if (plan.period !== undefined && grid !== undefined) {
    // the instant cast once in an inner select, then its index on the grid
    const ts = `CAST(${q(plan.atColumn!)} AS ${d === "duckdb" ? "TIMESTAMPTZ" : "timestamptz"})`;
    const keys = plan.byColumns.map((_, i) => q(KEY_ALIAS(i)));
    const inner = [...select, `${ts} AS ${q("ts")}`, ...inputs];
    const where = whereSql(d, b, options);
    const outer = [
      ...keys,
      `${gridIndexSql(q("ts"), grid.starts, (ms) => instantLiteral(d, ms), { below: -1, above: -1 })} AS ${q(PERIOD_ALIAS)}`,
    ];
    for (const role of roles) outer.push(q(`in_${role}`));
    // OFFSET 0 keeps PostgreSQL from inlining the cast into every comparison of the tree (2× faster
    // on text instants); DuckDB computes the inner column once either way
    source =
      `SELECT ${outer.join(", ")} FROM (SELECT ${inner.join(", ")} FROM ${from} AS ${q("t")}` +
      (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
      `${d === "postgres" ? " OFFSET 0" : ""}) AS ${q("s")}`;
  } else {
    if (plan.period !== undefined) {
      const local = localTime(b, q(plan.atColumn!), plan.calendar.timeZone);
      select.push(
        `${periodStartDate(d, local, plan.period, plan.calendar.weekStartsOn)} AS ${q(PERIOD_ALIAS)}`,
      );
    }
    select.push(...inputs);
    const where = whereSql(d, b, options);
    source =
      `SELECT ${select.join(", ")} FROM ${from} AS ${q("t")}` +
      (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "");
  }
  const groupCols = plan.byColumns.map((_, i) => q(KEY_ALIAS(i)));
  if (plan.period !== undefined) groupCols.push(q(PERIOD_ALIAS));
  const outer: string[] = plan.byColumns.map((_, i) => q(KEY_ALIAS(i)));
  if (plan.period !== undefined)
    outer.push(
      grid !== undefined ? q(PERIOD_ALIAS) : `${dateText(d, q(PERIOD_ALIAS))} AS ${q(PERIOD_ALIAS)}`,
    );
  outer.push(`${bigintCast(d, "count(*)")} AS ${q(ROWS_ALIAS)}`);
  for (const a of metric.aggregates(d, (role) => q(`in_${role}`))) outer.push(`${a.sql} AS ${q(a.alias)}`);
  const sql =
    `WITH ${q("src")} AS (${source}) SELECT ${outer.join(", ")} FROM ${q("src")}` +
    (groupCols.length > 0 ? ` GROUP BY ${groupCols.join(", ")}` : "");
  return { query: { dialect: d, sql, params: b.params, namedParams: b.named() }, plan };
}

function sqlType(v: SqlValue): string {
  return typeof v === "number"
    ? Number.isInteger(v)
      ? "Int64"
      : "Float64"
    : typeof v === "boolean"
      ? "Bool"
      : "String";
}

/** Read a count the driver returned as number, bigint or numeric string. */
export function countValue(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "bigint" && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n) return Number(v);
  if (typeof v === "string" && /^\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  if (v === null || v === undefined) return 0;
  throw new InvalidInputError(
    [
      {
        index: null,
        path: [what],
        code: "invalid_type",
        message: `engine returned ${formatValue(v)} for a count; expected a non-negative integer`,
      },
    ],
    { context: "sql finaliser", code: "invalid_type" },
  );
}

function keyValue(v: unknown): GroupKey {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Results of an aggregate metric shaped like the in-memory composition of `fold`, `groupBy` and `byPeriod`. */
export type AggregateOutput<O> = O | Map<GroupKey, O> | PeriodResult<O>[] | Map<GroupKey, PeriodResult<O>[]>;

/**
 * Turn the engine's rows into result objects: `fold`-like (no `by`, no `period`), a `Map` by key in
 * code-point order (`by`), a period series with the empty periods filled (`period`), or a `Map` of
 * series sharing one grid from the first to the last period present in any group (`by` and `period`).
 */
function finaliseAggregate<S, O>(
  metric: AggregateSqlMetric<S, O>,
  rows: readonly Readonly<Record<string, unknown>>[],
  plan: Plan,
): AggregateOutput<O> {
  const acc = metric.accumulator;
  const nBy = plan.byColumns.length;
  const describeGroup = (row: Readonly<Record<string, unknown>>) => {
    const parts: string[] = [];
    plan.byColumns.forEach((c, i) => {
      parts.push(`${c} = ${formatValue(keyValue(row[KEY_ALIAS(i)]))}`);
    });
    if (plan.period !== undefined) parts.push(`period starting ${String(row[PERIOD_ALIAS])}`);
    return parts.length > 0 ? ` (group ${parts.join(", ")})` : "";
  };
  if (nBy === 0 && plan.period === undefined) {
    const row = rows[0] ?? {};
    return acc.result(metric.state(row, ""));
  }
  const keyOf = (row: Readonly<Record<string, unknown>>): GroupKey => {
    if (nBy === 1) return keyValue(row[KEY_ALIAS(0)]);
    const parts: (string | number | boolean | null)[] = [];
    for (let i = 0; i < nBy; i++) parts.push(keyValue(row[KEY_ALIAS(i)]));
    return compositeKey(...parts);
  };
  if (plan.period === undefined) {
    const out: [GroupKey, O][] = [];
    for (const row of rows) out.push([keyOf(row), acc.result(metric.state(row, describeGroup(row)))]);
    out.sort((a, b) => compareKeys(a[0], b[0]));
    return new Map(out);
  }
  // Periods: the grid plan returns each row's index on the grid; the truncate plan local start
  // dates → instants in the zone → the grid.
  const cal = plan.calendar;
  const nullInstants = (row: Readonly<Record<string, unknown>>) => {
    if (countValue(row[ROWS_ALIAS], ROWS_ALIAS) > 0) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [plan.atColumn!],
            code: "invalid_time",
            message: `${countValue(row[ROWS_ALIAS], ROWS_ALIAS)} row(s) have a NULL instant${describeGroup(row)}; expected an instant in every row`,
          },
        ],
        { context: `${metric.name} (sql)`, code: "invalid_time" },
      );
    }
  };
  let grid: { starts: readonly number[]; labels: readonly string[] };
  let slots: (number | undefined)[];
  if (plan.grid !== undefined) {
    grid = plan.grid;
    slots = rows.map((row) => {
      const p = row[PERIOD_ALIAS];
      if (p === null || p === undefined) {
        nullInstants(row);
        return undefined;
      }
      const k = Number(p);
      return k >= 0 ? k : undefined; // −1: outside an explicit from/to window
    });
  } else {
    const starts: (number | null)[] = rows.map((row) => {
      const p = row[PERIOD_ALIAS];
      if (p === null || p === undefined) {
        nullInstants(row);
        return null;
      }
      const ms = parseInstant(String(p), {
        timeZone: cal.timeZone,
        path: [PERIOD_ALIAS],
        fn: `${metric.name} (sql)`,
      });
      return periodStart(ms, plan.period!, cal);
    });
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const s of starts) {
      if (s === null) continue;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    if (plan.from !== undefined) min = plan.from;
    if (plan.to !== undefined) max = plan.to;
    grid = min <= max ? periodRange(min, max, plan.period, cal) : { starts: [], labels: [] };
    const index = new Map<number, number>();
    grid.labels.forEach((_, k) => {
      index.set(grid.starts[k]!, k);
    });
    slots = starts.map((s) => (s === null ? undefined : index.get(s)));
  }
  const series = (states: (S | undefined)[]): PeriodResult<O>[] =>
    grid.labels.map((label, k) => ({
      start: new Date(grid.starts[k]!),
      end: new Date(grid.starts[k + 1]!),
      label,
      result: acc.result(states[k] ?? acc.init()),
    }));
  if (nBy === 0) {
    const states: (S | undefined)[] = [];
    rows.forEach((row, i) => {
      const k = slots[i];
      if (k !== undefined) states[k] = metric.state(row, describeGroup(row));
    });
    return series(states);
  }
  const groups = new Map<GroupKey, (S | undefined)[]>();
  rows.forEach((row, i) => {
    const key = keyOf(row);
    let list = groups.get(key);
    if (list === undefined) groups.set(key, (list = []));
    const k = slots[i];
    if (k !== undefined) list[k] = metric.state(row, describeGroup(row));
  });
  const out = [...groups].sort((a, b) => compareKeys(a[0], b[0]));
  return new Map(out.map(([k, states]) => [k, series(states)]));
}

/** @internal Build query and finaliser together (used by `runMetric`). */
export function prepareAggregate<S, O>(
  dialect: Dialect,
  metric: AggregateSqlMetric<S, O>,
  options: AggregateQueryOptions,
  grid?: Plan["grid"],
): { query: SqlQuery; finalise: (rows: readonly Readonly<Record<string, unknown>>[]) => AggregateOutput<O> } {
  const d = checkDialect(`${metric.name} (sql)`, dialect);
  const { query, plan } = buildAggregate(d, metric as AggregateSqlMetric<unknown, unknown>, options, grid);
  return { query, finalise: (rows) => finaliseAggregate(metric, rows, plan) };
}

/**
 * @internal The `"grid"` period plan for DuckDB and PostgreSQL: the query of the first and last
 * instant (epoch ms, `lo`/`hi`) of the rows the metric reads, and the grid built from its row;
 * `undefined` when the truncate plan must be used (other dialects, no period, `periodPlan:
 * "truncate"`, no instant, more than {@link GRID_PLAN_MAX_PERIODS} periods).
 */
export function gridPlan<S, O>(
  dialect: Dialect,
  metric: AggregateSqlMetric<S, O>,
  options: AggregateQueryOptions,
): { query: SqlQuery; grid(row: Readonly<Record<string, unknown>> | undefined): Plan["grid"] } | undefined {
  if (options.period === undefined || options.periodPlan === "truncate") return undefined;
  if (dialect !== "duckdb" && dialect !== "postgres") return undefined;
  const plan = planOf(metric as AggregateSqlMetric<unknown, unknown>, options);
  columnsOf(metric as AggregateSqlMetric<unknown, unknown>, options);
  const grid = (lo: number, hi: number): Plan["grid"] => {
    const a = plan.from ?? lo;
    const z = plan.to ?? hi;
    if (!(a <= z)) return undefined;
    const g = periodRange(a, z, plan.period!, plan.calendar);
    return g.labels.length <= GRID_PLAN_MAX_PERIODS ? g : undefined;
  };
  if (plan.from !== undefined && plan.to !== undefined) {
    // the window is given: no need to read the data range
    const g = grid(plan.from, plan.to);
    return g === undefined
      ? undefined
      : { query: { dialect, sql: "", params: [], namedParams: {} }, grid: () => g };
  }
  const b = new ParamBinder(dialect);
  const q = (name: string) => quoteIdent(dialect, name);
  const from = tableSql(dialect, b, options.table);
  const where = whereSql(dialect, b, options);
  const ts = `CAST(${q(plan.atColumn!)} AS ${dialect === "duckdb" ? "TIMESTAMPTZ" : "timestamptz"})`;
  const ms = (x: string) =>
    dialect === "duckdb" ? `epoch_ms(${x})` : `CAST(floor(extract(epoch FROM ${x}) * 1000) AS bigint)`;
  const sql =
    `SELECT ${ms(`min(${ts})`)} AS ${q("lo")}, ${ms(`max(${ts})`)} AS ${q("hi")} FROM ${from} AS ${q("t")}` +
    (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "");
  return {
    query: { dialect, sql, params: b.params, namedParams: b.named() },
    grid(row) {
      const lo = row?.lo;
      const hi = row?.hi;
      if (lo === null || lo === undefined || hi === null || hi === undefined) return undefined;
      return grid(Number(lo), Number(hi));
    },
  };
}
