/**
 * Where a metric reads its rows: a table name (quoted), a qualified name, or a table expression such
 * as DuckDB's `read_csv(…)` / `read_parquet(…)` with the file path bound as a parameter.
 *
 * @module
 */
import { InvalidInputError, formatValue } from "../core/errors.js";
import { type Dialect, type ParamBinder, quoteIdent } from "./dialect.js";

/** A table expression: SQL text produced with a {@link ParamBinder}, so values inside it are bound. */
export interface TableExpression {
  /** Returns the SQL of the table expression; values must go through `b.bind`. */
  readonly expression: (b: ParamBinder) => string;
}

/**
 * The rows a metric reads:
 * - a string: one table name, quoted as a single identifier (`"my.table"` is a table whose name contains a dot);
 * - an array of strings: a qualified name, each part quoted (`["analytics", "responses"]`);
 * - a {@link TableExpression}: {@link readCsv}, {@link readParquet} or {@link trustedSql}.
 */
export type TableSource = string | readonly string[] | TableExpression;

/**
 * DuckDB `read_csv(path)` (auto-detected columns, header row); the path is bound as a parameter.
 *
 * @example
 * await runMetric(duckdbEngine(con), npsSql(), { table: readCsv("responses.csv"), columns: { value: "nps" } })
 */
export function readCsv(path: string): TableExpression {
  return { expression: (b) => `read_csv(${b.text(path)})` };
}

/** DuckDB `read_parquet(path)`; the path (a file or a glob) is bound as a parameter. */
export function readParquet(path: string): TableExpression {
  return { expression: (b) => `read_parquet(${b.text(path)})` };
}

/**
 * A table expression given as SQL text you trust (a subquery, a view definition). It is inserted
 * verbatim in parentheses: never build it from user input.
 *
 * @example
 * trustedSql("SELECT * FROM responses WHERE channel <> 'test'")
 */
export function trustedSql(sql: string): TableExpression {
  return { expression: () => `(${sql})` };
}

/** The SQL of a table source in a dialect. */
export function tableSql(dialect: Dialect, b: ParamBinder, table: TableSource): string {
  if (typeof table === "string") return quoteIdent(dialect, table);
  if (Array.isArray(table)) {
    if (table.length === 0) badTable(table);
    return (table as readonly string[]).map((p) => quoteIdent(dialect, p)).join(".");
  }
  if (
    typeof table === "object" &&
    table !== null &&
    typeof (table as TableExpression).expression === "function"
  ) {
    return (table as TableExpression).expression(b);
  }
  return badTable(table);
}

function badTable(table: unknown): never {
  throw new InvalidInputError(
    [
      {
        index: null,
        path: ["table"],
        code: "invalid_option",
        message: `expected a table name, an array of name parts or a table expression (readCsv, readParquet, trustedSql), found ${formatValue(table)}`,
      },
    ],
    { context: "runMetric", code: "invalid_option" },
  );
}
