import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Measure, parseScorecard } from "../../src/schemas/scorecard.js";
import { isBetter, measureProgress, resolveThresholds, statusOf } from "../../src/scorecard/status.js";

/** A parsed measure with the given fields (validated through the schema). */
function measure(fields: Record<string, unknown>): Measure {
  const sc = parseScorecard({
    name: "t",
    perspectives: [
      {
        id: "p",
        name: "P",
        objectives: [
          {
            id: "o",
            statement: "s",
            measures: [{ id: "m", name: "m", kind: "activity", timing: "lagging", unit: "n", ...fields }],
          },
        ],
      },
    ],
  });
  return sc.perspectives[0]!.objectives[0]!.measures[0]!;
}

/** The next float above / below x. */
function up(x: number): number {
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] = x >= 0 ? u[0]! + 1n : u[0]! - 1n;
  return b[0]!;
}
function down(x: number): number {
  return -up(-x);
}

const status = (m: Measure, x: number | null) => statusOf(resolveThresholds(m), x);

describe("status: higherIsBetter (default: green ≥ target, amber ≥ target − 10 %·|target|)", () => {
  const m = measure({ direction: "higherIsBetter", baseline: 20, target: 40 });
  it("resolves the default boundaries", () => {
    expect(resolveThresholds(m)).toMatchObject({ green: 40, amber: 36 });
  });
  it("at and around each boundary", () => {
    expect(status(m, up(40))).toBe("green");
    expect(status(m, 40)).toBe("green");
    expect(status(m, down(40))).toBe("amber");
    expect(status(m, 36)).toBe("amber");
    expect(status(m, down(36))).toBe("red");
    expect(status(m, -100)).toBe("red");
    expect(status(m, null)).toBe("no_data");
  });
  it("negative targets use |target| (NPS target −10: amber from −11)", () => {
    const neg = measure({ direction: "higherIsBetter", baseline: -30, target: -10 });
    expect(resolveThresholds(neg)).toMatchObject({ green: -10, amber: -11 });
    expect(status(neg, -11)).toBe("amber");
    expect(status(neg, down(-11))).toBe("red");
  });
  it("a target of 0 takes the tolerance from |target − baseline|; without a baseline there is no amber band", () => {
    expect(
      resolveThresholds(measure({ direction: "higherIsBetter", baseline: -20, target: 0 })),
    ).toMatchObject({ green: 0, amber: -2 });
    const noBase = measure({ direction: "higherIsBetter", target: 0 });
    expect(resolveThresholds(noBase)).toMatchObject({ green: 0, amber: 0 });
    expect(status(noBase, -Number.MIN_VALUE)).toBe("red");
  });
  it("configurable: amberTolerance, absolute amber, green boundary away from the target", () => {
    expect(
      resolveThresholds(
        measure({
          direction: "higherIsBetter",
          baseline: 20,
          target: 40,
          thresholds: { amberTolerance: 0.25 },
        }),
      ),
    ).toMatchObject({ amber: 30 });
    const abs = measure({
      direction: "higherIsBetter",
      baseline: 20,
      target: 40,
      thresholds: { green: 38, amber: 30 },
    });
    expect(status(abs, 38)).toBe("green");
    expect(status(abs, down(38))).toBe("amber");
    expect(status(abs, 30)).toBe("amber");
    expect(status(abs, down(30))).toBe("red");
    const zero = measure({
      direction: "higherIsBetter",
      baseline: 20,
      target: 40,
      thresholds: { amberTolerance: 0 },
    });
    expect(status(zero, down(40))).toBe("red");
  });
});

describe("status: lowerIsBetter (default: green ≤ target, amber ≤ target + 10 %·|target|)", () => {
  const m = measure({ direction: "lowerIsBetter", baseline: 10, target: 4 });
  it("at and around each boundary", () => {
    const th = resolveThresholds(m);
    expect(th).toMatchObject({ green: 4 });
    expect(th.amber).toBe(4 + 0.1 * 4);
    expect(status(m, down(4))).toBe("green");
    expect(status(m, 4)).toBe("green");
    expect(status(m, up(4))).toBe("amber");
    expect(status(m, 4.4)).toBe("amber");
    expect(status(m, up(4.4))).toBe("red");
  });
  it("absolute amber boundary", () => {
    const abs = measure({ direction: "lowerIsBetter", baseline: 10, target: 4, thresholds: { amber: 6 } });
    expect(status(abs, 6)).toBe("amber");
    expect(status(abs, up(6))).toBe("red");
  });
});

describe("status: inRange (green inside [min, max], amber within 10 % of the nearer bound)", () => {
  const m = measure({ direction: "inRange", baseline: 3, target: { min: 10, max: 20 } });
  it("resolves the band", () => {
    expect(resolveThresholds(m)).toMatchObject({ green: { min: 10, max: 20 }, amber: { min: 9, max: 22 } });
  });
  it("at and around both bounds", () => {
    for (const [x, s] of [
      [down(9), "red"],
      [9, "amber"],
      [down(10), "amber"],
      [10, "green"],
      [15, "green"],
      [20, "green"],
      [up(20), "amber"],
      [22, "amber"],
      [up(22), "red"],
    ] as const)
      expect([x, status(m, x)]).toEqual([x, s]);
  });
  it("a bound of 0 takes the tolerance from the band's width; an absolute amber band", () => {
    expect(resolveThresholds(measure({ direction: "inRange", target: { min: 0, max: 5 } }))).toMatchObject({
      amber: { min: -0.5, max: 5.5 },
    });
    const abs = measure({
      direction: "inRange",
      target: { min: 10, max: 20 },
      thresholds: { amber: { min: 5, max: 30 } },
    });
    expect(status(abs, 5)).toBe("amber");
    expect(status(abs, down(5))).toBe("red");
    expect(status(abs, 30)).toBe("amber");
    expect(status(abs, up(30))).toBe("red");
  });
});

describe("progress from baseline to target", () => {
  it("higherIsBetter and lowerIsBetter: (actual − baseline) / (target − baseline), clamped and unclamped", () => {
    const h = measure({ direction: "higherIsBetter", baseline: 20, target: 40 });
    expect(measureProgress(h, 35)).toEqual({ clamped: 0.75, unclamped: 0.75, reason: null });
    expect(measureProgress(h, 50)).toEqual({ clamped: 1, unclamped: 1.5, reason: null });
    expect(measureProgress(h, 10)).toEqual({ clamped: 0, unclamped: -0.5, reason: null });
    const l = measure({ direction: "lowerIsBetter", baseline: 10, target: 4 });
    expect(measureProgress(l, 7)).toEqual({ clamped: 0.5, unclamped: 0.5, reason: null });
    expect(measureProgress(l, 13)).toEqual({ clamped: 0, unclamped: -0.5, reason: null });
  });
  it("inRange: 1 − distance(actual) / distance(baseline)", () => {
    const r = measure({ direction: "inRange", baseline: 30, target: { min: 10, max: 20 } });
    expect(measureProgress(r, 25)).toEqual({ clamped: 0.5, unclamped: 0.5, reason: null });
    expect(measureProgress(r, 15)).toEqual({ clamped: 1, unclamped: 1, reason: null });
    expect(measureProgress(r, 0)).toEqual({ clamped: 0, unclamped: 0, reason: null });
    expect(measureProgress(r, 45)).toEqual({ clamped: 0, unclamped: -1.5, reason: null });
  });
  it("null with a reason: no data, no baseline, target = baseline, baseline already in range", () => {
    expect(
      measureProgress(measure({ direction: "higherIsBetter", baseline: 1, target: 2 }), null).reason,
    ).toBe("no_data");
    expect(measureProgress(measure({ direction: "higherIsBetter", target: 2 }), 1).reason).toBe(
      "no_baseline",
    );
    expect(measureProgress(measure({ direction: "higherIsBetter", baseline: 2, target: 2 }), 1).reason).toBe(
      "target_equals_baseline",
    );
    expect(
      measureProgress(measure({ direction: "inRange", baseline: 2, target: { min: 1, max: 3 } }), 5).reason,
    ).toBe("baseline_in_range");
  });
  it("property: clamped progress is in [0, 1] and monotone in the actual for the direction", () => {
    const h = measure({ direction: "higherIsBetter", baseline: 20, target: 40 });
    const l = measure({ direction: "lowerIsBetter", baseline: 10, target: 4 });
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const ph = [measureProgress(h, lo).clamped!, measureProgress(h, hi).clamped!];
          const pl = [measureProgress(l, lo).clamped!, measureProgress(l, hi).clamped!];
          return ph.every((p) => p >= 0 && p <= 1) && ph[0]! <= ph[1]! && pl[0]! >= pl[1]!;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("isBetter", () => {
  it("by direction", () => {
    expect(isBetter({ direction: "higherIsBetter", target: 1 }, 2, 1)).toBe(true);
    expect(isBetter({ direction: "lowerIsBetter", target: 1 }, 2, 1)).toBe(false);
    expect(isBetter({ direction: "lowerIsBetter", target: 1 }, 1, 1)).toBeNull();
    expect(isBetter({ direction: "inRange", target: { min: 0, max: 1 } }, 1.5, 3)).toBe(true);
    expect(isBetter({ direction: "inRange", target: { min: 0, max: 1 } }, 0.2, 0.9)).toBeNull();
  });
});
