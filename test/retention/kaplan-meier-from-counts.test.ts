/**
 * kaplanMeierFromCounts: a life table (distinct times, counts, event counts) gives the result of
 * kaplanMeier on the durations it describes, float for float (both run the same code); bad counts
 * throw with the index. Reference values for the curve itself are in kaplan-meier.test.ts (R survfit).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type KaplanMeierCiKind,
  type KaplanMeierResult,
  kaplanMeier,
  kaplanMeierFromCounts,
} from "../../src/retention/kaplan-meier.js";

/** The life table of durations/events, as an engine's GROUP BY would return it. */
function lifeTable(durations: readonly number[], events: readonly number[]) {
  const cells = new Map<number, [number, number]>();
  durations.forEach((t, i) => {
    const c = cells.get(t) ?? [0, 0];
    c[0] += 1;
    c[1] += events[i]!;
    cells.set(t, c);
  });
  const rows = [...cells].sort((a, b) => a[0] - b[0]);
  return { time: rows.map((r) => r[0]), count: rows.map((r) => r[1][0]), events: rows.map((r) => r[1][1]) };
}

function expectSame(got: KaplanMeierResult, want: KaplanMeierResult) {
  const { at: a, ...g } = got;
  const { at: b, ...w } = want;
  expect(g).toEqual(w);
  for (const t of [-1, 0, ...want.curve.time, ...want.curve.time.map((x) => x + 0.25), 1e9])
    expect(a(t)).toEqual(b(t));
}

const sampleArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.boolean()), { maxLength: 80 })
  .map((xs) => ({ durations: xs.map((x) => x[0] / 2), events: xs.map((x) => (x[1] ? 1 : 0)) }));

describe("kaplanMeierFromCounts", () => {
  it("equals kaplanMeier on the durations the life table describes (every option)", () => {
    fc.assert(
      fc.property(
        sampleArb,
        fc.constantFrom<KaplanMeierCiKind>("plain", "log", "logLog"),
        fc.constantFrom<"event" | "all">("event", "all"),
        fc.constantFrom<"r" | "strict">("r", "strict"),
        fc.constantFrom(0.9, 0.95),
        (data, ci, times, median, level) => {
          const o = { ci, times, median, level };
          expectSame(kaplanMeierFromCounts(lifeTable(data.durations, data.events), o), kaplanMeier(data, o));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("accepts typed arrays and keeps its own copy of the times", () => {
    const time = new Float64Array([1, 2, 3]);
    const km = kaplanMeierFromCounts({ time, count: new Uint32Array([2, 1, 1]), events: [1, 1, 0] });
    time[0] = 100;
    expect(km.at(1).atRisk).toBe(4);
    expect(km.curve.time).toEqual([1, 2]);
    expect(km.n).toBe(4);
    expect(km.censored).toBe(2);
  });

  it("empty life table: the n 0 result of kaplanMeier", () => {
    expectSame(
      kaplanMeierFromCounts({ time: [], count: [], events: [] }),
      kaplanMeier({ durations: [], events: [] }),
    );
  });

  it("bad input throws with stable codes and the index", () => {
    const err = (counts: unknown, options?: object) => {
      try {
        kaplanMeierFromCounts(counts as never, options);
      } catch (e) {
        const x = e as { code: string; issues?: { index: number | null; path: unknown[] }[] };
        return [x.code, x.issues?.[0]?.index ?? null, x.issues?.[0]?.path ?? null];
      }
      return ["no error"];
    };
    const ok = { time: [1, 2], count: [1, 1], events: [1, 0] };
    expect(err(ok)).toEqual(["no error"]);
    expect(err(null)).toEqual(["invalid_type", null, []]);
    expect(err({ time: [1] })).toEqual(["invalid_type", null, []]);
    expect(err({ ...ok, count: [1] })).toEqual(["length_mismatch", null, ["count"]]);
    expect(err({ ...ok, events: [1, 0, 0] })).toEqual(["length_mismatch", null, ["events"]]);
    expect(err({ ...ok, time: [2, 1] })).toEqual(["out_of_range", 1, ["time"]]);
    expect(err({ ...ok, time: [1, 1] })).toEqual(["out_of_range", 1, ["time"]]);
    expect(err({ ...ok, time: [-1, 1] })).toEqual(["out_of_range", 0, ["time"]]);
    expect(err({ ...ok, time: [1, Number.NaN] })).toEqual(["non_finite_value", 1, ["time"]]);
    expect(err({ ...ok, time: [1, Number.POSITIVE_INFINITY] })).toEqual(["non_finite_value", 1, ["time"]]);
    expect(err({ ...ok, time: [1, null] })).toEqual(["missing_value", 1, ["time"]]);
    expect(err({ ...ok, count: [1, 0] })).toEqual(["out_of_range", 1, ["count"]]);
    expect(err({ ...ok, count: [1.5, 1] })).toEqual(["not_an_integer", 0, ["count"]]);
    expect(err({ ...ok, count: ["1", 1] })).toEqual(["invalid_type", 0, ["count"]]);
    expect(err({ ...ok, events: [2, 0] })).toEqual(["out_of_range", 0, ["events"]]);
    expect(err({ ...ok, events: [-1, 0] })).toEqual(["out_of_range", 0, ["events"]]);
    expect(err({ ...ok, events: [true, 0] })).toEqual(["invalid_type", 0, ["events"]]);
    expect(err(ok, { level: 2 })[0]).toBe("invalid_option");
    expect(err(ok, { ci: "arcsine" })[0]).toBe("invalid_option");
    expect(err(ok, { times: "some" })[0]).toBe("invalid_option");
    // the counts must sum to a safe integer
    expect(err({ time: [1, 2], count: [2 ** 52, 2 ** 52], events: [0, 0] })).toEqual([
      "out_of_range",
      null,
      ["count"],
    ]);
  });
});
