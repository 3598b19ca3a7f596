/**
 * The report's input read through a database engine (`cxmetrics report --engine duckdb|postgres`):
 * Parquet, CSV and NDJSON files or a DuckDB database file through embedded DuckDB, or the tables of
 * a PostgreSQL schema. Each table is recognised by its columns, exactly like a file of a data
 * directory, and its rows are read as text cells (timestamps as ISO-8601 UTC instants, NULL as a
 * blank cell) and validated by the same schemas, so the report computed from a table equals the
 * report computed from the same rows in a CSV file, and a bad value is reported with the table,
 * record and column.
 */
import { readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { SqlEngine } from "../../sql/index.js";
import { engineError, optionalPackage } from "../engines.js";
import { CliError, type LoadedTable } from "../io.js";
import { type DataKind, type ReportInput, expectedHeaders, recogniseHeader, validateTable } from "./data.js";

/** Where the report's tables are. */
export type EngineSource =
  | { engine: "duckdb"; data: string }
  | { engine: "postgres"; url: string; schema?: string | undefined };

type SqlModule = typeof import("../../sql/index.js");

/** One table of the source: how to name it in messages, its SQL, and its columns with their types. */
interface SourceTable {
  name: string;
  /** The FROM item; `params` are bound to it. */
  from: string;
  params: unknown[];
  columns: { name: string; type: string }[];
}

/**
 * A column as text the schemas read like a CSV cell. Instants become ISO-8601 UTC text with
 * milliseconds (the library's resolution); a timestamp without a time zone stays without an offset,
 * which the schemas reject as they reject such a cell in a CSV file.
 */
export function textCell(dialect: "duckdb" | "postgres", column: string, type: string): string {
  const q = `"${column.replaceAll('"', '""')}"`;
  const t = type.toUpperCase();
  if (dialect === "duckdb") {
    if (t === "TIMESTAMP WITH TIME ZONE" || t === "TIMESTAMPTZ")
      return `strftime(timezone('UTC', ${q}), '%Y-%m-%dT%H:%M:%S.%gZ')`;
    if (t.startsWith("TIMESTAMP")) return `strftime(CAST(${q} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g')`;
    return `CAST(${q} AS VARCHAR)`;
  }
  if (t === "TIMESTAMP WITH TIME ZONE")
    return `to_char(${q} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (t === "TIMESTAMP WITHOUT TIME ZONE" || t === "TIMESTAMP")
    return `to_char(${q}, 'YYYY-MM-DD"T"HH24:MI:SS.MS')`;
  if (t === "DATE") return `to_char(${q}, 'YYYY-MM-DD')`;
  return `CAST(${q} AS text)`;
}

/** Read a table's rows as text records (NULL → `""`, like a blank CSV cell). */
async function readRows(engine: SqlEngine, t: SourceTable): Promise<LoadedTable> {
  const cols = t.columns.map(
    (c, i) => `${textCell(engine.dialect as "duckdb" | "postgres", c.name, c.type)} AS c${i}`,
  );
  const rows = await engine.query(`SELECT ${cols.join(", ")} FROM ${t.from}`, t.params, {});
  const records = rows.map((row) => {
    const r: Record<string, unknown> = {};
    t.columns.forEach((c, i) => {
      const v = row[`c${i}`];
      r[c.name] = v === null || v === undefined ? "" : String(v);
    });
    return r;
  });
  return {
    file: t.name,
    format: "csv",
    columns: t.columns.map((c) => c.name),
    records,
    where: (i) => `record ${i + 1}`,
  };
}

const FILE_READERS: Record<string, string> = {
  ".csv": "read_csv($1, header = true, all_varchar = true)",
  ".parquet": "read_parquet($1)",
  ".ndjson": "read_json($1, format = 'newline_delimited')",
  ".jsonl": "read_json($1, format = 'newline_delimited')",
  ".json": "read_json($1, format = 'array')",
};

async function describeFrom(engine: SqlEngine, from: string, params: unknown[]) {
  const rows = await engine.query(`DESCRIBE SELECT * FROM ${from}`, params, {});
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** The tables of a DuckDB source: a data directory, one data file, or a DuckDB database file. */
async function duckdbTables(engine: SqlEngine, data: string, database: boolean): Promise<SourceTable[]> {
  if (database) {
    const rows = await engine.query(
      "SELECT table_schema AS s, table_name AS t, column_name AS c, data_type AS ty FROM information_schema.columns " +
        "WHERE table_catalog = current_database() ORDER BY table_schema, table_name, ordinal_position",
      [],
      {},
    );
    return groupColumns(rows, "duckdb");
  }
  const files = statSync(data).isDirectory()
    ? readdirSync(data)
        .sort()
        .filter((n) => !n.startsWith(".") && extname(n).toLowerCase() in FILE_READERS)
        .filter((n) => !(extname(n).toLowerCase() === ".json" && /scorecard/i.test(n)))
        .map((n) => join(data, n))
        .filter((f) => statSync(f).isFile())
    : [data];
  const tables: SourceTable[] = [];
  for (const file of files) {
    const reader = FILE_READERS[extname(file).toLowerCase()];
    if (reader === undefined)
      throw new CliError(
        `${file}: --engine duckdb reads a directory, .parquet, .csv, .ndjson and .json files, or a DuckDB database (.duckdb)`,
      );
    try {
      tables.push({
        name: basename(file),
        from: reader,
        params: [file],
        columns: await describeFrom(engine, reader, [file]),
      });
    } catch (e) {
      throw engineError(basename(file), e);
    }
  }
  return tables;
}

function groupColumns(
  rows: readonly Record<string, unknown>[],
  dialect: "duckdb" | "postgres",
): SourceTable[] {
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const byTable = new Map<string, SourceTable>();
  for (const r of rows) {
    const schema = String(r.s);
    const table = String(r.t);
    const key = JSON.stringify([schema, table]);
    let t = byTable.get(key);
    if (!t) {
      const name = dialect === "duckdb" && schema === "main" ? table : `${schema}.${table}`;
      byTable.set(key, (t = { name, from: `${q(schema)}.${q(table)}`, params: [], columns: [] }));
    }
    t.columns.push({ name: String(r.c), type: String(r.ty) });
  }
  return [...byTable.values()];
}

/** Recognise and read every table; the same rules as a data directory (one table per kind). */
async function loadTables(
  engine: SqlEngine,
  tables: readonly SourceTable[],
  where: string,
  onProgress?: (message: string) => void,
): Promise<ReportInput> {
  const input: ReportInput = {
    dir: where,
    files: {},
    responses: null,
    subscriptions: null,
    orders: null,
    tickets: null,
    skipped: [],
  };
  for (const t of tables) {
    const columns = t.columns.map((c) => c.name);
    const kind: DataKind | null = recogniseHeader(columns);
    if (kind === null) {
      input.skipped.push({
        file: t.name,
        reason: `unrecognised columns (${columns.slice(0, 8).join(", ")}${columns.length > 8 ? ", …" : ""}); expected ${expectedHeaders()}`,
      });
      continue;
    }
    if (input.files[kind])
      throw new CliError(
        `${t.name}: a second table of ${kind} (the first is ${input.files[kind]}); keep one table per kind in ${where}`,
      );
    input.files[kind] = t.name;
    onProgress?.(`reading ${t.name}`);
    let table: LoadedTable;
    try {
      table = await readRows(engine, t);
    } catch (e) {
      throw engineError(t.name, e);
    }
    onProgress?.(`validating ${t.name} (${table.records.length} records)`);
    (input as unknown as Record<DataKind, unknown[]>)[kind] = validateTable(table, kind);
  }
  if (!Object.keys(input.files).length) {
    throw new CliError(
      `${where}: no survey-response, subscription, order or ticket table found; expected columns: ${expectedHeaders()}`,
    );
  }
  return input;
}

/** Read the report's input through DuckDB or PostgreSQL. */
export async function loadEngineSource(
  source: EngineSource,
  onProgress?: (message: string) => void,
): Promise<ReportInput> {
  const sql: SqlModule = await import("../../sql/index.js");
  if (source.engine === "duckdb") {
    const { data } = source;
    let isDir: boolean;
    try {
      isDir = statSync(data).isDirectory();
    } catch (e) {
      throw new CliError(`--data ${data}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const database = !isDir && [".duckdb", ".db", ".ddb"].includes(extname(data).toLowerCase());
    type DuckDB = typeof import("@duckdb/node-api");
    const { DuckDBInstance } = await optionalPackage<DuckDB>("@duckdb/node-api", "report", "duckdb");
    let instance: import("@duckdb/node-api").DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(
        database ? data : ":memory:",
        database ? { access_mode: "READ_ONLY" } : {},
      );
    } catch (e) {
      throw engineError(data, e);
    }
    const con = await instance.connect();
    try {
      const engine = sql.duckdbEngine(con);
      return await loadTables(engine, await duckdbTables(engine, data, database), data, onProgress);
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  }
  type Pg = typeof import("pg");
  const mod = await optionalPackage<Pg & { default?: Pg }>("pg", "report", "postgres");
  const pg = mod.default ?? mod;
  const client = new pg.Client({ connectionString: source.url });
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(`report: cannot connect to PostgreSQL (${(e as Error).message})`, 1);
  }
  try {
    const engine = sql.postgresEngine(client);
    const schema = source.schema ?? "public";
    const rows = await engine.query(
      "SELECT table_schema AS s, table_name AS t, column_name AS c, upper(data_type) AS ty FROM information_schema.columns " +
        "WHERE table_schema = $1 ORDER BY table_name, ordinal_position",
      [schema],
      {},
    );
    return await loadTables(engine, groupColumns(rows, "postgres"), `schema ${schema}`, onProgress);
  } finally {
    await client.end();
  }
}
