/**
 * customerRetention and mrrMovements as CTE pipelines in DuckDB and PostgreSQL: the same rows as the
 * in-memory functions (counts and rates toEqual; money exact, compared as Decimal strings) on
 * ../shared/data/subscriptions/subscriptions.csv (several windows, periods, time zones, by segment)
 * and on random subscription histories (fast-check, few runs), plus the first month of
 * ../shared/reference/retention.json (retention_reference.py, exact rationals; 12 decimals).
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerRetention } from "../../src/retention/customer-retention.js";
import { mrrMovements } from "../../src/retention/mrr-movements.js";
import { parseSubscriptions } from "../../src/schemas/subscription.js";
import {
  type SqlEngine,
  type TableSource,
  customerRetentionSql,
  duckdbEngine,
  mrrMovementsSql,
  postgresEngine,
  quoteIdent,
  readCsv,
  runMetric,
} from "../../src/sql/index.js";
import {
  describeShared,
  hasShared,
  parseCsv,
  readShared,
  readSharedJson,
  sharedDir,
} from "../helpers/shared.js";
import { loadPgTable } from "./load.js";
import { type PgCluster, describePg, startPg } from "./pg-cluster.js";

/** Results as JSON: Decimal money becomes its exact string, Dates ISO strings. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x instanceof Map ? [...x] : x));

const WINDOWS = [
  {},
  { from: "2025-01-01T00:00:00Z", to: "2026-06-30T00:00:00Z", period: "month", asOf: "2026-07-01T00:00:00Z" },
  { period: "week", timeZone: "Europe/Berlin", from: "2025-03-01T00:00:00Z", to: "2025-05-31T00:00:00Z" },
  { period: "quarter", timeZone: "America/New_York", asOf: "2026-01-01T00:00:00Z" },
] as const;

interface SubRow {
  subscription_id: string;
  customer_id: string;
  segment: string;
  billing_interval: string;
  interval_count: string;
  amount: string;
  currency: string;
  started_at: string;
  ended_at: string;
  trial_end: string;
}
const COLS: (keyof SubRow)[] = [
  "subscription_id",
  "customer_id",
  "segment",
  "billing_interval",
  "interval_count",
  "amount",
  "currency",
  "started_at",
  "ended_at",
  "trial_end",
];

interface Ctx {
  engine: SqlEngine;
  shared: TableSource;
  table(rows: SubRow[]): Promise<string>;
  stop(): Promise<void>;
}

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const subsArb = fc
  .array(
    fc.record({
      customer: fc.integer({ min: 0, max: 6 }),
      segment: fc.constantFrom('"; DROP TABLE x; --', "__proto__", "smb", "it's"),
      start: fc.integer({ min: -40, max: 200 }).map((d) => T0 + d * DAY + (d % 5) * 3_600_000),
      len: fc.option(
        fc.integer({ min: 0, max: 150 }).map((d) => d * DAY),
        { nil: null },
      ),
      trial: fc.option(fc.constantFrom(0, 14 * DAY, 30 * DAY), { nil: null }),
      amount: fc.constantFrom("0", "29.00", "79.50", "1499.99", "0.333"),
      interval: fc.constantFrom("day", "week", "month", "quarter", "year"),
      count: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((rows) =>
    rows.map(
      (r, i): SubRow => ({
        subscription_id: `s${String(i).padStart(3, "0")}`,
        customer_id: `c${r.customer}`,
        segment: r.segment,
        billing_interval: r.interval,
        interval_count: String(r.count),
        amount: r.amount,
        currency: "EUR",
        started_at: new Date(r.start).toISOString(),
        ended_at: r.len === null ? "" : new Date(r.start + r.len).toISOString(),
        trial_end: r.trial === null ? "" : new Date(r.start + r.trial).toISOString(),
      }),
    ),
  );

const inMemorySubs = (rows: SubRow[]) =>
  rows.map((r) => ({
    subscriptionId: r.subscription_id,
    customerId: r.customer_id,
    segment: r.segment,
    billingInterval: r.billing_interval,
    intervalCount: Number(r.interval_count),
    amount: r.amount,
    currency: r.currency,
    startedAt: r.started_at,
    endedAt: r.ended_at === "" ? null : r.ended_at,
    trialEnd: r.trial_end === "" ? null : r.trial_end,
  }));

function suite(name: string, setup: () => Promise<Ctx>) {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });

  describeShared(`${name}: subscriptions.csv equals the in-memory functions`, () => {
    const subs = hasShared
      ? parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")))
      : [];
    for (const w of WINDOWS) {
      it(`customerRetention ${JSON.stringify(w)}`, async () => {
        if (name === "DuckDB" && Object.keys(w).length === 0) {
          // straight from the file: readCsv as a table expression
          const direct = await runMetric(ctx.engine, customerRetentionSql(), {
            table: readCsv(`${sharedDir}/data/subscriptions/subscriptions.csv`),
          });
          expect(direct).toEqual(customerRetention(subs, w));
        }
        expect(await runMetric(ctx.engine, customerRetentionSql(), { table: ctx.shared, ...w })).toEqual(
          customerRetention(subs, w),
        );
        const bySeg = await runMetric(ctx.engine, customerRetentionSql(), {
          table: ctx.shared,
          ...w,
          by: "segment",
          churnDenominator: "allExposed",
        });
        expect(bySeg).toEqual(
          customerRetention(subs, { ...w, by: "segment", churnDenominator: "allExposed" }),
        );
      });
      it(`mrrMovements ${JSON.stringify(w)} (money exact)`, async () => {
        expect(plain(await runMetric(ctx.engine, mrrMovementsSql(), { table: ctx.shared, ...w }))).toEqual(
          plain(mrrMovements(subs, w)),
        );
        const bySeg = await runMetric(ctx.engine, mrrMovementsSql(), {
          table: ctx.shared,
          ...w,
          by: "segment",
        });
        expect(plain(bySeg)).toEqual(plain(mrrMovements(subs, { ...w, by: "segment" })));
      });
    }
    it("reproduces the first month of retention.json (counts exact, MRR to 12 decimals)", async () => {
      const ref = readSharedJson<{
        customer_counts: { month: string; start: number; churned: number }[];
        mrr_movements: { month: string; start_mrr: string; new: string; churn: string }[];
      }>("reference", "retention.json");
      const w = WINDOWS[1];
      const c = await runMetric(ctx.engine, customerRetentionSql(), { table: ctx.shared, ...w });
      expect([c[0]!.label, c[0]!.startingCustomers, c[0]!.churnedCustomers]).toEqual([
        ref.customer_counts[0]!.month,
        ref.customer_counts[0]!.start,
        ref.customer_counts[0]!.churned,
      ]);
      const m = await runMetric(ctx.engine, mrrMovementsSql(), { table: ctx.shared, ...w });
      expect(m[0]!.startingMrr.toFixed(12)).toBe(ref.mrr_movements[0]!.start_mrr);
      expect(m[0]!.new.toFixed(12)).toBe(ref.mrr_movements[0]!.new);
      expect(m[0]!.churn.toFixed(12)).toBe(ref.mrr_movements[0]!.churn);
    });
  });

  describe(`${name}: random histories (property)`, () => {
    it("customerRetention and mrrMovements by segment equal the in-memory rows", async () => {
      await fc.assert(
        fc.asyncProperty(
          subsArb,
          fc.constantFrom("month", "week") as fc.Arbitrary<"month" | "week">,
          async (rows, period) => {
            const table = await ctx.table(rows);
            const subs = inMemorySubs(rows);
            const opts = { period, timeZone: "Europe/Berlin", asOf: "2025-06-15T00:00:00Z" } as const;
            const columns = { intervalCount: "interval_count" };
            expect(
              await runMetric(ctx.engine, customerRetentionSql(), { table, ...opts, by: "segment" }),
            ).toEqual(customerRetention(subs, { ...opts, by: "segment" }));
            expect(
              plain(await runMetric(ctx.engine, mrrMovementsSql(), { table, columns, ...opts })),
            ).toEqual(plain(mrrMovements(subs, opts)));
          },
        ),
        { seed: 42, numRuns: 6 },
      );
    }, 30_000);
  });

  describe(`${name}: bad rows`, () => {
    const base: SubRow = {
      subscription_id: "s1",
      customer_id: "c1",
      segment: "smb",
      billing_interval: "month",
      interval_count: "1",
      amount: "10",
      currency: "EUR",
      started_at: "2025-01-10T00:00:00Z",
      ended_at: "",
      trial_end: "",
    };
    it("end before start: out_of_range; mixed currencies: invalid_currency; unknown interval; negative amount", async () => {
      const t1 = await ctx.table([
        base,
        { ...base, subscription_id: "s2", ended_at: "2025-01-01T00:00:00Z" },
      ]);
      await expect(runMetric(ctx.engine, customerRetentionSql(), { table: t1 })).rejects.toMatchObject({
        code: "out_of_range",
      });
      const t2 = await ctx.table([base, { ...base, subscription_id: "s2", currency: "USD" }]);
      await expect(runMetric(ctx.engine, mrrMovementsSql(), { table: t2 })).rejects.toMatchObject({
        code: "invalid_currency",
      });
      const t3 = await ctx.table([{ ...base, billing_interval: "fortnight" }]);
      await expect(runMetric(ctx.engine, mrrMovementsSql(), { table: t3 })).rejects.toThrow(
        /billing interval/,
      );
      const t4 = await ctx.table([{ ...base, amount: "-5" }]);
      await expect(runMetric(ctx.engine, mrrMovementsSql(), { table: t4 })).rejects.toMatchObject({
        code: "out_of_range",
      });
    });
  });
}

let tableNo = 0;

describe("DuckDB", () => {
  suite("DuckDB", async () => {
    const con: DuckDBConnection = await (await DuckDBInstance.create()).connect();
    // Read the CSV once through the same table expression runMetric would use (path bound).
    if (hasShared)
      await con.run("CREATE TABLE subscriptions AS SELECT * FROM read_csv($1)", [
        `${sharedDir}/data/subscriptions/subscriptions.csv`,
      ]);
    return {
      engine: duckdbEngine(con),
      shared: "subscriptions",
      async table(rows) {
        const name = `subs${++tableNo}`;
        const ts = new Set(["started_at", "ended_at", "trial_end"]);
        await con.run(
          `CREATE TABLE ${name} (${COLS.map((c) => `${c} ${ts.has(c) ? "TIMESTAMPTZ" : c === "interval_count" ? "INTEGER" : "VARCHAR"}`).join(", ")})`,
        );
        const values: (string | null)[] = [];
        const tuples = rows.map(
          (r) =>
            `(${COLS.map((c) => {
              values.push(r[c] === "" ? null : r[c]);
              return `CAST($${values.length} AS ${ts.has(c) ? "TIMESTAMPTZ" : c === "interval_count" ? "INTEGER" : "VARCHAR"})`;
            }).join(", ")})`,
        );
        await con.run(`INSERT INTO ${name} VALUES ${tuples.join(", ")}`, values);
        return name;
      },
      async stop() {
        con.closeSync();
      },
    };
  });
});

describePg("PostgreSQL", () => {
  suite("PostgreSQL", async () => {
    const cluster: PgCluster = await startPg();
    if (hasShared)
      await loadPgTable(
        cluster.pool,
        "subscriptions",
        parseCsv(readShared("data", "subscriptions", "subscriptions.csv")),
        { amount: "numeric(12,2)" },
      );
    return {
      engine: postgresEngine(cluster.pool),
      shared: "subscriptions",
      async table(rows) {
        const name = `subs${++tableNo}`;
        await loadPgTable(cluster.pool, name, rows as unknown as Record<string, string>[], {
          interval_count: "integer",
          started_at: "timestamptz",
        });
        return quoteIdent("postgres", name).slice(1, -1);
      },
      stop: () => cluster.stop(),
    };
  });
});
