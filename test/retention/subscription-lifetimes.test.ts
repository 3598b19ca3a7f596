/**
 * subscriptionLifetimes + kaplanMeier on ../shared/data/subscriptions/subscriptions.csv against
 * ../shared/reference/retention.json `survival` (statsmodels 0.13.5 SurvfuncRight, checked there against
 * a direct product-limit/Greenwood implementation; script shared/reference/retention_reference.py).
 * Variants: "spell" = spells "all" (primary), "row" = spells "rows". Tolerance: the spec's 1e-10
 * absolute for Kaplan–Meier values (statsmodels sums logs, we multiply); times and counts exact.
 */
import { describe, expect, it } from "vitest";
import type { CxMetricsError } from "../../src/core/errors.js";
import { type KaplanMeierCiKind, kaplanMeier } from "../../src/retention/kaplan-meier.js";
import { subscriptionLifetimes } from "../../src/retention/subscription-lifetimes.js";
import { parseSubscriptions } from "../../src/schemas/subscription.js";
import { describeShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";

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
  curve?: {
    time: number[];
    n_risk: number[];
    n_events: number[];
    surv: number[];
    se_greenwood: (number | null)[];
  };
}

const TOL = 1e-10;
const near = (a: number | null | undefined, b: number, where: string) => {
  expect(a, where).not.toBeNull();
  expect(Math.abs((a as number) - b), where).toBeLessThanOrEqual(TOL);
};
const KINDS: [KaplanMeierCiKind, "plain" | "log" | "log-log"][] = [
  ["plain", "plain"],
  ["log", "log"],
  ["logLog", "log-log"],
];

describeShared("survival of subscription lifetimes: shared reference", () => {
  const json = readSharedJson<{ survival: { spell: RefKm; row: RefKm }; meta: { as_of: string } }>(
    "reference",
    "retention.json",
  );
  const subs = parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")));

  for (const [variant, spells] of [
    ["spell", "all"],
    ["row", "rows"],
  ] as const) {
    const ref = json.survival[variant];
    const life = subscriptionLifetimes(subs, { asOf: json.meta.as_of, unit: "day", spells });

    it(`${variant}: counts`, () => {
      expect(life.n).toBe(ref.n);
      expect(life.events.filter((e) => e === 1).length).toBe(ref.events);
      expect(life.excluded.zeroLength + life.excluded.trialOnly + life.excluded.notPayingAtAsOf).toBe(188);
    });

    for (const [kind, refKind] of KINDS) {
      it(`${variant}: S, se, n at risk and the ${kind} interval at 30/90/180/365 days`, () => {
        const km = kaplanMeier(life, { ci: kind, level: 0.95 });
        expect([km.n, km.events, km.censored]).toEqual([ref.n, ref.events, ref.censored]);
        for (const a of ref.at) {
          const p = km.at(a.t);
          near(p.survival, a.surv, `S(${a.t})`);
          near(p.se, a.se!, `se(${a.t})`);
          expect(p.atRisk, `n_risk(${a.t})`).toBe(a.n_risk);
          near(p.lower, a.ci![refKind][0], `lower(${a.t})`);
          near(p.upper, a.ci![refKind][1], `upper(${a.t})`);
        }
      });
    }

    it(`${variant}: median (both rules) and its Brookmeyer–Crowley cloglog interval`, () => {
      const r = kaplanMeier(life);
      const strict = kaplanMeier(life, { median: "strict" });
      expect(r.median.estimate).toBe(ref.median_r_convention);
      expect(strict.median.estimate).toBe(ref.median);
      expect([r.median.lower, r.median.upper]).toEqual(ref.median_ci_95_cloglog);
    });

    if (ref.curve) {
      const curve = ref.curve;
      it(`${variant}: full curve at event times`, () => {
        const km = kaplanMeier(life);
        expect(km.curve.time).toEqual(curve.time);
        expect(km.curve.atRisk).toEqual(curve.n_risk);
        expect(km.curve.events).toEqual(curve.n_events);
        let worst = 0;
        curve.surv.forEach((s, k) => {
          worst = Math.max(worst, Math.abs(km.curve.survival[k]! - s));
          const se = curve.se_greenwood[k];
          if (se === null) expect(km.curve.se[k]).toBeNull();
          else worst = Math.max(worst, Math.abs(km.curve.se[k]! - se!));
        });
        expect(worst).toBeLessThanOrEqual(TOL);
      });
    }
  }

  it("spells 'first' gives one lifetime per paying customer", () => {
    const first = subscriptionLifetimes(subs, { asOf: json.meta.as_of, spells: "first" });
    expect(new Set(first.customerIds).size).toBe(first.n);
    expect(first.n).toBe(1333); // meta.paying_customers
  });
});

describe("subscriptionLifetimes: definitions on hand-made rows", () => {
  const base = {
    billingInterval: "month" as const,
    intervalCount: 1,
    currency: "USD",
    segment: null,
    plan: null,
    acquisitionChannel: null,
    acquisitionCost: null,
  };
  const amount = parseSubscriptions([
    { customerId: "x", billingInterval: "month", amount: "1", startedAt: "2025-01-01T00:00:00Z" },
  ])[0]!.amount;
  const row = (
    customerId: string,
    subscriptionId: string,
    startedAt: string,
    endedAt: string | null,
    trialEnd: string | null = null,
  ) => ({
    ...base,
    amount,
    customerId,
    subscriptionId,
    startedAt: new Date(startedAt),
    endedAt: endedAt === null ? null : new Date(endedAt),
    trialEnd: trialEnd === null ? null : new Date(trialEnd),
  });
  const asOf = "2025-12-31T00:00:00Z";
  const rows = [
    // a: trial then paid, upgrade at the same instant (one spell), gap, win-back still active
    row("a", "1", "2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z", "2025-01-15T00:00:00Z"),
    row("a", "2", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z"),
    row("a", "3", "2025-06-01T00:00:00Z", null),
    // b: trial-only, zero-length, and still trialling at asOf
    row("b", "4", "2025-01-01T00:00:00Z", "2025-01-15T00:00:00Z", "2025-01-15T00:00:00Z"),
    row("b", "5", "2025-02-01T00:00:00Z", "2025-02-01T00:00:00Z"),
    row("b", "6", "2025-12-25T00:00:00Z", null, "2026-01-08T00:00:00Z"),
  ];

  it("spells merge plan changes, split at gaps and censor at asOf", () => {
    const all = subscriptionLifetimes(rows, { asOf, spells: "all" });
    expect(all.durations).toEqual([76, 213]); // 2025-01-15 → 04-01; 06-01 → 12-31
    expect(all.events).toEqual([1, 0]);
    expect(all.excluded).toEqual({ zeroLength: 1, trialOnly: 1, notPayingAtAsOf: 1 });
    expect(all.ends[1]).toBeNull();
    expect(subscriptionLifetimes(rows, { asOf, spells: "rows" }).durations).toEqual([45, 31, 213]);
    expect(subscriptionLifetimes(rows, { asOf, spells: "first" }).durations).toEqual([76]);
    expect(subscriptionLifetimes(rows, { asOf, unit: "week" }).durations[0]).toBe(76 / 7);
  });

  it("is independent of row order", () => {
    const a = subscriptionLifetimes(rows, { asOf });
    const b = subscriptionLifetimes([...rows].reverse(), { asOf });
    expect(b.durations).toEqual(a.durations);
  });

  it("bad options throw invalid_option", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as CxMetricsError).code;
      }
      return "no error";
    };
    expect(code(() => subscriptionLifetimes(rows, { asOf: "2025-12-31" }))).toBe("invalid_option");
    expect(code(() => subscriptionLifetimes(rows, { asOf, unit: "fortnight" as "day" }))).toBe(
      "invalid_option",
    );
    expect(code(() => subscriptionLifetimes(rows, { asOf, spells: "some" as "all" }))).toBe("invalid_option");
    expect(code(() => subscriptionLifetimes({} as unknown as [], { asOf }))).toBe("invalid_type");
  });
});
