/**
 * acquisition() on ../shared/data/subscriptions/subscriptions.csv against
 * ../shared/reference/retention.json (`acquisition` section, made by
 * shared/reference/retention_reference.py with exact rationals; gross margin 0.8).
 * Tolerances: counts exact; money |diff| ≤ 1e-9 (reference printed with 12 fraction digits);
 * cac_payback_months exact float64 (the reference is float(Fraction), the correctly rounded ratio).
 * Period-based: re-run under TZ=America/New_York and TZ=Asia/Kolkata; results must not change.
 */
import { expect, it } from "vitest";
import {
  type AcquisitionFigures,
  acquisition,
  acquiredCustomers,
} from "../../src/acquisition/acquisition.js";
import { Decimal } from "../../src/core/money.js";
import { parseSubscriptions } from "../../src/schemas/subscription.js";
import { describeShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";

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

const money = (got: Decimal | null, ref: string | null, where: string) => {
  if (ref === null) expect(got, where).toBeNull();
  else expect(got!.minus(new Decimal(ref)).abs().toNumber(), where).toBeLessThanOrEqual(1e-9);
};

function expectFigures(got: AcquisitionFigures | undefined, ref: RefFigures, where: string) {
  expect(got, where).toBeDefined();
  const g = got!;
  expect(g.newCustomers, where).toBe(ref.new_customers);
  expect(g.signups, where).toBe(ref.signups);
  money(g.acquisitionCostOfNew, ref.acquisition_cost_of_new, `${where} cost of new`);
  money(g.cac, ref.cac, `${where} cac`);
  money(g.acquisitionCostOfSignups, ref.acquisition_cost_of_signups, `${where} cost of signups`);
  money(g.cacBlendedSignupSpend, ref.cac_blended_signup_spend, `${where} blended cac`);
  money(g.averageNewMrr, ref.avg_new_mrr, `${where} avg new mrr`);
  expect(g.cacPaybackMonths, `${where} payback`).toBe(ref.cac_payback_months);
}

describeShared("acquisition: shared subscriptions reference", () => {
  const ref = readSharedJson<{ acquisition: RefAcquisition; meta: { as_of: string } }>(
    "reference",
    "retention.json",
  );
  const subs = parseSubscriptions(parseCsv(readShared("data", "subscriptions", "subscriptions.csv")));
  const r = acquisition(subs, {
    period: "month",
    timeZone: "UTC",
    grossMargin: ref.acquisition.gross_margin,
    from: "2025-01-01",
    to: "2026-06-30",
    asOf: ref.meta.as_of,
  });

  it("per month, all channels and each channel", () => {
    expect(r.periods.map((p) => p.label)).toEqual(ref.acquisition.monthly.map((m) => m.month));
    r.periods.forEach((p, k) => {
      const m = ref.acquisition.monthly[k]!;
      expectFigures(p, m, p.label);
      expect([...p.groups.keys()]).toEqual(Object.keys(m.by_channel).sort());
      for (const [ch, f] of Object.entries(m.by_channel))
        expectFigures(p.groups.get(ch), f, `${p.label} ${ch}`);
      expect([...p.groups.values()].reduce((s, g) => s + g.newCustomers, 0)).toBe(p.newCustomers);
    });
  });

  it("window totals, all channels and each channel", () => {
    const { all, ...channels } = ref.acquisition.window_total;
    expectFigures(r.total, all!, "window");
    for (const [ch, f] of Object.entries(channels)) expectFigures(r.total.groups.get(ch), f, `window ${ch}`);
  });

  it("organic customers cost nothing: CAC 0 and payback 0, not null", () => {
    const o = r.total.groups.get("organic")!;
    expect(o.cac!.isZero()).toBe(true);
    expect(o.cacPaybackMonths).toBe(0);
  });

  it("customer derivation: the offset-written customer and a trial-only one", () => {
    const cs = acquiredCustomers(subs, { asOf: ref.meta.as_of });
    expect(cs.get("cus_01507")!.firstPaidAt!.toISOString()).toBe("2025-08-01T02:30:00.000Z");
    expect(cs.get("cus_01504")!.firstPaidAt).toBeNull();
  });
});
