/** Load CSV records (from parseCsv) into a PostgreSQL table of text columns; empty cells become NULL. */
import type pg from "pg";
import { quoteIdent } from "../../src/sql/dialect.js";

export async function loadPgTable(
  pool: pg.Pool,
  table: string,
  rows: readonly Record<string, string>[],
  types: Readonly<Record<string, string>> = {},
): Promise<void> {
  const cols = Object.keys(rows[0] ?? {});
  const q = (s: string) => quoteIdent("postgres", s);
  await pool.query(`DROP TABLE IF EXISTS ${q(table)}`);
  await pool.query(
    `CREATE TABLE ${q(table)} (${cols.map((c) => `${q(c)} ${types[c] ?? "text"}`).join(", ")})`,
  );
  const batch = Math.max(1, Math.floor(30000 / Math.max(1, cols.length)));
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const values: unknown[] = [];
    const tuples = part.map(
      (r) =>
        `(${cols
          .map((c) => {
            const v = r[c];
            values.push(v === "" || v === undefined ? null : v);
            return `$${values.length}`;
          })
          .join(", ")})`,
    );
    await pool.query(`INSERT INTO ${q(table)} VALUES ${tuples.join(", ")}`, values);
  }
}

/** A column of a typed test table: its name and its type in each engine. */
export interface TypedColumn {
  name: string;
  duck: string;
  pg: string;
}

/**
 * Create DuckDB table `name` from text cells (`null` = NULL): an appender fills a table of VARCHAR
 * columns, and the typed table is cast from it (so values go in as data, never as SQL text).
 */
export async function duckTypedTable(
  con: import("@duckdb/node-api").DuckDBConnection,
  name: string,
  cols: readonly TypedColumn[],
  rows: readonly (readonly (string | null | undefined)[])[],
): Promise<void> {
  const q = (s: string) => quoteIdent("duckdb", s);
  const stage = `${name}_text`;
  await con.run(`CREATE OR REPLACE TABLE ${q(stage)} (${cols.map((_, k) => `v${k} VARCHAR`).join(", ")})`);
  const appender = await con.createAppender(stage);
  for (const r of rows) {
    for (let k = 0; k < cols.length; k++) {
      const v = r[k];
      if (v === null || v === undefined) appender.appendNull();
      else appender.appendVarchar(v);
    }
    appender.endRow();
  }
  appender.closeSync();
  await con.run(
    `CREATE OR REPLACE TABLE ${q(name)} AS SELECT ${cols.map((c, k) => `CAST(v${k} AS ${c.duck}) AS ${q(c.name)}`).join(", ")} FROM ${q(stage)}`,
  );
}

/** Create PostgreSQL table `name` from text cells (`null` = NULL), values bound as parameters and cast. */
export async function pgTypedTable(
  pool: pg.Pool,
  name: string,
  cols: readonly TypedColumn[],
  rows: readonly (readonly (string | null | undefined)[])[],
): Promise<void> {
  const q = (s: string) => quoteIdent("postgres", s);
  await pool.query(`DROP TABLE IF EXISTS ${q(name)}`);
  await pool.query(`CREATE TABLE ${q(name)} (${cols.map((c) => `${q(c.name)} ${c.pg}`).join(", ")})`);
  const batch = Math.max(1, Math.floor(30_000 / Math.max(1, cols.length)));
  for (let i = 0; i < rows.length; i += batch) {
    const values: (string | null)[] = [];
    const tuples = rows.slice(i, i + batch).map(
      (r) =>
        `(${cols
          .map((c, k) => {
            values.push(r[k] ?? null);
            return `CAST(CAST($${values.length} AS text) AS ${c.pg})`;
          })
          .join(", ")})`,
    );
    await pool.query(`INSERT INTO ${q(name)} VALUES ${tuples.join(", ")}`, values);
  }
}
