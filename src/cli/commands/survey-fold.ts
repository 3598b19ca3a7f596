/**
 * What `cxmetrics survey` folds, as plain settings: the NPS/CSAT/CES accumulator and the group and
 * period keys of a validated response. Shared by the in-memory, streaming, worker-thread and SQL
 * paths, so every path builds the same accumulator from the same options (a stream worker gets the
 * settings as data and rebuilds the fold with {@link surveyFoldOptions}).
 *
 * @module
 */
import { combine, mapInput } from "../../core/accumulator.js";
import type { Period } from "../../core/time.js";
import type { SurveyResponse } from "../../schemas/survey.js";
import { type NpsCiMethod, cesAccumulator, csatAccumulator, npsAccumulator } from "../../survey/index.js";
import type { FoldStreamOptions } from "../stream.js";

/** The columns `--by` accepts. */
export const GROUP_FIELDS = ["segment", "channel"] as const;
/** A column `--by` accepts. */
export type GroupField = (typeof GROUP_FIELDS)[number];

/** The command's fold settings (plain data: they cross to stream workers as they are). */
export interface SurveySettings {
  ci: NpsCiMethod;
  level: number;
  by: GroupField | undefined;
  period: Period | undefined;
  timeZone: string;
}

/**
 * The three survey accumulators' options, shared by the in-memory, streaming and SQL paths.
 *
 * @example
 * // illustrative
 * accumulatorOptions("wald", 0.9).nps //=> { ci: "wald", level: 0.9, missing: "omit" }
 */
export function accumulatorOptions(ci: NpsCiMethod, level: number) {
  return { nps: { ci, level, missing: "omit" as const }, rating: { level, missing: "omit" as const } };
}

/**
 * NPS, CSAT and CES over validated responses in one accumulator (`combine`), skipping unanswered
 * questions (`missing: "omit"`). Its state is counts only, so merging partial states is exact.
 *
 * @example
 * // illustrative
 * const acc = surveyAccumulator("adjustedWald", 0.95);
 * acc.result(acc.add(acc.init(), response, 0)).nps.n //=> 1
 */
export function surveyAccumulator(ci: NpsCiMethod, level: number) {
  const o = accumulatorOptions(ci, level);
  return combine({
    nps: mapInput(npsAccumulator(o.nps), (r: SurveyResponse) => r.nps),
    csat: mapInput(csatAccumulator(o.rating), (r: SurveyResponse) => r.csat),
    ces: mapInput(cesAccumulator(o.rating), (r: SurveyResponse) => r.ces),
  });
}

/** One row of the command's tables: the NPS, CSAT and CES results. */
export type SurveyRow = ReturnType<ReturnType<typeof surveyAccumulator>["result"]>;

/**
 * The group key of a response: its `segment` or `channel`, `"(none)"` when absent.
 *
 * @example
 * // illustrative
 * groupKey("segment")({ ...response, segment: undefined }) //=> "(none)"
 */
export const groupKey =
  (by: GroupField) =>
  (r: SurveyResponse): string =>
    r[by] ?? "(none)";

/**
 * The streaming fold options for the settings: group by `by`, period series of `submittedAtMs` in
 * the settings' time zone.
 *
 * @example
 * // illustrative
 * await foldStream(responses, surveyAccumulator(s.ci, s.level), surveyFoldOptions(s));
 */
export function surveyFoldOptions(s: SurveySettings): FoldStreamOptions<SurveyResponse> {
  return {
    ...(s.by ? { by: groupKey(s.by) } : {}),
    ...(s.period
      ? { period: { at: (r: SurveyResponse) => r.submittedAtMs, period: s.period, timeZone: s.timeZone } }
      : {}),
  };
}
