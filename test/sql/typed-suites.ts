/**
 * Run one engine suite against DuckDB and PostgreSQL with typed tables made from text cells (the
 * shape shared by the RFM, Kaplan–Meier and repeat-purchase suites). Not a test file.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { describe } from "vitest";
import { type SqlEngine, duckdbEngine, postgresEngine } from "../../src/sql/index.js";
import { type TypedColumn, duckTypedTable, pgTypedTable } from "./load.js";
import { describePg, startPg } from "./pg-cluster.js";

/** What a suite gets: the engine, a typed-table factory and a stop. */
export interface TypedTableCtx {
  engine: SqlEngine;
  /** Create a table with these columns and rows (null = SQL NULL; values are cast from text); its name. */
  table(
    cols: readonly TypedColumn[],
    rows: readonly (readonly (string | null | undefined)[])[],
  ): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Call `suite(name, setup)` once for DuckDB (in memory) and once for a throwaway PostgreSQL cluster
 * (skipped with a message when PostgreSQL is absent outside CI); tables are named `${prefix}N`.
 */
export function typedTableSuites(
  suite: (name: string, setup: () => Promise<TypedTableCtx>) => void,
  prefix: string,
): void {
  let tableNo = 0;
  describe("DuckDB", () => {
    suite("DuckDB", async () => {
      const con = await (await DuckDBInstance.create()).connect();
      return {
        engine: duckdbEngine(con),
        async table(cols, rows) {
          const name = `${prefix}${++tableNo}`;
          await duckTypedTable(con, name, cols, rows);
          return name;
        },
        async stop() {
          con.closeSync();
        },
      };
    });
  });
  describePg("PostgreSQL", () => {
    suite("PostgreSQL", async () => {
      const cluster = await startPg();
      return {
        engine: postgresEngine(cluster.pool),
        async table(cols, rows) {
          const name = `${prefix}${++tableNo}`;
          await pgTypedTable(cluster.pool, name, cols, rows);
          return name;
        },
        stop: () => cluster.stop(),
      };
    });
  });
}
