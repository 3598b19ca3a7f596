import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InsufficientDataError, InvalidInputError } from "../../src/core/errors.js";
import { type ScorecardInput, parseScorecard } from "../../src/schemas/scorecard.js";
import { type ScorecardEvaluation, evaluateScorecard } from "../../src/scorecard/evaluate.js";
import { createMetricRegistry } from "../../src/scorecard/registry.js";
import { smallScorecard } from "./fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: tests mutate free-form JSON to build bad inputs
type Json = Record<string, any>;
const tol = (a: number | null, b: number, eps = 1e-12) => {
  expect(a).not.toBeNull();
  expect(Math.abs(a! - b)).toBeLessThanOrEqual(eps);
};

describe("evaluateScorecard from actuals", () => {
  it("per measure: actual, status, progress, gap to target, n", () => {
    const ev = evaluateScorecard(smallScorecard(), { nps: { value: 38, n: 412 }, frt: 3, contacts: 2.5 });
    const [nps, frt] = ev.perspectives[0]!.objectives[0]!.measures;
    const contacts = ev.perspectives[0]!.objectives[1]!.measures[0]!;
    expect(nps).toMatchObject({
      actual: 38,
      n: 412,
      status: "amber",
      points: 0.5,
      progress: 0.9,
      gapToTarget: -2,
      source: "actuals",
    });
    expect(frt).toMatchObject({
      actual: 3,
      status: "green",
      points: 1,
      progress: 1,
      progressUnclamped: 7 / 6,
      gapToTarget: -1,
    });
    // inRange [1, 2], amber up to 2.2: 2.5 is red; progress 1 − 0.5 / 1 = 0.5
    expect(contacts).toMatchObject({
      actual: 2.5,
      status: "red",
      points: 0,
      progress: 0.5,
      gapToTarget: 0.5,
    });
    expect(ev.mode).toBe("actuals");
  });

  it("roll-up: weighted mean of status points, thirds for the status", () => {
    const ev = evaluateScorecard(smallScorecard(), { nps: 38, frt: 3, contacts: 2.5 });
    const [recommend, easy] = ev.perspectives[0]!.objectives;
    expect(recommend).toMatchObject({
      score: 0.75,
      status: "green",
      counts: { green: 1, amber: 1, red: 0, no_data: 0 },
    });
    expect(easy).toMatchObject({ score: 0, status: "red" });
    expect(ev.perspectives[0]).toMatchObject({ score: 0.375, status: "amber" });
    expect(ev.summary).toMatchObject({
      score: 0.375,
      status: "amber",
      red: ["contacts"],
      amber: ["nps"],
      noData: [],
    });
    // recommend (0.9 + 1) / 2 = 0.95, easy 0.5; equal objective weights
    tol(ev.summary.progress, (0.95 + 0.5) / 2);
  });

  it("roll-up with missing measures: re-normalised over measures with data, coverage reported, never 0", () => {
    const ev = evaluateScorecard(smallScorecard(), { nps: 45, frt: null });
    const [recommend, easy] = ev.perspectives[0]!.objectives;
    expect(recommend).toMatchObject({
      score: 1,
      status: "green",
      coverage: { measures: 2, measuresWithData: 1, weightShare: 0.5 },
    });
    expect(recommend!.measures[1]).toMatchObject({
      status: "no_data",
      points: null,
      progress: null,
      progressNote: "no_data",
    });
    expect(easy).toMatchObject({
      score: null,
      status: "no_data",
      coverage: { measures: 1, measuresWithData: 0, weightShare: 0 },
    });
    // the perspective's score rests on "recommend" only; its coverage is 1/2 · 0.5 + 1/2 · 0
    expect(ev.perspectives[0]).toMatchObject({
      score: 1,
      status: "green",
      coverage: { measures: 3, measuresWithData: 1, weightShare: 0.25 },
    });
    expect(ev.summary.noData).toEqual(["frt", "contacts"]);
    expect(ev.warnings.map((w) => w.code)).toEqual(["partial_coverage", "partial_coverage"]);
    // nothing at all: no_data everywhere, no NaN
    const none = evaluateScorecard(smallScorecard(), {});
    expect(none.summary).toMatchObject({
      score: null,
      progress: null,
      status: "no_data",
      coverage: { weightShare: 0 },
    });
    expect(JSON.stringify(none)).not.toMatch(/NaN|Infinity/);
  });

  it("weights: relative weights, zero-weight measures are shown but do not count", () => {
    const sc = structuredClone(smallScorecard()) as Json;
    sc.perspectives[0].objectives[0].measures[0].weight = 3; // nps
    sc.perspectives[0].objectives[0].measures[1].weight = 1; // frt
    const ev = evaluateScorecard(sc as ScorecardInput, { nps: 45, frt: 20 });
    expect(ev.perspectives[0]!.objectives[0]!.score).toBe(0.75);
    sc.perspectives[0].objectives[0].measures[1].weight = 0;
    const ev0 = evaluateScorecard(sc as ScorecardInput, { nps: 45, frt: 20 });
    expect(ev0.perspectives[0]!.objectives[0]!).toMatchObject({ score: 1, status: "green" });
    expect(ev0.perspectives[0]!.objectives[0]!.measures[1]!.status).toBe("red");
  });

  it('rollUp: "worst" takes the worst weighted part', () => {
    const ev = evaluateScorecard(smallScorecard(), { nps: 38, frt: 3, contacts: 1.5 }, { rollUp: "worst" });
    expect(ev.perspectives[0]!.objectives[0]!.status).toBe("amber");
    expect(ev.summary).toMatchObject({ status: "amber", rule: "worst" });
    expect(() => evaluateScorecard(smallScorecard(), {}, { rollUp: "best" as never })).toThrow(
      InvalidInputError,
    );
  });

  it("change vs the previous period and gaps to benchmarks, by direction", () => {
    const sc = structuredClone(smallScorecard()) as Json;
    sc.perspectives[0].objectives[0].measures[0].benchmarks = [
      { name: "Competitor A", value: 31 },
      { name: "Competitor B", value: 45, source: "survey 2025" },
    ];
    sc.perspectives[0].objectives[0].measures[1].benchmarks = [{ name: "Competitor A", value: 5 }];
    const ev = evaluateScorecard(
      sc as ScorecardInput,
      new Map([
        ["nps", 38],
        ["frt", 6],
      ]),
      {
        period: "2026-Q1",
        previousActuals: { nps: 32, frt: 5, contacts: 3 },
      },
    );
    const [nps, frt] = ev.perspectives[0]!.objectives[0]!.measures;
    expect(nps!.change).toEqual({
      previous: 32,
      absolute: 6,
      relative: 6 / 32,
      improved: true,
      previousStatus: "red",
    });
    expect(frt!.change).toEqual({
      previous: 5,
      absolute: 1,
      relative: 0.2,
      improved: false,
      previousStatus: "red",
    });
    expect(ev.perspectives[0]!.objectives[1]!.measures[0]!.change).toMatchObject({
      previous: 3,
      absolute: null,
      improved: null,
    });
    expect(nps!.benchmarks).toEqual([
      { name: "Competitor A", value: 31, source: null, gap: 7, ahead: true },
      { name: "Competitor B", value: 45, source: "survey 2025", gap: -7, ahead: false },
    ]);
    expect(frt!.benchmarks).toEqual([{ name: "Competitor A", value: 5, source: null, gap: 1, ahead: false }]);
    expect(ev.period).toEqual({ label: "2026-Q1", from: null, to: null });
    const zero = evaluateScorecard(smallScorecard(), { nps: 5 }, { previousActuals: { nps: 0 } });
    expect(zero.perspectives[0]!.objectives[0]!.measures[0]!.change).toMatchObject({
      absolute: 5,
      relative: null,
      improved: true,
    });
  });

  it("links appear on the objectives (drivenBy / drives)", () => {
    const ev = evaluateScorecard(smallScorecard(), {});
    expect(ev.perspectives[0]!.objectives[0]).toMatchObject({
      id: "recommend",
      drivenBy: ["easy"],
      drives: [],
    });
    expect(ev.perspectives[0]!.objectives[1]).toMatchObject({
      id: "easy",
      drivenBy: [],
      drives: ["recommend"],
    });
  });

  it("bad actuals throw with the measure id in the path; unknown ids are warnings; inputs are not mutated", () => {
    const bad = (a: unknown) => {
      try {
        evaluateScorecard(smallScorecard(), a as never);
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        return e.issues.map((i) => [i.path.join("."), i.code]);
      }
      throw new Error("expected an error");
    };
    expect(bad({ nps: Number.NaN })).toEqual([["actuals.nps", "non_finite_value"]]);
    expect(bad({ nps: "38" })).toEqual([["actuals.nps", "invalid_type"]]);
    expect(bad({ nps: { value: 38, n: 1.5 } })).toEqual([["actuals.nps.n", "invalid_type"]]);
    expect(() => evaluateScorecard(smallScorecard(), [] as never)).toThrow(/actuals/);
    expect(() => evaluateScorecard({ name: "x" } as never, {})).toThrow(InvalidInputError);
    const actuals = { nps: 40, npss: 12, ["__proto__"]: 3 } as Record<string, number>;
    const frozen = JSON.stringify(actuals);
    const ev = evaluateScorecard(smallScorecard(), JSON.parse('{"nps": 40, "npss": 12, "__proto__": 3}'));
    expect(ev.warnings.filter((w) => w.code === "unknown_measure").map((w) => w.message)).toEqual([
      'actuals: no measure with id "npss"; value ignored',
      'actuals: no measure with id "__proto__"; value ignored',
    ]);
    expect(JSON.stringify(actuals)).toBe(frozen);
  });

  it("the evaluation is plain JSON (round-trips unchanged)", () => {
    const ev = evaluateScorecard(
      smallScorecard(),
      { nps: 38, frt: 3 },
      {
        period: { from: "2026-01-01", to: "2026-04-01", label: "Q1" },
        timeZone: "UTC",
        asOf: "2026-04-02T00:00:00Z",
      },
    );
    expect(JSON.parse(JSON.stringify(ev))).toEqual(ev);
    expect(ev.period).toEqual({
      label: "Q1",
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-04-01T00:00:00.000Z",
    });
    expect(ev.asOf).toBe("2026-04-02T00:00:00.000Z");
    expect(() =>
      evaluateScorecard(
        smallScorecard(),
        {},
        { period: { from: "2026-04-01T00:00:00Z", to: "2026-01-01T00:00:00Z" } },
      ),
    ).toThrow(/period.to/);
  });
});

describe("property: reordering does not change results", () => {
  /** A random scorecard: 1–3 perspectives, 1–3 objectives each, 1–4 measures each, random weights and actuals. */
  const arbCase = fc
    .array(
      fc.array(
        fc.array(
          fc.record({
            w: fc.integer({ min: 0, max: 5 }),
            dir: fc.constantFrom("higherIsBetter", "lowerIsBetter", "inRange"),
            actual: fc.option(fc.double({ min: -50, max: 150, noNaN: true }), { nil: null }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((ps) => {
      let k = 0;
      const actuals: Record<string, number | null> = {};
      const sc = {
        name: "random",
        perspectives: ps.map((os, pi) => ({
          id: `p${pi}`,
          name: `P${pi}`,
          weight: 1 + pi,
          objectives: os.map((ms, oi) => ({
            id: `p${pi}o${oi}`,
            statement: "s",
            weight: 1 + ((oi * 7) % 3),
            measures: ms.map((m, mi) => {
              const id = `m${k++}`;
              actuals[id] = m.actual;
              return {
                id,
                name: id,
                kind: "opinion",
                timing: "leading",
                unit: "points",
                direction: m.dir,
                // keep every group's weights positive in total
                weight: mi === 0 ? m.w + 1 : m.w,
                baseline: m.dir === "lowerIsBetter" ? 80 : 20,
                target: m.dir === "inRange" ? { min: 40, max: 60 } : m.dir === "lowerIsBetter" ? 30 : 70,
              };
            }),
          })),
        })),
      };
      return { sc, actuals };
    });

  function byId(ev: ScorecardEvaluation) {
    const out = new Map<string, unknown>();
    out.set("summary", {
      ...ev.summary,
      red: [...ev.summary.red].sort(),
      amber: [...ev.summary.amber].sort(),
      noData: [...ev.summary.noData].sort(),
    });
    for (const p of ev.perspectives) {
      out.set(p.id, { ...p, objectives: undefined });
      for (const o of p.objectives) {
        out.set(o.id, { ...o, measures: undefined });
        for (const m of o.measures) out.set(m.id, m);
      }
    }
    return out;
  }

  it("shuffling measures, objectives and perspectives gives the same numbers to the last bit", () => {
    fc.assert(
      fc.property(arbCase, fc.integer(), ({ sc, actuals }, seed) => {
        const base = evaluateScorecard(sc as ScorecardInput, actuals);
        let s = seed >>> 0;
        const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
        const shuffle = <T>(xs: T[]) => {
          const a = [...xs];
          for (let i = a.length - 1; i > 0; i--) {
            const j = Math.floor(rnd() * (i + 1));
            [a[i], a[j]] = [a[j]!, a[i]!];
          }
          return a;
        };
        const shuffled = {
          ...sc,
          perspectives: shuffle(
            sc.perspectives.map((p) => ({
              ...p,
              objectives: shuffle(p.objectives.map((o) => ({ ...o, measures: shuffle(o.measures) }))),
            })),
          ),
        };
        const entries = shuffle(Object.entries(actuals));
        const other = evaluateScorecard(shuffled as ScorecardInput, new Map(entries));
        const a = byId(base);
        const b = byId(other);
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        for (const [k, v] of a) expect(b.get(k)).toEqual(v);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("evaluateScorecard from data through a registry", () => {
  const rows = [
    { segment: "smb", v: 10, at: "2026-01-10T00:00:00Z" },
    { segment: "smb", v: 20, at: "2026-02-10T00:00:00Z" },
    { segment: "enterprise", v: 40, at: "2026-01-15T00:00:00Z" },
    { segment: "enterprise", v: 60, at: "2025-12-15T00:00:00Z" },
  ];
  let calls = 0;
  const registry = createMetricRegistry()
    .register({
      name: "meanV",
      unit: "points",
      direction: "higherIsBetter",
      kind: "activity",
      compute(data, params, ctx) {
        calls++;
        const xs = ((data.things ?? []) as typeof rows).filter((r) => {
          const t = Date.parse(r.at);
          return ctx.period === null || (t >= ctx.period.from && t < ctx.period.to);
        });
        if (xs.length === 0) throw new InsufficientDataError("meanV: no rows", "at least one row");
        const scale = typeof params.scale === "number" ? params.scale : 1;
        return {
          score: (scale * xs.reduce((a, r) => a + r.v, 0)) / xs.length,
          n: xs.length,
          detail: { max: Math.max(...xs.map((r) => r.v)) },
        };
      },
    })
    .register({
      name: "constant",
      unit: "points",
      direction: "lowerIsBetter",
      kind: "opinion",
      compute: () => 7,
    });

  const sc: ScorecardInput = {
    name: "data",
    perspectives: [
      {
        id: "p",
        name: "P",
        objectives: [
          {
            id: "o",
            statement: "s",
            measures: [
              {
                id: "all",
                name: "all",
                kind: "activity",
                timing: "lagging",
                unit: "points",
                direction: "higherIsBetter",
                baseline: 0,
                target: 30,
                binding: { metric: "meanV" },
              },
              {
                id: "max",
                name: "max",
                kind: "activity",
                timing: "lagging",
                unit: "points",
                direction: "higherIsBetter",
                target: 30,
                binding: { metric: "meanV", field: "detail.max" },
              },
              {
                id: "smb",
                name: "smb",
                kind: "activity",
                timing: "lagging",
                unit: "points",
                direction: "higherIsBetter",
                target: 30,
                segment: "smb",
                binding: { metric: "meanV", params: { scale: 2 } },
              },
              {
                id: "const",
                name: "c",
                kind: "opinion",
                timing: "leading",
                unit: "points",
                direction: "higherIsBetter",
                target: 5,
                binding: { metric: "constant" },
              },
              {
                id: "manual",
                name: "manual",
                kind: "opinion",
                timing: "leading",
                unit: "points",
                direction: "higherIsBetter",
                target: 5,
              },
            ],
          },
        ],
      },
    ],
  };

  it("computes bound measures for the window and segment, reads fields, caches identical computations", () => {
    calls = 0;
    const ev = evaluateScorecard(
      sc,
      { things: rows },
      {
        registry,
        period: { from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z", label: "2026-Q1" },
        previousPeriod: { from: "2025-10-01T00:00:00Z", to: "2026-01-01T00:00:00Z" },
        actuals: { manual: 6 },
      },
    );
    const ms = ev.perspectives[0]!.objectives[0]!.measures;
    expect(ev.mode).toBe("data");
    expect(ms.map((m) => [m.id, m.actual, m.n, m.source])).toEqual([
      ["all", (10 + 20 + 40) / 3, 3, "computed"],
      ["max", 40, 3, "computed"],
      ["smb", 2 * 15, 2, "computed"],
      ["const", 7, null, "computed"],
      ["manual", 6, null, "actuals"],
    ]);
    // "all" and "max" share one computation per window; smb is its own: 2 per window, 2 windows
    expect(calls).toBe(4);
    expect(ms[0]!.change).toMatchObject({ previous: 60, improved: false });
    // the previous quarter has no smb rows: InsufficientDataError → null, not a failure
    expect(ms[2]!.change).toMatchObject({ previous: null, absolute: null });
    expect(ev.warnings.map((w) => w.code)).toContain("direction_mismatch");
  });

  it("a metric that has no data gives no_data with the reason in notes and warnings", () => {
    const ev = evaluateScorecard(
      sc,
      { things: rows },
      { registry, period: { from: "2030-01-01T00:00:00Z", to: "2030-02-01T00:00:00Z" } },
    );
    const all = ev.perspectives[0]!.objectives[0]!.measures[0]!;
    expect(all).toMatchObject({ status: "no_data", actual: null });
    expect(all.notes[0]).toMatch(/meanV: no rows/);
    expect(ev.warnings.some((w) => w.code === "no_data" && w.message.includes('"all"'))).toBe(true);
  });

  it("unknown metrics and non-array data throw with paths; a manual actual excuses an unknown binding", () => {
    const bad = structuredClone(sc) as Json;
    bad.perspectives[0].objectives[0].measures[3].binding.metric = "nope";
    try {
      evaluateScorecard(bad as ScorecardInput, { things: rows }, { registry });
      throw new Error("expected an error");
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).issues[0]).toMatchObject({
        path: ["perspectives", 0, "objectives", 0, "measures", 3, "binding", "metric"],
        code: "invalid_option",
      });
    }
    expect(
      evaluateScorecard(
        bad as ScorecardInput,
        { things: rows },
        { registry, actuals: { const: 1, manual: 6 } },
      ).summary.counts.no_data,
    ).toBe(0);
    expect(() => evaluateScorecard(sc, { things: 3 } as never, { registry })).toThrow(/data.things/);
  });

  it("a field that is not a number throws invalid_type", () => {
    const bad = structuredClone(sc) as Json;
    bad.perspectives[0].objectives[0].measures[1].binding.field = "detail";
    expect(() => evaluateScorecard(bad as ScorecardInput, { things: rows }, { registry })).toThrow(
      /expected a number/,
    );
  });

  it("record arrays without a registry ask for one", () => {
    expect(() => evaluateScorecard(sc, { things: rows } as never)).toThrow(/registry/);
  });

  it("parseScorecard output and raw input evaluate the same", () => {
    const a = evaluateScorecard(sc, { things: rows }, { registry });
    const b = evaluateScorecard(parseScorecard(sc), { things: rows }, { registry });
    expect(b).toEqual(a);
  });
});
