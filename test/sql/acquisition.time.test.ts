/**
 * acquisitionSql (new customers, CAC, blended and spend-based CAC, average new MRR, payback) as a CTE
 * pipeline in DuckDB and PostgreSQL: the same result object as the in-memory
 * acquisition(subscriptions, options) — counts and float64 paybacks toEqual, money compared as exact
 * Decimal strings (Maps as entry lists) — on ../shared/data/subscriptions/subscriptions.csv (by channel,
 * by segment, no groups; asOf, from/to, costs; UTC, Europe/Berlin, America/New_York, Asia/Kolkata),
 * against the `acquisition` section of ../shared/reference/retention.json (retention_reference.py, exact
 * rationals printed with 12 decimals half-even: compared after rounding ours the same way; payback
 * float64 exact), and on random histories (fast-check, seeded: trials, trial-only and zero-length rows,
 * several rows per customer, ties in startedAt, instants on and next to period boundaries and DST
 * changes, interval counts, blank channels). Bad rows raise the subscription pipelines' typed errors;
 * hostile column names and values are data.
 */
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AcquisitionFigures,
  type AcquisitionOptions,
  type AcquisitionResult,
  acquiredCustomers,
  acquisition,
  acquisitionAccumulator,
} from "../../src/acquisition/acquisition.js";
import { Decimal } from "../../src/core/money.js";
import { type InstantInput, type Period, parseInstant } from "../../src/core/time.js";
import { type Subscription, parseSubscriptions } from "../../src/schemas/subscription.js";
import {
  type AcquisitionColumns,
  type AcquisitionSqlOptions,
  acquisitionQueries,
  acquisitionSql,
} from "../../src/sql/acquisition.js";
import {
  type SqlEngine,
  type TableSource,
  duckdbEngine,
  postgresEngine,
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
import { DAY, HOUR, ZONES, instantIn as anyInstantIn } from "./instants.js";
import { type TypedColumn, duckTypedTable, loadPgTable, pgTypedTable } from "./load.js";
import { type PgCluster, describePg, startPg } from "./pg-cluster.js";

type Opts = Omit<AcquisitionSqlOptions, "table">;

/** A result as plain data: Decimal → exact string, Date → ISO, Map → entry list (order kept). */
const plain = (x: unknown): unknown => {
  if (Decimal.isDecimal(x)) return (x as Decimal).toString();
  if (x instanceof Date) return x.toISOString();
  if (x instanceof Map) return [...x].map(([k, v]) => [k, plain(v)]);
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === "object")
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
};

/** One subscription row as stored: text cells, `null` = NULL. */
interface SubRow {
  subscription_id: string | null;
  customer_id: string | null;
  segment: string | null;
  acquisition_channel: string | null;
  billing_interval: string | null;
  interval_count: string | null;
  amount: string | null;
  currency: string | null;
  started_at: string | null;
  ended_at: string | null;
  trial_end: string | null;
  acquisition_cost: string | null;
}
const FIELDS: (keyof SubRow)[] = [
  "subscription_id",
  "customer_id",
  "segment",
  "acquisition_channel",
  "billing_interval",
  "interval_count",
  "amount",
  "currency",
  "started_at",
  "ended_at",
  "trial_end",
  "acquisition_cost",
];
/** Column types of the random tables: text keys, typed numbers, instants typed or as text (cast by the pipeline). */
const TYPED: Record<keyof SubRow, [string, string]> = {
  subscription_id: ["VARCHAR", "text"],
  customer_id: ["VARCHAR", "text"],
  segment: ["VARCHAR", "text"],
  acquisition_channel: ["VARCHAR", "text"],
  billing_interval: ["VARCHAR", "text"],
  interval_count: ["INTEGER", "integer"],
  amount: ["DECIMAL(18, 4)", "numeric"],
  currency: ["VARCHAR", "text"],
  started_at: ["TIMESTAMPTZ", "timestamptz"],
  ended_at: ["TIMESTAMPTZ", "text"],
  trial_end: ["VARCHAR", "timestamptz"],
  acquisition_cost: ["VARCHAR", "numeric(12, 3)"],
};

/** The same rows for the in-memory function (NULL → blank cell, as a CSV export has it). */
const inMemory = (rows: readonly SubRow[]) =>
  parseSubscriptions(
    rows.map((r) => Object.fromEntries(FIELDS.map((f) => [f, r[f] ?? ""])) as Record<string, string>),
  );

interface Ctx {
  engine: SqlEngine;
  shared: TableSource;
  /** A table of the rows; `names` renames the columns; `text` makes every column text. */
  table(
    rows: readonly SubRow[],
    o?: { names?: Partial<Record<keyof SubRow, string>>; text?: boolean },
  ): Promise<string>;
  stop(): Promise<void>;
}

const run = (ctx: Ctx, table: TableSource, o: Opts) => acquisitionSql().run(ctx.engine, { table, ...o });
/**
 * The expected result when the reporting window is empty (from after the last instant, or to
 * before from) while there are customers, built independently from `acquiredCustomers` and the
 * accumulator: no periods, zero totals, every group key of the customers, `neverPaid`. (The
 * in-memory `acquisition` used to throw a TypeError here: `locatePeriod` on an empty grid answered 0,
 * not −1; the regression is checked against this.) `undefined` when the window is not empty.
 */
function emptyWindowResult(subs: readonly Subscription[], o: Opts): AcquisitionResult | undefined {
  const timeZone = o.timeZone ?? "UTC";
  const cs = [...acquiredCustomers(subs, o.asOf === undefined ? {} : { asOf: o.asOf }).values()];
  if (cs.length === 0) return undefined;
  const at = (v: InstantInput | undefined) => (v === undefined ? undefined : parseInstant(v, { timeZone }));
  const min = at(o.from) ?? Math.min(...cs.map((c) => c.signupAt.getTime()));
  const max =
    at(o.to) ?? Math.max(...cs.flatMap((c) => [c.signupAt.getTime(), c.firstPaidAt?.getTime() ?? -Infinity]));
  if (min <= max) return undefined;
  const acc = acquisitionAccumulator(o.grossMargin);
  const zero = () => {
    const st = acc.init();
    if (o.costs !== undefined) st.spend = new Decimal(0);
    return acc.result(st);
  };
  const by = o.by === undefined ? "channel" : o.by;
  const keys = new Set<string>();
  for (const c of cs) {
    const k = by === null ? null : by === "channel" ? c.channel : c.segment;
    if (k !== null) keys.add(k);
  }
  return {
    period: o.period ?? "month",
    timeZone,
    grossMargin: o.grossMargin,
    periods: [],
    total: { ...zero(), groups: new Map([...keys].sort((a, b) => (a < b ? -1 : 1)).map((k) => [k, zero()])) },
    neverPaid: cs.filter((c) => c.firstPaidAt === null).length,
  };
}

/** The engine's result equals acquisition(subs, o), every Decimal as its exact string. */
const expectSame = async (ctx: Ctx, table: TableSource, subs: readonly Subscription[], o: Opts) => {
  const expected = acquisition(subs, o as AcquisitionOptions);
  const empty = emptyWindowResult(subs, o);
  if (empty !== undefined) expect(plain(expected)).toEqual(plain(empty));
  expect(plain(await run(ctx, table, o))).toEqual(plain(expected));
};
/** Tables made by the tests carry an interval count column. */
const columns: AcquisitionColumns = { intervalCount: "interval_count" };

const SHARED_OPTIONS: Opts[] = [
  { grossMargin: 0.8 },
  { grossMargin: 0.8, by: "segment", timeZone: "Europe/Berlin", asOf: "2026-07-01T00:00:00Z" },
  {
    grossMargin: 0.75,
    by: null,
    period: "quarter",
    timeZone: "America/New_York",
    asOf: "2025-09-30T12:00:00Z",
  },
  {
    grossMargin: 0.8,
    period: "week",
    timeZone: "Europe/Berlin",
    weekStartsOn: 0,
    from: "2025-03-01",
    to: "2025-04-30",
    costs: [
      { at: "2025-03-03T10:00:00Z", amount: "1200.50", group: "paid_search" },
      { at: "2025-03-30T00:30:00Z", amount: "99.99", group: "__proto__" },
      { at: "2025-04-10T00:00:00Z", amount: 250 },
      { at: "2024-12-31T23:00:00Z", amount: "5000", group: "partner" },
    ],
  },
  {
    grossMargin: 1,
    by: "segment",
    period: "day",
    timeZone: "Asia/Kolkata",
    from: "2025-03-25T00:00:00+05:30",
    to: "2025-04-05T00:00:00+05:30",
    asOf: "2025-04-01T00:00:00Z",
    costs: [],
  },
  { grossMargin: 0.8, period: "year", from: "2030-01-01T00:00:00Z" },
];

interface RefFigures {
  new_customers: number;
  acquisition_cost_of_new: string;
  cac: string | null;
  signups: number;
  acquisition_cost_of_signups: string;
  cac_blended_signup_spend: string | null;
  avg_new_mrr: string | null;
  cac_payback_months: number | null;
}
interface RefAcquisition {
  gross_margin: number;
  monthly: (RefFigures & { month: string; by_channel: Record<string, RefFigures> })[];
  window_total: Record<string, RefFigures>;
}
/** Our figures in the reference's form (money rounded half-even to 12 places, as fmt_money does). */
const asRef = (g: AcquisitionFigures | undefined): RefFigures | undefined => {
  if (g === undefined) return undefined;
  const m = (x: Decimal | null) =>
    x === null ? null : x.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN).toFixed(12);
  return {
    new_customers: g.newCustomers,
    acquisition_cost_of_new: m(g.acquisitionCostOfNew)!,
    cac: m(g.cac),
    signups: g.signups,
    acquisition_cost_of_signups: m(g.acquisitionCostOfSignups)!,
    cac_blended_signup_spend: m(g.cacBlendedSignupSpend),
    avg_new_mrr: m(g.averageNewMrr),
    cac_payback_months: g.cacPaybackMonths,
  };
};

// ------------------------------------------------------------------------------ random histories

/** Fewer offsets than the default: the generated histories of the seeded runs stay as they were. */
const ACQ_DELTAS = [0, 0, 1, -1, 30 * 60_000, -HOUR];
const instantIn = (lo: number, hi: number) => anyInstantIn(lo, hi, ACQ_DELTAS);
const LABELS = ["organic", "paid_search", "__proto__", "it's; --", "", null] as const;

const rowArb = (lo: number, hi: number) =>
  fc.record({
    customer: fc.integer({ min: 0, max: 5 }),
    a: instantIn(lo, hi),
    b: fc.option(instantIn(lo, hi), { nil: null, freq: 3 }),
    /** start at the same instant as the customer's previous row (a tie in startedAt) */
    tie: fc.boolean(),
    trial: fc.constantFrom("none", "none", "zero", "14d", "toEnd", "past"),
    channel: fc.constantFrom(...LABELS),
    segment: fc.constantFrom(...LABELS),
    interval: fc.constantFrom("day", "week", "month", "month", "quarter", "year"),
    // interval counts whose quotients terminate (see the 3-month note in the report / docs)
    count: fc.constantFrom("1", "1", "2", "4", "5", null),
    amount: fc.constantFrom("0", "29.00", "79.50", "1499.99", "0.333"),
    cost: fc.constantFrom(null, null, "0", "150.00", "12.345", "0.01"),
  });

const rowsArb = (lo: number, hi: number) =>
  fc.array(rowArb(lo, hi), { minLength: 1, maxLength: 24 }).map((rs) => {
    const lastStart = new Map<number, number>();
    return rs.map((r, i): SubRow => {
      let start = r.b === null ? r.a : Math.min(r.a, r.b);
      let end = r.b === null ? null : Math.max(r.a, r.b);
      const prev = lastStart.get(r.customer);
      if (r.tie && prev !== undefined) {
        if (end !== null) end = Math.max(end, prev) + (end - start);
        start = prev;
      }
      lastStart.set(r.customer, start);
      const trial =
        r.trial === "none"
          ? null
          : r.trial === "zero"
            ? start
            : r.trial === "14d"
              ? start + 14 * DAY
              : r.trial === "toEnd"
                ? (end ?? start + 40 * DAY)
                : (end ?? start) + 3 * DAY;
      const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
      return {
        // ids in reverse input order, so ties are not broken by input order by accident
        subscription_id: `s${String(99 - i).padStart(3, "0")}`,
        customer_id: `c${r.customer}`,
        segment: r.segment,
        acquisition_channel: r.channel,
        billing_interval: r.interval,
        interval_count: r.count,
        amount: r.amount,
        currency: "EUR",
        started_at: iso(start),
        ended_at: iso(end),
        trial_end: iso(trial),
        acquisition_cost: r.cost,
      };
    });
  });

const optionsArb = (lo: number, hi: number): fc.Arbitrary<Opts> => {
  const mid = (lo + hi) / 2;
  const iso = (a: fc.Arbitrary<number>) => a.map((t) => new Date(t).toISOString());
  return fc.record(
    {
      grossMargin: fc.constantFrom(0.8, 0.35, 1),
      period: fc.constantFrom<Period>("day", "week", "month", "month", "quarter"),
      timeZone: fc.constantFrom(...ZONES),
      weekStartsOn: fc.constantFrom<0 | 1 | 3>(0, 1, 3),
      by: fc.constantFrom<"channel" | "segment" | null>("channel", "segment", null),
      asOf: iso(instantIn(lo, hi + 30 * DAY)),
      from: iso(instantIn(lo - 30 * DAY, mid)),
      to: iso(instantIn(mid, hi)),
      costs: fc.array(
        fc.record(
          {
            at: iso(instantIn(lo - 10 * DAY, hi)),
            amount: fc.constantFrom("0", "100", "33.33", "1e3"),
            group: fc.constantFrom("organic", "paid_search", "__proto__", "tv"),
          },
          { requiredKeys: ["at", "amount"] },
        ),
        { maxLength: 4 },
      ),
    },
    { requiredKeys: ["grossMargin", "period", "timeZone", "by"] },
  );
};

/** Histories in spring or autumn 2025 (DST changes in Europe, the US and Lord Howe), three option sets each. */
const caseArb = fc
  .constantFrom(
    [Date.UTC(2025, 1, 15), Date.UTC(2025, 4, 15)],
    [Date.UTC(2025, 8, 15), Date.UTC(2025, 11, 15)],
  )
  .chain(([lo, hi]) =>
    fc.tuple(rowsArb(lo!, hi!), fc.array(optionsArb(lo!, hi!), { minLength: 3, maxLength: 3 })),
  );

const BASE: SubRow = {
  subscription_id: "s1",
  customer_id: "c1",
  segment: "smb",
  acquisition_channel: "paid",
  billing_interval: "month",
  interval_count: "1",
  amount: "10",
  currency: "EUR",
  started_at: "2025-01-10T00:00:00Z",
  ended_at: null,
  trial_end: null,
  acquisition_cost: "100",
};

// ------------------------------------------------------------------------------ suites

function suite(name: string, setup: () => Promise<Ctx>) {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await setup();
  }, 30_000);
  afterAll(async () => {
    await ctx?.stop();
  });

  describeShared(`${name}: subscriptions.csv equals acquisition()`, () => {
    const subs = hasShared
      ? parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")))
      : [];
    SHARED_OPTIONS.forEach((o) => {
      it(JSON.stringify({ ...o, costs: o.costs?.length }), async () => {
        await expectSame(ctx, ctx.shared, subs, o);
      });
    });
    it("through runMetric, and (DuckDB) straight from the CSV file", async () => {
      const o = { grossMargin: 0.8, asOf: "2026-07-01T00:00:00Z" };
      const expected = plain(acquisition(subs, o));
      expect(plain(await runMetric(ctx.engine, acquisitionSql(), { table: ctx.shared, ...o }))).toEqual(
        expected,
      );
      expect(
        plain(await runMetric(ctx.engine, acquisitionSql(), { table: ctx.shared, ...o, by: "channel" })),
      ).toEqual(expected);
      if (name === "DuckDB") {
        const table = readCsv(`${sharedDir}/data/subscriptions/subscriptions.csv`);
        expect(plain(await run(ctx, table, o))).toEqual(expected);
      }
    });
    it("reproduces retention.json acquisition (retention_reference.py): months, channels, window total", async () => {
      const ref = readSharedJson<{ acquisition: RefAcquisition; meta: { as_of: string } }>(
        "reference",
        "retention.json",
      );
      const r = await run(ctx, ctx.shared, {
        grossMargin: ref.acquisition.gross_margin,
        from: "2025-01-01",
        to: "2026-06-30",
        asOf: ref.meta.as_of,
      });
      expect(r.periods.map((p) => p.label)).toEqual(ref.acquisition.monthly.map((m) => m.month));
      r.periods.forEach((p, k) => {
        const { month, by_channel, ...all } = ref.acquisition.monthly[k]!;
        expect(asRef(p)).toEqual(all);
        expect([...p.groups].map(([ch, g]) => [ch, asRef(g)])).toEqual(
          Object.entries(by_channel).sort(([a], [b]) => (a < b ? -1 : 1)),
        );
      });
      const { all, ...channels } = ref.acquisition.window_total;
      expect(asRef(r.total)).toEqual(all);
      expect([...r.total.groups].map(([ch, g]) => [ch, asRef(g)])).toEqual(
        Object.entries(channels).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      expect(r.neverPaid).toBe(1507 - 1333);
    });
  });

  describe(`${name}: random histories (property)`, () => {
    it("equals acquisition() (trials, zero-length rows, ties, DST, five zones, day–quarter, costs)", async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async ([rows, opts]) => {
          const table = await ctx.table(rows);
          const subs = inMemory(rows);
          for (const o of opts) await expectSame(ctx, table, subs, { ...o, columns });
        }),
        { seed: 20250101, numRuns: 25 },
      );
    }, 30_000);

    it("edge cases: an empty table, nobody paid, asOf before every row, a window without data", async () => {
      const trialOnly: SubRow = {
        ...BASE,
        ended_at: "2025-01-20T00:00:00Z",
        trial_end: "2025-01-24T00:00:00Z",
      };
      const zero: SubRow = { ...BASE, subscription_id: "s2", customer_id: "c2", ended_at: BASE.started_at };
      const t = await ctx.table([trialOnly, zero]);
      const e = await ctx.table([]);
      const paid = await ctx.table([BASE]);
      const cases: [string, SubRow[], Opts][] = [
        [t, [trialOnly, zero], { grossMargin: 0.8 }],
        [t, [trialOnly, zero], { grossMargin: 0.8, costs: [{ at: "2025-01-02T00:00:00Z", amount: "7" }] }],
        [
          t,
          [trialOnly, zero],
          { grossMargin: 0.8, by: null, from: "2024-11-01T00:00:00Z", to: "2025-03-01T00:00:00Z" },
        ],
        [e, [], { grossMargin: 0.8 }],
        [
          e,
          [],
          { grossMargin: 0.8, period: "week", from: "2024-11-01T00:00:00Z", to: "2024-12-01T00:00:00Z" },
        ],
        [paid, [BASE], { grossMargin: 0.8, asOf: "2024-01-01T00:00:00Z", by: "segment" }],
        [paid, [BASE], { grossMargin: 0.8, from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }],
      ];
      for (const [table, rows, o] of cases) await expectSame(ctx, table, inMemory(rows), { ...o, columns });
    });

    it("an annual plan paid every 4 years, a weekly plan every 2 weeks: MRR × 12 exact", async () => {
      const rows: SubRow[] = [
        { ...BASE, billing_interval: "year", interval_count: "4", amount: "1000.01" },
        {
          ...BASE,
          subscription_id: "s2",
          customer_id: "c2",
          billing_interval: "week",
          interval_count: "2",
          amount: "7.77",
        },
        {
          ...BASE,
          subscription_id: "s3",
          customer_id: "c2",
          billing_interval: "day",
          interval_count: "5",
          amount: "1.11",
        },
      ];
      const table = await ctx.table(rows);
      const r = await run(ctx, table, { grossMargin: 0.8, columns });
      // MRR × 12: 1000.01 / 4 + 7.77 × 52 / 2 + 1.11 × 365 / 5 = 250.0025 + 202.02 + 81.03 = 533.0525
      // (exact); average new MRR = 533.0525 / 12 / 2 customers, to 40 significant digits
      expect(r.periods[0]?.averageNewMrr?.toString()).toBe(
        new (Decimal.clone({ precision: 40 }))("533.0525").div(24).toString(),
      );
      await expectSame(ctx, table, inMemory(rows), { grossMargin: 0.8, columns });
    });
  });

  describe(`${name}: bad input`, () => {
    const cases: [string, Partial<SubRow>, string, string][] = [
      ["NULL customer", { customer_id: null }, "missing_value", "customerId"],
      ["empty customer", { customer_id: "" }, "invalid_type", "customerId"],
      ["NULL startedAt", { started_at: null }, "missing_value", "startedAt"],
      ["unreadable startedAt", { started_at: "not a date" }, "invalid_time", "startedAt"],
      ["unreadable trialEnd", { trial_end: "soon" }, "invalid_time", "trialEnd"],
      ["end before start", { ended_at: "2025-01-01T00:00:00Z" }, "out_of_range", "endedAt"],
      ["trial before start", { trial_end: "2025-01-01T00:00:00Z" }, "out_of_range", "trialEnd"],
      ["NULL amount", { amount: null }, "missing_value", "amount"],
      ["unreadable amount", { amount: "ten" }, "invalid_type", "amount"],
      ["negative amount", { amount: "-5" }, "out_of_range", "amount"],
      ["unknown interval", { billing_interval: "fortnight" }, "invalid_record", "billingInterval"],
      ["interval count 0", { interval_count: "0" }, "out_of_range", "intervalCount"],
      ["interval count 1.5", { interval_count: "1.5" }, "out_of_range", "intervalCount"],
      ["negative cost", { acquisition_cost: "-1" }, "out_of_range", "acquisitionCost"],
      ["unreadable cost", { acquisition_cost: "a lot" }, "invalid_type", "acquisitionCost"],
      ["two currencies", { currency: "usd" }, "invalid_currency", "currency"],
    ];
    for (const [what, change, code, path] of cases) {
      it(`${what}: ${code} at ${path}`, async () => {
        const table = await ctx.table(
          [BASE, { ...BASE, subscription_id: "s2", customer_id: "c2", ...change }],
          {
            text: true,
          },
        );
        const err = await run(ctx, table, { grossMargin: 0.8, columns }).then(
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
    it("a valid text table works; a missing table is the engine's error", async () => {
      const rows = [
        BASE,
        { ...BASE, subscription_id: "s2", customer_id: "c2", currency: "eur", interval_count: "2" },
      ];
      const table = await ctx.table(rows, { text: true });
      await expectSame(ctx, table, inMemory(rows), { grossMargin: 0.8, columns, by: "segment" });
      const err = await run(ctx, "no_such_table", { grossMargin: 0.8 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toMatchObject({ name: "InvalidInputError" });
    });
    it("options: invalid_option (a grouping function, a column name, margin, period, costs), invalid_time, other dialects", async () => {
      const bad: [Record<string, unknown>, string, string][] = [
        [{ by: (c: { segment: string | null }) => c.segment }, "by", "invalid_option"],
        [{ by: "plan" }, "by", "invalid_option"],
        [{ grossMargin: 0 }, "grossMargin", "invalid_option"],
        [{ grossMargin: 1.2 }, "grossMargin", "invalid_option"],
        [{ period: "fortnight" }, "period", "invalid_option"],
        [{ costs: "1000" }, "costs", "invalid_option"],
        [{ costs: [{ at: "2025-01-01T00:00:00Z", amount: "-1" }] }, "costs.0.amount", "out_of_range"],
        [{ costs: [{ at: "soon", amount: "1" }] }, "costs.0.at", "invalid_time"],
        [{ timeZone: "Mars/Olympus" }, "Mars", "invalid_time"],
        [{ asOf: "2025-01-01" }, "asOf", "invalid_time"],
        [{ from: "yesterday" }, "from", "invalid_time"],
      ];
      for (const [o, text, code] of bad) {
        const p = run(ctx, ctx.shared, { grossMargin: 0.8, ...o } as Opts);
        await expect(p).rejects.toMatchObject({ code });
        await expect(run(ctx, ctx.shared, { grossMargin: 0.8, ...o } as Opts)).rejects.toThrow(text);
      }
      const bq: SqlEngine = { dialect: "bigquery", query: ctx.engine.query };
      await expect(acquisitionSql().run(bq, { table: "x", grossMargin: 0.8 })).rejects.toMatchObject({
        code: "invalid_option",
      });
    });
  });

  describe(`${name}: hostile column names and values`, () => {
    const names: Partial<Record<keyof SubRow, string>> = {
      customer_id: '"; DROP TABLE x; --',
      subscription_id: "__proto__",
      started_at: "it's",
      acquisition_channel: 'chan"`nel',
      acquisition_cost: "cost; --",
      amount: "constructor",
    };
    const rows: SubRow[] = [
      {
        ...BASE,
        customer_id: "__proto__",
        acquisition_channel: "'; DROP TABLE y; --",
        trial_end: "2025-01-24T00:00:00Z",
      },
      {
        ...BASE,
        subscription_id: "s2",
        customer_id: "it's; --",
        acquisition_channel: "__proto__",
        acquisition_cost: null,
      },
      {
        ...BASE,
        subscription_id: "s3",
        customer_id: "it's; --",
        started_at: "2025-03-01T00:00:00Z",
        acquisition_channel: "x",
      },
    ];
    it("quotes names (no parameters besides file paths) and equals acquisition()", async () => {
      const table = await ctx.table(rows, { names });
      const hostile: AcquisitionColumns = {
        ...columns,
        customerId: names.customer_id!,
        subscriptionId: names.subscription_id!,
        startedAt: names.started_at!,
        acquisitionChannel: names.acquisition_channel!,
        acquisitionCost: names.acquisition_cost!,
        amount: names.amount!,
      };
      const q = acquisitionQueries(
        ctx.engine.dialect,
        { table, columns: hostile, grossMargin: 0.8 },
        Number.POSITIVE_INFINITY,
      );
      const ev = q.events([Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1)]);
      expect(ev.sql).toContain('"""; DROP TABLE x; --"');
      expect(ev.sql).toContain('"chan""`nel"');
      expect([q.range.params, ev.params]).toEqual([[], []]);
      await expectSame(ctx, table, inMemory(rows), { grossMargin: 0.8, columns: hostile });
      expect((await ctx.engine.query(`SELECT count(*) AS n FROM ${table}`, [], {}))[0]?.n).toBeDefined();
    });
  });
}

let tableNo = 0;
const columnsOf = (names: Partial<Record<keyof SubRow, string>> | undefined, text: boolean): TypedColumn[] =>
  FIELDS.map((f) => ({
    name: names?.[f] ?? f,
    duck: text ? "VARCHAR" : TYPED[f][0],
    pg: text ? "text" : TYPED[f][1],
  }));
const cells = (rows: readonly SubRow[]) => rows.map((r) => FIELDS.map((f) => r[f]));

describe("DuckDB", () => {
  suite("DuckDB", async () => {
    const con: DuckDBConnection = await (await DuckDBInstance.create()).connect();
    if (hasShared)
      await con.run("CREATE TABLE subscriptions AS SELECT * FROM read_csv($1)", [
        `${sharedDir}/data/subscriptions/subscriptions.csv`,
      ]);
    return {
      engine: duckdbEngine(con),
      shared: "subscriptions",
      async table(rows, o) {
        const name = `subs${++tableNo}`;
        await duckTypedTable(con, name, columnsOf(o?.names, o?.text ?? false), cells(rows));
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
        { amount: "numeric(12,2)", started_at: "timestamptz" },
      );
    return {
      engine: postgresEngine(cluster.pool),
      shared: "subscriptions",
      async table(rows, o) {
        const name = `subs${++tableNo}`;
        await pgTypedTable(cluster.pool, name, columnsOf(o?.names, o?.text ?? false), cells(rows));
        return name;
      },
      stop: () => cluster.stop(),
    };
  });
});
