/**
 * Aggregate pushdown against real engines (DuckDB in process; PostgreSQL as a throwaway cluster, see
 * pg-cluster.ts): `runMetric` returns the same result objects as the in-memory composition (fold,
 * groupBy, byPeriod) on ../shared/data/survey/responses.csv and on random data (fast-check, few runs:
 * engines are slow), for every shape (overall, by segment, by period in a time zone, both), with
 * hostile column names and segment values. Results do not depend on the process TZ (this file is
 * re-run under TZ=America/New_York and Asia/Kolkata).
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Accumulator } from "../../src/core/accumulator.js";
import type { Period } from "../../src/core/time.js";
import {
  type AggregateSqlMetric,
  GRID_PLAN_MAX_PERIODS,
  type SqlEngine,
  type TableSource,
  duckdbEngine,
  histogramMetric,
  postgresEngine,
  quoteIdent,
  readCsv,
  runMetric,
} from "../../src/sql/index.js";
import { describeShared, parseCsv, readShared, sharedDir } from "../helpers/shared.js";
import { type Row, inMemory, loadDuck } from "./harness.js";
import { loadPgTable } from "./load.js";
import { type PgCluster, describePg, startPg } from "./pg-cluster.js";

/** A plain count accumulator over integer scores min..max (state: counts per score and missing). */
function countsAccumulator(
  min: number,
  max: number,
): Accumulator<
  number | null,
  { counts: number[]; missing: number },
  { n: number; counts: number[]; missing: number; mean: number | null }
> {
  return {
    init: () => ({ counts: new Array(max - min + 1).fill(0), missing: 0 }),
    add(s, x) {
      if (x === null) s.missing++;
      else s.counts[x - min]!++;
      return s;
    },
    merge(a, b) {
      b.counts.forEach((c, i) => {
        a.counts[i]! += c;
      });
      a.missing += b.missing;
      return a;
    },
    result(s) {
      const n = s.counts.reduce((x, y) => x + y, 0);
      const total = s.counts.reduce((x, c, i) => x + c * (i + min), 0);
      return { n, counts: [...s.counts], missing: s.missing, mean: n === 0 ? null : total / n };
    },
  };
}

const countsSql = (column: string, min: number, max: number, missing: "throw" | "omit" = "throw") =>
  histogramMetric({
    name: "counts",
    column,
    min,
    max,
    missing,
    accumulator: countsAccumulator(min, max),
    toState: (h) => ({ counts: h.counts, missing: h.missing }),
  });

const SHAPES: { by?: boolean; period?: Period; timeZone?: string }[] = [
  {},
  { by: true },
  { period: "month", timeZone: "Europe/Berlin" },
  { by: true, period: "week", timeZone: "America/New_York" },
  { by: true, period: "day", timeZone: "Asia/Kolkata" },
  { period: "quarter", timeZone: "UTC" },
];

function runShape<S, O>(
  engine: SqlEngine,
  metric: AggregateSqlMetric<S, O>,
  table: TableSource,
  shape: (typeof SHAPES)[number],
  cols = { segment: "segment", at: "submitted_at" },
) {
  return runMetric(engine, metric, {
    table,
    columns: { at: cols.at },
    ...(shape.by ? { by: cols.segment } : {}),
    ...(shape.period ? { period: shape.period, timeZone: shape.timeZone ?? "UTC" } : {}),
  } as Parameters<typeof runMetric>[2] & { by?: undefined; period?: undefined });
}

function sharedRows(column: string): Row[] {
  return parseCsv(readShared("data", "survey", "responses.csv")).map((r) => ({
    segment: r.segment ?? null,
    at: r.submitted_at!,
    score: r[column] === "" ? null : Number(r[column]),
  }));
}

const HOSTILE_SEGMENTS = ['"; DROP TABLE x; --', "__proto__", "it's", 'a"b', "", "Ségment ✓"];
const HOSTILE_COLS = { segment: '"; DROP TABLE x; --', at: "__proto__", score: 'sc"o`re' };

const rowArb = fc.record({
  segment: fc.constantFrom<string | null>(...HOSTILE_SEGMENTS, "smb", null),
  at: fc
    .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31) })
    .map((ms) => new Date(ms).toISOString()),
  score: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null, freq: 8 }),
});

function engineSuite(
  name: string,
  setup: () => Promise<{
    engine: SqlEngine;
    table: (rows: Row[], cols?: typeof HOSTILE_COLS) => Promise<string>;
    shared: TableSource;
    stop(): Promise<void>;
  }>,
) {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });

  describeShared(`${name}: responses.csv equals the in-memory results`, () => {
    for (const shape of SHAPES) {
      it(`nps counts ${JSON.stringify(shape)}`, async () => {
        const got = await runShape(ctx.engine, countsSql("nps", 0, 10), ctx.shared, shape);
        expect(got).toEqual(inMemory(sharedRows("nps"), countsAccumulator(0, 10), shape));
      });
    }
    it("csat with NULLs: throws missing_value by default, counts them with missing: omit", async () => {
      await expect(
        runMetric(ctx.engine, countsSql("csat", 1, 5), { table: ctx.shared }),
      ).rejects.toMatchObject({ code: "missing_value" });
      const got = await runMetric(ctx.engine, countsSql("csat", 1, 5, "omit"), {
        table: ctx.shared,
        by: "segment",
      });
      expect(got).toEqual(inMemory(sharedRows("csat"), countsAccumulator(1, 5), { by: true }));
    });
    it("out-of-range scores throw out_of_range naming the group", async () => {
      await expect(
        runMetric(ctx.engine, countsSql("nps", 1, 5), { table: ctx.shared, by: "segment" }),
      ).rejects.toThrow(/\d+ score\(s\) \(group segment = "[a-z_]+"\) are not integers from 1 to 5/);
    });
  });

  describe(`${name}: hostile names and values`, () => {
    it("column names and segment values with quotes, semicolons and __proto__ are data", async () => {
      const rows: Row[] = HOSTILE_SEGMENTS.flatMap((segment, i) => [
        { segment, at: `2026-03-0${(i % 9) + 1}T12:00:00Z`, score: i % 11 },
        { segment, at: "2026-04-01T00:30:00+02:00", score: 10 },
      ]);
      const table = await ctx.table(rows, HOSTILE_COLS);
      const got = await runMetric(ctx.engine, countsSql(HOSTILE_COLS.score, 0, 10), {
        table,
        columns: { at: HOSTILE_COLS.at },
        by: HOSTILE_COLS.segment,
        period: "month",
        timeZone: "Europe/Berlin",
        where: { [HOSTILE_COLS.segment]: HOSTILE_SEGMENTS },
      });
      expect(got).toEqual(
        inMemory(rows, countsAccumulator(0, 10), { by: true, period: "month", timeZone: "Europe/Berlin" }),
      );
      expect([...got.keys()]).toContain("__proto__");
      // the table is still there
      expect(await runMetric(ctx.engine, countsSql(HOSTILE_COLS.score, 0, 10), { table })).toMatchObject({
        n: rows.length,
      });
    });
  });

  describe(`${name}: random data (property)`, () => {
    it("by segment × period equals the in-memory composition", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { minLength: 1, maxLength: 60 }),
          fc.constantFrom<Period>("day", "week", "month", "quarter", "year"),
          fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"),
          async (rows, period, timeZone) => {
            const table = await ctx.table(rows);
            const metric = countsSql("score", 0, 10, "omit");
            const got = await runMetric(ctx.engine, metric, {
              table,
              columns: { at: "at" },
              by: "segment",
              period,
              timeZone,
            });
            expect(got).toEqual(inMemory(rows, countsAccumulator(0, 10), { by: true, period, timeZone }));
          },
        ),
        { seed: 42, numRuns: 8 },
      );
    }, 30_000);

    it("the grid period plan and the truncate plan give the same result (with and without from/to)", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { minLength: 1, maxLength: 40 }),
          fc.constantFrom<Period>("day", "week", "month", "quarter"),
          fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"),
          fc.option(
            fc.tuple(
              fc.integer({ min: Date.UTC(2024, 11, 1), max: Date.UTC(2026, 0, 31) }),
              fc.integer({ min: 0, max: 500 * 86_400_000 }),
            ),
            { nil: undefined },
          ),
          fc.boolean(),
          async (rows, period, timeZone, window, by) => {
            const table = await ctx.table(rows.filter((r) => r.at !== null));
            const metric = countsSql("score", 0, 10, "omit");
            const base = {
              table,
              columns: { at: "at" },
              period,
              timeZone,
              ...(by ? { by: "segment" } : {}),
              ...(window ? { from: window[0], to: window[0] + window[1] } : {}),
            };
            const grid = await runMetric(ctx.engine, metric, base as never);
            const truncate = await runMetric(ctx.engine, metric, {
              ...base,
              periodPlan: "truncate",
            } as never);
            expect(grid).toEqual(truncate);
          },
        ),
        { seed: 7, numRuns: 10 },
      );
    }, 30_000);

    it("more periods than the grid plan takes fall back to the truncate plan", async () => {
      const rows: Row[] = [
        { segment: "a", at: "2000-01-01T00:00:00Z", score: 9 },
        { segment: "a", at: "2026-01-01T00:00:00Z", score: 3 },
      ];
      const table = await ctx.table(rows);
      const metric = countsSql("score", 0, 10, "omit");
      const got = (await runMetric(ctx.engine, metric, {
        table,
        columns: { at: "at" },
        period: "day",
      })) as unknown[];
      expect(got.length).toBeGreaterThan(GRID_PLAN_MAX_PERIODS);
      expect(got).toEqual(inMemory(rows, countsAccumulator(0, 10), { period: "day" }));
    });
  });
}

let tableNo = 0;

describe("DuckDB", () => {
  engineSuite("DuckDB", async () => {
    const instance = await DuckDBInstance.create();
    const con: DuckDBConnection = await instance.connect();
    return {
      engine: duckdbEngine(con),
      shared: readCsv(`${sharedDir}/data/survey/responses.csv`),
      async table(rows, cols = { segment: "segment", at: "at", score: "score" }) {
        const name = `t${++tableNo}`;
        await loadDuck(con, name, rows, cols);
        return name;
      },
      async stop() {
        con.closeSync();
      },
    };
  });
});

describePg("PostgreSQL", () => {
  engineSuite("PostgreSQL", async () => {
    const cluster: PgCluster = await startPg();
    const raw = parseCsv(readShared("data", "survey", "responses.csv"));
    await loadPgTable(cluster.pool, "responses", raw, { nps: "integer", csat: "integer", ces: "integer" });
    return {
      engine: postgresEngine(cluster.pool),
      shared: "responses",
      async table(rows, cols = { segment: "segment", at: "at", score: "score" }) {
        const name = `t${++tableNo}`;
        const q = (s: string) => quoteIdent("postgres", s);
        await cluster.pool.query(
          `CREATE TABLE ${q(name)} (${q(cols.segment)} text, ${q(cols.at)} timestamptz, ${q(cols.score)} double precision)`,
        );
        const values: unknown[] = [];
        const tuples = rows.map((r) => {
          values.push(r.segment, r.at, r.score);
          return `($${values.length - 2}, $${values.length - 1}, $${values.length})`;
        });
        await cluster.pool.query(`INSERT INTO ${q(name)} VALUES ${tuples.join(", ")}`, values);
        return name;
      },
      stop: () => cluster.stop(),
    };
  });
});
