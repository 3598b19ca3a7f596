/**
 * `kaplanMeier` pushed down: the engine reduces a table of right-censored observations (duration,
 * event) to one row per distinct duration — (duration, n = rows, d = events), per `by` group — and
 * the finaliser builds the curve with `kaplanMeierFromCounts`, the implementation the in-memory
 * `kaplanMeier` runs, so the result is the same object, float for float.
 *
 * @module
 */
import { compareKeys } from "../core/accumulator.js";
import {
  CxMetricsError,
  type InputIssue,
  InvalidInputError,
  formatValue,
  invalidOption,
} from "../core/errors.js";
import {
  type KaplanMeierOptions,
  type KaplanMeierResult,
  kaplanMeierFromCounts,
} from "../retention/kaplan-meier.js";
import { checkPipelineDialect, groupKeyOf } from "./_subscriptions.js";
import { type Dialect, ParamBinder, countIf, quoteIdent } from "./dialect.js";
import type { SqlEngine, SqlRow } from "./engine.js";
import { type GroupKey, countValue } from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import { type TableSource, tableSql } from "./table.js";

/** Column names of the observations table (one observation per row). */
export interface KaplanMeierSqlColumns {
  /**
   * Default `duration`: a number ≥ 0 in any unit (DOUBLE/float8, an integer type, DECIMAL/numeric, or
   * numeric text); read as a double, so it equals the JavaScript number of the same value.
   */
  duration?: string;
  /**
   * Default `event`: 1 = the event happened at the duration, 0 = censored there. A BOOLEAN; a number
   * column (integer, float, DECIMAL/numeric) holding 0 and 1; or a column of any other type whose text
   * is `1`, `0`, `true` or `false` (a VARCHAR column, for example).
   */
  event?: string;
}

/** Options of {@link kaplanMeierSql}: those of `kaplanMeier` (level, ci, median, times), plus the table. */
export interface KaplanMeierSqlOptions extends KaplanMeierOptions {
  /** The rows: a table name, a qualified name or a table expression (`readCsv`, `readParquet`, `trustedSql`). */
  table: TableSource;
  /** Column names (defaults `duration` and `event`). */
  columns?: KaplanMeierSqlColumns;
  /** One curve per value of this column (a `Map` keyed by the values, in code-point order; NULL is a key). */
  by?: string;
}

/** How the event column is read, from its SQL type (see {@link KaplanMeierSqlQueries.eventType}). */
export type KaplanMeierEventKind = "boolean" | "number" | "text";

/** The pipeline's statements (for review, or to run with another client). */
export interface KaplanMeierSqlQueries {
  /**
   * The SQL type of the event column, as text (`ty`: DuckDB `typeof`, PostgreSQL `pg_typeof`), read
   * from the first row (`LIMIT 1`; no row for an empty table). It picks the counting form: a type
   * test per row would cost more than the count itself.
   */
  eventType: { sql: string; params: unknown[] };
  /**
   * One row per (group, distinct duration) for an event column of the given kind: `k0` (the `by`
   * value; only with `by`), `t` (the duration as a double; NULL, NaN, ±infinity and negative values
   * come back as rows of their own and are reported), `n` (rows), `d` (events), `no_event` (NULL
   * event) and `bad_event` (an event value other than 0/1, true/false).
   */
  counts(event: KaplanMeierEventKind): { sql: string; params: unknown[] };
}

const FN = "kaplanMeier (sql)";
const COLUMN_KEYS = ["duration", "event"] as const;

const NUMBER_TYPE =
  /^(u?(tiny|small|big|huge)?int(eger)?|int[248]|float[48]?|double( precision)?|real|decimal(\(.*\))?|numeric(\(.*\))?)$/i;

/** The event column's kind from the type name an engine reports (`typeof` / `pg_typeof`). */
function eventKindOf(type: unknown): KaplanMeierEventKind {
  if (typeof type !== "string") return "text";
  const t = type.trim();
  if (/^bool(ean)?$/i.test(t)) return "boolean";
  return NUMBER_TYPE.test(t) ? "number" : "text";
}

function columnsOf(columns: KaplanMeierSqlColumns | undefined): { duration: string; event: string } {
  if (columns !== undefined && (columns === null || typeof columns !== "object"))
    invalidOption(FN, "columns", "{ duration?, event? }", columns);
  const c = columns ?? {};
  for (const k of Object.keys(c)) {
    if (!(COLUMN_KEYS as readonly string[]).includes(k)) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: ["columns", k],
            code: "invalid_option",
            message: `expected one of duration, event; found ${formatValue(k)}`,
          },
        ],
        { context: FN, code: "invalid_option" },
      );
    }
  }
  return { duration: c.duration ?? "duration", event: c.event ?? "event" };
}

/**
 * Generate the pipeline's SQL for DuckDB or PostgreSQL: a one-row query for the event column's
 * type, then one `GROUP BY` over the table that counts rows and events per (group, duration), with
 * the invalid rows counted in the same pass. Column and table names are quoted; file paths in table
 * expressions are bound; no value enters the SQL text.
 *
 * Event forms: `"boolean"` counts `e` true; `"number"` (integer, float, DECIMAL/numeric columns)
 * counts `e = 1` and rejects values other than 0 and 1; `"text"` (any other type, compared as text)
 * accepts `1`, `0`, `true`, `false`.
 *
 * @throws {InvalidInputError} `invalid_option` (other dialects, unknown `columns` keys, empty names).
 * @example
 * const q = kaplanMeierQueries("duckdb", { table: "lifetimes", by: "segment" });
 * q.counts("boolean").sql.startsWith('WITH r AS (SELECT "segment" AS k0, CAST("duration" AS DOUBLE) AS t') //=> true
 */
export function kaplanMeierQueries(
  dialect: Dialect,
  options: Pick<KaplanMeierSqlOptions, "table" | "columns" | "by">,
): KaplanMeierSqlQueries {
  checkPipelineDialect(FN, dialect);
  const d = dialect;
  const q = (s: string) => quoteIdent(d, s);
  const cols = columnsOf(options.columns);
  if (options.by !== undefined && typeof options.by !== "string")
    invalidOption(FN, "by", "a column name", options.by);
  const keyed = options.by !== undefined;
  const e = q(cols.event);
  const eventType = () => {
    const b = new ParamBinder(d);
    const ty = d === "duckdb" ? `typeof(${e})` : `CAST(pg_typeof(${e}) AS text)`;
    return {
      sql: `SELECT ${ty} AS ty FROM ${tableSql(d, b, options.table)} AS ${q("t")} LIMIT 1`,
      params: b.params,
    };
  };
  const counts = (kind: KaplanMeierEventKind) => {
    if (kind !== "boolean" && kind !== "number" && kind !== "text")
      invalidOption(FN, "event kind", '"boolean", "number" or "text"', kind);
    const b = new ParamBinder(d);
    const TEXT = d === "duckdb" ? "VARCHAR" : "text";
    const DOUBLE = d === "duckdb" ? "DOUBLE" : "double precision";
    // e: boolean → as is; number → as is; text → 1 event, 0 censored, 2 anything else
    const eventSql =
      kind === "text"
        ? `CASE WHEN CAST(${e} AS ${TEXT}) IN ('1', 'true') THEN 1 WHEN CAST(${e} AS ${TEXT}) IN ('0', 'false') THEN 0 WHEN ${e} IS NOT NULL THEN 2 END`
        : e;
    // one comparison per row and aggregate: NULL events are count(*) − count(e); the values other
    // than 0 and 1 are count(e) − (events) − (censored)
    const isEvent = kind === "boolean" ? "e" : "e = 1";
    const bad =
      kind === "boolean" ? "CAST(0 AS BIGINT)" : `count(e) - ${countIf(d, "e = 1")} - ${countIf(d, "e = 0")}`;
    const select = [
      ...(keyed ? [`${q(options.by!)} AS k0`] : []),
      `CAST(${q(cols.duration)} AS ${DOUBLE}) AS t`,
      `${eventSql} AS e`,
    ];
    const sql =
      `WITH r AS (SELECT ${select.join(", ")} FROM ${tableSql(d, b, options.table)} AS ${q("t")}) ` +
      `SELECT ${keyed ? "k0, " : ""}t, CAST(count(*) AS BIGINT) AS n, ${countIf(d, isEvent)} AS d, ` +
      `count(*) - count(e) AS no_event, ${bad} AS bad_event ` +
      `FROM r GROUP BY ${keyed ? "k0, " : ""}t`;
    return { sql, params: b.params };
  };
  return { eventType: eventType(), counts };
}

/** A duration the engine returned (a double; `pg` returns float8 as a number). */
function durationOf(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  if (typeof v === "string" || typeof v === "bigint") return Number(v);
  throw new CxMetricsError(
    "internal_error",
    `${FN}: internal error (please report): the engine returned ${formatValue(v)} for a duration`,
  );
}

/** Invalid-row kinds: [path, code, what]. */
const PROBLEMS = {
  noDuration: ["duration", "missing_value", "have no duration (NULL)"],
  nonFinite: ["duration", "non_finite_value", "have a non-finite duration (NaN or ±infinity)"],
  negative: ["duration", "out_of_range", "have a negative duration; expected a duration ≥ 0"],
  noEvent: ["event", "missing_value", "have no event indicator (NULL)"],
  badEvent: [
    "event",
    "out_of_range",
    "have an event indicator that is not 1/true (event) or 0/false (censored)",
  ],
} as const;
type Problem = keyof typeof PROBLEMS;

/** Per-group counts, accumulated from the engine's rows. */
interface GroupCounts {
  /** duration → [rows, events] (a JS Map: exact doubles as keys; −0 and 0 are one key). */
  byTime: Map<number, [number, number]>;
}

/**
 * Kaplan–Meier survival curves computed from a table in the engine (DuckDB, PostgreSQL ≥ 12): the
 * same `KaplanMeierResult` as the in-memory `kaplanMeier({ durations, events }, options)` on the
 * table's rows — curve, Greenwood standard errors, pointwise intervals, median with its
 * Brookmeyer–Crowley interval, warnings and `at(t)` — with `by` a `Map` of them, one per value
 * of the column, keys in code-point order (in memory: `groupBy(rows, (r) => r.segment,
 * kaplanMeierAccumulator(options), { order: "key" })`).
 * See `kaplanMeier` for the definitions and the R `survfit` agreement.
 *
 * How: one query (after a one-row query for the event column's type) groups the rows by (group,
 * duration) and counts rows and events, so 100M observations come back as one row per distinct
 * duration; the finaliser passes those counts to `kaplanMeierFromCounts`, which is the code
 * `kaplanMeier` runs after sorting — every float is identical. Durations are read as doubles
 * (`CAST(… AS DOUBLE)` / `float8`; DECIMAL/numeric and numeric text are correctly rounded, as
 * `Number("1.1")`), so they come back as the same JavaScript numbers (PostgreSQL ≥ 12 prints float8
 * exactly; older servers need `extra_float_digits = 3`).
 * The returned row count is the number of distinct durations: durations in whole days (or hours)
 * reduce 100M rows to a few thousand; durations to the millisecond may not reduce much.
 *
 * Events: a BOOLEAN; a number column (integer, float, DECIMAL/numeric) holding 0 and 1; or another
 * type (text) whose values read `1`, `0`, `true` or `false`. A first one-row query reads the column's
 * type so that each row costs one comparison. R's 1/2 status coding (1 = censored, 2 = event) is
 * rejected (`out_of_range`): recode it first.
 *
 * Invalid rows are counted in the same query and reported together in one `InvalidInputError`, one
 * issue per kind with its count and (with `by`) up to three groups: NULL duration (`missing_value`),
 * NaN or ±infinity (`non_finite_value`), negative (`out_of_range`), NULL event (`missing_value`),
 * an event other than 0/1/true/false (`out_of_range`); `path` is `["duration"]` or `["event"]`.
 * Unlike the in-memory function there is no row index (the engine only counted). Duration text that
 * is not a number fails with the engine's own cast error.
 *
 * Differences from the in-memory function: a duration of −0 counts as 0 and the curve's time is +0
 * (engines group −0 with 0; in memory the first of the sorted zeros, −0, is the time); `by` is a
 * column, not a function.
 * Empty table: the `n: 0` result (with `by`: an empty `Map`).
 *
 * @throws {InvalidInputError} `invalid_option` (options as `kaplanMeier` checks them, `columns`, `by`,
 *   other dialects), and the invalid-row codes above.
 * @example
 * // illustrative
 * const con = await (await DuckDBInstance.create()).connect();
 * const bySegment = await runMetric(duckdbEngine(con), kaplanMeierSql(), {
 *   table: readParquet("lifetimes/*.parquet"),
 *   columns: { duration: "days", event: "churned" },
 *   by: "segment", ci: "logLog",
 * });
 * bySegment.get("smb")?.median.estimate; // median lifetime in days
 * bySegment.get("smb")?.at(365).survival; // share still subscribed after a year
 */
export function kaplanMeierSql(): PipelineSqlMetric<
  KaplanMeierResult,
  Map<GroupKey, KaplanMeierResult>,
  KaplanMeierSqlOptions
> {
  return {
    kind: "pipeline",
    name: "kaplanMeier",
    async run(engine: SqlEngine, options: KaplanMeierSqlOptions) {
      if (options === null || typeof options !== "object")
        invalidOption(FN, "options", "{ table, columns?, by?, level?, ci?, median?, times? }", options);
      const km = {
        ...(options.level === undefined ? {} : { level: options.level }),
        ...(options.ci === undefined ? {} : { ci: options.ci }),
        ...(options.median === undefined ? {} : { median: options.median }),
        ...(options.times === undefined ? {} : { times: options.times }),
      };
      // the options are checked before the query runs (an empty life table checks them only)
      kaplanMeierFromCounts({ time: [], count: [], events: [] }, km);
      const queries = kaplanMeierQueries(engine.dialect, options);
      const [type] = await engine.query(queries.eventType.sql, queries.eventType.params, {});
      const counts = queries.counts(eventKindOf(type?.ty));
      const rows = await engine.query(counts.sql, counts.params, {});
      const groups = reduceRows(rows, options);
      const result = (g: GroupCounts | undefined) => {
        const entries = g === undefined ? [] : [...g.byTime].sort((x, y) => x[0] - y[0]);
        return kaplanMeierFromCounts(
          {
            time: entries.map((x) => x[0]),
            count: entries.map((x) => x[1][0]),
            events: entries.map((x) => x[1][1]),
          },
          km,
        );
      };
      if (options.by === undefined) return result(groups.get(null));
      const keys = [...groups.keys()].sort(compareKeys);
      return new Map(keys.map((k) => [k, result(groups.get(k))]));
    },
  };
}

/** Rows → counts per group and duration; throws for the invalid rows the query counted. */
function reduceRows(rows: readonly SqlRow[], options: KaplanMeierSqlOptions): Map<GroupKey, GroupCounts> {
  const keyed = options.by !== undefined;
  const groups = new Map<GroupKey, GroupCounts>();
  const bad = new Map<Problem, { n: number; groups: GroupKey[] }>();
  const flag = (p: Problem, n: number, key: GroupKey) => {
    if (n === 0) return;
    let b = bad.get(p);
    if (b === undefined) bad.set(p, (b = { n: 0, groups: [] }));
    b.n += n;
    if (keyed && !b.groups.includes(key)) b.groups.push(key);
  };
  for (const row of rows) {
    const key = keyed ? groupKeyOf(row.k0) : null;
    const n = countValue(row.n, "n");
    const d = countValue(row.d, "d");
    flag("noEvent", countValue(row.no_event, "no_event"), key);
    flag("badEvent", countValue(row.bad_event, "bad_event"), key);
    // −0 is grouped with 0 by the engines (which of the two comes back varies): always +0
    const raw = durationOf(row.t);
    const t = raw === 0 ? 0 : raw;
    if (t === null) flag("noDuration", n, key);
    else if (!Number.isFinite(t)) flag("nonFinite", n, key);
    else if (t < 0) flag("negative", n, key);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { byTime: new Map() }));
    if (t === null || !(t >= 0) || t === Number.POSITIVE_INFINITY) continue;
    const cell = g.byTime.get(t);
    if (cell === undefined) g.byTime.set(t, [n, d]);
    else {
      cell[0] += n;
      cell[1] += d;
    }
  }
  if (bad.size > 0) {
    const cols = columnsOf(options.columns);
    const issues: InputIssue[] = [];
    for (const p of Object.keys(PROBLEMS) as Problem[]) {
      const b = bad.get(p);
      if (b === undefined) continue;
      const [path, code, what] = PROBLEMS[p];
      const where =
        b.groups.length === 0
          ? ""
          : ` (${options.by} = ${b.groups
              .slice(0, 3)
              .map((k) => formatValue(k))
              .join(", ")}${b.groups.length > 3 ? `, … ${b.groups.length - 3} more group(s)` : ""})`;
      issues.push({
        index: null,
        path: [path],
        code,
        message: `${b.n} row(s) ${what} in column ${formatValue(cols[path])}${where}`,
      });
    }
    throw new InvalidInputError(issues, { context: FN, code: issues[0]!.code as "missing_value" });
  }
  return groups;
}
