import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RfmRow, type RfmTransaction, rfmSummary } from "../../src/clv/rfm-summary.js";
import { compareKeys } from "../../src/core/accumulator.js";
import type { RfmSummarySqlOptions } from "../../src/sql/rfm-summary.js";
import { rfmSummaryQueries, rfmSummarySql } from "../../src/sql/rfm-summary.js";
import { type SqlEngine, quoteIdent, readCsv, runMetric } from "../../src/sql/index.js";
import { cdnowSummary, cdnowTransactions, clvRef, roundHalfUp } from "../clv/cdnow.js";
import { describeShared, hasShared, parseCsv, readShared, sharedDir } from "../helpers/shared.js";
import type { TypedColumn as Col } from "./load.js";
import { typedTableSuites } from "./typed-suites.js";

interface Ctx {
  engine: SqlEngine;
  /** Create a table with these columns and rows (null = SQL NULL; values are cast from text). */
  table(cols: readonly Col[], rows: readonly (string | null)[][]): Promise<string>;
  stop(): Promise<void>;
}

type Options = Omit<RfmSummarySqlOptions, "table" | "columns">;
const run = (ctx: Ctx, table: string, columns: RfmSummarySqlOptions["columns"], o: Options) =>
  runMetric(ctx.engine, rfmSummarySql(), { table, columns, ...o });

/** The log sorted as rfmSummarySql reads it without an order column: customer id, instant/date, amount. */
function sortedLog(tx: readonly RfmTransaction[]): RfmTransaction[] {
  const when = (t: RfmTransaction) => (t.at !== undefined ? Date.parse(String(t.at)) : Date.parse(t.date!));
  return [...tx].sort(
    (x, y) =>
      compareKeys(x.customerId, y.customerId) || when(x) - when(y) || Number(x.amount) - Number(y.amount),
  );
}

// ---- CDNOW ----
const CDNOW_OPTIONS = { calibrationEnd: "1997-09-30", timeUnit: "week", holdoutEnd: "1998-06-30" } as const;
const CDNOW_COLS: Col[] = [
  { name: "customer_id", duck: "INTEGER", pg: "integer" },
  { name: "date", duck: "DATE", pg: "date" },
  { name: "amount", duck: "DECIMAL(10, 2)", pg: "numeric(10, 2)" },
  { name: "line", duck: "INTEGER", pg: "integer" },
];

function checkCdnowReference(rows: RfmRow[]) {
  // clv.json tolerances.derived_summary_vs_csv: x exact; t_x and T equal after rounding half up to
  // 2 decimals; zbar within 0.005 (the CSV is rounded to cents), max difference as clv.json reports.
  expect(rows).toHaveLength(clvRef.inputs.summary_check.customers);
  const byId = new Map(rows.map((r) => [r.customerId, r]));
  let maxZ = 0;
  for (const ref of cdnowSummary()) {
    const r = byId.get(ref.id)!;
    expect(r.frequency, `x of ${ref.id}`).toBe(ref.frequency);
    expect(roundHalfUp(r.recency, 2), `t_x of ${ref.id}`).toBe(ref.recency);
    expect(roundHalfUp(r.T, 2), `T of ${ref.id}`).toBe(ref.T);
    maxZ = Math.max(maxZ, Math.abs(r.monetaryValue - ref.monetaryValue));
  }
  expect(maxZ).toBeLessThanOrEqual(0.005 + 1e-9);
  expect(Math.abs(maxZ - clvRef.inputs.summary_check.max_abs_zbar_difference)).toBeLessThanOrEqual(1e-9);
  for (const c of clvRef.cdnow_customers) {
    expect(byId.get(c.id)!.holdoutFrequency, `holdout purchases of ${c.id}`).toBe(
      c.observed_purchases_next_39_weeks,
    );
    expect(byId.get(c.id)!.holdoutDuration).toBe(39);
  }
  // customer 1 (Fader, Hardie & Lee's example): x = 2, t_x = 213/7, T = 272/7, zbar = 22.345
  expect(byId.get(1)).toMatchObject({ frequency: 2, recency: 213 / 7, T: 272 / 7 });
  expect(Math.abs(byId.get(1)!.monetaryValue - 22.345)).toBeLessThanOrEqual(1e-12);
}

// ---- orders.csv (instants with offsets) ----
const ORDER_COLS: Col[] = [
  { name: "order_id", duck: "VARCHAR", pg: "text" },
  { name: "customer_id", duck: "VARCHAR", pg: "text" },
  { name: "ordered_at", duck: "TIMESTAMPTZ", pg: "timestamptz" },
  { name: "amount", duck: "VARCHAR", pg: "text" },
];
const ORDERS_OPTIONS = {
  calibrationEnd: "2025-12-31",
  holdoutEnd: "2026-06-30",
  timeUnit: "month",
  timeZone: "America/New_York",
} as const;

// ---- random transaction sets ----
/** Hostile column names: quoted, never SQL. */
const H = {
  customer: '"; DROP TABLE x; --',
  at: "at`time",
  date: 'it\'s a "date"',
  amount: "__proto__",
  line: "x) OR (1=1",
};
const RANDOM_COLS = (dateType: { duck: string; pg: string }, amountType: { duck: string; pg: string }) => [
  { name: H.customer, duck: "VARCHAR", pg: "text" },
  { name: H.at, duck: "TIMESTAMPTZ", pg: "timestamptz" },
  { name: H.date, ...dateType },
  { name: H.amount, ...amountType },
  { name: H.line, duck: "INTEGER", pg: "integer" },
];

const HOUR = 3_600_000;
// 2025-03-05 … 2025-04-12 UTC: US DST starts 9 March, EU 30 March, Lord Howe ends 6 April (30 min).
const T0 = Date.UTC(2025, 2, 5);
const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"];

const txArb = fc.array(
  fc.record({
    customer: fc.constantFrom("c1", "it's", "__proto__", "Z"),
    // whole minutes near the quarter hours; a few busy days so that customers buy several times a day
    at: fc
      .tuple(
        fc.oneof(fc.integer({ min: 0, max: 37 }), fc.constantFrom(4, 5, 24, 25, 32)),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 29, 30, 31, 45, 59),
      )
      .map(([d, h, m]) => T0 + (d * 24 + h) * HOUR + m * 60_000),
    cents: fc.integer({ min: -2_000, max: 99_999 }),
  }),
  // about half of these sets have same-day purchases whose float sum depends on the addition order
  { minLength: 20, maxLength: 60, size: "max" },
);
const optsArb = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  timeUnit: fc.constantFrom("day", "week", "month") as fc.Arbitrary<"day" | "week" | "month">,
  calibrationEnd: fc.constantFrom("2025-03-20", "2025-03-30", "2025-04-06T01:30:00+10:30", "2025-03-09"),
  holdoutEnd: fc.constantFrom(undefined, "2025-04-12", "2025-04-30"),
});

/** The same instant as ISO text with the zone's offset written out (the engine parses the offset). */
function isoWithOffset(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    timeZoneName: "longOffset",
    year: "numeric",
  }).formatToParts(new Date(ms));
  const name = parts.find((p) => p.type === "timeZoneName")!.value; // "GMT+10:30" or "GMT"
  const off = name === "GMT" ? "+00:00" : name.slice(3);
  const sign = off.startsWith("-") ? -1 : 1;
  const [hh, mm] = off.slice(1).split(":").map(Number) as [number, number];
  const local = new Date(ms + sign * (hh * 60 + mm) * 60_000).toISOString().slice(0, 19);
  return `${local}${off}`;
}

function suite(name: string, setup: () => Promise<Ctx>) {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });

  describeShared(`${name}: CDNOW sample`, () => {
    const tx = hasShared ? cdnowTransactions() : [];
    let table = "";
    beforeAll(async () => {
      table = await ctx.table(
        CDNOW_COLS,
        tx.map((t, i) => [String(t.customerId), t.date, t.amount, String(i)]),
      );
    }, 30_000);
    it("equals rfmSummary on CDNOW_sample.txt (order column = line) and the clv.json reference", async () => {
      const got = await run(ctx, table, { date: "date", order: "line" }, CDNOW_OPTIONS);
      expect(got).toEqual(rfmSummary(tx, CDNOW_OPTIONS));
      checkCdnowReference(got);
    });
    it("without an order column equals rfmSummary on the log sorted by (customer, date, amount)", async () => {
      const o = { calibrationEnd: "1997-09-30", timeUnit: "day" } as const;
      const got = await run(ctx, table, { date: "date" }, o);
      expect(got).toEqual(rfmSummary(sortedLog(tx), o));
    });
  });

  describeShared(`${name}: orders.csv (instants with offsets, America/New_York)`, () => {
    const rows = hasShared ? parseCsv(readShared("data", "orders", "orders.csv")) : [];
    it("equals rfmSummary (order column = order_id)", async () => {
      const table = await ctx.table(
        ORDER_COLS,
        rows.map((r) => [r.order_id!, r.customer_id!, r.ordered_at!, r.amount!]),
      );
      const tx = rows.map((r) => ({ customerId: r.customer_id!, at: r.ordered_at!, amount: r.amount! }));
      const got = await run(ctx, table, { at: "ordered_at", order: "order_id" }, ORDERS_OPTIONS);
      const want = rfmSummary(tx, ORDERS_OPTIONS);
      expect(got).toEqual(want);
      expect(want.length).toBeGreaterThan(4000);
      if (name === "DuckDB") {
        // straight from the file (readCsv: the path is bound; DuckDB detects the column types)
        const direct = await runMetric(ctx.engine, rfmSummarySql(), {
          table: readCsv(`${sharedDir}/data/orders/orders.csv`),
          columns: { at: "ordered_at", order: "order_id" },
          ...ORDERS_OPTIONS,
        });
        expect(direct).toEqual(want);
      }
    });
  });

  describe(`${name}: random transactions (property)`, () => {
    it("equals rfmSummary across DST changes, with and without holdout and an order column", async () => {
      let runNo = 0;
      await fc.assert(
        fc.asyncProperty(txArb, optsArb, async (txs, { holdoutEnd, ...rest }) => {
          const o: Options = holdoutEnd === undefined ? rest : { ...rest, holdoutEnd };
          // alternate column types: text dates and decimal text amounts, or DATE and numeric/DOUBLE
          const typed = runNo++ % 2 === 0;
          const cols = RANDOM_COLS(
            typed ? { duck: "DATE", pg: "date" } : { duck: "VARCHAR", pg: "text" },
            typed ? { duck: "DOUBLE", pg: "numeric(12, 2)" } : { duck: "VARCHAR", pg: "text" },
          );
          const recs = txs.map((t, i) => {
            const local = isoWithOffset(t.at, o.timeZone!);
            return {
              customerId: t.customer,
              // every other instant written in UTC: the engine reads the offset, not the text's day
              at: i % 2 === 0 ? local : new Date(t.at).toISOString(),
              date: local.slice(0, 10),
              amount: (t.cents / 100).toFixed(2),
            };
          });
          const table = await ctx.table(
            cols,
            recs.map((r, i) => [r.customerId, r.at, r.date, r.amount, String(i)]),
          );
          const atLog = recs.map(({ date: _, ...r }) => r);
          const dateLog = recs.map(({ at: _, ...r }) => r);
          expect(
            await run(ctx, table, { customerId: H.customer, at: H.at, amount: H.amount, order: H.line }, o),
          ).toEqual(rfmSummary(atLog, o));
          expect(await run(ctx, table, { customerId: H.customer, at: H.at, amount: H.amount }, o)).toEqual(
            rfmSummary(sortedLog(atLog), o),
          );
          // calendar-day column (the local date written in the row): the time zone plays no part
          const od = { ...o, timeZone: "UTC" };
          expect(
            await run(
              ctx,
              table,
              { customerId: H.customer, date: H.date, amount: H.amount, order: H.line },
              od,
            ),
          ).toEqual(rfmSummary(dateLog, od));
          expect(
            await run(ctx, table, { customerId: H.customer, date: H.date, amount: H.amount }, od),
          ).toEqual(rfmSummary(sortedLog(dateLog), od));
        }),
        { seed: 42, numRuns: 12 },
      );
    }, 30_000);
  });

  describe(`${name}: bad input`, () => {
    const cols: Col[] = [
      { name: "customer_id", duck: "VARCHAR", pg: "text" },
      { name: "day", duck: "VARCHAR", pg: "text" },
      { name: "amount", duck: "VARCHAR", pg: "text" },
    ];
    const ok = ["a", "2024-01-01", "10.50"];
    const end = { calibrationEnd: "2024-01-31" } as const;
    const expectCode = async (bad: (string | null)[], code: string, path: string) => {
      const table = await ctx.table(cols, [ok, bad]);
      const err = await run(ctx, table, { date: "day" }, end).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `${JSON.stringify(bad)}`).toMatchObject({
        code,
        issues: [{ index: null, path: [path], code }],
      });
    };
    it("NULL or empty customer id, NULL or invalid date, NULL, non-numeric or non-finite amount", async () => {
      await expectCode([null, "2024-01-02", "1"], "missing_value", "customerId");
      await expectCode(["", "2024-01-02", "1"], "invalid_type", "customerId");
      await expectCode(["a", null, "1"], "missing_value", "date");
      await expectCode(["a", "2024-02-30", "1"], "invalid_time", "date");
      await expectCode(["a", "2023-02-29", "1"], "invalid_time", "date");
      await expectCode(["a", "2024-1-05", "1"], "invalid_time", "date");
      await expectCode(["a", "2024-01-02", null], "missing_value", "amount");
      await expectCode(["a", "2024-01-02", "12,50"], "invalid_type", "amount");
      await expectCode(["a", "2024-01-02", "1_000"], "invalid_type", "amount");
      await expectCode(["a", "2024-01-02", "abc"], "invalid_type", "amount");
      await expectCode(["a", "2024-01-02", "NaN"], "non_finite_value", "amount");
      await expectCode(["a", "2024-01-02", "-Infinity"], "non_finite_value", "amount");
      // accepted forms: a leap day, whitespace, exponent, sign, leading dot
      const table = await ctx.table(cols, [ok, ["a", "2024-02-29", " 1e1 "], ["a", "2024-01-15", "+.5"]]);
      const tx = [
        { customerId: "a", date: "2024-01-01", amount: "10.50" },
        { customerId: "a", date: "2024-02-29", amount: " 1e1 " },
        { customerId: "a", date: "2024-01-15", amount: "+.5" },
      ];
      const o = { calibrationEnd: "2024-03-01", holdoutEnd: "2024-03-02" };
      expect(await run(ctx, table, { date: "day" }, o)).toEqual(rfmSummary(sortedLog(tx), o));
    });
    it("a NULL in the order column is missing_value", async () => {
      const c2: Col[] = [...cols, { name: "seq", duck: "INTEGER", pg: "integer" }];
      const table = await ctx.table(c2, [
        [...ok, "1"],
        [...ok, null],
      ]);
      await expect(run(ctx, table, { date: "day", order: "seq" }, end)).rejects.toMatchObject({
        code: "missing_value",
        issues: [{ path: ["order"] }],
      });
    });
    it("options as rfmSummary checks them; columns; other dialects; an empty table", async () => {
      const table = await ctx.table(cols, [ok]);
      const bad = async (columns: RfmSummarySqlOptions["columns"], o: Options, code: string) =>
        expect(run(ctx, table, columns, o)).rejects.toMatchObject({ code });
      await bad({ date: "day" }, { calibrationEnd: "31/01/2024" }, "invalid_option");
      await bad({ date: "day" }, { ...end, timeUnit: "year" as never }, "invalid_option");
      await bad({ date: "day" }, { ...end, timeZone: "Mars/Olympus" }, "invalid_time");
      await bad({ date: "day" }, { ...end, holdoutEnd: "2024-01-01" }, "invalid_option");
      await bad({ date: "day", at: "day" }, end, "invalid_option");
      await bad({}, end, "invalid_option");
      await bad({ date: "day", amout: "x" } as never, end, "invalid_option");
      await bad({ date: "" }, end, "invalid_option");
      const bq: SqlEngine = { dialect: "bigquery", query: ctx.engine.query };
      await expect(
        runMetric(bq, rfmSummarySql(), { table, columns: { date: "day" }, ...end }),
      ).rejects.toMatchObject({ code: "invalid_option" });
      const empty = await ctx.table(cols, []);
      expect(await run(ctx, empty, { date: "day" }, end)).toEqual([]);
      // a missing column is the engine's own error, never a silent result
      await expect(run(ctx, table, { date: "no_such_column" }, end)).rejects.toThrow();
    });
  });
}

describe("rfmSummaryQueries: generated SQL", () => {
  for (const d of ["duckdb", "postgres"] as const) {
    it(`${d}: quotes hostile column and table names; binds the time zone and file paths`, () => {
      const path = "/data/it's'; DROP TABLE x; --.csv";
      for (const table of [['my"schema', "__proto__"], readCsv(path)]) {
        const q = rfmSummaryQueries(d, {
          table,
          columns: { customerId: H.customer, at: H.at, amount: H.amount, order: H.line },
          timeZone: "Europe/Berlin",
        });
        const s = q.summary(20_000, 20_030);
        const file = Array.isArray(table) ? [] : [path];
        for (const sql of [q.check.sql, s.sql]) {
          for (const c of [H.customer, H.at, H.amount, H.line]) expect(sql).toContain(quoteIdent(d, c));
          if (Array.isArray(table))
            expect(sql).toContain(`${quoteIdent(d, 'my"schema')}.${quoteIdent(d, "__proto__")}`);
          expect(sql.replaceAll(quoteIdent(d, H.customer), "")).not.toContain("DROP TABLE");
        }
        expect(q.check.params).toEqual(file);
        expect(s.params).toEqual(["Europe/Berlin", ...file]);
        expect(() => q.summary(1.5, null)).toThrow(/day number/);
      }
    });
  }
  it("other dialects are refused", () => {
    expect(() => rfmSummaryQueries("bigquery", { table: "t", columns: { date: "d" } })).toThrow(
      /not supported/,
    );
  });
});

typedTableSuites(suite, "tx");
