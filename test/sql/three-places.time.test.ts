/**
 * Issue 10's promise, checked end to end: the same metric definition gives the same result object
 * in memory (`fold`), in worker threads (`parallelFold`, two workers, states merged) and inside each
 * real engine (`runMetric` in DuckDB and PostgreSQL) — NPS, CSAT and CES on the shared survey
 * responses and on random scores (property test); ticket FCR, SLA adherence and response times
 * (exact quantiles) on the shared tickets. Key-driver co-moments: test/sql/co-moments.time.test.ts. Compared with `toEqual`: every count and every float.
 */
import { readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Accumulator, fold } from "../../src/core/accumulator.js";
import { parallelFold } from "../../src/parallel/index.js";
import {
  type AggregateSqlMetric,
  type SqlEngine,
  cesSql,
  csatSql,
  duckdbEngine,
  npsSql,
  postgresEngine,
  quoteIdent,
  runMetric,
} from "../../src/sql/index.js";
import { cesAccumulator, csatAccumulator, npsAccumulator } from "../../src/survey/index.js";
import { parseTickets } from "../../src/schemas/ticket.js";
import {
  responseTimesAccumulator,
  slaAdherenceAccumulator,
  ticketFcrAccumulator,
} from "../../src/service/index.js";
import { readCsv } from "../../src/sql/index.js";
import { responseTimesSql, slaAdherenceSql, ticketFcrSql } from "../../src/sql/service.js";
import { describeShared, parseCsv, sharedDir } from "../helpers/shared.js";
import { loadPgTable } from "./load.js";
import { type PgCluster, hasPostgres, startPg } from "./pg-cluster.js";

const SURVEY = new URL("../../src/survey/index.ts", import.meta.url).href;
const SERVICE = new URL("../../src/service/index.ts", import.meta.url).href;
const preload = { module: "tsx/esm/api", accumulator: "register" };

interface Metric {
  name: string;
  column: string;
  accumulator: string;
  args: unknown[];
  make(): Accumulator<number | null, unknown, unknown>;
  sql(): AggregateSqlMetric<unknown, unknown>;
}
const options = [{ missing: "omit" }] as const;
const METRICS: Metric[] = [
  {
    name: "NPS",
    column: "nps",
    accumulator: "npsAccumulator",
    args: [{ missing: "omit", ci: "adjustedWald" }],
    make: () => npsAccumulator({ missing: "omit", ci: "adjustedWald" }) as never,
    sql: () => npsSql({ missing: "omit", ci: "adjustedWald" }) as never,
  },
  {
    name: "CSAT",
    column: "csat",
    accumulator: "csatAccumulator",
    args: [...options],
    make: () => csatAccumulator(...options) as never,
    sql: () => csatSql(...options) as never,
  },
  {
    name: "CES",
    column: "ces",
    accumulator: "cesAccumulator",
    args: [...options],
    make: () => cesAccumulator(...options) as never,
    sql: () => cesSql(...options) as never,
  },
];

interface Place {
  name: string;
  engine: SqlEngine;
  load(table: string, columns: Record<string, (number | null)[]>): Promise<void>;
}
const places: Place[] = [];
let pg: PgCluster | undefined;
let duckClose: (() => void) | undefined;

beforeAll(async () => {
  const instance = await DuckDBInstance.create();
  const con = await instance.connect();
  duckClose = () => con.closeSync();
  places.push({
    name: "DuckDB",
    engine: duckdbEngine(con),
    async load(table, columns) {
      const names = Object.keys(columns);
      const q = (s: string) => quoteIdent("duckdb", s);
      await con.run(
        `CREATE OR REPLACE TABLE ${q(table)} (${names.map((c) => `${q(c)} INTEGER`).join(", ")})`,
      );
      const n = columns[names[0]!]!.length;
      const tuples: string[] = [];
      for (let i = 0; i < n; i++) tuples.push(`(${names.map((c) => columns[c]![i] ?? "NULL").join(", ")})`);
      if (n > 0) await con.run(`INSERT INTO ${q(table)} VALUES ${tuples.join(", ")}`);
    },
  });
  if (hasPostgres) {
    pg = await startPg();
    const pool = pg.pool;
    places.push({
      name: "PostgreSQL",
      engine: postgresEngine(pool),
      async load(table, columns) {
        const names = Object.keys(columns);
        const n = columns[names[0]!]!.length;
        const rows = Array.from({ length: n }, (_, i) =>
          Object.fromEntries(names.map((c) => [c, columns[c]![i] === null ? "" : String(columns[c]![i])])),
        );
        if (n === 0) {
          await pool.query(`DROP TABLE IF EXISTS ${quoteIdent("postgres", table)}`);
          await pool.query(
            `CREATE TABLE ${quoteIdent("postgres", table)} (${names.map((c) => `${quoteIdent("postgres", c)} integer`).join(", ")})`,
          );
        } else await loadPgTable(pool, table, rows, Object.fromEntries(names.map((c) => [c, "integer"])));
      },
    });
  }
}, 60_000);

afterAll(async () => {
  duckClose?.();
  await pg?.stop();
});

/** In memory, in two workers and in every engine: the same object. */
async function samePlaces(table: string, columns: Record<string, (number | null)[]>): Promise<void> {
  for (const p of places) await p.load(table, columns);
  for (const m of METRICS) {
    const values = columns[m.column]!;
    const inMemory = fold(values, m.make());
    const workers = await parallelFold(
      values,
      { module: SURVEY, accumulator: m.accumulator, args: m.args },
      { workers: 2, threshold: 0, preload },
    );
    expect(workers, `${m.name}: workers`).toEqual(inMemory);
    for (const p of places) {
      const got = await runMetric(p.engine, m.sql(), { table, columns: { value: m.column } });
      expect(got, `${m.name}: ${p.name}`).toEqual(inMemory);
    }
  }
}

describe("one definition, three places", () => {
  describeShared("the shared survey responses", () => {
    it("NPS, CSAT and CES: fold = parallelFold (2 workers) = DuckDB = PostgreSQL", async () => {
      const rows = parseCsv(readFileSync(`${sharedDir}/data/survey/responses.csv`, "utf8"));
      const col = (c: string) => rows.map((r) => (r[c] === "" || r[c] === undefined ? null : Number(r[c])));
      await samePlaces("responses", { nps: col("nps"), csat: col("csat"), ces: col("ces") });
    }, 60_000);
  });

  describeShared("the shared tickets (service metrics)", () => {
    it("ticket FCR, SLA adherence and response times: fold = parallelFold (2 workers) = DuckDB = PostgreSQL", async () => {
      const tickets = parseTickets(parseCsv(readFileSync(`${sharedDir}/data/tickets/tickets.csv`, "utf8")));
      const asOf = "2026-07-01T00:00:00Z";
      const metrics = [
        {
          accumulator: "ticketFcrAccumulator",
          args: [{ asOf }],
          make: () => ticketFcrAccumulator({ asOf }),
          sql: () => ticketFcrSql({ asOf }),
        },
        {
          accumulator: "slaAdherenceAccumulator",
          args: [{ target: { hours: 4 }, asOf }],
          make: () => slaAdherenceAccumulator({ target: { hours: 4 }, asOf }),
          sql: () => slaAdherenceSql({ target: { hours: 4 }, asOf }),
        },
        {
          accumulator: "responseTimesAccumulator",
          args: [{ measure: "resolution", unit: "hours", quantiles: [0.5, 0.9, 0.99] }],
          make: () =>
            responseTimesAccumulator({ measure: "resolution", unit: "hours", quantiles: [0.5, 0.9, 0.99] }),
          sql: () => responseTimesSql({ measure: "resolution", unit: "hours", quantiles: [0.5, 0.9, 0.99] }),
        },
      ];
      if (pg) {
        await loadPgTable(
          pg.pool,
          "tickets",
          parseCsv(readFileSync(`${sharedDir}/data/tickets/tickets.csv`, "utf8")),
        );
      }
      for (const m of metrics) {
        const inMemory = fold(tickets, m.make() as Accumulator<(typeof tickets)[number], unknown, unknown>);
        const workers = await parallelFold(
          tickets,
          { module: SERVICE, accumulator: m.accumulator, args: m.args },
          { workers: 2, threshold: 0, preload },
        );
        expect(workers, `${m.accumulator}: workers`).toEqual(inMemory);
        for (const p of places) {
          const table = p.name === "DuckDB" ? readCsv(`${sharedDir}/data/tickets/tickets.csv`) : "tickets";
          const got = await runMetric(p.engine, m.sql() as AggregateSqlMetric<unknown, unknown>, { table });
          expect(got, `${m.accumulator}: ${p.name}`).toEqual(inMemory);
        }
      }
    }, 60_000);
  });

  it("random scores with missing answers (property)", async () => {
    const score = (lo: number, hi: number) =>
      fc.option(fc.integer({ min: lo, max: hi }), { nil: null, freq: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(score(0, 10), score(1, 5), score(1, 7)), { minLength: 0, maxLength: 80 }),
        async (rows) => {
          await samePlaces("random", {
            nps: rows.map((r) => r[0]),
            csat: rows.map((r) => r[1]),
            ces: rows.map((r) => r[2]),
          });
        },
      ),
      { seed: 10, numRuns: 6 },
    );
  }, 120_000);
});
