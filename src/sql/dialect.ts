/**
 * SQL dialects: identifier quoting, parameter placeholders, conditional counts and calendar-period
 * expressions for each engine cxmetrics generates SQL for.
 *
 * DuckDB and PostgreSQL are tested against real engines; BigQuery, Snowflake, ClickHouse and Trino
 * are generated from the same definitions and checked by text tests (see docs/scale.md for the
 * functions each one needs).
 *
 * @module
 */
import { InvalidInputError, formatValue } from "../core/errors.js";
import type { Period } from "../core/time.js";

/** The SQL dialects cxmetrics generates. */
export type Dialect = "duckdb" | "postgres" | "bigquery" | "snowflake" | "clickhouse" | "trino";

/** Every supported dialect, for validation and iteration. */
export const DIALECTS: readonly Dialect[] = [
  "duckdb",
  "postgres",
  "bigquery",
  "snowflake",
  "clickhouse",
  "trino",
];

/** Throw `invalid_option` unless `dialect` is one of {@link DIALECTS}. */
export function checkDialect(fn: string, dialect: unknown): Dialect {
  if (!DIALECTS.includes(dialect as Dialect)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["dialect"],
          code: "invalid_option",
          message: `expected one of ${DIALECTS.join(", ")}, found ${formatValue(dialect)}`,
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  return dialect as Dialect;
}

/**
 * Quote an identifier (column or table name) for a dialect, so that any name — with quotes,
 * semicolons, `--`, spaces or non-ASCII letters — is read as one identifier, never as SQL.
 *
 * - DuckDB, PostgreSQL, Snowflake, Trino (SQL standard): `"name"`, with `"` doubled.
 * - BigQuery, ClickHouse: `` `name` ``, with `` ` `` and `\` escaped by a backslash.
 *
 * Names are case-sensitive once quoted (`"Segment"` ≠ `segment` in PostgreSQL and Snowflake).
 * Empty names and names containing NUL are rejected (`invalid_option`): no engine accepts them.
 *
 * @example
 * quoteIdent("postgres", 'a"b') //=> '"a""b"'
 * quoteIdent("bigquery", "a`b") //=> '`a\\`b`'
 */
export function quoteIdent(dialect: Dialect, name: string): string {
  if (typeof name !== "string" || name === "" || name.includes("\u0000")) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["identifier"],
          code: "invalid_option",
          message: `expected a non-empty column or table name without NUL characters, found ${formatValue(name)}`,
        },
      ],
      { context: "quoteIdent", code: "invalid_option" },
    );
  }
  if (dialect === "bigquery" || dialect === "clickhouse") {
    return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Collects bound parameters while SQL text is generated, and writes the dialect's placeholder:
 * `$1` (DuckDB, PostgreSQL), `:1` (Snowflake), `@p1` (BigQuery named parameters),
 * `{p1:String}` (ClickHouse query parameters), `?` (Trino, positional: a value used twice is bound twice).
 */
export class ParamBinder {
  /** Values in placeholder order (for `@p1`/`{p1:…}`, `params[0]` is `p1`). */
  readonly params: unknown[] = [];
  readonly dialect: Dialect;
  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }

  /** Bind a value and return its placeholder. `type` is used by ClickHouse (default `String`). */
  bind(value: unknown, type = "String"): string {
    const d = this.dialect;
    if (d !== "trino") {
      const same = this.params.findIndex((p) => Object.is(p, value));
      if (same >= 0) return this.placeholder(same + 1, type);
    }
    this.params.push(value);
    return this.placeholder(this.params.length, type);
  }

  /** Bind a string value as a text parameter with an explicit cast (engines cannot infer the type of `$1` everywhere). */
  text(value: string): string {
    const p = this.bind(value, "String");
    switch (this.dialect) {
      case "duckdb":
        return `CAST(${p} AS VARCHAR)`;
      case "postgres":
        return `CAST(${p} AS text)`;
      default:
        return p;
    }
  }

  /** Named parameters (`{ p1: value, … }`) for BigQuery and ClickHouse clients. */
  named(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.params.forEach((v, i) => {
      out[`p${i + 1}`] = v;
    });
    return out;
  }

  private placeholder(i: number, type: string): string {
    switch (this.dialect) {
      case "duckdb":
      case "postgres":
        return `$${i}`;
      case "snowflake":
        return `:${i}`;
      case "bigquery":
        return `@p${i}`;
      case "clickhouse":
        return `{p${i}:${type}}`;
      case "trino":
        return "?";
    }
  }
}

/** `count of rows where cond` as an aggregate. */
export function countIf(dialect: Dialect, cond: string): string {
  switch (dialect) {
    case "postgres":
      return `count(*) FILTER (WHERE ${cond})`;
    case "bigquery":
      return `COUNTIF(${cond})`;
    case "snowflake":
      return `COUNT_IF(${cond})`;
    case "clickhouse":
      return `countIf(${cond})`;
    case "duckdb":
    case "trino":
      return `count_if(${cond})`;
  }
}

/** Cast to the dialect's 64-bit integer (counts come back as bigint or strings; the finaliser reads both). */
export function bigintCast(dialect: Dialect, expr: string): string {
  switch (dialect) {
    case "bigquery":
      return `CAST(${expr} AS INT64)`;
    case "clickhouse":
      return `toInt64(${expr})`;
    default:
      return `CAST(${expr} AS BIGINT)`;
  }
}

/** Cast to a double-precision float. */
export function doubleCast(dialect: Dialect, expr: string): string {
  switch (dialect) {
    case "bigquery":
      return `CAST(${expr} AS FLOAT64)`;
    case "clickhouse":
      return `toFloat64(${expr})`;
    case "postgres":
      return `CAST(${expr} AS double precision)`;
    default:
      return `CAST(${expr} AS DOUBLE)`;
  }
}

/**
 * The wall-clock time of an instant column in a time zone (a timestamp without zone), with the zone
 * bound as a parameter. The column must hold instants: a zoned timestamp type, or (DuckDB, PostgreSQL,
 * BigQuery, Snowflake) ISO-8601 text with an offset, which is cast.
 */
export function localTime(b: ParamBinder, column: string, timeZone: string): string {
  switch (b.dialect) {
    case "duckdb":
      return `timezone(${b.text(timeZone)}, CAST(${column} AS TIMESTAMPTZ))`;
    case "postgres":
      return `timezone(${b.text(timeZone)}, CAST(${column} AS timestamptz))`;
    case "bigquery":
      return `DATETIME(CAST(${column} AS TIMESTAMP), ${b.text(timeZone)})`;
    case "snowflake":
      return `CAST(CONVERT_TIMEZONE(${b.text(timeZone)}, TO_TIMESTAMP_TZ(${column})) AS TIMESTAMP_NTZ)`;
    case "clickhouse":
      return `toTimeZone(${column}, ${b.text(timeZone)})`;
    case "trino":
      return `CAST(at_timezone(${column}, ${b.text(timeZone)}) AS timestamp(3))`;
  }
}

const UNIT: Record<Exclude<Period, "week">, string> = {
  day: "day",
  month: "month",
  quarter: "quarter",
  year: "year",
};

/**
 * The local start date (a SQL DATE) of the calendar period containing a local timestamp. Weeks start
 * on `weekStartsOn` (0 = Sunday … 6 = Saturday; 1 = Monday gives ISO weeks), computed by day arithmetic
 * on the day of week so no session setting (Snowflake `WEEK_START`, BigQuery `WEEK`) is involved.
 */
export function periodStartDate(
  dialect: Dialect,
  local: string,
  period: Period,
  weekStartsOn: 0 | 1 | 2 | 3 | 4 | 5 | 6 = 1,
): string {
  const k = weekStartsOn;
  if (period === "week") {
    // days since the week start: (dow − k + 7) mod 7, with dow 0 = Sunday … 6 = Saturday
    switch (dialect) {
      case "duckdb":
        return `(CAST(${local} AS DATE) - CAST((dayofweek(${local}) + ${7 - k}) % 7 AS INTEGER))`;
      case "postgres":
        return `(CAST(${local} AS date) - CAST((CAST(extract(dow FROM ${local}) AS integer) + ${7 - k}) % 7 AS integer))`;
      case "bigquery":
        return `DATE_SUB(DATE(${local}), INTERVAL MOD(EXTRACT(DAYOFWEEK FROM ${local}) + ${6 - k}, 7) DAY)`;
      case "snowflake":
        return `DATEADD(day, -MOD(MOD(DAYOFWEEKISO(${local}), 7) + ${7 - k}, 7), CAST(${local} AS DATE))`;
      case "clickhouse":
        return `subtractDays(toDate(${local}), (toDayOfWeek(${local}) % 7 + ${7 - k}) % 7)`;
      case "trino":
        return `date_add('day', -(((day_of_week(${local}) % 7) + ${7 - k}) % 7), CAST(${local} AS date))`;
    }
  }
  const unit = UNIT[period];
  switch (dialect) {
    case "duckdb":
      return `CAST(date_trunc('${unit}', ${local}) AS DATE)`;
    case "postgres":
      return `CAST(date_trunc('${unit}', ${local}) AS date)`;
    case "bigquery":
      return `DATE_TRUNC(DATE(${local}), ${unit.toUpperCase()})`;
    case "snowflake":
      return `CAST(DATE_TRUNC('${unit.toUpperCase()}', ${local}) AS DATE)`;
    case "clickhouse": {
      const f = {
        day: "toDate",
        month: "toStartOfMonth",
        quarter: "toStartOfQuarter",
        year: "toStartOfYear",
      }[unit];
      return `${f}(${local})`;
    }
    case "trino":
      return `CAST(date_trunc('${unit}', ${local}) AS date)`;
  }
}

/** A SQL DATE as `YYYY-MM-DD` text (independent of session date styles). */
export function dateText(dialect: Dialect, date: string): string {
  switch (dialect) {
    case "duckdb":
      return `strftime(${date}, '%Y-%m-%d')`;
    case "postgres":
      return `to_char(${date}, 'YYYY-MM-DD')`;
    case "bigquery":
      return `FORMAT_DATE('%Y-%m-%d', ${date})`;
    case "snowflake":
      return `TO_CHAR(${date}, 'YYYY-MM-DD')`;
    case "clickhouse":
      return `formatDateTime(${date}, '%Y-%m-%d')`;
    case "trino":
      return `date_format(${date}, '%Y-%m-%d')`;
  }
}
