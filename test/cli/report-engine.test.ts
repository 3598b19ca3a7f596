/**
 * `cxmetrics report --engine duckdb|postgres`: the report computed from typed tables read through
 * DuckDB (Parquet files, a DuckDB database file, the CSV directory itself) and PostgreSQL (a schema
 * of typed tables) equals the report computed from examples/data read in this process, number for
 * number; a bad value names the table, record and column; the flags are checked.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reportCommand } from "../../src/cli/commands/report.js";
import { CliError } from "../../src/cli/io.js";
import { computeReport } from "../../src/cli/report/compute.js";
import { type ReportInput, loadDataDir } from "../../src/cli/report/data.js";
import { type EngineSource, loadEngineSource, textCell } from "../../src/cli/report/engine-source.js";
import { WORKED_EXAMPLE_SCORECARD } from "../../src/cli/report/scorecard.js";
import { parseCsv } from "../helpers/shared.js";
import { loadPgTable } from "../sql/load.js";
import { type PgCluster, describePg, startPg } from "../sql/pg-cluster.js";

const DATA = "examples/data";
const KINDS = ["responses", "subscriptions", "orders", "tickets"] as const;
const SLOW = 60_000;

/** Every number of the report, without the run's own metadata (time of generation, where the data came from). */
function reportNumbers(input: ReportInput): unknown {
  const { data } = computeReport(input, {
    period: "month",
    timeZone: "Europe/Berlin",
    scorecard: { definition: WORKED_EXAMPLE_SCORECARD, source: "worked example" },
  });
  const json = JSON.parse(
    JSON.stringify(data, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v)),
  ) as Record<string, Record<string, unknown>>;
  for (const k of ["generatedAt", "dataDir", "files", "skipped"]) delete json.meta?.[k];
  return json;
}

let dir: string;
let expected: unknown;
const duckdb = (data: string): EngineSource => ({ engine: "duckdb", data });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cxm-report-engine-"));
  expected = reportNumbers(loadDataDir(DATA));
  const instance = await DuckDBInstance.create(join(dir, "cx.duckdb"));
  const con = await instance.connect();
  const csv = (k: string) => `read_csv('${DATA}/${k}.csv')`;
  for (const k of KINDS) {
    await con.run(`COPY (SELECT * FROM ${csv(k)}) TO '${join(dir, `${k}.parquet`)}' (FORMAT parquet)`);
  }
  // the database file: typed columns, money as DECIMAL, one unrelated table that is skipped
  await con.run(`CREATE TABLE responses AS SELECT * FROM ${csv("responses")}`);
  await con.run(
    `CREATE TABLE subscriptions AS SELECT * REPLACE (CAST(amount AS DECIMAL(12, 2)) AS amount, CAST(acquisition_cost AS DECIMAL(12, 2)) AS acquisition_cost) FROM ${csv("subscriptions")}`,
  );
  await con.run(
    `CREATE TABLE orders AS SELECT * REPLACE (CAST(amount AS DECIMAL(12, 2)) AS amount) FROM ${csv("orders")}`,
  );
  await con.run(`CREATE TABLE tickets AS SELECT * FROM ${csv("tickets")}`);
  await con.run("CREATE TABLE notes (id INTEGER, body VARCHAR)");
  con.closeSync();
  instance.closeSync();
}, SLOW);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("report --engine duckdb", () => {
  it(
    "Parquet files give the same report as the CSV files",
    async () => {
      const input = await loadEngineSource(duckdb(dir));
      expect(input.files).toEqual({
        orders: "orders.parquet",
        responses: "responses.parquet",
        subscriptions: "subscriptions.parquet",
        tickets: "tickets.parquet",
      });
      expect(reportNumbers(input)).toEqual(expected);
    },
    SLOW,
  );

  it(
    "a DuckDB database file (DECIMAL money, TIMESTAMPTZ) gives the same report; unrelated tables are skipped",
    async () => {
      const input = await loadEngineSource(duckdb(join(dir, "cx.duckdb")));
      expect(input.skipped.map((s) => s.file)).toEqual(["notes"]);
      expect(reportNumbers(input)).toEqual(expected);
    },
    SLOW,
  );

  it(
    "the CSV directory read by DuckDB gives the same report, and one Parquet file a one-section report",
    async () => {
      expect(reportNumbers(await loadEngineSource(duckdb(DATA)))).toEqual(expected);
      const one = await loadEngineSource(duckdb(join(dir, "responses.parquet")));
      expect(Object.keys(one.files)).toEqual(["responses"]);
      // the same records but for the instant's text: the table holds the instant, not the offset it was written with
      const strip = (rows: ReportInput["responses"]) => rows?.map(({ submittedAt: _, ...r }) => r);
      expect(strip(one.responses)).toEqual(strip(loadDataDir(DATA).responses));
    },
    SLOW,
  );

  it("a bad value names the table, record and column", async () => {
    const bad = mkdtempSync(join(tmpdir(), "cxm-report-bad-"));
    try {
      const instance = await DuckDBInstance.create();
      const con = await instance.connect();
      await con.run(
        `COPY (SELECT * REPLACE (CASE WHEN response_id = 'S00691' THEN 11 ELSE nps END AS nps) FROM read_csv('${DATA}/responses.csv')) TO '${join(bad, "r.parquet")}' (FORMAT parquet)`,
      );
      con.closeSync();
      instance.closeSync();
      const err = await loadEngineSource(duckdb(bad)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).message).toMatch(/^r\.parquet: record 1, column nps: /);
      expect((err as CliError).exitCode).toBe(2);
      const missing = await loadEngineSource(duckdb(join(bad, "nope.parquet"))).catch((e: unknown) => e);
      expect((missing as Error).message).toMatch(/cannot read/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it("instants are read as UTC text with milliseconds; other columns as text", () => {
    expect(textCell("duckdb", "at", "TIMESTAMP WITH TIME ZONE")).toBe(
      `strftime(timezone('UTC', "at"), '%Y-%m-%dT%H:%M:%S.%gZ')`,
    );
    expect(textCell("postgres", 'a"b', "NUMERIC")).toBe('CAST("a""b" AS text)');
    expect(textCell("postgres", "at", "TIMESTAMP WITH TIME ZONE")).toContain("AT TIME ZONE 'UTC'");
  });
});

describe("report command flags", () => {
  const run = async (args: string[]) => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      return await reportCommand.run(args).catch((e: unknown) => e);
    } finally {
      log.mockRestore();
    }
  };
  it("rejects an unknown engine, postgres without --url, --url without postgres", async () => {
    expect(((await run(["--engine", "sqlite", "--data", DATA])) as Error).message).toMatch(
      /--engine must be one of memory, duckdb, postgres/,
    );
    expect(((await run(["--engine", "postgres"])) as Error).message).toMatch(/needs --url/);
    expect(((await run(["--data", DATA, "--url", "postgres:///x"])) as Error).message).toMatch(
      /go with --engine postgres/,
    );
    expect(((await run(["--engine", "duckdb"])) as Error).message).toMatch(/--data <dir> is required/);
  });
  it(
    "writes the report from Parquet files",
    async () => {
      const out = join(dir, "r.html");
      const json = join(dir, "r.json");
      expect(
        await run([
          "--engine",
          "duckdb",
          "--data",
          dir,
          "--tz",
          "Europe/Berlin",
          "--out",
          out,
          "--json",
          json,
        ]),
      ).toBe(0);
      expect(readFileSync(out, "utf8")).toContain("<svg");
      const meta = (JSON.parse(readFileSync(json, "utf8")) as { meta: { files: unknown } }).meta;
      expect(meta.files).toMatchObject({ responses: "responses.parquet" });
    },
    SLOW,
  );
});

describePg("report --engine postgres", () => {
  let pg: PgCluster;
  let url: string;
  beforeAll(async () => {
    pg = await startPg();
    await pg.pool.query('CREATE SCHEMA "cx data"');
    const types: Record<string, Record<string, string>> = {
      responses: { submitted_at: "timestamptz", nps: "integer", csat: "integer", ces: "integer" },
      subscriptions: {
        amount: "numeric(12,2)",
        acquisition_cost: "numeric(12,2)",
        started_at: "timestamptz",
        ended_at: "timestamptz",
        trial_end: "timestamptz",
      },
      orders: { ordered_at: "timestamptz", amount: "numeric(12,2)" },
      tickets: {
        created_at: "timestamptz",
        first_response_at: "timestamptz",
        resolved_at: "timestamptz",
        reopened_at: "timestamptz",
      },
    };
    for (const k of KINDS) {
      const rows = parseCsv(readFileSync(`${DATA}/${k}.csv`, "utf8"));
      await loadPgTable(pg.pool, k, rows, types[k]);
      await pg.pool.query(`ALTER TABLE "${k}" SET SCHEMA "cx data"`);
    }
    const o = pg.pool.options as { host?: string; user?: string; database?: string };
    url = process.env.PGHOST
      ? `postgres:///${o.database}`
      : `postgres://${o.user}@/${o.database}?host=${encodeURIComponent(o.host ?? "")}`;
  }, SLOW);
  afterAll(async () => {
    await pg?.stop();
  });

  it(
    "the tables of a schema give the same report as the CSV files",
    async () => {
      const input = await loadEngineSource({ engine: "postgres", url, schema: "cx data" });
      expect(input.files).toEqual({
        orders: "cx data.orders",
        responses: "cx data.responses",
        subscriptions: "cx data.subscriptions",
        tickets: "cx data.tickets",
      });
      expect(reportNumbers(input)).toEqual(expected);
    },
    SLOW,
  );

  it("an empty schema is an error naming it", async () => {
    const err = await loadEngineSource({ engine: "postgres", url, schema: "public" }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/^schema public: no survey-response/);
  });
});
