import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareKeys } from "../../src/core/accumulator.js";
import { type Period, parseInstant, periodStart } from "../../src/core/time.js";
import {
  type RepeatPurchaseOptions,
  type RepeatPurchaseOrder,
  type RepeatPurchaseResult,
  type RepeatPurchaseSummary,
  repeatPurchase,
} from "../../src/retention/repeat-purchase.js";
import { parseOrders } from "../../src/schemas/order.js";
import { type GroupKey, type SqlEngine, quoteIdent, readCsv, runMetric } from "../../src/sql/index.js";
import {
  type RepeatPurchaseSqlOptions,
  repeatPurchaseQueries,
  repeatPurchaseSql,
} from "../../src/sql/repeat-purchase.js";
import {
  describeShared,
  hasShared,
  parseCsv,
  readShared,
  readSharedJson,
  sharedDir,
} from "../helpers/shared.js";
import type { TypedColumn as Col } from "./load.js";
import { typedTableSuites } from "./typed-suites.js";

interface Ctx {
  engine: SqlEngine;
  /** Create a table with these columns and rows (null = SQL NULL; values are cast from text). */
  table(cols: readonly Col[], rows: readonly (string | null)[][]): Promise<string>;
  stop(): Promise<void>;
}

type Options = Omit<RepeatPurchaseSqlOptions, "table" | "columns" | "by">;
const run = (ctx: Ctx, table: string, o: Options, columns?: RepeatPurchaseSqlOptions["columns"]) =>
  runMetric(ctx.engine, repeatPurchaseSql(), {
    table,
    ...o,
    ...(columns === undefined ? {} : { columns }),
  }) as Promise<RepeatPurchaseResult>;
const runBy = (
  ctx: Ctx,
  table: string,
  by: string,
  o: Options,
  columns?: RepeatPurchaseSqlOptions["columns"],
) =>
  runMetric(ctx.engine, repeatPurchaseSql(), {
    table,
    by,
    ...o,
    ...(columns === undefined ? {} : { columns }),
  }) as Promise<Map<GroupKey, RepeatPurchaseResult>>;

/**
 * The in-memory result for `by`: the orders grouped by key (code-point order), each group through
 * repeatPurchase with from/to defaulting to the first and last order of the whole input.
 */
function inMemoryBy<T extends RepeatPurchaseOrder>(
  orders: readonly T[],
  key: (o: T) => GroupKey,
  o: RepeatPurchaseOptions,
): Map<GroupKey, RepeatPurchaseResult> {
  const times = orders.map((x) => x.orderedAt.getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  const groups = new Map<GroupKey, T[]>();
  for (const x of orders) {
    const k = key(x);
    groups.set(k, [...(groups.get(k) ?? []), x]);
  }
  const window = { ...o, from: o.from ?? first, to: o.to ?? last };
  // from after the last order or to before the first: no period for anyone (repeatPurchase with the
  // options as given lists none either, where the completed window would be refused as from > to)
  const at = (v: unknown) => parseInstant(v, { timeZone: o.timeZone ?? "UTC" });
  const empty = at(window.from) > at(window.to);
  return new Map(
    [...groups]
      .sort((a, b) => compareKeys(a[0], b[0]))
      .map(([k, list]) => [k, repeatPurchase(list, empty ? o : window)] as const),
  );
}

/** toEqual, plus the key order of the Map (toEqual alone does not look at it). */
function expectSameMap(got: Map<GroupKey, RepeatPurchaseResult>, want: Map<GroupKey, RepeatPurchaseResult>) {
  expect([...got.keys()]).toEqual([...want.keys()]);
  expect(got).toEqual(want);
}

// ---- shared orders ----
const ORDER_COLS = (amount: { duck: string; pg: string }): Col[] => [
  { name: "order_id", duck: "VARCHAR", pg: "text" },
  { name: "customer_id", duck: "VARCHAR", pg: "text" },
  { name: "ordered_at", duck: "TIMESTAMPTZ", pg: "timestamptz" },
  { name: "amount", ...amount },
  { name: "channel", duck: "VARCHAR", pg: "text" },
];
/** A made-up channel per order (the CSV has none): 3 values and NULL, from the order id. */
const channelOf = (orderId: string): string | null =>
  [null, "web", "app", "store"][Number(orderId.slice(-1)) % 4] ?? null;

interface RefSummary {
  orders: number;
  buyers: number;
  repeat_buyers: number;
  repeat_purchase_rate: number | null;
  purchase_frequency: number | null;
  revenue: string;
  aov: string | null;
}
interface RefZone {
  monthly: (RefSummary & { month: string })[];
  window: RefSummary;
  orders_outside_window: number;
}

function expectReference(got: RepeatPurchaseSummary, ref: RefSummary, where: string) {
  expect(
    [got.orders, got.buyers, got.repeatBuyers, got.repeatPurchaseRate, got.purchaseFrequency],
    where,
  ).toEqual([ref.orders, ref.buyers, ref.repeat_buyers, ref.repeat_purchase_rate, ref.purchase_frequency]);
  expect(got.revenue.equals(ref.revenue), `${where}: revenue ${got.revenue} vs ${ref.revenue}`).toBe(true);
  // the reference prints 12 decimals (half-even): within half a unit of the last one
  expect(got.averageOrderValue!.minus(ref.aov!).abs().toNumber(), where).toBeLessThanOrEqual(0.5e-12);
}

// ---- random order logs ----
/** Hostile column names and segment values: quoted or bound, never SQL. */
const H = {
  customer: '"; DROP TABLE x; --',
  at: "at`time",
  amount: "__proto__",
  segment: "seg\"'; SELECT 1; --",
};
const SEGMENTS = ["smb", "it's; DROP TABLE x", '"q"', "__proto__", null] as const;
const RANDOM_COLS = (typed: boolean): Col[] => [
  { name: H.customer, duck: "VARCHAR", pg: "text" },
  typed
    ? { name: H.at, duck: "TIMESTAMPTZ", pg: "timestamptz" }
    : { name: H.at, duck: "VARCHAR", pg: "text" },
  typed
    ? { name: H.amount, duck: "DOUBLE", pg: "numeric(12, 2)" }
    : { name: H.amount, duck: "VARCHAR", pg: "text" },
  { name: H.segment, duck: "VARCHAR", pg: "text" },
];
const HOUR = 3_600_000;
// 2025-03-05 … 2025-04-12 UTC: US DST starts 9 March, EU 30 March, Lord Howe ends 6 April (30 min).
const T0 = Date.UTC(2025, 2, 5);
const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"];
const WINDOWS: [string | undefined, string | undefined][] = [
  [undefined, undefined],
  ["2025-03-09", undefined],
  [undefined, "2025-04-06"],
  ["2025-03-20", "2025-03-31T12:00:00Z"],
  ["2025-03-01T00:00:00+01:00", "2025-04-30"],
  ["2025-06-01", undefined], // after every order: no period, all excluded
  [undefined, "2025-01-15"], // before every order
];

const orderArb = fc.record({
  customer: fc.constantFrom("c1", "it's", "__proto__", "Z", "c5"),
  t: fc
    .tuple(
      fc.integer({ min: 0, max: 37 }),
      fc.integer({ min: 0, max: 23 }),
      fc.constantFrom(0, 15, 29, 30, 31, 45, 59),
    )
    .map(([d, h, m]) => T0 + (d * 24 + h) * HOUR + m * 60_000),
  // snap to the local start of the order's day / week / month, then −1, 0 or +1 ms
  snap: fc.option(fc.tuple(fc.constantFrom<Period>("day", "week", "month"), fc.constantFrom(-1, 0, 1)), {
    freq: 3,
  }),
  cents: fc.integer({ min: -2_000, max: 99_999 }),
  segment: fc.constantFrom(...SEGMENTS),
});
const optsArb = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  period: fc.constantFrom<Period>("day", "week", "month"),
  weekStartsOn: fc.constantFrom<0 | 1>(0, 1),
  window: fc.constantFrom(...WINDOWS),
});

/** ISO text of an instant with the zone's offset written out, milliseconds kept. */
function isoWithOffset(ms: number, zone: string): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(new Date(ms))
    .find((p) => p.type === "timeZoneName")!.value; // "GMT+10:30" or "GMT"
  const off = name === "GMT" ? "+00:00" : name.slice(3);
  const sign = off.startsWith("-") ? -1 : 1;
  const [hh, mm] = off.slice(1).split(":").map(Number) as [number, number];
  return `${new Date(ms + sign * (hh * 60 + mm) * 60_000).toISOString().slice(0, 23)}${off}`;
}

function suite(name: string, setup: () => Promise<Ctx>) {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });

  describeShared(`${name}: orders.csv`, () => {
    const rows = hasShared ? parseCsv(readShared("data", "orders", "orders.csv")) : [];
    const orders = hasShared ? parseOrders(rows) : [];
    const ref = hasShared
      ? readSharedJson<{ orders: Record<"UTC" | "America/New_York", RefZone> & { all_rows: RefSummary } }>(
          "reference",
          "retention.json",
        ).orders
      : null;
    let text = "";
    let typed = "";
    beforeAll(async () => {
      const data = rows.map((r) => [
        r.order_id!,
        r.customer_id!,
        r.ordered_at!,
        r.amount!,
        channelOf(r.order_id!),
      ]);
      text = await ctx.table(ORDER_COLS({ duck: "VARCHAR", pg: "text" }), data);
      typed = await ctx.table(ORDER_COLS({ duck: "DECIMAL(10, 2)", pg: "numeric(10, 2)" }), data);
    }, 30_000);

    for (const zone of ["UTC", "America/New_York"] as const) {
      it(`equals repeatPurchase and retention.json, monthly in ${zone} (window 2025-01 … 2026-06)`, async () => {
        const o = { period: "month", timeZone: zone, from: "2025-01-01", to: "2026-06-30" } as const;
        const want = repeatPurchase(orders, o);
        const got = await run(ctx, typed, o);
        expect(got).toEqual(want);
        expect(await run(ctx, text, o)).toEqual(want);
        const z = ref![zone];
        expect(got.periods.map((p) => p.label)).toEqual(z.monthly.map((m) => m.month));
        for (const [k, p] of got.periods.entries()) expectReference(p, z.monthly[k]!, `${zone} ${p.label}`);
        expectReference(got.total, z.window, `${zone} window`);
        expect(got.excluded.outsideWindow).toBe(z.orders_outside_window);
      });
    }
    it("equals repeatPurchase weekly (Sunday weeks, New York) and yearly without a window; all rows", async () => {
      const weekly = { period: "week", timeZone: "America/New_York", weekStartsOn: 0 } as const;
      expect(await run(ctx, typed, weekly)).toEqual(repeatPurchase(orders, weekly));
      const yearly = await run(ctx, text, { period: "year" });
      expect(yearly).toEqual(repeatPurchase(orders, { period: "year" }));
      expectReference(yearly.total, ref!.all_rows, "all rows");
    });
    it("by channel: each group equals repeatPurchase of its orders on the shared grid", async () => {
      const withChannel = orders.map((x) => ({ ...x, channel: channelOf(x.orderId as string) }));
      for (const o of [
        { period: "quarter", timeZone: "Europe/Berlin" },
        { from: "2025-03-15", to: "2025-05-15" },
      ] as const) {
        const got = await runBy(ctx, typed, "channel", o);
        expectSameMap(
          got,
          inMemoryBy(withChannel, (x) => x.channel, o),
        );
        expect([...got.keys()]).toEqual(["app", null, "store", "web"]); // compareKeys: null as "null"
      }
    });
    if (name === "DuckDB") {
      it("straight from the file (readCsv detects DOUBLE amounts: read through their shortest decimal)", async () => {
        const o = { period: "month", timeZone: "America/New_York" } as const;
        const got = await runMetric(ctx.engine, repeatPurchaseSql(), {
          table: readCsv(`${sharedDir}/data/orders/orders.csv`),
          ...o,
        });
        expect(got).toEqual(repeatPurchase(orders, o));
      });
    }
  });

  describe(`${name}: random order logs (property)`, () => {
    it("equals repeatPurchase across DST changes, at period starts ± 1 ms, with and without a window and by", async () => {
      let runNo = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(orderArb, { minLength: 0, maxLength: 50 }),
          optsArb,
          async (draws, { window: [from, to], ...rest }) => {
            const o: Options = {
              ...rest,
              ...(from === undefined ? {} : { from }),
              ...(to === undefined ? {} : { to }),
            };
            const cal = { timeZone: rest.timeZone, weekStartsOn: rest.weekStartsOn };
            const recs = draws.map((d, i) => {
              const at = d.snap === null ? d.t : periodStart(d.t, d.snap[0], cal) + d.snap[1];
              return {
                customerId: d.customer,
                // every other instant written in UTC: the engine reads the offset
                text: i % 2 === 0 ? isoWithOffset(at, rest.timeZone) : new Date(at).toISOString(),
                orderedAt: new Date(at),
                amount: (d.cents / 100).toFixed(2),
                segment: d.segment,
              };
            });
            // alternate column types: text instants and amounts, or TIMESTAMPTZ and DOUBLE / numeric
            const typed = runNo++ % 2 === 0;
            const table = await ctx.table(
              RANDOM_COLS(typed),
              recs.map((r) => [r.customerId, r.text, r.amount, r.segment]),
            );
            const columns = { customerId: H.customer, orderedAt: H.at, amount: H.amount };
            expect(await run(ctx, table, o, columns)).toEqual(repeatPurchase(recs, o));
            const got = await runBy(ctx, table, H.segment, o, columns);
            if (recs.length === 0) expect(got).toEqual(new Map());
            else
              expectSameMap(
                got,
                inMemoryBy(recs, (r) => r.segment, o),
              );
          },
        ),
        { seed: 20250309, numRuns: 14 },
      );
    }, 30_000);
  });

  describe(`${name}: exact money`, () => {
    it("DOUBLE amounts sum as the shortest decimals JavaScript prints (0.1 + 0.2 = 0.3), as toDecimal reads numbers", async () => {
      // January: 5.35000010000000004 (18 digits, exact in both); February: 1000000123456789.12
      const amounts = [0.1, 0.2, 0.30000000000000004, 1e-7, 5.5, -0.75, 123456789.12, 1e15];
      const cols: Col[] = [
        { name: "customer_id", duck: "VARCHAR", pg: "text" },
        { name: "ordered_at", duck: "TIMESTAMPTZ", pg: "timestamptz" },
        { name: "amount", duck: "DOUBLE", pg: "double precision" },
      ];
      const at = (i: number) => new Date(Date.UTC(2025, i < 6 ? 0 : 1, 1 + i)).toISOString();
      const table = await ctx.table(
        cols,
        amounts.map((a, i) => [`c${i % 3}`, at(i), String(a)]),
      );
      const orders = amounts.map((amount, i) => ({
        customerId: `c${i % 3}`,
        orderedAt: new Date(at(i)),
        amount,
      }));
      const got = await run(ctx, table, { period: "month" });
      expect(got).toEqual(repeatPurchase(orders, { period: "month" }));
      expect(got.periods.map((p) => p.revenue.toString())).toEqual([
        "5.35000010000000004",
        "1000000123456789.12",
      ]);
      // the window's sum has 31 digits: decimal.js (precision 20) rounds it, in memory and here alike
      expect(got.total.revenue.toString()).toBe("1000000123456794.47");
    });
    it("integer and DECIMAL amounts; a zero sum", async () => {
      const cols: Col[] = [
        { name: "customer_id", duck: "INTEGER", pg: "integer" },
        { name: "ordered_at", duck: "TIMESTAMPTZ", pg: "timestamptz" },
        { name: "amount", duck: "DECIMAL(18, 4)", pg: "numeric(18, 4)" },
        { name: "units", duck: "BIGINT", pg: "bigint" },
      ];
      const data = [
        ["7", "2025-01-01T10:00:00Z", "12.5000", "3"],
        ["7", "2025-01-02T10:00:00Z", "-12.5000", "4"],
        ["8", "2025-02-02T10:00:00Z", "0.0001", "5"],
      ];
      const table = await ctx.table(cols, data);
      const orders = data.map(([c, t, a]) => ({ customerId: c!, orderedAt: new Date(t!), amount: a! }));
      expect(await run(ctx, table, {})).toEqual(repeatPurchase(orders));
      const units = data.map(([c, t, , u]) => ({ customerId: c!, orderedAt: new Date(t!), amount: u! }));
      expect(await run(ctx, table, {}, { amount: "units" })).toEqual(repeatPurchase(units));
    });
  });

  describe(`${name}: bad input`, () => {
    const cols: Col[] = [
      { name: "customer_id", duck: "VARCHAR", pg: "text" },
      { name: "ordered_at", duck: "VARCHAR", pg: "text" },
      { name: "amount", duck: "VARCHAR", pg: "text" },
    ];
    const ok = ["a", "2024-01-01T00:00:00Z", "10.50"];
    const expectCode = async (bad: (string | null)[], code: string, path: string) => {
      const table = await ctx.table(cols, [ok, bad]);
      const err = await run(ctx, table, {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(bad)).toMatchObject({ code, issues: [{ index: null, path: [path], code }] });
    };
    it("NULL or empty customer id, NULL or unreadable orderedAt, NULL, non-numeric or non-finite amount", async () => {
      await expectCode([null, "2024-01-02T00:00:00Z", "1"], "missing_value", "customerId");
      await expectCode(["", "2024-01-02T00:00:00Z", "1"], "invalid_type", "customerId");
      await expectCode(["a", null, "1"], "missing_value", "orderedAt");
      await expectCode(["a", "not a date", "1"], "invalid_time", "orderedAt");
      await expectCode(["a", "2024-01-02T00:00:00Z", null], "missing_value", "amount");
      await expectCode(["a", "2024-01-02T00:00:00Z", "12,50"], "invalid_type", "amount");
      await expectCode(["a", "2024-01-02T00:00:00Z", "NaN"], "non_finite_value", "amount");
      await expectCode(["a", "2024-01-02T00:00:00Z", "-Infinity"], "non_finite_value", "amount");
      // accepted forms: whitespace, exponent, sign, leading dot
      const table = await ctx.table(cols, [
        ok,
        ["a", "2024-01-05T00:00:00Z", " 1e1 "],
        ["b", "2024-02-29T00:00:00Z", "+.5"],
      ]);
      const orders = [ok, ["a", "2024-01-05T00:00:00Z", " 1e1 "], ["b", "2024-02-29T00:00:00Z", "+.5"]].map(
        ([c, t, a]) => ({ customerId: c!, orderedAt: new Date(t!), amount: a! }),
      );
      expect(await run(ctx, table, { period: "week" })).toEqual(repeatPurchase(orders, { period: "week" }));
    });
    if (name === "DuckDB") {
      it("DuckDB: amounts that could overflow DECIMAL(38) are refused, never rounded", async () => {
        await expectCode(["a", "2024-01-02T00:00:00Z", "1e40"], "out_of_range", "amount");
        await expectCode(["a", "2024-01-02T00:00:00Z", "1e-40"], "out_of_range", "amount");
        await expectCode(["a", "2024-01-02T00:00:00Z", "1e-99999999999"], "out_of_range", "amount");
      });
    }
    it("options as repeatPurchase checks them; columns; by; other dialects; an empty table", async () => {
      const table = await ctx.table(cols, [ok]);
      const bad = async (o: Options, code: string, columns?: RepeatPurchaseSqlOptions["columns"]) =>
        expect(run(ctx, table, o, columns)).rejects.toMatchObject({ code });
      await bad({ period: "fortnight" as Period }, "invalid_option");
      await bad({ timeZone: "Mars/Olympus" }, "invalid_time");
      await bad({ weekStartsOn: 7 as 0 }, "invalid_option");
      await bad({ from: "2025-02-01", to: "2025-01-01" }, "invalid_option");
      await bad({ from: "01/02/2025" }, "invalid_time");
      await bad({}, "invalid_option", { customer: "x" } as never);
      await bad({}, "invalid_option", { amount: "" });
      await expect(runBy(ctx, table, "", {})).rejects.toMatchObject({ code: "invalid_option" });
      const bq: SqlEngine = { dialect: "bigquery", query: ctx.engine.query };
      await expect(runMetric(bq, repeatPurchaseSql(), { table })).rejects.toMatchObject({
        code: "invalid_option",
      });
      // an empty table: the window of from/to still lists its (empty) periods
      const empty = await ctx.table(cols, []);
      for (const o of [
        {},
        { from: "2025-01-01" },
        { from: "2025-01-01", to: "2025-03-31", period: "month" },
      ] as Options[])
        expect(await run(ctx, empty, o)).toEqual(repeatPurchase([], o));
      expect(await runBy(ctx, empty, "customer_id", {})).toEqual(new Map());
      // a missing column is the engine's own error, never a silent result
      await expect(run(ctx, table, {}, { amount: "no_such_column" })).rejects.toThrow();
    });
  });
}

describe("repeatPurchaseQueries: generated SQL", () => {
  for (const d of ["duckdb", "postgres"] as const) {
    it(`${d}: quotes hostile column and table names; binds file paths; inlines only numbers`, () => {
      const path = "/data/it's'; DROP TABLE x; --.csv";
      for (const table of [['my"schema', "__proto__"], readCsv(path)]) {
        const q = repeatPurchaseQueries(d, {
          table,
          columns: { customerId: H.customer, orderedAt: H.at, amount: H.amount },
          by: H.segment,
        });
        const text = d === "duckdb" ? "VARCHAR" : "text";
        const p = q.periods([0, 86_400_000, 172_800_000], { type: text, scale: 2, digits: 5 });
        const file = Array.isArray(table) ? [] : [path];
        const reads = [
          [q.check, [H.customer, H.at, H.amount]],
          // PostgreSQL's range query reads only the instant; DuckDB's also the text amounts' digits
          [q.range(text), d === "duckdb" ? [H.at, H.amount] : [H.at]],
          [q.range(d === "duckdb" ? "DECIMAL(10,2)" : "numeric"), [H.at]],
          [p, [H.customer, H.at, H.amount, H.segment]],
        ] as const;
        for (const [s, names] of reads) {
          for (const c of names) expect(s.sql).toContain(quoteIdent(d, c));
          if (Array.isArray(table))
            expect(s.sql).toContain(`${quoteIdent(d, 'my"schema')}.${quoteIdent(d, "__proto__")}`);
          const unquoted = s.sql
            .replaceAll(quoteIdent(d, H.customer), "")
            .replaceAll(quoteIdent(d, H.segment), "");
          expect(unquoted).not.toContain("DROP TABLE");
          expect(unquoted).not.toContain("SELECT 1;");
          expect(s.params).toEqual(file);
        }
        expect(p.sql).toContain(quoteIdent(d, H.segment));
        expect(p.sql).toContain("86400000");
        expect(() => q.periods([1.5], { type: text, scale: 2, digits: 5 })).toThrow(/integer epoch/);
      }
      if (d === "duckdb") {
        const q = repeatPurchaseQueries(d, { table: "t" });
        expect(() => q.periods([0, 1], { type: "VARCHAR", scale: 39, digits: 0 })).toThrow(/0 to 38/);
        // text amounts parse as DECIMAL(18) when they fit (much faster), else as DECIMAL(38)
        expect(q.periods([0, 1], { type: "VARCHAR", scale: 2, digits: 16 }).sql).toContain(
          "AS DECIMAL(18, 2)",
        );
        expect(q.periods([0, 1], { type: "DOUBLE", scale: 2, digits: 17 }).sql).not.toContain("DECIMAL(18");
        expect(q.periods([0, 1], { type: "DECIMAL(10,2)", scale: 2, digits: 8 }).sql).not.toContain(
          "DECIMAL(18",
        );
      }
    });
  }
  it("other dialects are refused", () => {
    expect(() => repeatPurchaseQueries("bigquery", { table: "t" })).toThrow(/not supported/);
  });
});

typedTableSuites(suite, "rp");
