/**
 * Engine adapters: a dialect plus a way to run a parameterised query and get rows back as plain
 * objects. cxmetrics never imports a database driver: you create the connection (DuckDB, `pg`) and
 * pass it in, so both stay optional peers and the SQL layer runs wherever your driver runs.
 *
 * @module
 */
import type { Dialect } from "./dialect.js";

/** A row as a driver returns it: column name → value (number, bigint, string, null, …). */
export type SqlRow = Readonly<Record<string, unknown>>;

/** Something that runs SQL for cxmetrics. Write your own for other drivers (BigQuery, Snowflake, …). */
export interface SqlEngine {
  /** The dialect the engine speaks. */
  readonly dialect: Dialect;
  /** Run one statement with positional parameters (`$1`, `:1`, `?`) or named ones (`p1`, …) and return its rows. */
  query(
    sql: string,
    params: readonly unknown[],
    namedParams: Readonly<Record<string, unknown>>,
  ): Promise<SqlRow[]>;
}

/**
 * The part of a `@duckdb/node-api` `DuckDBConnection` cxmetrics uses (structural, so the package is
 * not needed to compile against cxmetrics).
 */
export interface DuckDBConnectionLike {
  // biome-ignore lint/suspicious/noExplicitAny: the driver's own value type (DuckDBValue[]) is accepted as is
  runAndReadAll(sql: string, values?: any): Promise<{ getRowObjectsJS(): Record<string, unknown>[] }>;
}

/**
 * An engine on a DuckDB connection from `@duckdb/node-api` (the embedded default: local CSV and
 * Parquet files need no setup, see `readCsv` / `readParquet`).
 *
 * @example
 * import { DuckDBInstance } from "@duckdb/node-api";
 * const con = await (await DuckDBInstance.create()).connect();
 * const result = await runMetric(duckdbEngine(con), npsSql(), { table: readCsv("responses.csv"), columns: { value: "nps" } });
 */
export function duckdbEngine(connection: DuckDBConnectionLike): SqlEngine {
  return {
    dialect: "duckdb",
    async query(sql, params) {
      const reader = await connection.runAndReadAll(sql, params.length > 0 ? [...params] : undefined);
      return reader.getRowObjectsJS();
    },
  };
}

/** The part of a `pg` `Client` or `Pool` cxmetrics uses (structural). */
export interface PgQueryableLike {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  query(text: string, values?: any[]): Promise<{ rows: any[] }>;
}

/**
 * An engine on a `pg` `Client` or `Pool` (PostgreSQL). Parameters are sent separately from the
 * SQL text (the extended protocol), never interpolated.
 *
 * @example
 * import pg from "pg";
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const bySegment = await runMetric(postgresEngine(pool), npsSql(), { table: ["survey", "responses"], columns: { value: "nps" }, by: "segment" });
 */
export function postgresEngine(client: PgQueryableLike): SqlEngine {
  return {
    dialect: "postgres",
    async query(sql, params) {
      const r = await client.query(sql, [...params]);
      return r.rows as SqlRow[];
    },
  };
}
