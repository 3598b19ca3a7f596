/**
 * subscriptionCohortRetentionSql (cohort retention from subscription rows) as a CTE pipeline in DuckDB
 * and PostgreSQL: the same result object as the in-memory cohortRetention(subscriptions, options)
 * (toEqual: rows, size, active, share, incomplete, nullReasons, asOf) on
 * ../shared/data/subscriptions/subscriptions.csv (both cohort definitions, both modes, several
 * windows, periods and time zones), the `cohorts` and `cohorts_by_signup_started_at` tables of
 * ../shared/reference/retention.json (retention_reference.py; counts and float64 shares exact), and
 * random histories (fast-check, seeded: gaps, overlapping upgrades, cancellations, trials, zero-length
 * rows, instants on and next to period boundaries around DST changes, five zones, day to quarter).
 * Bad rows raise the typed errors of the other subscription pipelines; hostile column names are data.
 */
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Period } from "../../src/core/time.js";
import { type CohortRetentionOptions, cohortRetention } from "../../src/retention/cohort-retention.js";
import { parseSubscriptions } from "../../src/schemas/subscription.js";
import { postgresEngine } from "../../src/sql/engine.js";
import { duckdbEngine, runMetric, type SqlEngine, type TableSource } from "../../src/sql/index.js";
import {
  type SubscriptionCohortRetentionSqlOptions,
  subscriptionCohortRetentionQueries,
  subscriptionCohortRetentionSql,
} from "../../src/sql/subscription-cohort-retention.js";
import {
  describeShared,
  hasShared,
  parseCsv,
  readShared,
  readSharedJson,
  sharedDir,
} from "../helpers/shared.js";
import { DAY, ZONES, instantIn } from "./instants.js";
import { loadPgTable } from "./load.js";
import { type PgCluster, describePg, startPg } from "./pg-cluster.js";

type Opts = Omit<SubscriptionCohortRetentionSqlOptions, "table">;

/** One subscription row as stored: instants as ISO text, "" for NULL. */
interface SubRow {
  customer_id: string;
  started_at: string;
  ended_at: string;
  trial_end: string;
}
const FIELDS: (keyof SubRow)[] = ["customer_id", "started_at", "ended_at", "trial_end"];

const inMemory = (rows: SubRow[]) =>
  rows.map((r, i) => ({
    subscriptionId: `s${i}`,
    customerId: r.customer_id,
    billingInterval: "month",
    amount: "10",
    startedAt: r.started_at,
    endedAt: r.ended_at === "" ? null : r.ended_at,
    trialEnd: r.trial_end === "" ? null : r.trial_end,
  }));

interface Ctx {
  engine: SqlEngine;
  shared: TableSource;
  /** A table of the rows; `names` renames the columns (hostile names), instants typed per engine. */
  table(rows: SubRow[], names?: Record<keyof SubRow, string>): Promise<string>;
  /** Run a statement (bad-input tables with text instants). */
  exec(sql: string): Promise<void>;
  stop(): Promise<void>;
}

const SHARED_WINDOWS: Opts[] = [
  {},
  { period: "month", horizon: 12, asOf: "2026-07-01T00:00:00Z" },
  {
    period: "week",
    timeZone: "Europe/Berlin",
    weekStartsOn: 0,
    horizon: 8,
    from: "2025-03-01T00:00:00Z",
    to: "2025-05-31T00:00:00Z",
  },
  { period: "quarter", timeZone: "America/New_York", horizon: 4, asOf: "2026-01-01T00:00:00-05:00" },
  {
    period: "day",
    timeZone: "Asia/Kolkata",
    horizon: 30,
    from: "2025-03-01T00:00:00Z",
    asOf: "2025-04-15T12:00:00Z",
  },
];

interface RefCohort {
  cohort: string;
  size: number;
  active: (number | null)[];
  share: (number | null)[];
  active_on_or_after: (number | null)[];
  share_on_or_after: (number | null)[];
}

// ------------------------------------------------------------------------------ random histories

const rowArb = (lo: number, hi: number) =>
  fc
    .record({
      customer: fc.integer({ min: 0, max: 5 }),
      a: instantIn(lo, hi),
      b: fc.option(instantIn(lo, hi), { nil: null, freq: 4 }),
      trial: fc.constantFrom("none", "none", "none", "zero", "14d", "14d", "toEnd", "past"),
    })
    .map((r): SubRow => {
      // a cancelled row ends at the later of its two instants (equal: zero-length); none: still active
      const start = r.b === null ? r.a : Math.min(r.a, r.b);
      const end = r.b === null ? null : Math.max(r.a, r.b);
      const trial =
        r.trial === "none"
          ? null
          : r.trial === "zero"
            ? start
            : r.trial === "14d"
              ? start + 14 * DAY
              : r.trial === "toEnd"
                ? (end ?? start + 40 * DAY) // trial-only when it reaches the end
                : (end ?? start) + 3 * DAY; // a trial longer than the row
      const iso = (t: number | null) => (t === null ? "" : new Date(t).toISOString());
      return {
        customer_id: `c${r.customer}`,
        started_at: iso(start),
        ended_at: iso(end),
        trial_end: iso(trial),
      };
    });

const optionsArb = (lo: number, hi: number): fc.Arbitrary<Opts> => {
  const mid = (lo + hi) / 2;
  const iso = (a: fc.Arbitrary<number>) => a.map((t) => new Date(t).toISOString());
  return fc.record(
    {
      period: fc.constantFrom<Period>("day", "week", "week", "month", "month", "quarter"),
      timeZone: fc.constantFrom(...ZONES),
      weekStartsOn: fc.constantFrom<0 | 1 | 3>(0, 1, 3),
      mode: fc.constantFrom<"active" | "onOrAfter">("active", "onOrAfter"),
      horizon: fc.integer({ min: 0, max: 8 }),
      cohortBy: fc.constantFrom<"firstPaid" | "signup">("firstPaid", "signup"),
      asOf: iso(instantIn(mid, hi + 30 * DAY)),
      from: iso(instantIn(lo - 30 * DAY, mid)),
      to: iso(instantIn(mid, hi)),
    },
    { requiredKeys: ["period", "timeZone", "mode", "horizon", "cohortBy"] },
  );
};

/** Histories in spring (EU, US and Lord Howe DST changes) or autumn 2025, with three option sets each. */
const caseArb = fc
  .constantFrom(
    [Date.UTC(2025, 1, 15), Date.UTC(2025, 4, 15)],
    [Date.UTC(2025, 8, 15), Date.UTC(2025, 11, 15)],
  )
  .chain(([lo, hi]) =>
    fc.tuple(
      fc.array(rowArb(lo!, hi!), { minLength: 1, maxLength: 30 }),
      fc.array(optionsArb(lo!, hi!), { minLength: 3, maxLength: 3 }),
    ),
  );

// ------------------------------------------------------------------------------ suites

function suite(name: string, setup: () => Promise<Ctx>) {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });
  const run = (table: TableSource, o: Opts) =>
    runMetric(ctx.engine, subscriptionCohortRetentionSql(), { table, ...o });

  describeShared(`${name}: subscriptions.csv equals cohortRetention`, () => {
    const subs = hasShared
      ? parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")))
      : [];
    SHARED_WINDOWS.forEach((w, i) => {
      // the SQL does not depend on the mode (the finaliser picks the cells): alternate it
      const mode = i % 2 === 0 ? "active" : "onOrAfter";
      it(`${JSON.stringify(w)}, mode ${mode}, both cohort definitions`, async () => {
        for (const cohortBy of ["firstPaid", "signup"] as const) {
          const o: Opts = { ...w, cohortBy, mode };
          expect(await run(ctx.shared, o)).toEqual(cohortRetention(subs, o as CohortRetentionOptions));
        }
      });
    });
    it("reproduces retention.json cohorts (retention_reference.py): sizes, active and shares exact", async () => {
      const ref = readSharedJson<{ cohorts: RefCohort[]; cohorts_by_signup_started_at: RefCohort[] }>(
        "reference",
        "retention.json",
      );
      const cases = [
        ["cohorts", "firstPaid", 1333],
        ["cohorts_by_signup_started_at", "signup", 1507],
      ] as const;
      for (const [key, cohortBy, members] of cases) {
        for (const mode of ["active", "onOrAfter"] as const) {
          const t = await run(ctx.shared, {
            period: "month",
            horizon: 12,
            mode,
            cohortBy,
            asOf: "2026-07-01T00:00:00Z",
          });
          const e = ref[key];
          expect(t.rows.map((r) => r.cohort)).toEqual(e.map((r) => r.cohort));
          expect(t.rows.map((r) => [r.size, r.active, r.share])).toEqual(
            e.map((x) =>
              mode === "active"
                ? [x.size, x.active, x.share]
                : [x.size, x.active_on_or_after, x.share_on_or_after],
            ),
          );
          expect(t.rows.every((r) => r.active.every((v, k) => (v === null) === r.incomplete[k]))).toBe(true);
          expect(t.rows.reduce((s, r) => s + r.size, 0)).toBe(members);
        }
      }
    });
  });

  describe(`${name}: random histories (property)`, () => {
    it("equals cohortRetention (gaps, upgrades, cancellations, trials, DST, five zones, day–quarter)", async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async ([rows, opts]) => {
          const table = await ctx.table(rows);
          const subs = inMemory(rows);
          for (const o of opts) {
            expect(await run(table, o)).toEqual(cohortRetention(subs, o as CohortRetentionOptions));
          }
        }),
        { seed: 20250101, numRuns: 25 },
      );
    }, 30_000);

    it("no valid rows, an empty table, asOf before every row", async () => {
      const trialOnly: SubRow = {
        customer_id: "c1",
        started_at: "2025-01-10T00:00:00Z",
        ended_at: "2025-01-20T00:00:00Z",
        trial_end: "2025-01-24T00:00:00Z",
      };
      const t = await ctx.table([trialOnly]);
      const e = await ctx.table([]);
      const cases: [string, SubRow[], Opts][] = [
        [t, [trialOnly], {}],
        [t, [trialOnly], { cohortBy: "signup" }],
        [t, [trialOnly], { from: "2024-11-01T00:00:00Z", asOf: "2025-03-01T00:00:00Z" }],
        [e, [], {}],
        [e, [], { from: "2024-11-01T00:00:00Z", asOf: "2025-03-01T00:00:00Z", period: "week" }],
        [t, [trialOnly], { asOf: "2024-01-01T00:00:00Z", cohortBy: "signup" }],
      ];
      for (const [table, rows, o] of cases)
        expect(await run(table, o)).toEqual(cohortRetention(inMemory(rows), o as CohortRetentionOptions));
    });
  });

  describe(`${name}: bad input`, () => {
    const ok = "('c1', '2025-01-10T00:00:00Z', CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR))";
    let n = 0;
    /** A table of text instants: (customer_id, started_at, ended_at, trial_end) VALUES tuples. */
    const textTable = async (...tuples: string[]) => {
      const name = `bad_${++n}`;
      await ctx.exec(
        `CREATE TABLE ${name} AS SELECT * FROM (VALUES ${[ok, ...tuples].join(", ")}) v(customer_id, started_at, ended_at, trial_end)`,
      );
      return name;
    };
    const cases: [string, string, string, string][] = [
      [
        "NULL customer",
        "(CAST(NULL AS VARCHAR), '2025-01-01T00:00:00Z', NULL, NULL)",
        "missing_value",
        "customerId",
      ],
      ["empty customer", "('', '2025-01-01T00:00:00Z', NULL, NULL)", "invalid_type", "customerId"],
      ["NULL startedAt", "('c2', CAST(NULL AS VARCHAR), NULL, NULL)", "missing_value", "startedAt"],
      ["unreadable startedAt", "('c2', 'not a date', NULL, NULL)", "invalid_time", "startedAt"],
      [
        "impossible endedAt",
        "('c2', '2025-01-01T00:00:00Z', '2025-02-30T00:00:00Z', NULL)",
        "invalid_time",
        "endedAt",
      ],
      ["unreadable trialEnd", "('c2', '2025-01-01T00:00:00Z', NULL, 'soon')", "invalid_time", "trialEnd"],
      [
        "end before start",
        "('c2', '2025-01-05T00:00:00Z', '2025-01-01T00:00:00Z', NULL)",
        "out_of_range",
        "endedAt",
      ],
      [
        "trial before start",
        "('c2', '2025-01-05T00:00:00Z', NULL, '2025-01-01T00:00:00Z')",
        "out_of_range",
        "trialEnd",
      ],
    ];
    for (const [what, tuple, code, path] of cases) {
      it(`${what}: ${code} at ${path}`, async () => {
        const table = await textTable(tuple);
        const err = await run(table, {}).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toMatchObject({
          name: "InvalidInputError",
          code,
          issues: [{ index: null, path: [path] }],
        });
      });
    }
    it("a valid text table works; a missing table is the engine's error, not invalid_time", async () => {
      const table = await textTable(
        "('c2', '2025-02-01T00:00:00+01:00', '2025-04-01T00:00:00Z', '2025-02-15T00:00:00Z')",
      );
      const rows: SubRow[] = [
        { customer_id: "c1", started_at: "2025-01-10T00:00:00Z", ended_at: "", trial_end: "" },
        {
          customer_id: "c2",
          started_at: "2025-02-01T00:00:00+01:00",
          ended_at: "2025-04-01T00:00:00Z",
          trial_end: "2025-02-15T00:00:00Z",
        },
      ];
      const o: Opts = { horizon: 4, mode: "onOrAfter", asOf: "2025-06-01T00:00:00Z" };
      expect(await run(table, o)).toEqual(cohortRetention(inMemory(rows), o as CohortRetentionOptions));
      const err = await run("no_such_table", {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toMatchObject({ code: "invalid_time" });
    });
    it("options: invalid_option (and the dialects without the pipeline are refused)", async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ cohortBy: "firstEvent" }, "cohortBy"],
        [{ mode: "on" }, "mode"],
        [{ horizon: -1 }, "horizon"],
        [{ horizon: 1.5 }, "horizon"],
        [{ period: "fortnight" }, "period"],
        [{ returnEvent: "view" }, "returnEvent"],
        [{ by: "segment" }, "by"],
      ];
      for (const [o, path] of bad) {
        await expect(run(ctx.shared, o as Opts)).rejects.toMatchObject({ code: "invalid_option" });
        await expect(run(ctx.shared, o as Opts)).rejects.toThrow(path);
      }
      await expect(run(ctx.shared, { timeZone: "Mars/Olympus" })).rejects.toMatchObject({
        code: "invalid_time",
      });
      await expect(run(ctx.shared, { asOf: "2025-01-01" })).rejects.toMatchObject({ code: "invalid_time" });
      const bq: SqlEngine = { dialect: "bigquery", query: ctx.engine.query };
      await expect(runMetric(bq, subscriptionCohortRetentionSql(), { table: "x" })).rejects.toMatchObject({
        code: "invalid_option",
      });
    });
  });

  describe(`${name}: hostile column names and values`, () => {
    const names: Record<keyof SubRow, string> = {
      customer_id: '"; DROP TABLE x; --',
      started_at: "__proto__",
      ended_at: "it's",
      trial_end: 'trial"`end',
    };
    const rows: SubRow[] = [
      {
        customer_id: "__proto__",
        started_at: "2025-01-03T10:00:00Z",
        ended_at: "",
        trial_end: "2025-01-17T10:00:00Z",
      },
      {
        customer_id: "it's; --",
        started_at: "2025-01-20T00:00:00Z",
        ended_at: "2025-03-02T00:00:00Z",
        trial_end: "",
      },
      { customer_id: "it's; --", started_at: "2025-04-10T00:00:00Z", ended_at: "", trial_end: "" },
      {
        customer_id: '"; DROP TABLE x; --',
        started_at: "2025-02-28T23:30:00Z",
        ended_at: "2025-03-01T00:00:00Z",
        trial_end: "",
      },
    ];
    it("quotes names (no parameters besides file paths) and equals cohortRetention", async () => {
      const table = await ctx.table(rows, names);
      const columns = {
        customerId: names.customer_id,
        startedAt: names.started_at,
        endedAt: names.ended_at,
        trialEnd: names.trial_end,
      };
      const q = subscriptionCohortRetentionQueries(
        ctx.engine.dialect,
        { table, columns },
        Number.POSITIVE_INFINITY,
      );
      const cells = q.cells([Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1)], 2);
      expect(cells.sql).toContain('"""; DROP TABLE x; --"');
      expect(cells.sql).toContain('"trial""`end"');
      expect([q.range.params, cells.params]).toEqual([[], []]);
      for (const o of [{ horizon: 4 }, { horizon: 4, cohortBy: "signup", mode: "onOrAfter" }] as Opts[]) {
        expect(await run(table, { ...o, columns })).toEqual(
          cohortRetention(inMemory(rows), o as CohortRetentionOptions),
        );
      }
      // the table is still there
      expect((await ctx.engine.query(`SELECT count(*) AS n FROM ${table}`, [], {}))[0]?.n).toBeDefined();
    });
  });
}

let tableNo = 0;

describe("DuckDB", () => {
  suite("DuckDB", async () => {
    const con: DuckDBConnection = await (await DuckDBInstance.create()).connect();
    if (hasShared)
      await con.run("CREATE TABLE subscriptions AS SELECT * FROM read_csv($1)", [
        `${sharedDir}/data/subscriptions/subscriptions.csv`,
      ]);
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    return {
      engine: duckdbEngine(con),
      shared: "subscriptions",
      async table(rows, names) {
        const name = `subs${++tableNo}`;
        const col = (f: keyof SubRow) => q(names?.[f] ?? f);
        const type = (f: keyof SubRow) => (f === "customer_id" ? "VARCHAR" : "TIMESTAMPTZ");
        await con.run(`CREATE TABLE ${name} (${FIELDS.map((f) => `${col(f)} ${type(f)}`).join(", ")})`);
        if (rows.length === 0) return name;
        const values: (string | null)[] = [];
        const tuples = rows.map(
          (r) =>
            `(${FIELDS.map((f) => {
              values.push(r[f] === "" ? null : r[f]);
              return `CAST($${values.length} AS ${type(f)})`;
            }).join(", ")})`,
        );
        await con.run(`INSERT INTO ${name} VALUES ${tuples.join(", ")}`, values);
        return name;
      },
      async exec(sql) {
        await con.run(sql);
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
      );
    return {
      engine: postgresEngine(cluster.pool),
      shared: "subscriptions",
      async table(rows, names) {
        const name = `subs${++tableNo}`;
        const col = (f: keyof SubRow) => names?.[f] ?? f;
        const renamed = rows.map((r) => Object.fromEntries(FIELDS.map((f) => [col(f), r[f]])));
        if (rows.length === 0) {
          await cluster.pool.query(
            `CREATE TABLE ${name} (customer_id text, started_at timestamptz, ended_at timestamptz, trial_end text)`,
          );
          return name;
        }
        // started_at as timestamptz, the other instants as text with offsets (cast by the pipeline)
        await loadPgTable(cluster.pool, name, renamed, { [col("started_at")]: "timestamptz" });
        return name;
      },
      async exec(sql) {
        await cluster.pool.query(sql);
      },
      stop: () => cluster.stop(),
    };
  });
});
