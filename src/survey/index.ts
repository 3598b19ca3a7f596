/**
 * `cxmetrics/survey`: what customers (and employees) say — NPS, eNPS, CSAT and CES with confidence
 * intervals, as array functions and mergeable accumulators, and the comparison of two groups' NPS.
 * Also re-exports the survey-response schema and parsers from `cxmetrics/schemas`.
 *
 * @module survey
 */
export {
  type NpsAdjusted,
  type NpsCiMethod,
  type NpsOptions,
  type NpsResult,
  type NpsShares,
  type NpsState,
  nps,
  npsAccumulator,
} from "./nps.js";
export { type EnpsOptions, type EnpsResult, enps, enpsAccumulator } from "./enps.js";
export { type CsatOptions, type CsatResult, csat, csatAccumulator } from "./csat.js";
export { type CesOptions, type CesResult, ces, cesAccumulator } from "./ces.js";
export {
  type NpsDifferenceOptions,
  type NpsDifferenceResult,
  type NpsGroup,
  npsDifference,
} from "./nps-difference.js";
export type { MeanSummary, RatingScale, RatingState } from "./rating-scale.js";
export {
  SURVEY_CHANNELS,
  SURVEY_SCALES,
  type SurveyChannel,
  type SurveyResponse,
  fastParseSurveyResponse,
  parseSurveyResponses,
  safeParseSurveyResponses,
  surveyResponseFromCsvRow,
  surveyResponseSchema,
} from "../schemas/survey.js";
