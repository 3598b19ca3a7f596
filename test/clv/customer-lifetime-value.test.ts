import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bgNbdModel, fitBgNbd } from "../../src/clv/bg-nbd.js";
import { customerLifetimeValue } from "../../src/clv/customer-lifetime-value.js";
import { fitGammaGamma, gammaGammaModel } from "../../src/clv/gamma-gamma.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { describeShared } from "../helpers/shared.js";
import { cdnowSummary, expectRel } from "./cdnow.js";

const here = dirname(fileURLToPath(import.meta.url));
// test/fixtures/clv/clv_lifetimes.json, made by test/fixtures/clv/generate.py: the lifetimes recipe (monthly
// steps of 4.345 weeks, discount (1+d)^k) evaluated with mpmath at the clv.json reference parameters.
const fx = JSON.parse(readFileSync(join(here, "..", "fixtures", "clv", "clv_lifetimes.json"), "utf8"));

describe("customerLifetimeValue (lifetimes' monthly discretisation)", () => {
  const models = { purchases: bgNbdModel(fx.bgnbd), spend: gammaGammaModel(fx.gamma_gamma) };
  it("matches the mpmath evaluation of the lifetimes recipe at 1e-9 relative", () => {
    for (const row of fx.rows) {
      const r = customerLifetimeValue(models, [{ customerId: row.id, ...row }], {
        horizon: row.horizon,
        discountRate: row.discountRate,
        timeUnit: "week",
      });
      const c = r.customers[0]!;
      expect(c.customerId).toBe(row.id);
      expectRel(c.value, row.clv, 1e-9, 1e-15, `customer ${row.id} H=${row.horizon}`);
      expectRel(c.expectedPurchases, row.expectedPurchases, 1e-9, 1e-15);
      expectRel(c.expectedSpend, row.expectedSpend, 1e-9);
    }
  });
  it("without discounting over 1 month equals E[Y(4.345)]·E[Z]; margin scales linearly; days and weeks agree", () => {
    const c = { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 };
    const r = customerLifetimeValue(models, [c], { horizon: 1, discountRate: 0 });
    expectRel(
      r.customers[0]!.value,
      models.purchases.conditionalExpectedPurchases(4.345, c) * models.spend.conditionalExpectedValue(c)!,
      1e-12,
    );
    const half = customerLifetimeValue(models, [c], { horizon: 12, margin: 0.5 });
    const full = customerLifetimeValue(models, [c], { horizon: 12 });
    expectRel(half.total, full.total / 2, 1e-12);
    expect(full.discretisation).toMatch(/monthly/);
  });
  it("rejects bad options and customers", () => {
    const c = { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 };
    expect(() => customerLifetimeValue(models, [c], { horizon: 0 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => customerLifetimeValue(models, [c], { discountRate: -1 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => customerLifetimeValue(models, [c], { timeUnit: "year" as never })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => customerLifetimeValue({} as never, [c])).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => customerLifetimeValue(models, [{ ...c, monetaryValue: -1 }])).toThrow(InvalidInputError);
    expect(customerLifetimeValue(models, [])).toMatchObject({ n: 0, total: 0 });
  });
});

describeShared("customerLifetimeValue from models fitted on CDNOW", () => {
  it("is positive, finite and larger for customer 157 (x=29, recent) than for 244 (long gone)", () => {
    const s = cdnowSummary();
    const r = customerLifetimeValue(
      { purchases: fitBgNbd(s), spend: fitGammaGamma(s) },
      s.map((c) => ({ ...c, customerId: c.id })),
      { horizon: 12, discountRate: 0.01 },
    );
    expect(r.n).toBe(2357);
    for (const c of r.customers) expect(Number.isFinite(c.value) && c.value >= 0).toBe(true);
    const by = new Map(r.customers.map((c) => [c.customerId, c.value]));
    expect(by.get(157)!).toBeGreaterThan(by.get(244)!);
  });
});
