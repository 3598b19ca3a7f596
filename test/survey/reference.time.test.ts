/**
 * Per-month reference values (../shared/reference/survey.json `by_month`, made by
 * shared/reference/survey_reference.py): calendar months of the instant in Europe/Berlin and in UTC,
 * half-open local months, via core `byPeriod`. Tolerance 1e-9 absolute. Results must not depend
 * on the process TZ (CI re-runs this file under TZ=America/New_York and TZ=Asia/Kolkata).
 */
import { expect, it } from "vitest";
import { byPeriod } from "../../src/core/by-period.js";
import { mapInput } from "../../src/core/accumulator.js";
import type { SurveyResponse } from "../../src/schemas/survey.js";
import { npsAccumulator } from "../../src/survey/nps.js";
import { describeShared } from "../helpers/shared.js";
import { checkGroup, checkNps, loadSurvey } from "./reference.js";

const collect = {
  init: (): SurveyResponse[] => [],
  add: (s: SurveyResponse[], r: SurveyResponse) => {
    s.push(r);
    return s;
  },
  merge: (a: SurveyResponse[], b: SurveyResponse[]) => a.concat(b),
  result: (s: SurveyResponse[]) => s,
};

describeShared("survey by month (survey.json by_month)", () => {
  for (const zone of ["Europe/Berlin", "UTC"] as const) {
    it(`every metric per month in ${zone}`, () => {
      const { records, ref } = loadSurvey();
      const months = byPeriod(
        records,
        { at: (r) => r.submittedAtMs, period: "month", timeZone: zone },
        collect,
      );
      expect(months.map((m) => m.label)).toEqual(ref.by_month[zone].map((g) => g.key));
      for (const [k, g] of ref.by_month[zone].entries()) checkGroup(months[k]!.result, g, `${zone} ${g.key}`);
    });

    it(`NPS accumulator straight from byPeriod in ${zone} (instants as written, with offsets)`, () => {
      const { records, ref } = loadSurvey();
      const wald = byPeriod(
        records,
        { at: (r) => r.submittedAt, period: "month", timeZone: zone },
        mapInput(npsAccumulator(), (r: SurveyResponse) => r.nps),
      );
      const adj = byPeriod(
        records,
        { at: (r) => r.submittedAt, period: "month", timeZone: zone },
        mapInput(npsAccumulator({ ci: "adjustedWald" }), (r: SurveyResponse) => r.nps),
      );
      for (const [k, g] of ref.by_month[zone].entries())
        checkNps(wald[k]!.result, adj[k]!.result, g.nps, `${zone} ${g.key}`);
    });
  }

  it("rows whose Berlin month differs from their UTC month", () => {
    const { records, ref } = loadSurvey();
    const fmt = (zone: string) =>
      new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" });
    const berlin = fmt("Europe/Berlin");
    const utc = fmt("UTC");
    const changed = records.filter((r) => berlin.format(r.submittedAtMs) !== utc.format(r.submittedAtMs));
    expect(changed).toHaveLength(ref.month_changes.rows_with_different_month);
  });
});
