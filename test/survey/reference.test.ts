/**
 * Reference values: ../shared/reference/survey.json (shared/reference/survey_reference.py: numpy,
 * scipy 1.10, statsmodels 0.13.5 proportion_confint) over ../shared/data/survey/responses.csv.
 * Tolerance 1e-9 absolute (closed forms), as issue 3 asks.
 */
import { describe, expect, it } from "vitest";
import { groupBy } from "../../src/core/accumulator.js";
import type { SurveyResponse } from "../../src/schemas/survey.js";
import { npsDifference } from "../../src/survey/nps-difference.js";
import { nps } from "../../src/survey/nps.js";
import { describeShared } from "../helpers/shared.js";
import { type RefDifference, TOL, checkGroup, close, closeInterval, loadSurvey } from "./reference.js";

const identity = {
  init: (): SurveyResponse[] => [],
  add: (s: SurveyResponse[], r: SurveyResponse) => {
    s.push(r);
    return s;
  },
  merge: (a: SurveyResponse[], b: SurveyResponse[]) => a.concat(b),
  result: (s: SurveyResponse[]) => s,
};

describeShared("survey reference values (survey.json)", () => {
  it("parses all 5000 rows of responses.csv", () => {
    const { records, ref } = loadSurvey();
    expect(records).toHaveLength(ref.input.rows);
    expect(records.filter((r) => r.csat === null)).toHaveLength(149);
    expect(records.filter((r) => r.ces === null)).toHaveLength(149);
  });

  it("overall NPS, CSAT (every interval) and CES", () => {
    const { records, ref } = loadSurvey();
    checkGroup(records, ref.overall, "overall");
    expect(ref.z_975).toBe(1.959963984540054);
  });

  it("per segment, with __proto__ as a plain key (groupBy returns a Map)", () => {
    const { records, ref } = loadSurvey();
    const groups = groupBy(records, (r) => r.segment, identity, { order: "key" });
    expect([...groups.keys()]).toEqual(ref.by_segment.map((g) => g.key));
    expect(groups.has("__proto__")).toBe(true);
    for (const g of ref.by_segment) checkGroup(groups.get(g.key!)!, g, `segment ${g.key}`);
  });

  it("per channel", () => {
    const { records, ref } = loadSurvey();
    const groups = groupBy(records, (r) => r.channel, identity, { order: "key" });
    expect([...groups.keys()]).toEqual(ref.by_channel.map((g) => g.key));
    for (const g of ref.by_channel) checkGroup(groups.get(g.key as never)!, g, `channel ${g.key}`);
  });

  describe("npsDifference between segments", () => {
    const check = (d: RefDifference) => {
      const { records } = loadSurvey();
      const a = records.filter((r) => r.segment === d.a).map((r) => r.nps);
      const b = records.filter((r) => r.segment === d.b).map((r) => r.nps);
      const w = npsDifference(a, b);
      expect([w.a.n, w.b.n]).toEqual([d.n_a, d.n_b]);
      close(w.a.score, d.nps_a, TOL, "nps_a");
      close(w.b.score, d.nps_b, TOL, "nps_b");
      close(w.difference, d.difference, TOL, "difference");
      close(w.standardError, d.se, TOL, "se");
      close(w.z, d.z, TOL, "z");
      close(w.pValue, d.p_value, TOL, "p");
      expect(Math.abs(w.pValue! - d.p_value)).toBeLessThanOrEqual(1e-9 * d.p_value + 1e-300);
      closeInterval(w.ci, d.ci, 1, "ci");
      expect(w.method).toBe("wald");
      // the same from NpsResult objects
      const fromResults = npsDifference(nps(a), nps(b));
      expect(fromResults.difference).toBe(w.difference);
      expect(fromResults.standardError).toBe(w.standardError);

      const ad = npsDifference(a, b, { method: "adjustedWald" });
      const ra = d.adjusted_wald;
      close(ad.difference, ra.difference, TOL, "adj difference");
      close(ad.standardError, ra.se, TOL, "adj se");
      close(ad.z, ra.z, TOL, "adj z");
      expect(Math.abs(ad.pValue! - ra.p_value)).toBeLessThanOrEqual(1e-9 * ra.p_value + 1e-300);
      closeInterval(ad.ci, ra.ci, 1, "adj ci");
      expect(ad.ci!.method).toBe("adjustedWald");
    };
    describeShared("pairs", () => {
      it("primary pair (enterprise vs smb)", () => check(loadSurvey().ref.nps_difference.primary));
      it("every unordered pair of segments", () => {
        const pairs = loadSurvey().ref.nps_difference.segment_pairs;
        expect(pairs).toHaveLength(6);
        for (const d of pairs) check(d);
      });
    });
  });
});
