import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupBy, mapInput } from "../../src/core/accumulator.js";
import {
  type KaplanMeierOptions,
  type KaplanMeierResult,
  kaplanMeier,
  kaplanMeierAccumulator,
} from "../../src/retention/kaplan-meier.js";
import { subscriptionLifetimes } from "../../src/retention/subscription-lifetimes.js";
import { parseSubscriptions } from "../../src/schemas/subscription.js";
import {
  type KaplanMeierSqlOptions,
  kaplanMeierQueries,
  kaplanMeierSql,
} from "../../src/sql/kaplan-meier.js";
import { type GroupKey, type SqlEngine, quoteIdent, readCsv, runMetric } from "../../src/sql/index.js";
import { describeShared, hasShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";
import type { TypedColumn as Col } from "./load.js";
import { typedTableSuites } from "./typed-suites.js";

interface Ctx {
  engine: SqlEngine;
  /** Create a table with these columns and rows (null = SQL NULL; values are cast from text). */
  table(cols: readonly Col[], rows: readonly (string | null)[][]): Promise<string>;
  stop(): Promise<void>;
}

type KmOptions = Omit<KaplanMeierSqlOptions, "table" | "columns" | "by">;

/** got equals want: the plain data with toEqual (Object.is on every number), and `at` at many times. */
function expectSameKm(got: KaplanMeierResult, want: KaplanMeierResult, where = "") {
  const { at: gotAt, ...g } = got;
  const { at: wantAt, ...w } = want;
  expect(g, where).toEqual(w);
  const times = want.curve.time;
  const probes = [-1, 0, ...times, ...times.map((t, k) => (t + (times[k + 1] ?? t + 2)) / 2), 1e12];
  for (const t of probes) expect(gotAt(t), `${where} at(${t})`).toEqual(wantAt(t));
}

/** Same as expectSameKm for `by` results: same keys in the same order. */
function expectSameMap(got: Map<GroupKey, KaplanMeierResult>, want: Map<GroupKey, KaplanMeierResult>) {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [k, w] of want) expectSameKm(got.get(k)!, w, `group ${String(k)}`);
}

/** The in-memory equivalent of `by`: groupBy with the accumulator, keys in code-point order. */
function inMemoryBy<K>(
  rows: readonly { key: K; duration: number; event: 0 | 1 }[],
  options: KaplanMeierOptions,
): Map<K, KaplanMeierResult> {
  type R = (typeof rows)[number];
  return groupBy(
    rows,
    (r: R) => r.key,
    mapInput(kaplanMeierAccumulator(options), (r: R) => r),
    {
      order: "key",
    },
  );
}

// ---- shared subscriptions (fractional days) ----
interface RefAt {
  t: number;
  surv: number;
  se: number | null;
  n_risk: number;
  ci: Record<"plain" | "log" | "log-log", [number, number]> | null;
}
interface RefKm {
  n: number;
  events: number;
  censored: number;
  at: RefAt[];
  median: number | null;
  median_r_convention: number | null;
  median_ci_95_cloglog: [number | null, number | null];
}
const LIFE_COLS: Col[] = [
  { name: "segment", duck: "VARCHAR", pg: "text" },
  { name: "duration", duck: "DOUBLE", pg: "double precision" },
  { name: "event", duck: "INTEGER", pg: "integer" },
];

// ---- R aml ----
const AML_T = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45];
const AML_D = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1];
/** survfit(Surv(t, d) ~ 1)$surv at the first five times 5, 8, 9, 12, 13 (R 4, survival 3.5.3). */
const AML_SURV = [
  0.91304347826086951, 0.82608695652173914, 0.78260869565217384, 0.73913043478260865, 0.69565217391304346,
];

// ---- random tables ----
/** Hostile column names: quoted, never SQL. */
const H = {
  segment: '"; DROP TABLE x; --',
  duration: "dur`ation",
  event: "__proto__",
};
const SEGMENTS = ["smb", "it's", "__proto__", '"; DROP TABLE y; --', "Ünïcode", "constructor"];
const EVENT_TYPES: Col[] = [
  { name: H.event, duck: "BOOLEAN", pg: "boolean" },
  { name: H.event, duck: "INTEGER", pg: "integer" },
  { name: H.event, duck: "DOUBLE", pg: "double precision" },
  { name: H.event, duck: "TINYINT", pg: "smallint" },
  { name: H.event, duck: "VARCHAR", pg: "text" },
  { name: H.event, duck: "DECIMAL(3, 1)", pg: "numeric(3, 1)" },
  { name: H.event, duck: "BIGINT", pg: "bigint" },
];
const DURATION_TYPES: Col[] = [
  { name: H.duration, duck: "DOUBLE", pg: "double precision" },
  { name: H.duration, duck: "DECIMAL(12, 3)", pg: "numeric(12, 3)" },
  { name: H.duration, duck: "VARCHAR", pg: "text" },
  { name: H.duration, duck: "REAL", pg: "real" },
];

const rowArb = fc.record({
  // NULL is a group of its own; "it's" never has events (an all-censored group)
  segment: fc.constantFrom<string | null>(...SEGMENTS, null),
  // many ties, zeros, thousandths (exact in DECIMAL(12, 3) and in REAL only for multiples of 1/8)
  duration: fc.oneof(
    fc.integer({ min: 0, max: 12 }),
    fc.constant(0),
    fc.integer({ min: 0, max: 40_000 }).map((x) => x / 1000),
    fc.integer({ min: 0, max: 200 }).map((x) => x / 8),
  ),
  event: fc.boolean(),
});
const optionsArb = fc.record({
  level: fc.constantFrom(0.95, 0.9, 0.99),
  ci: fc.constantFrom("plain", "log", "logLog") as fc.Arbitrary<"plain" | "log" | "logLog">,
  median: fc.constantFrom("r", "strict") as fc.Arbitrary<"r" | "strict">,
  times: fc.constantFrom("event", "all") as fc.Arbitrary<"event" | "all">,
});

function suite(name: string, setup: () => Promise<Ctx>) {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });

  describeShared(`${name}: subscription lifetimes (shared data, retention.json survival)`, () => {
    const json = hasShared
      ? readSharedJson<{ survival: { spell: RefKm; row: RefKm }; meta: { as_of: string } }>(
          "reference",
          "retention.json",
        )
      : null;
    const subs = hasShared
      ? parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")))
      : [];
    const segmentOf = new Map<string, string | null>();
    for (const s of subs) if (!segmentOf.has(s.customerId)) segmentOf.set(s.customerId, s.segment);

    for (const [variant, spells] of [
      ["spell", "all"],
      ["row", "rows"],
    ] as const) {
      it(`${variant}: equals kaplanMeier (every option set) and the statsmodels reference; by segment equals groupBy`, async () => {
        const ref = json!.survival[variant];
        const life = subscriptionLifetimes(subs, { asOf: json!.meta.as_of, unit: "day", spells });
        const rows = life.durations.map((d, i) => ({
          key: segmentOf.get(life.customerIds[i]!) ?? null,
          duration: d,
          event: life.events[i]!,
        }));
        const table = await ctx.table(
          LIFE_COLS,
          rows.map((r) => [r.key, String(r.duration), String(r.event)]),
        );
        for (const o of [
          {},
          { ci: "plain", times: "all" },
          { ci: "logLog", median: "strict", level: 0.9 },
        ] as KmOptions[]) {
          const got = await runMetric(ctx.engine, kaplanMeierSql(), { table, ...o });
          expectSameKm(got, kaplanMeier(life, o), JSON.stringify(o));
        }
        // the reference values directly (1e-10 absolute; counts and median times exact)
        const got = await runMetric(ctx.engine, kaplanMeierSql(), { table });
        expect([got.n, got.events, got.censored]).toEqual([ref.n, ref.events, ref.censored]);
        for (const a of ref.at) {
          const p = got.at(a.t);
          expect(Math.abs(p.survival - a.surv), `S(${a.t})`).toBeLessThanOrEqual(1e-10);
          expect(Math.abs(p.se! - a.se!), `se(${a.t})`).toBeLessThanOrEqual(1e-10);
          expect(Math.abs(p.lower! - a.ci!.log[0]), `lower(${a.t})`).toBeLessThanOrEqual(1e-10);
          expect(Math.abs(p.upper! - a.ci!.log[1]), `upper(${a.t})`).toBeLessThanOrEqual(1e-10);
          expect(p.atRisk).toBe(a.n_risk);
        }
        expect(got.median.estimate).toBe(ref.median_r_convention);
        expect([got.median.lower, got.median.upper]).toEqual(ref.median_ci_95_cloglog);
        // one curve per segment
        const bySegment = await runMetric(ctx.engine, kaplanMeierSql(), { table, by: "segment" });
        expect(bySegment.size).toBeGreaterThan(1);
        expectSameMap(bySegment, inMemoryBy(rows, {}));
      });
    }
  });

  describe(`${name}: R aml (survfit reference) with a BOOLEAN event column`, () => {
    it("equals kaplanMeier and survfit's S at the first event times", async () => {
      const table = await ctx.table(
        [
          { name: "time", duck: "INTEGER", pg: "integer" },
          { name: "status", duck: "BOOLEAN", pg: "boolean" },
        ],
        AML_T.map((t, i) => [String(t), AML_D[i] === 1 ? "true" : "false"]),
      );
      const columns = { duration: "time", event: "status" };
      for (const ci of ["plain", "log", "logLog"] as const) {
        const got = await runMetric(ctx.engine, kaplanMeierSql(), { table, columns, ci, times: "all" });
        expectSameKm(got, kaplanMeier({ durations: AML_T, events: AML_D }, { ci, times: "all" }), ci);
        AML_SURV.forEach((s, k) => {
          expect(Math.abs(got.curve.survival[k]! - s)).toBeLessThanOrEqual(1e-12);
        });
        expect(got.median.estimate).toBe(27); // R: quantile(f, 0.5)$quantile
      }
    });
  });

  describe(`${name}: random tables (property)`, () => {
    it("equals kaplanMeier overall and groupBy(kaplanMeierAccumulator) by group", async () => {
      let runNo = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { minLength: 0, maxLength: 150, size: "max" }),
          optionsArb,
          async (raw, o) => {
            const k = runNo++;
            const eventCol = EVENT_TYPES[k % EVENT_TYPES.length]!;
            const durationCol = DURATION_TYPES[Math.floor(k / EVENT_TYPES.length) % DURATION_TYPES.length]!;
            // REAL holds the multiples of 1/8 exactly; DECIMAL(12, 3) the thousandths
            const rows = raw.map((r) => ({
              key: r.segment,
              duration: durationCol.duck === "REAL" ? Math.round(r.duration * 8) / 8 : r.duration,
              event: (r.event && r.segment !== "it's" ? 1 : 0) as 0 | 1,
            }));
            const eventText = (e: 0 | 1) =>
              eventCol.duck === "BOOLEAN" || (eventCol.duck === "VARCHAR" && k % 2 === 0)
                ? e === 1
                  ? "true"
                  : "false"
                : String(e);
            const table = await ctx.table(
              [{ name: H.segment, duck: "VARCHAR", pg: "text" }, durationCol, eventCol],
              rows.map((r) => [r.key, String(r.duration), eventText(r.event)]),
            );
            const columns = { duration: H.duration, event: H.event };
            const got = await runMetric(ctx.engine, kaplanMeierSql(), { table, columns, ...o });
            const durations = rows.map((r) => r.duration);
            const events = rows.map((r) => r.event);
            expectSameKm(got, kaplanMeier({ durations, events }, o));
            const by = await runMetric(ctx.engine, kaplanMeierSql(), { table, columns, by: H.segment, ...o });
            expectSameMap(by, inMemoryBy(rows, o));
          },
        ),
        { seed: 42, numRuns: 40 },
      );
    }, 30_000);
  });

  describe(`${name}: bad input`, () => {
    const cols: Col[] = [
      { name: "seg", duck: "VARCHAR", pg: "text" },
      { name: "duration", duck: "DOUBLE", pg: "double precision" },
      { name: "event", duck: "VARCHAR", pg: "text" },
    ];
    const ok = ["a", "1.5", "1"];
    const err = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e,
      );
    it("NULL, non-finite and negative durations; NULL and invalid events: every kind counted", async () => {
      const one = async (bad: (string | null)[], code: string, path: string) => {
        const table = await ctx.table(cols, [ok, bad, bad]);
        const e = await err(runMetric(ctx.engine, kaplanMeierSql(), { table }));
        expect(e, JSON.stringify(bad)).toMatchObject({ code, issues: [{ index: null, path: [path], code }] });
        expect((e as Error).message).toContain("2 row(s)");
      };
      await one(["a", null, "1"], "missing_value", "duration");
      await one(["a", "NaN", "1"], "non_finite_value", "duration");
      await one(["a", "Infinity", "0"], "non_finite_value", "duration");
      await one(["a", "-Infinity", "0"], "non_finite_value", "duration");
      await one(["a", "-0.5", "1"], "out_of_range", "duration");
      await one(["a", "2", null], "missing_value", "event");
      await one(["a", "2", "2"], "out_of_range", "event"); // R's 1/2 status coding
      await one(["a", "2", "yes"], "out_of_range", "event");
      await one(["a", "2", "TRUE"], "out_of_range", "event");
      await one(["a", "2", "1.0"], "out_of_range", "event"); // text: only 1, 0, true, false
      // number columns: anything but 0 and 1
      const numeric = async (type: Col, bad: string) => {
        const table = await ctx.table(
          [cols[0]!, cols[1]!, { ...type, name: "event" }],
          [ok, ["a", "2", bad]],
        );
        await expect(
          runMetric(ctx.engine, kaplanMeierSql(), { table }),
          `${type.duck} ${bad}`,
        ).rejects.toMatchObject({
          code: "out_of_range",
          issues: [{ path: ["event"] }],
        });
      };
      await numeric({ name: "event", duck: "INTEGER", pg: "integer" }, "2");
      await numeric({ name: "event", duck: "INTEGER", pg: "integer" }, "-1");
      await numeric({ name: "event", duck: "DOUBLE", pg: "double precision" }, "0.5");
      await numeric({ name: "event", duck: "DOUBLE", pg: "double precision" }, "NaN");
      await numeric({ name: "event", duck: "DECIMAL(4, 2)", pg: "numeric(4, 2)" }, "1.01");
      // all kinds at once, with the groups named
      const table = await ctx.table(cols, [
        ok,
        ["a", null, "1"],
        ["b", "NaN", "0"],
        ["c", "-1", "1"],
        [null, "3", null],
        ["it's", "3", "-1"],
        ["it's", "4", "-1"],
      ]);
      const e = (await err(runMetric(ctx.engine, kaplanMeierSql(), { table, by: "seg" }))) as {
        code: string;
        issues: { path: string[]; code: string; message: string }[];
      };
      expect(e.code).toBe("missing_value");
      expect(e.issues.map((i) => [i.path[0], i.code])).toEqual([
        ["duration", "missing_value"],
        ["duration", "non_finite_value"],
        ["duration", "out_of_range"],
        ["event", "missing_value"],
        ["event", "out_of_range"],
      ]);
      expect(e.issues[0]!.message).toBe('1 row(s) have no duration (NULL) in column "duration" (seg = "a")');
      expect(e.issues[3]!.message).toContain("(seg = null)");
      expect(e.issues[4]!.message).toBe(
        `2 row(s) have an event indicator that is not 1/true (event) or 0/false (censored) in column "event" (seg = "it's")`,
      );
    });
    it("accepted event forms; options as kaplanMeier checks them; columns; by; other dialects; empty table", async () => {
      const table = await ctx.table(cols, [ok, ["a", "2", "0"], ["b", "2", "true"], ["b", "3", "false"]]);
      expectSameKm(
        await runMetric(ctx.engine, kaplanMeierSql(), { table }),
        kaplanMeier({ durations: [1.5, 2, 2, 3], events: [1, 0, 1, 0] }),
      );
      const bad = async (o: Partial<KaplanMeierSqlOptions>, code: string) =>
        expect(kaplanMeierSql().run(ctx.engine, { table, ...o })).rejects.toMatchObject({ code });
      await bad({ level: 1.2 }, "invalid_option");
      await bad({ ci: "arcsine" as never }, "invalid_option");
      await bad({ median: "mean" as never }, "invalid_option");
      await bad({ times: "some" as never }, "invalid_option");
      await bad({ columns: { durations: "duration" } as never }, "invalid_option");
      await bad({ columns: { duration: "" } }, "invalid_option");
      await bad({ by: ["seg"] as never }, "invalid_option");
      await expect(runMetric(ctx.engine, kaplanMeierSql(), null as never)).rejects.toMatchObject({
        code: "invalid_option",
      });
      const bq: SqlEngine = { dialect: "bigquery", query: ctx.engine.query };
      await expect(runMetric(bq, kaplanMeierSql(), { table })).rejects.toMatchObject({
        code: "invalid_option",
      });
      // a missing column is the engine's own error, never a silent result
      await expect(
        runMetric(ctx.engine, kaplanMeierSql(), { table, columns: { duration: "no_such_column" } }),
      ).rejects.toThrow();
      // duration text that is not a number: the engine's cast error
      const text = await ctx.table(
        [cols[0]!, { name: "duration", duck: "VARCHAR", pg: "text" }, cols[2]!],
        [["a", "ten", "1"]],
      );
      await expect(runMetric(ctx.engine, kaplanMeierSql(), { table: text })).rejects.toThrow();
      const empty = await ctx.table(cols, []);
      expectSameKm(
        await runMetric(ctx.engine, kaplanMeierSql(), { table: empty }),
        kaplanMeier({ durations: [], events: [] }),
      );
      expect(await runMetric(ctx.engine, kaplanMeierSql(), { table: empty, by: "seg" })).toEqual(new Map());
    });
    it("−0 durations count as 0 (time +0)", async () => {
      const table = await ctx.table(
        [
          { name: "duration", duck: "DOUBLE", pg: "double precision" },
          { name: "event", duck: "INTEGER", pg: "integer" },
        ],
        [
          ["-0", "1"],
          ["0", "0"],
          ["-0", "1"],
          ["1", "1"],
        ],
      );
      const got = await runMetric(ctx.engine, kaplanMeierSql(), { table, times: "all" });
      expectSameKm(got, kaplanMeier({ durations: [0, 0, 0, 1], events: [1, 0, 1, 1] }, { times: "all" }));
      expect(Object.is(got.curve.time[0], 0)).toBe(true);
    });
    it("numeric durations come back exact", async () => {
      // DECIMAL/numeric with many digits: correctly rounded to the double of the decimal text
      const values = ["0.1", "0.3", "1234567.891234", "0.000001", "7", "7.000000"];
      const table = await ctx.table(
        [
          { name: "duration", duck: "DECIMAL(18, 6)", pg: "numeric" },
          { name: "event", duck: "INTEGER", pg: "integer" },
        ],
        values.map((v, i) => [v, String(i % 2)]),
      );
      expectSameKm(
        await runMetric(ctx.engine, kaplanMeierSql(), { table, times: "all" }),
        kaplanMeier({ durations: values.map(Number), events: values.map((_, i) => i % 2) }, { times: "all" }),
      );
    });
  });
}

describe("kaplanMeierQueries: generated SQL", () => {
  for (const d of ["duckdb", "postgres"] as const) {
    it(`${d}: quotes hostile column and table names; binds file paths; no values in the text`, () => {
      const path = "/data/it's'; DROP TABLE x; --.csv";
      for (const table of [['my"schema', "__proto__"], readCsv(path)]) {
        const q = kaplanMeierQueries(d, {
          table,
          columns: { duration: H.duration, event: H.event },
          by: H.segment,
        });
        const statements = [q.eventType, ...(["boolean", "number", "text"] as const).map((k) => q.counts(k))];
        for (const [i, s] of statements.entries()) {
          const cols = i === 0 ? [H.event] : [H.segment, H.duration, H.event];
          for (const c of cols) expect(s.sql).toContain(quoteIdent(d, c));
          if (Array.isArray(table))
            expect(s.sql).toContain(`${quoteIdent(d, 'my"schema')}.${quoteIdent(d, "__proto__")}`);
          expect(s.sql.replaceAll(quoteIdent(d, H.segment), "")).not.toContain("DROP TABLE");
          expect(s.params).toEqual(Array.isArray(table) ? [] : [path]);
        }
      }
      expect(kaplanMeierQueries(d, { table: "t" }).counts("number").sql).not.toContain("k0");
      expect(() => kaplanMeierQueries(d, { table: "t" }).counts("date" as never)).toThrow(/event kind/);
    });
  }
  it("other dialects are refused", () => {
    expect(() => kaplanMeierQueries("snowflake", { table: "t" })).toThrow(/not supported/);
  });
});

typedTableSuites(suite, "km");
