import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/core/money.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { createMetricRegistry, extractMetricValue, freezeRegistry } from "../../src/scorecard/registry.js";

const def = {
  name: "x",
  unit: "points",
  direction: "higherIsBetter",
  kind: "opinion",
  compute: () => 1,
} as const;

describe("metric registry", () => {
  it("registers, lists in code-point order, copies a base registry", () => {
    const r = createMetricRegistry()
      .register(def)
      .register({ ...def, name: "B" })
      .register({ ...def, name: "__proto__" });
    expect(r.names()).toEqual(["B", "__proto__", "x"]);
    expect(r.get("__proto__")?.name).toBe("__proto__");
    expect(r.get("toString")).toBeUndefined();
    const copy = createMetricRegistry(r).register({ ...def, name: "y" });
    expect(copy.names()).toHaveLength(4);
    expect(r.has("y")).toBe(false);
  });

  it("rejects duplicates (unless replace), bad definitions, and writes to a frozen registry", () => {
    const r = createMetricRegistry().register(def);
    expect(() => r.register(def)).toThrow(/not yet registered/);
    expect(r.register({ ...def, unit: "share" }, { replace: true }).get("x")?.unit).toBe("share");
    expect(() => r.register({ ...def, name: "" })).toThrow(InvalidInputError);
    expect(() => r.register({ ...def, name: "z", direction: "up" as never })).toThrow(/direction/);
    expect(() => r.register({ ...def, name: "z", kind: "say" as never })).toThrow(/kind/);
    expect(() => r.register({ ...def, name: "z", compute: 3 as never })).toThrow(/compute/);
    const frozen = freezeRegistry(createMetricRegistry().register(def));
    expect(frozen.readOnly).toBe(true);
    expect(() => frozen.register({ ...def, name: "z" })).toThrow(/read-only/);
  });

  it("extractMetricValue: numbers, null, Decimal, dot paths, n", () => {
    expect(extractMetricValue(3, "score", "t")).toEqual({ value: 3, n: null });
    expect(extractMetricValue(null, "score", "t")).toEqual({ value: null, n: null });
    expect(extractMetricValue({ score: null, n: 0 }, "score", "t")).toEqual({ value: null, n: 0 });
    expect(extractMetricValue({ a: { b: new Decimal("12.5") }, n: 4 }, "a.b", "t")).toEqual({
      value: 12.5,
      n: 4,
    });
    expect(extractMetricValue(new Map([["score", 2]]), "score", "t")).toEqual({ value: 2, n: null });
    expect(extractMetricValue({ score: 1 }, "constructor", "t")).toEqual({ value: null, n: null });
    expect(() => extractMetricValue({ score: "1" }, "score", "t")).toThrow(/expected a number/);
    expect(() => extractMetricValue({ score: Number.POSITIVE_INFINITY }, "score", "t")).toThrow(/finite/);
  });
});
