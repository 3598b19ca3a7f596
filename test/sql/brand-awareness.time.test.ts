/**
 * brandAwarenessSql: DuckDB and PostgreSQL give the object of brandAwarenessAccumulator folded in
 * memory (toEqual: the state is counts), overall, by segment and by month in a zone, on random
 * answers with NULL top-of-mind (not asked); NULL unaided/aided answers are typed errors; the SQL of
 * the other dialects is generated.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brandAwarenessAccumulator } from "../../src/acquisition/brand-awareness.js";
import { fold, groupBy, mapInput } from "../../src/core/accumulator.js";
import { byPeriod } from "../../src/core/by-period.js";
import {
  DIALECTS,
  type SqlEngine,
  aggregateQuery,
  brandAwarenessSql,
  duckdbEngine,
  postgresEngine,
  runMetric,
} from "../../src/sql/index.js";
import { type TypedColumn, duckTypedTable, pgTypedTable } from "./load.js";
import { type PgCluster, hasPostgres, startPg } from "./pg-cluster.js";

interface Row {
  segment: string;
  at: number;
  unaided: boolean | null;
  aided: boolean | null;
  top: boolean | null;
}
const COLS: TypedColumn[] = [
  { name: "segment", duck: "VARCHAR", pg: "text" },
  { name: "answered_at", duck: "TIMESTAMPTZ", pg: "timestamptz" },
  { name: "unaided", duck: "BOOLEAN", pg: "boolean" },
  { name: "aided", duck: "BOOLEAN", pg: "boolean" },
  { name: "top_of_mind", duck: "BOOLEAN", pg: "boolean" },
];
const cells = (rows: readonly Row[]) =>
  rows.map((r) => [
    r.segment,
    new Date(r.at).toISOString(),
    r.unaided === null ? null : String(r.unaided),
    r.aided === null ? null : String(r.aided),
    r.top === null ? null : String(r.top),
  ]);

const places: { name: string; engine: SqlEngine; load(name: string, rows: readonly Row[]): Promise<void> }[] =
  [];
let pg: PgCluster | undefined;
let close: (() => void) | undefined;
beforeAll(async () => {
  const con = await (await DuckDBInstance.create()).connect();
  close = () => con.closeSync();
  places.push({
    name: "DuckDB",
    engine: duckdbEngine(con),
    load: (n, rows) => duckTypedTable(con, n, COLS, cells(rows)),
  });
  if (hasPostgres) {
    pg = await startPg();
    const pool = pg.pool;
    places.push({
      name: "PostgreSQL",
      engine: postgresEngine(pool),
      load: (n, rows) => pgTypedTable(pool, n, COLS, cells(rows)),
    });
  }
}, 60_000);
afterAll(async () => {
  close?.();
  await pg?.stop();
});

const toResponse = (r: Row) => ({
  unaided: r.unaided as boolean,
  aided: r.aided as boolean,
  ...(r.top === null ? {} : { topOfMind: r.top }),
});

describe("brandAwarenessSql", () => {
  it("equals the accumulator in memory: overall, by segment, by month in Europe/Berlin (property)", async () => {
    const answer = fc.boolean();
    const row = fc.record({
      segment: fc.constantFrom("a", "b", "it's; --"),
      at: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 5, 30) }),
      unaided: answer,
      aided: answer,
      top: fc.option(fc.boolean(), { nil: null, freq: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 60 }),
        fc.constantFrom("wilson", "clopperPearson"),
        async (rows, method) => {
          const acc = mapInput(brandAwarenessAccumulator({ method }), toResponse);
          const metric = brandAwarenessSql({ method, topOfMind: true });
          for (const p of places) {
            await p.load("ba", rows);
            expect(await runMetric(p.engine, metric, { table: "ba" }), p.name).toEqual(fold(rows, acc));
            expect(await runMetric(p.engine, metric, { table: "ba", by: "segment" }), p.name).toEqual(
              groupBy(rows, (r) => r.segment, acc, { order: "key" }),
            );
            if (rows.length > 0)
              expect(
                await runMetric(p.engine, metric, {
                  table: "ba",
                  columns: { at: "answered_at" },
                  period: "month",
                  timeZone: "Europe/Berlin",
                }),
                p.name,
              ).toEqual(byPeriod(rows, { at: (r) => r.at, period: "month", timeZone: "Europe/Berlin" }, acc));
            // without the top-of-mind column: no top-of-mind share
            const plain = await runMetric(p.engine, brandAwarenessSql({ method }), { table: "ba" });
            expect(plain, p.name).toEqual(
              fold(
                rows,
                mapInput(brandAwarenessAccumulator({ method }), (r: Row) => ({
                  unaided: r.unaided as boolean,
                  aided: r.aided as boolean,
                })),
              ),
            );
          }
        },
      ),
      { seed: 77, numRuns: 10 },
    );
  }, 60_000);

  it("NULL unaided or aided answers are invalid_type with counts", async () => {
    const rows: Row[] = [
      { segment: "a", at: Date.UTC(2025, 0, 1), unaided: null, aided: true, top: null },
      { segment: "a", at: Date.UTC(2025, 0, 2), unaided: true, aided: null, top: null },
      { segment: "a", at: Date.UTC(2025, 0, 3), unaided: null, aided: null, top: null },
    ];
    for (const p of places) {
      await p.load("bad", rows);
      const e = await runMetric(p.engine, brandAwarenessSql(), { table: "bad" }).catch((x) => x);
      expect(e.code, p.name).toBe("invalid_type");
      expect(
        e.issues.map((i: { path: string[]; message: string }) => [i.path[0], i.message.slice(0, 2)]),
      ).toEqual([
        ["unaided", "2 "],
        ["aided", "2 "],
      ]);
    }
  });

  it("generates SQL for every dialect", () => {
    for (const d of DIALECTS) {
      const q = aggregateQuery(d, brandAwarenessSql({ topOfMind: true }), { table: "t", by: "segment" });
      expect(q.sql).toContain("coalesce(");
    }
  });
});
