/**
 * coMomentsSql: the co-moment state of key-driver analysis computed by DuckDB and PostgreSQL (and by
 * two worker threads) equals the in-memory state (n and excluded exact; means and co-moments to 1e-12 relative — the engines add
 * in their own order), and keyDriversFromState on it reproduces R's values in ../shared/reference/drivers.json
 * (swiss, mtcars: correlations, R², OLS coefficients, LMG, relative weights) to 1e-8 relative, the
 * tolerance of test/drivers/reference.test.ts. Random tables with NULLs, groups and periods: equal to
 * coMomentAccumulator folded per group and per period (property test). Hostile names; bad values.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fold, groupBy, mapInput } from "../../src/core/accumulator.js";
import { byPeriod } from "../../src/core/by-period.js";
import {
  type CoMomentState,
  coMomentAccumulator,
  coMomentsFromColumns,
} from "../../src/drivers/co-moments.js";
import { keyDriversFromState } from "../../src/drivers/key-drivers.js";
import { parallelFold } from "../../src/parallel/index.js";
import {
  type SqlEngine,
  aggregateQuery,
  coMomentsSql,
  duckdbEngine,
  postgresEngine,
  quoteIdent,
  runMetric,
} from "../../src/sql/index.js";
import { describeShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";
import { type PgCluster, hasPostgres, startPg } from "./pg-cluster.js";

const REL = 1e-12;
function close(actual: number, expected: number, what: string, rel: number): void {
  const tol = Math.max(rel * Math.abs(expected), 1e-13);
  if (!(Math.abs(actual - expected) <= tol))
    throw new Error(
      `${what}: got ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected)} > ${tol})`,
    );
}

/** Same state: names, n and excluded exact; floats to `rel` relative (co-moments: relative to the diagonal scale). */
function sameState(got: CoMomentState, want: CoMomentState, what: string): void {
  expect(got.variables, what).toEqual(want.variables);
  expect(got.n, what).toBe(want.n);
  expect(got.excluded, what).toEqual(want.excluded);
  const k = want.variables.length;
  for (let i = 0; i < k; i++) close(got.mean[i]!, want.mean[i]!, `${what} mean ${i}`, REL);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      // a cross-product's rounding scales with sqrt(Cii Cjj), not with Cij (which may be ≈ 0)
      const scale = Math.sqrt(want.comoment[i * k + i]! * want.comoment[j * k + j]!);
      const tol = Math.max(REL * scale, 1e-13);
      const d = Math.abs(got.comoment[i * k + j]! - want.comoment[i * k + j]!);
      if (!(d <= tol))
        throw new Error(
          `${what} comoment ${i},${j}: got ${got.comoment[i * k + j]}, want ${want.comoment[i * k + j]}`,
        );
    }
}

interface Place {
  name: string;
  engine: SqlEngine;
  /** Create `table` with DOUBLE/float8 columns (plus optional text and timestamptz columns). */
  load(
    table: string,
    cols: Record<string, (number | string | null)[]>,
    types: Record<string, string>,
  ): Promise<void>;
}
const places: Place[] = [];
let pg: PgCluster | undefined;
let duckClose: (() => void) | undefined;

const sqlType = (dialect: "duckdb" | "postgres", t: string) =>
  t === "double"
    ? dialect === "duckdb"
      ? "DOUBLE"
      : "double precision"
    : t === "text"
      ? "TEXT"
      : "TIMESTAMPTZ";

beforeAll(async () => {
  const con = await (await DuckDBInstance.create()).connect();
  duckClose = () => con.closeSync();
  const duck: Place = {
    name: "DuckDB",
    engine: duckdbEngine(con),
    async load(table, cols, types) {
      const q = (s: string) => quoteIdent("duckdb", s);
      const names = Object.keys(cols);
      await con.run(
        `CREATE OR REPLACE TABLE ${q(table)} (${names.map((c) => `${q(c)} ${sqlType("duckdb", types[c] ?? "double")}`).join(", ")})`,
      );
      const n = cols[names[0]!]!.length;
      for (let i = 0; i < n; i += 500) {
        const values: (string | number | null)[] = [];
        const tuples: string[] = [];
        for (let r = i; r < Math.min(n, i + 500); r++) {
          tuples.push(
            `(${names
              .map((c) => {
                values.push(cols[c]![r]!);
                const t = types[c] ?? "double";
                return `CAST($${values.length} AS ${sqlType("duckdb", t)})`;
              })
              .join(", ")})`,
          );
        }
        const prepared = await con.prepare(`INSERT INTO ${q(table)} VALUES ${tuples.join(", ")}`);
        values.forEach((v, j) => {
          if (v === null) prepared.bindNull(j + 1);
          else if (typeof v === "number") prepared.bindDouble(j + 1, v);
          else prepared.bindVarchar(j + 1, v);
        });
        await prepared.run();
      }
    },
  };
  places.push(duck);
  if (hasPostgres) {
    pg = await startPg();
    const pool = pg.pool;
    places.push({
      name: "PostgreSQL",
      engine: postgresEngine(pool),
      async load(table, cols, types) {
        const q = (s: string) => quoteIdent("postgres", s);
        const names = Object.keys(cols);
        await pool.query(`DROP TABLE IF EXISTS ${q(table)}`);
        await pool.query(
          `CREATE TABLE ${q(table)} (${names.map((c) => `${q(c)} ${sqlType("postgres", types[c] ?? "double")}`).join(", ")})`,
        );
        const n = cols[names[0]!]!.length;
        for (let i = 0; i < n; i += 500) {
          const values: unknown[] = [];
          const tuples: string[] = [];
          for (let r = i; r < Math.min(n, i + 500); r++) {
            tuples.push(
              `(${names
                .map((c) => {
                  const v = cols[c]![r];
                  // float8 text input round-trips every double exactly (shortest repr, PG ≥ 12)
                  values.push(v === null || v === undefined ? null : String(v));
                  return `$${values.length}`;
                })
                .join(", ")})`,
            );
          }
          await pool.query(`INSERT INTO ${q(table)} VALUES ${tuples.join(", ")}`, values);
        }
      },
    });
  }
}, 60_000);

afterAll(async () => {
  duckClose?.();
  await pg?.stop();
});

interface DriversRef {
  outcome: string;
  drivers: string[];
  n: number;
  r_squared: number;
  correlations: { driver: string; pearson: { r: number; p_value: number } }[];
  ols: { coefficients: { term: string; estimate: number; std_error: number }[] };
  importance: { driver: string; lmg: number; relative_weight_raw?: number; relative_weight?: number }[];
}

describe("coMomentsSql", () => {
  describeShared("R reference (drivers.json: swiss, mtcars)", () => {
    for (const [name, file] of [
      ["swiss", "swiss.csv"],
      ["mtcars", "mtcars.csv"],
    ] as const) {
      it(`${name}: the engines' state equals the in-memory one; keyDriversFromState matches R`, async () => {
        const ref = readSharedJson<{ datasets: Record<string, DriversRef> }>("reference", "drivers.json")
          .datasets[name]!;
        const rows = parseCsv(readShared("data", "drivers", file));
        const vars = [ref.outcome, ...ref.drivers];
        const cols = Object.fromEntries(vars.map((v) => [v, rows.map((r) => Number(r[v]))]));
        const want = coMomentsFromColumns(cols);
        // the third place: two worker threads fold halves and merge (Chan et al.)
        const workers = await parallelFold(
          rows.map((r) => vars.map((v) => Number(r[v]))),
          {
            module: new URL("../../src/drivers/index.ts", import.meta.url).href,
            accumulator: "coMomentAccumulator",
            args: [vars],
          },
          { workers: 2, threshold: 0, preload: { module: "tsx/esm/api", accumulator: "register" } },
        );
        sameState(workers as CoMomentState, want, `${name} workers`);
        for (const p of places) {
          await p.load(name, cols, {});
          const got = (await runMetric(p.engine, coMomentsSql(vars), { table: name })) as CoMomentState;
          sameState(got, want, `${name} ${p.name}`);
          const kd = keyDriversFromState(got);
          const rel = 1e-8;
          expect(kd.n).toBe(ref.n);
          close(kd.r2, ref.r_squared, "r2", rel);
          for (const c of ref.correlations) {
            const d = kd.drivers.find((x) => x.name === c.driver)!;
            close(d.pearson.r, c.pearson.r, `${c.driver} r`, rel);
            close(d.pearson.pValue, c.pearson.p_value, `${c.driver} p`, rel);
          }
          for (const c of ref.ols.coefficients) {
            if (c.term === "(Intercept)") continue;
            const d = kd.drivers.find((x) => x.name === c.term)!;
            close(d.coefficient, c.estimate, `${c.term} b`, rel);
            close(d.stdError as number, c.std_error, `${c.term} se`, rel);
          }
          for (const im of ref.importance) {
            const d = kd.drivers.find((x) => x.name === im.driver)!;
            close(d.lmg as number, im.lmg, `${im.driver} lmg`, rel);
          }
        }
      }, 30_000);
    }
  });

  it("random tables with NULLs, segments and months in Europe/Berlin equal the accumulator per group (property)", async () => {
    const vars = ["y", "x1", "x2"];
    const value = fc.option(
      fc.oneof(fc.integer({ min: -5, max: 10 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })),
      { nil: null, freq: 8 },
    );
    const row = fc.record({
      y: value,
      x1: value,
      x2: value,
      segment: fc.constantFrom("a", "b", "it's; DROP"),
      at: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 5, 30) }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), async (rows) => {
        const cols = {
          y: rows.map((r) => r.y),
          x1: rows.map((r) => r.x1),
          x2: rows.map((r) => r.x2),
          segment: rows.map((r) => r.segment),
          at: rows.map((r) => new Date(r.at).toISOString()),
        };
        const acc = mapInput(coMomentAccumulator(vars), (r: (typeof rows)[number]) => [r.y, r.x1, r.x2]);
        const whole = fold(rows, acc);
        const bySeg = groupBy(rows, (r) => r.segment, acc, { order: "key" });
        const monthly = byPeriod(
          rows,
          { at: (r) => new Date(r.at), period: "month", timeZone: "Europe/Berlin" },
          acc,
        );
        for (const p of places) {
          await p.load("rnd", cols, { segment: "text", at: "timestamptz" });
          const metric = coMomentsSql(vars);
          sameState((await runMetric(p.engine, metric, { table: "rnd" })) as CoMomentState, whole, p.name);
          const g = (await runMetric(p.engine, metric, { table: "rnd", by: "segment" })) as Map<
            string,
            CoMomentState
          >;
          expect([...g.keys()], p.name).toEqual([...bySeg.keys()]);
          for (const [key, st] of bySeg) sameState(g.get(key)!, st, `${p.name} ${key}`);
          const series = (await runMetric(p.engine, metric, {
            table: "rnd",
            columns: { at: "at" },
            period: "month",
            timeZone: "Europe/Berlin",
          })) as { label: string; result: CoMomentState }[];
          expect(
            series.map((s) => s.label),
            p.name,
          ).toEqual(monthly.map((s) => s.label));
          for (const [i, s] of series.entries())
            sameState(s.result, monthly[i]!.result, `${p.name} ${s.label}`);
        }
      }),
      { seed: 7, numRuns: 8 },
    );
  }, 120_000);

  it("hostile column names and a mapped column", async () => {
    const names = ['y"; DROP TABLE t; --', "x 1", "at"];
    const cols = { [names[0]!]: [1, 2, 3, 5], [names[1]!]: [2, 1, 4, 4], [names[2]!]: [0, 1, 1, 3] };
    const want = coMomentsFromColumns({ y: cols[names[0]!]!, x: cols[names[1]!]!, z: cols[names[2]!]! });
    for (const p of places) {
      await p.load('t"x', cols, {});
      const got = (await runMetric(p.engine, coMomentsSql(["y", "x", "z"]), {
        table: 't"x',
        columns: { y: names[0]!, x: names[1]!, z: names[2]! },
      })) as CoMomentState;
      sameState(got, want, p.name);
    }
  });

  it("non-finite values, missing values under missing: 'throw', and bad options are typed errors", async () => {
    for (const p of places) {
      await p.load("bad", { y: [1, 2, Number.POSITIVE_INFINITY, 4], x: [1, null, 2, Number.NaN] }, {});
      const err = await runMetric(p.engine, coMomentsSql(["y", "x"]), { table: "bad" }).catch((e) => e);
      expect(err.code, p.name).toBe("non_finite_value");
      expect(
        err.issues.map((i: { path: string[] }) => i.path),
        p.name,
      ).toEqual([["y"], ["x"]]);
      expect(err.issues[0].message).toMatch(/1 value\(s\) of "y"/);
      await p.load("gaps", { y: [1, 2, 3, 4], x: [1, null, 2, 5] }, {});
      const miss = await runMetric(p.engine, coMomentsSql(["y", "x"], { missing: "throw" }), {
        table: "gaps",
      }).catch((e) => e);
      expect(miss.code, p.name).toBe("missing_value");
      expect(miss.issues[0].path).toEqual(["x"]);
      const ok = (await runMetric(p.engine, coMomentsSql(["y", "x"]), { table: "gaps" })) as CoMomentState;
      expect(ok.n).toBe(3);
      expect(ok.excluded).toEqual({ missing: 1 });
    }
    for (const bad of [["y"], ["y", "y"], ["y", ""], ["y", "at"]]) {
      expect(() => coMomentsSql(bad)).toThrow(expect.objectContaining({ code: "invalid_option" }));
    }
    expect(() => coMomentsSql(["y", "x"], { missing: "drop" as never })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });

  it("generates the stable co-moment aggregate in every dialect", () => {
    const sql = (d: "duckdb" | "postgres" | "bigquery" | "snowflake" | "clickhouse" | "trino") =>
      aggregateQuery(d, coMomentsSql(["y", "x"]), { table: "t" }).sql;
    expect(sql("clickhouse")).toContain("covarPopStable(");
    expect(sql("bigquery")).toContain("COVAR_POP(");
    expect(sql("snowflake")).toContain("COVAR_POP(");
    for (const d of ["duckdb", "postgres", "trino"] as const) expect(sql(d)).toContain("covar_pop(");
  });

  it("an empty table gives n = 0 and zero means and co-moments, as in memory", async () => {
    for (const p of places) {
      await p.load("empty", { y: [], x: [] }, {});
      const got = await runMetric(p.engine, coMomentsSql(["y", "x"]), { table: "empty" });
      expect(got, p.name).toEqual(fold([], coMomentAccumulator(["y", "x"])));
    }
  });
});
