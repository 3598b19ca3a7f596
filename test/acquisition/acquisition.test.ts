import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AcquisitionEvent,
  acquisition,
  acquisitionAccumulator,
} from "../../src/acquisition/acquisition.js";
import { fold, foldState, mergeStates } from "../../src/core/accumulator.js";
import { CxMetricsError } from "../../src/core/errors.js";
import { Decimal } from "../../src/core/money.js";
import { type Subscription, parseSubscriptions } from "../../src/schemas/subscription.js";

const subs = parseSubscriptions([
  // c1: monthly 100, new in January, paid channel, cost 300
  {
    customer_id: "c1",
    billing_interval: "month",
    amount: "100.00",
    started_at: "2025-01-10T00:00:00Z",
    acquisition_channel: "paid",
    acquisition_cost: "300.00",
  },
  // c2: annual 1200 (MRR 100) after a trial: signs up in January, new in February
  {
    customer_id: "c2",
    billing_interval: "year",
    amount: "1200.00",
    started_at: "2025-01-25T00:00:00Z",
    trial_end: "2025-02-08T00:00:00Z",
    acquisition_channel: "paid",
    acquisition_cost: "500.00",
  },
  // c3: trial only (cancelled at trial end): a January sign-up that never pays
  {
    customer_id: "c3",
    billing_interval: "month",
    amount: "29.00",
    started_at: "2025-01-05T00:00:00Z",
    ended_at: "2025-01-19T00:00:00Z",
    trial_end: "2025-01-19T00:00:00Z",
    acquisition_channel: "social",
    acquisition_cost: "50.00",
  },
]);
const dec = (d: Decimal | null) => (d === null ? null : d.toString());

describe("acquisition: worked example (hand-computed)", () => {
  const r = acquisition(subs, {
    grossMargin: 0.8,
    costs: [{ at: "2025-01-15T00:00:00Z", amount: "1000", group: "paid" }],
  });

  it("January: CAC of new customers, blended CAC over sign-ups, payback", () => {
    const jan = r.periods[0]!;
    expect(jan.label).toBe("2025-01");
    expect(jan.newCustomers).toBe(1);
    expect(dec(jan.cac)).toBe("300");
    expect(jan.signups).toBe(3);
    expect(dec(jan.cacBlendedSignupSpend)).toBe("850"); // (300 + 500 + 50) / 1
    expect(dec(jan.averageNewMrr)).toBe("100");
    expect(jan.cacPaybackMonths).toBe(3.75); // 300 / (100 × 0.8)
    expect(dec(jan.spend)).toBe("1000");
    expect(dec(jan.cacFromSpend)).toBe("1000");
    expect(jan.groups.get("social")).toMatchObject({
      newCustomers: 0,
      signups: 1,
      cac: null,
      cacPaybackMonths: null,
      reasons: ["no_new_customers"],
    });
  });

  it("February and the pooled total", () => {
    const feb = r.periods[1]!;
    expect([
      feb.newCustomers,
      dec(feb.cac),
      feb.signups,
      dec(feb.cacBlendedSignupSpend),
      feb.cacPaybackMonths,
    ]).toEqual([1, "500", 0, "0", 6.25]);
    expect(dec(feb.spend)).toBe("0");
    expect([
      r.total.newCustomers,
      dec(r.total.cac),
      dec(r.total.cacBlendedSignupSpend),
      r.total.cacPaybackMonths,
    ]).toEqual([2, "400", "425", 5]);
    expect(r.neverPaid).toBe(1);
  });

  it("without costs the spend figures are null with a reason; by: null drops groups", () => {
    const s = acquisition(subs, { grossMargin: 0.8, by: null });
    expect(s.periods[0]!.spend).toBeNull();
    expect(s.periods[0]!.reasons).toContain("no_costs_given");
    expect(s.periods[0]!.groups.size).toBe(0);
    const seg = acquisition(subs, {
      grossMargin: 0.8,
      by: (c) => (c.acquisitionCost.gt(100) ? "expensive" : "cheap"),
    });
    expect([...seg.total.groups.keys()]).toEqual(["cheap", "expensive"]);
  });

  it("empty input: no periods, null figures", () => {
    const e = acquisition([], { grossMargin: 0.8 });
    expect(e.periods).toEqual([]);
    expect(e.total).toMatchObject({
      newCustomers: 0,
      cac: null,
      averageNewMrr: null,
      cacPaybackMonths: null,
    });
  });
});

const T0 = Date.UTC(2024, 6, 1);
const DAY = 86_400_000;
const historyArb = fc.array(
  fc.record({
    customer: fc.integer({ min: 1, max: 12 }),
    start: fc.integer({ min: 0, max: 500 }),
    len: fc.option(fc.integer({ min: 0, max: 300 })),
    trial: fc.option(fc.integer({ min: 0, max: 30 })),
    interval: fc.constantFrom<"month" | "year" | "quarter" | "week">("month", "year", "quarter", "week"),
    cents: fc.integer({ min: 0, max: 100_000 }),
    cost: fc.option(fc.integer({ min: 0, max: 50_000 })),
    channel: fc.constantFrom("organic", "paid", "__proto__"),
  }),
  { maxLength: 30 },
);
function toSubs(
  h: {
    customer: number;
    start: number;
    len: number | null;
    trial: number | null;
    interval: "month" | "year" | "quarter" | "week";
    cents: number;
    cost: number | null;
    channel: string;
  }[],
): Subscription[] {
  return parseSubscriptions(
    h.map((x, i) => ({
      subscriptionId: `s${String(i).padStart(3, "0")}`,
      customerId: `c${x.customer}`,
      billingInterval: x.interval,
      amount: new Decimal(x.cents).div(100),
      startedAt: new Date(T0 + x.start * DAY),
      endedAt: x.len === null ? null : new Date(T0 + (x.start + x.len) * DAY),
      trialEnd: x.trial === null ? null : new Date(T0 + (x.start + x.trial) * DAY),
      acquisitionChannel: x.channel,
      acquisitionCost: x.cost === null ? null : new Decimal(x.cost).div(100),
    })),
  );
}
const plain = (f: object) => JSON.parse(JSON.stringify(f, (_k, v) => (v instanceof Map ? [...v] : v)));

describe("acquisition: an empty reporting window", () => {
  it("gives no periods and zero totals with every group listed (it threw a TypeError before)", () => {
    const r = acquisition(subs, {
      grossMargin: 0.8,
      from: "2030-01-01T00:00:00Z",
      costs: [{ at: "2025-01-15T00:00:00Z", amount: "1000", group: "paid" }],
    });
    expect(r.periods).toEqual([]);
    expect(r.total.newCustomers).toBe(0);
    expect(r.total.signups).toBe(0);
    expect(dec(r.total.spend)).toBe("0");
    expect([...r.total.groups.keys()]).toEqual(["paid", "social"]);
    expect(r.neverPaid).toBe(1);
  });
});

describe("acquisition: properties", () => {
  it("per-group figures add up to the total; periods pool to the window; row order does not matter", () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const s = toSubs(h);
        const opts = { grossMargin: 0.7, from: "2024-07-01", to: "2026-03-31", asOf: "2026-01-01T00:00:00Z" };
        const r = acquisition(s, opts);
        const rev = acquisition([...s].reverse(), opts);
        expect(plain(rev)).toEqual(plain(r));
        let n = 0;
        let cost = new Decimal(0);
        for (const p of r.periods) {
          const groups = [...p.groups.values()];
          expect(groups.reduce((a, g) => a + g.newCustomers, 0)).toBe(p.newCustomers);
          expect(groups.reduce((a, g) => a + g.signups, 0)).toBe(p.signups);
          expect(
            groups
              .reduce((a, g) => a.plus(g.acquisitionCostOfNew), new Decimal(0))
              .eq(p.acquisitionCostOfNew),
          ).toBe(true);
          n += p.newCustomers;
          cost = cost.plus(p.acquisitionCostOfNew);
          if (p.newCustomers === 0)
            expect([p.cac, p.averageNewMrr, p.cacPaybackMonths]).toEqual([null, null, null]);
          if (p.cacPaybackMonths !== null) expect(Number.isFinite(p.cacPaybackMonths)).toBe(true);
        }
        expect(r.total.newCustomers).toBe(n);
        expect(r.total.acquisitionCostOfNew.eq(cost)).toBe(true);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("accumulator: merge of parts equals the whole", () => {
    const evArb = fc.oneof(
      fc.record({
        kind: fc.constant("new" as const),
        acquisitionCost: fc.nat(10_000).map((c) => new Decimal(c)),
        initialMrr12: fc.nat(10_000).map((c) => new Decimal(c)),
      }),
      fc.record({
        kind: fc.constant("signup" as const),
        acquisitionCost: fc.nat(10_000).map((c) => new Decimal(c)),
      }),
      fc.record({ kind: fc.constant("spend" as const), amount: fc.nat(10_000).map((c) => new Decimal(c)) }),
    );
    fc.assert(
      fc.property(
        fc.array(evArb as fc.Arbitrary<AcquisitionEvent>, { maxLength: 40 }),
        fc.nat(),
        (xs, cut) => {
          const acc = acquisitionAccumulator(0.8);
          const k = xs.length === 0 ? 0 : cut % (xs.length + 1);
          const merged = acc.result(
            mergeStates(acc, [foldState(xs.slice(0, k), acc), foldState(xs.slice(k), acc)]),
          );
          expect(plain(merged)).toEqual(plain(fold(xs, acc)));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("acquisition: bad input", () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(CxMetricsError);
      return (e as CxMetricsError).code;
    }
    return "no error";
  };
  it("throws with stable codes", () => {
    expect(code(() => acquisition(subs, { grossMargin: 1.5 }))).toBe("invalid_option");
    expect(code(() => acquisition(subs, {} as { grossMargin: number }))).toBe("invalid_option");
    expect(code(() => acquisition(subs, { grossMargin: 0.8, period: "decade" as "year" }))).toBe(
      "invalid_option",
    );
    expect(code(() => acquisition(subs, { grossMargin: 0.8, by: "plan" as "channel" }))).toBe(
      "invalid_option",
    );
    expect(code(() => acquisition(subs, { grossMargin: 0.8, timeZone: "Nowhere/City" }))).toBe(
      "invalid_time",
    );
    expect(code(() => acquisition(subs, { grossMargin: 0.8, asOf: "2025-01-01" }))).toBe("invalid_time");
    expect(
      code(() =>
        acquisition(subs, { grossMargin: 0.8, costs: [{ at: "2025-01-01T00:00:00Z", amount: "-5" }] }),
      ),
    ).toBe("out_of_range");
    expect(
      code(() =>
        acquisition(subs, { grossMargin: 0.8, costs: [{ at: "2025-01-01T00:00:00Z", amount: "five" }] }),
      ),
    ).toBe("invalid_type");
    expect(code(() => acquisition("rows" as unknown as [], { grossMargin: 0.8 }))).toBe("invalid_type");
    const mixed = parseSubscriptions(
      [
        {
          customerId: "a",
          billingInterval: "month",
          amount: 1,
          currency: "USD",
          startedAt: "2025-01-01T00:00:00Z",
        },
        {
          customerId: "b",
          billingInterval: "month",
          amount: 1,
          currency: "EUR",
          startedAt: "2025-01-01T00:00:00Z",
        },
      ],
      { mixedCurrencies: "allow" },
    );
    expect(code(() => acquisition(mixed, { grossMargin: 0.8 }))).toBe("invalid_currency");
  });
});
