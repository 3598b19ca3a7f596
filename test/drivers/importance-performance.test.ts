/**
 * importancePerformance: quadrant rules (Martilla & James 1977), cut lines, measures, the Vega-Lite spec,
 * and consistency with keyDrivers. Expected values are computed by hand from the definitions.
 */
import { describe, expect, it } from "vitest";
import { importancePerformance, ipaQuadrant } from "../../src/drivers/importance-performance.js";
import { keyDrivers } from "../../src/drivers/key-drivers.js";

const nps = [9, 7, 3, 10, 6, 8, 2, 9, 5, 7, 10, 4];
const drivers = {
  speed: [5, 4, 2, 5, 3, 4, 1, 5, 3, 4, 5, 2],
  price: [3, 3, 2, 4, 3, 3, 2, 3, 3, 2, 4, 3],
  ease: [4, 4, 3, 5, 4, 5, 3, 4, 4, 4, 5, 4],
};

describe("importancePerformance", () => {
  it("quadrant rule", () => {
    const cut = { importance: 1, performance: 1 };
    expect(ipaQuadrant(2, 0, cut)).toBe("concentrate here");
    expect(ipaQuadrant(2, 2, cut)).toBe("keep up");
    expect(ipaQuadrant(0, 0, cut)).toBe("low priority");
    expect(ipaQuadrant(0, 2, cut)).toBe("possible overkill");
    expect(ipaQuadrant(1, 1, cut)).toBe("keep up"); // on the line counts as high
  });

  it("LMG importance, mean performance, mean cut lines", () => {
    const ipa = importancePerformance({ outcome: nps, drivers });
    const kd = keyDrivers({ outcome: nps, drivers });
    const means = Object.values(drivers).map((c) => c.reduce((s, v) => s + v, 0) / c.length);
    ipa.drivers.forEach((d, j) => {
      expect(d.importance).toBe(kd.drivers[j]!.lmg);
      expect(Math.abs(d.performance - means[j]!)).toBeLessThan(1e-12);
    });
    expect(Math.abs(ipa.cut.importance - kd.drivers.reduce((s, d) => s + d.lmg!, 0) / 3)).toBeLessThan(1e-12);
    expect(Math.abs(ipa.cut.performance - means.reduce((s, v) => s + v, 0) / 3)).toBeLessThan(1e-12);
    for (const d of ipa.drivers) expect(d.quadrant).toBe(ipaQuadrant(d.importance, d.performance, ipa.cut));
    expect(ipa.spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v6.json");
    expect(JSON.parse(JSON.stringify(ipa.spec))).toEqual(ipa.spec);
    const layer = (ipa.spec as unknown as { layer: { mark: { type: string } }[] }).layer;
    expect(layer.map((l) => l.mark.type)).toEqual(["rule", "rule", "point", "text"]);
  });

  it("top-box share, median cuts, other importance measures, fixed cuts", () => {
    const ipa = importancePerformance(
      { outcome: nps, drivers },
      { performance: "topBox", topBox: 4, cut: "median", importance: "pearson" },
    );
    expect(ipa.drivers.map((d) => d.performance)).toEqual([7 / 12, 2 / 12, 10 / 12]);
    expect(ipa.cut.performance).toBe(7 / 12);
    expect(ipa.cut.method).toBe("median");
    const kd = keyDrivers({ outcome: nps, drivers }, { lmg: "none" });
    ipa.drivers.forEach((d, j) => {
      expect(d.importance).toBe(kd.drivers[j]!.pearson.r);
    });
    const rw = importancePerformance(
      { outcome: nps, drivers },
      { importance: "relativeWeight", cut: { importance: 0.1, performance: 4 } },
    );
    expect(rw.cut).toEqual({ importance: 0.1, performance: 4, method: "fixed" });
    rw.drivers.forEach((d, j) => {
      expect(d.importance).toBe(kd.drivers[j]!.relativeWeight.raw);
    });
    const sb = importancePerformance({ outcome: nps, drivers }, { importance: "standardizedBeta" });
    sb.drivers.forEach((d, j) => {
      expect(d.importance).toBe(kd.drivers[j]!.standardizedBeta);
    });
  });

  it("rows-plus-accessors form gives the same result", () => {
    const rows = nps.map((v, i) => ({
      nps: v,
      speed: drivers.speed[i]!,
      price: drivers.price[i]!,
      ease: drivers.ease[i]!,
    }));
    const a = importancePerformance(rows, {
      outcome: (r) => r.nps,
      drivers: { speed: (r) => r.speed, price: (r) => r.price, ease: (r) => r.ease },
    });
    const b = importancePerformance({ outcome: nps, drivers });
    expect(a.drivers).toEqual(b.drivers);
  });
});
