/**
 * cohortRetentionSql (activity events) as a CTE pipeline in DuckDB and PostgreSQL: the same result
 * object as the in-memory cohortRetention (toEqual: rows, size, active, share, incomplete, nullReasons)
 * on a hand-made event set (DST weeks in Europe/Berlin, asOf inside a period, from/to) and on random
 * event sets (fast-check, seeded, few runs).
 */
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cohortRetention } from "../../src/retention/cohort-retention.js";
import {
  type CohortRetentionSqlOptions,
  type SqlEngine,
  cohortRetentionQueries,
  cohortRetentionSql,
  duckdbEngine,
  postgresEngine,
  runMetric,
} from "../../src/sql/index.js";
import { loadPgTable } from "./load.js";
import { type PgCluster, describePg, startPg } from "./pg-cluster.js";

interface EventRow {
  user_id: string;
  occurred_at: string;
  event_type: string;
}

interface Ctx {
  engine: SqlEngine;
  table(rows: EventRow[]): Promise<string>;
  stop(): Promise<void>;
}

const HAND: EventRow[] = [
  ["u1", "2025-03-24T10:00:00+01:00", "signed_up"],
  ["u1", "2025-03-31T09:00:00+02:00", "view"],
  ["u1", "2025-04-20T23:30:00+02:00", "view"],
  ["u2", "2025-03-30T01:30:00+01:00", "view"],
  ["u2", "2025-03-30T03:30:00+02:00", "signed_up"],
  ["u2", "2025-04-14T00:00:00+02:00", "view"],
  ["u3", "2025-03-20T08:00:00Z", "view"],
  ["u3", "2025-04-06T22:30:00Z", "signed_up"],
  ["u3", "2025-05-02T12:00:00Z", "view"],
  ["it's; --", "2025-03-01T00:00:00Z", "view"],
  ["it's; --", "2025-04-01T00:00:00Z", "view"],
].map(([user_id, occurred_at, event_type]) => ({
  user_id: user_id!,
  occurred_at: occurred_at!,
  event_type: event_type!,
}));

const inMemory = (rows: EventRow[]) =>
  rows.map((r) => ({ userId: r.user_id, occurredAt: r.occurred_at, eventType: r.event_type }));

const HAND_OPTIONS: Omit<CohortRetentionSqlOptions, "table">[] = [
  {},
  { period: "week", timeZone: "Europe/Berlin", horizon: 4 },
  { period: "week", timeZone: "Europe/Berlin", horizon: 4, mode: "onOrAfter", weekStartsOn: 0 },
  { period: "day", timeZone: "Asia/Kolkata", horizon: 10, asOf: "2025-04-15T12:00:00Z" },
  {
    period: "month",
    mode: "onOrAfter",
    horizon: 3,
    from: "2025-03-15T00:00:00Z",
    to: "2025-04-15T00:00:00Z",
  },
  { period: "week", timeZone: "America/New_York", cohortBy: "signed_up", returnEvent: "view", horizon: 6 },
  { period: "month", asOf: "2025-01-01T00:00:00Z" },
];

const T0 = Date.UTC(2025, 2, 1);
const eventsArb = fc
  .array(
    fc.record({
      user: fc.integer({ min: 0, max: 8 }),
      at: fc.integer({ min: 0, max: 120 * 24 }).map((h) => T0 + h * 3_600_000 + (h % 7) * 60_000),
      type: fc.constantFrom("view", "signed_up"),
    }),
    { minLength: 10, maxLength: 40 },
  )
  .map((rows) =>
    rows.map(
      (r): EventRow => ({
        user_id: `u${r.user}`,
        occurred_at: new Date(r.at).toISOString(),
        event_type: r.type,
      }),
    ),
  );

const optionsArb: fc.Arbitrary<Omit<CohortRetentionSqlOptions, "table">> = fc.record({
  period: fc.constantFrom("day", "week", "month") as fc.Arbitrary<"day" | "week" | "month">,
  timeZone: fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"),
  mode: fc.constantFrom("active", "onOrAfter") as fc.Arbitrary<"active" | "onOrAfter">,
  horizon: fc.integer({ min: 0, max: 6 }),
  asOf: fc.constantFrom("2025-05-10T07:00:00Z", "2025-07-01T00:00:00+02:00"),
});

/** Every run checks all four cohort/return event choices. */
const EVENT_CHOICES: { cohortBy?: string; returnEvent?: string }[] = [
  {},
  { cohortBy: "signed_up" },
  { returnEvent: "view" },
  { cohortBy: "firstEvent", returnEvent: "signed_up" },
];

function suite(name: string, setup: () => Promise<Ctx>) {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });

  describe(`${name}: hand-made events`, () => {
    for (const o of HAND_OPTIONS) {
      it(`equals cohortRetention ${JSON.stringify(o)}`, async () => {
        const table = await ctx.table(HAND);
        for (const mode of ["active", "onOrAfter"] as const) {
          const opts = { mode, ...o };
          const got = await runMetric(ctx.engine, cohortRetentionSql(), { table, ...opts });
          expect(got).toEqual(cohortRetention(inMemory(HAND), opts));
        }
      });
    }
    it("an empty user id is rejected (NULL in PostgreSQL: missing_value); other dialects are refused", async () => {
      const table = await ctx.table([HAND[0]!, { ...HAND[1]!, user_id: "" }]);
      await expect(runMetric(ctx.engine, cohortRetentionSql(), { table })).rejects.toMatchObject({
        code: name === "PostgreSQL" ? "missing_value" : "invalid_type",
      });
      const bq: SqlEngine = { dialect: "bigquery", query: ctx.engine.query };
      await expect(runMetric(bq, cohortRetentionSql(), { table })).rejects.toMatchObject({
        code: "invalid_option",
      });
    });
  });

  describe(`${name}: generated SQL`, () => {
    it("binds event types and quotes column names", () => {
      const q = cohortRetentionQueries(
        ctx.engine.dialect,
        {
          table: "events",
          columns: { userId: 'user"id', occurredAt: "at", eventType: "type" },
          cohortBy: "it's'; DROP TABLE events; --",
          returnEvent: "view",
        },
        Date.UTC(2025, 5, 1),
      );
      const cells = q.cells([Date.UTC(2025, 3, 1), Date.UTC(2025, 4, 1)], 3);
      expect(cells.sql).not.toContain("DROP TABLE");
      expect(cells.sql).toContain('"user""id"');
      expect(cells.params).toEqual(["it's'; DROP TABLE events; --", "view"]);
      expect(q.range.params).toEqual([]);
    });
  });

  describe(`${name}: random events (property)`, () => {
    it("equals cohortRetention", async () => {
      await fc.assert(
        fc.asyncProperty(eventsArb, optionsArb, async (rows, opts) => {
          const table = await ctx.table(rows);
          for (const choice of EVENT_CHOICES) {
            const o = { ...opts, ...choice };
            const got = await runMetric(ctx.engine, cohortRetentionSql(), { table, ...o });
            expect(got).toEqual(cohortRetention(inMemory(rows), o));
          }
        }),
        { seed: 42, numRuns: 12 },
      );
    }, 30_000);
  });
}

let tableNo = 0;

describe("DuckDB", () => {
  suite("DuckDB", async () => {
    const con: DuckDBConnection = await (await DuckDBInstance.create()).connect();
    return {
      engine: duckdbEngine(con),
      async table(rows) {
        const name = `events${++tableNo}`;
        await con.run(`CREATE TABLE ${name} (user_id VARCHAR, occurred_at TIMESTAMPTZ, event_type VARCHAR)`);
        const values: (string | null)[] = [];
        const tuples = rows.map((r) => {
          values.push(r.user_id, r.occurred_at, r.event_type);
          const i = values.length;
          return `(CAST($${i - 2} AS VARCHAR), CAST($${i - 1} AS TIMESTAMPTZ), CAST($${i} AS VARCHAR))`;
        });
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
    return {
      engine: postgresEngine(cluster.pool),
      async table(rows) {
        const name = `events${++tableNo}`;
        await loadPgTable(cluster.pool, name, rows as unknown as Record<string, string>[], {
          occurred_at: "timestamptz",
        });
        return name;
      },
      stop: () => cluster.stop(),
    };
  });
});
