import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { parseScorecard, safeParseScorecard } from "../../src/schemas/scorecard.js";
import { exampleScorecardJson, smallScorecard } from "../scorecard/fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: tests mutate free-form JSON to build bad inputs
type Json = Record<string, any>;

/** The issues of a failing parse, as [path joined by ".", code]. */
function issuesOf(input: unknown): [string, string][] {
  const r = safeParseScorecard(input);
  if (r.success) throw new Error("expected the scorecard to be rejected");
  expect(r.error).toBeInstanceOf(InvalidInputError);
  expect(r.error.code).toBe("invalid_record");
  return r.error.issues.map((i) => [i.path.join("."), i.code]);
}

function mutate(f: (sc: Json) => void): Json {
  const sc = structuredClone(smallScorecard()) as Json;
  f(sc);
  return sc;
}

const M = "perspectives.0.objectives.0.measures";

describe("parseScorecard: valid input", () => {
  it("fills defaults (weight 1, no benchmarks, no links) and does not mutate the input", () => {
    const input = smallScorecard();
    const copy = structuredClone(input);
    const sc = parseScorecard(input);
    expect(input).toEqual(copy);
    expect(sc.perspectives[0]!.weight).toBe(1);
    expect(sc.perspectives[0]!.objectives[0]!.measures[0]!.weight).toBe(1);
    expect(sc.perspectives[0]!.objectives[0]!.measures[0]!.benchmarks).toEqual([]);
    expect(parseScorecard({ ...input, links: undefined }).links).toEqual([]);
  });

  it("accepts the worked example and a parsed scorecard again (idempotent)", () => {
    const sc = parseScorecard(exampleScorecardJson());
    expect(parseScorecard(sc)).toEqual(sc);
    expect(sc.perspectives[0]!.objectives.map((o) => o.statement)).toContain("Acme is easy to deal with");
  });

  it("accepts a target equal to the baseline (hold the line) and weights summing to weightTotal", () => {
    const sc = mutate((s) => {
      s.weightTotal = 1;
      s.perspectives[0].objectives[0].weight = 0.6;
      s.perspectives[0].objectives[1].weight = 0.4;
      s.perspectives[0].objectives[0].measures[0].weight = 0.7;
      s.perspectives[0].objectives[0].measures[1].weight = 0.3;
      s.perspectives[0].objectives[0].measures[0].target = 20;
    });
    expect(safeParseScorecard(sc).success).toBe(true);
  });
});

describe("parseScorecard: each error path", () => {
  it("shape errors carry zod's codes and full paths", () => {
    expect(issuesOf(mutate((s) => (s.perspectives[0].objectives[0].measures[1].direction = "up")))).toEqual([
      [`${M}.1.direction`, "invalid_value"],
    ]);
    expect(issuesOf(mutate((s) => (s.perspectives[0].objectives[0].measures[0].kind = "say")))).toEqual([
      [`${M}.0.kind`, "invalid_value"],
    ]);
    expect(
      issuesOf(mutate((s) => (s.perspectives[0].objectives[0].measures[0].target = Number.NaN))).map(
        (i) => i[0],
      ),
    ).toContain(`${M}.0.target`);
    expect(issuesOf(mutate((s) => (s.perspectives[0].objectives[0].measures[0].thresold = 3)))).toEqual([
      [`${M}.0`, "unrecognized_keys"],
    ]);
    expect(issuesOf(mutate((s) => (s.perspectives[0].objectives[1].statement = "")))).toEqual([
      ["perspectives.0.objectives.1.statement", "too_small"],
    ]);
    // refinements still run after non-fatal shape issues: the link now names unknown objectives too
    expect(issuesOf(mutate((s) => (s.perspectives = [])))).toEqual([
      ["perspectives", "too_small"],
      ["links.0.from", "unknown_reference"],
      ["links.0.to", "unknown_reference"],
    ]);
    expect(issuesOf(null)).toEqual([["", "invalid_type"]]);
  });

  it("negative weights at every level", () => {
    expect(
      issuesOf(
        mutate((s) => {
          s.perspectives[0].weight = -1;
          s.perspectives[0].objectives[1].weight = -0.5;
          s.perspectives[0].objectives[0].measures[1].weight = -2;
        }),
      ),
    ).toEqual([
      ["perspectives.0.weight", "too_small"],
      ["perspectives.0.objectives.0.measures.1.weight", "too_small"],
      ["perspectives.0.objectives.1.weight", "too_small"],
    ]);
  });

  it("weights that do not sum to weightTotal, and groups whose weights are all 0", () => {
    // one perspective (1) and the single measure of "easy" (1) do sum to 1; the pairs (2) do not
    expect(issuesOf(mutate((s) => (s.weightTotal = 1)))).toEqual([
      ["perspectives.0.objectives", "weight_sum"],
      ["perspectives.0.objectives.0.measures", "weight_sum"],
    ]);
    expect(issuesOf(mutate((s) => (s.weightTotal = 2)))).toEqual([
      ["perspectives", "weight_sum"],
      ["perspectives.0.objectives.1.measures", "weight_sum"],
    ]);
    expect(
      issuesOf(
        mutate((s) => {
          s.perspectives[0].objectives[0].measures[0].weight = 0;
          s.perspectives[0].objectives[0].measures[1].weight = 0;
        }),
      ),
    ).toEqual([[`${M}`, "weight_sum"]]);
  });

  it("duplicate perspective, objective and measure ids (measure ids are unique across objectives)", () => {
    const sc = mutate((s) => {
      s.perspectives.push({ id: "customer", name: "Again", objectives: [] });
      s.perspectives[0].objectives[1].id = "recommend";
      s.perspectives[0].objectives[1].measures[0].id = "nps";
    });
    const issues = issuesOf(sc);
    expect(issues).toContainEqual(["perspectives.1.id", "duplicate_id"]);
    expect(issues).toContainEqual(["perspectives.0.objectives.1.id", "duplicate_id"]);
    expect(issues).toContainEqual(["perspectives.0.objectives.1.measures.0.id", "duplicate_id"]);
    // the link easy → recommend now names an unknown objective
    expect(issues).toContainEqual(["links.0.from", "unknown_reference"]);
  });

  it("targets on the wrong side of the baseline, for each direction", () => {
    expect(issuesOf(mutate((s) => (s.perspectives[0].objectives[0].measures[0].target = 19)))).toEqual([
      [`${M}.0.target`, "target_wrong_side"],
    ]);
    expect(issuesOf(mutate((s) => (s.perspectives[0].objectives[0].measures[1].target = 11)))).toEqual([
      [`${M}.1.target`, "target_wrong_side"],
    ]);
  });

  it("a target of the wrong type for the direction", () => {
    expect(issuesOf(mutate((s) => (s.perspectives[0].objectives[1].measures[0].target = 2)))).toEqual([
      ["perspectives.0.objectives.1.measures.0.target", "target_type"],
    ]);
    expect(
      issuesOf(mutate((s) => (s.perspectives[0].objectives[0].measures[0].target = { min: 30, max: 50 }))),
    ).toEqual([[`${M}.0.target`, "target_type"]]);
    expect(
      issuesOf(mutate((s) => (s.perspectives[0].objectives[1].measures[0].target = { min: 3, max: 1 }))),
    ).toEqual([["perspectives.0.objectives.1.measures.0.target.max", "custom"]]);
  });

  it("thresholds that contradict the direction", () => {
    const th = (i: number, o: number, t: unknown) =>
      mutate((s) => (s.perspectives[0].objectives[o].measures[i].thresholds = t));
    expect(issuesOf(th(0, 0, { amber: 45 }))).toEqual([[`${M}.0.thresholds.amber`, "invalid_threshold"]]);
    expect(issuesOf(th(1, 0, { amber: 3 }))).toEqual([[`${M}.1.thresholds.amber`, "invalid_threshold"]]);
    expect(issuesOf(th(0, 0, { amber: 30, amberTolerance: 0.2 }))).toEqual([
      [`${M}.0.thresholds.amber`, "invalid_threshold"],
    ]);
    expect(issuesOf(th(0, 0, { amber: { min: 1, max: 2 } }))).toEqual([
      [`${M}.0.thresholds.amber`, "target_type"],
    ]);
    expect(issuesOf(th(0, 0, { amberTolerance: -0.1 }))).toEqual([
      [`${M}.0.thresholds.amberTolerance`, "too_small"],
    ]);
    const R = "perspectives.0.objectives.1.measures.0.thresholds";
    expect(issuesOf(th(0, 1, { green: 1 }))).toEqual([[`${R}.green`, "invalid_threshold"]]);
    expect(issuesOf(th(0, 1, { amber: 3 }))).toEqual([[`${R}.amber`, "target_type"]]);
    expect(issuesOf(th(0, 1, { amber: { min: 1.5, max: 3 } }))).toEqual([
      [`${R}.amber`, "invalid_threshold"],
    ]);
    expect(safeParseScorecard(th(0, 1, { amber: { min: 0, max: 3 } })).success).toBe(true);
  });

  it("links to unknown objectives, duplicate links, links to measures", () => {
    expect(
      issuesOf(
        mutate((s) => {
          s.links.push({ from: "nps", to: "recommend" }, { from: "easy", to: "recommend" });
        }),
      ),
    ).toEqual([
      ["links.1.from", "unknown_reference"],
      ["links.2", "duplicate_id"],
    ]);
  });
});

describe("parseScorecard: cause-and-effect links form a DAG", () => {
  function chain(links: [string, string][]): Json {
    const ids = [...new Set(links.flat())];
    return {
      name: "dag",
      perspectives: [
        {
          id: "p",
          name: "P",
          objectives: ids.map((id) => ({
            id,
            statement: `objective ${id}`,
            measures: [
              {
                id: `m-${id}`,
                name: id,
                kind: "activity",
                timing: "lagging",
                unit: "n",
                direction: "higherIsBetter",
                target: 1,
              },
            ],
          })),
        },
      ],
      links: links.map(([from, to]) => ({ from, to })),
    };
  }

  it("accepts a diamond (a DAG with two paths)", () => {
    expect(
      safeParseScorecard(
        chain([
          ["a", "b"],
          ["a", "c"],
          ["b", "d"],
          ["c", "d"],
        ]),
      ).success,
    ).toBe(true);
  });

  it("reports a self-loop, a two-cycle and a long cycle with their ids", () => {
    const self = safeParseScorecard(chain([["a", "a"]]));
    expect(self.success).toBe(false);
    if (!self.success) {
      expect(self.error.issues).toHaveLength(1);
      expect(self.error.issues[0]).toMatchObject({ path: ["links", 0], code: "cycle" });
      expect(self.error.issues[0]!.message).toContain("a → a");
    }
    expect(
      issuesOf(
        chain([
          ["a", "b"],
          ["b", "a"],
        ]),
      ),
    ).toEqual([["links.1", "cycle"]]);
    const long = safeParseScorecard(
      chain([
        ["a", "b"],
        ["b", "c"],
        ["c", "d"],
        ["x", "a"],
        ["d", "b"],
      ]),
    );
    if (long.success) throw new Error("expected a cycle");
    expect(long.error.issues.map((i) => i.code)).toEqual(["cycle"]);
    expect(long.error.issues[0]!.path).toEqual(["links", 4]);
    expect(long.error.issues[0]!.message).toContain("b → c → d → b");
  });

  it("reports two disjoint cycles separately", () => {
    const r = safeParseScorecard(
      chain([
        ["a", "b"],
        ["b", "a"],
        ["c", "d"],
        ["d", "c"],
      ]),
    );
    if (r.success) throw new Error("expected cycles");
    expect(r.error.issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["links.1", "cycle"],
      ["links.3", "cycle"],
    ]);
  });

  it("parseScorecard throws the same error", () => {
    expect(() =>
      parseScorecard(
        chain([
          ["a", "b"],
          ["b", "a"],
        ]),
      ),
    ).toThrow(/cycle a → b → a/);
  });
});
