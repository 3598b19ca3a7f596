/**
 * `cxmetrics survey --stream` and `--engine duckdb|postgres`: the same printed tables and the same
 * JSON as the in-memory path on examples/data/responses.csv (byte-for-byte), streamed errors
 * naming the row and column, and the generated SQL for PostgreSQL run against a throwaway cluster
 * (test/sql/pg-cluster.ts; skipped with a message when PostgreSQL is not installed).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../helpers/shared.js";
import { loadPgTable } from "../sql/load.js";
import { type PgCluster, describePg, startPg } from "../sql/pg-cluster.js";

const SLOW = 60_000;
const DATA = "examples/data/responses.csv";

const cli = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });

function ok(args: string[]): string {
  const r = cli(args);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const SHAPES = [
  ["--by", "segment", "--period", "month", "--tz", "Europe/Berlin"],
  ["--by", "channel", "--period", "week", "--ci", "wald", "--level", "0.9"],
];

describe("cxmetrics survey --stream", () => {
  it(
    "prints the same tables and the same JSON as the in-memory path",
    () => {
      for (const shape of SHAPES) {
        expect(ok(["survey", DATA, "--stream", ...shape])).toBe(ok(["survey", DATA, ...shape]));
        const streamed = ok(["survey", DATA, "--stream", "--json", ...shape]);
        expect(streamed).toBe(ok(["survey", DATA, "--json", ...shape]));
        expect(JSON.parse(streamed).n).toBe(2400);
      }
    },
    SLOW,
  );

  it(
    "streams NDJSON like the in-memory NDJSON path",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "cxm-"));
      const file = join(dir, "r.ndjson");
      const rows = parseCsv(readFileSync(DATA, "utf8")).slice(0, 300);
      writeFileSync(
        file,
        `${rows
          .map((r) =>
            JSON.stringify({
              id: r.response_id,
              submittedAt: r.submitted_at,
              segment: r.segment,
              nps: Number(r.nps),
              ...(r.csat === "" ? {} : { csat: Number(r.csat) }),
            }),
          )
          .join("\n")}\n\n`,
      );
      const args = ["survey", file, "--json", "--by", "segment", "--period", "quarter"];
      expect(ok([...args, "--stream"])).toBe(ok(args));
    },
    SLOW,
  );

  it(
    "names the file, row and column of the first bad record and exits with 2",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "cxm-"));
      const file = join(dir, "bad.csv");
      writeFileSync(
        file,
        "response_id,submitted_at,segment,channel,nps,csat,ces\nA,2026-01-01T00:00:00Z,smb,web,9,5,6\nB,2026-01-02T00:00:00Z,smb,web,11,5,6\n",
      );
      const r = cli(["survey", file, "--stream"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/bad\.csv: row 3, column nps: nps is 11; expected an integer from 0 to 10/);
      expect(r.stdout).toBe("");
      const ragged = join(dir, "ragged.csv");
      writeFileSync(ragged, "response_id,submitted_at,nps\nA,2026-01-01T00:00:00Z,9,extra\n");
      const r2 = cli(["survey", ragged, "--stream"]);
      expect(r2.status).toBe(2);
      expect(r2.stderr).toMatch(/ragged\.csv: Invalid Record Length: expect 3, got 4 on line 2/);
      expect(r2.stderr).toBe(cli(["survey", ragged]).stderr);
    },
    SLOW,
  );

  it(
    "refuses to stream a JSON array, and --stream with an engine (exit 2)",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "cxm-"));
      const file = join(dir, "a.json");
      writeFileSync(file, "[]");
      const r = cli(["survey", file, "--stream"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/only CSV and NDJSON/);
      expect(cli(["survey", DATA, "--stream", "--engine", "duckdb"]).status).toBe(2);
      expect(cli(["survey", DATA, "--engine", "sqlite"]).status).toBe(2);
    },
    SLOW,
  );
});

describe("cxmetrics survey --engine duckdb", () => {
  it(
    "gives the same JSON and tables as the in-memory path (DuckDB reads the CSV itself)",
    () => {
      for (const shape of SHAPES) {
        expect(ok(["survey", DATA, "--engine", "duckdb", "--json", ...shape])).toBe(
          ok(["survey", DATA, "--json", ...shape]),
        );
      }
      expect(ok(["survey", DATA, "--engine", "duckdb", ...SHAPES[0]!])).toBe(
        ok(["survey", DATA, ...SHAPES[0]!]),
      );
    },
    SLOW,
  );

  it(
    "refuses the bootstrap interval and unknown file types (exit 2)",
    () => {
      const r = cli(["survey", DATA, "--engine", "duckdb", "--ci", "bootstrap"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/bootstrap/);
      expect(cli(["survey", "README.md", "--engine", "duckdb"]).status).toBe(2);
      expect(cli(["survey", "nope.parquet", "--engine", "duckdb"]).status).toBe(2);
    },
    SLOW,
  );
});

describePg("cxmetrics survey --engine postgres", () => {
  let pg: PgCluster;
  let url: string;
  beforeAll(async () => {
    pg = await startPg();
    const rows = parseCsv(readFileSync(DATA, "utf8"));
    await loadPgTable(pg.pool, "responses", rows, {
      submitted_at: "timestamptz",
      nps: "integer",
      csat: "integer",
      ces: "integer",
    });
    await pg.pool.query('CREATE SCHEMA "cx"; CREATE TABLE "cx"."survey answers" AS SELECT * FROM responses');
    const o = pg.pool.options as { host?: string; user?: string; database?: string; port?: number };
    url = process.env.PGHOST
      ? `postgres:///${o.database}`
      : `postgres://${o.user}@/${o.database}?host=${encodeURIComponent(o.host ?? "")}`;
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it(
    "gives the same JSON and tables as the in-memory path",
    () => {
      for (const shape of SHAPES) {
        expect(ok(["survey", "--engine", "postgres", "--url", url, "--json", ...shape])).toBe(
          ok(["survey", DATA, "--json", ...shape]).replace(`"file": "${DATA}"`, '"file": "responses"'),
        );
      }
      const qualified = ok(["survey", "--engine", "postgres", "--url", url, "--table", "cx.survey answers"]);
      expect(qualified).toBe(ok(["survey", DATA]).replace(`${DATA}:`, "cx.survey answers:"));
    },
    SLOW,
  );

  it(
    "reports a missing table as bad input and a bad URL as exit 1",
    () => {
      const r = cli([
        "survey",
        "--engine",
        "postgres",
        "--url",
        url,
        "--table",
        'x"; DROP TABLE responses; --',
      ]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/does not exist/);
      const r2 = cli([
        "survey",
        "--engine",
        "postgres",
        "--url",
        "postgres://nobody@/nodb?host=/nonexistent-dir",
      ]);
      expect(r2.status).toBe(1);
      expect(r2.stderr).toMatch(/cannot connect to PostgreSQL/);
      expect(cli(["survey", "--engine", "postgres"]).status).toBe(2);
    },
    SLOW,
  );
});
