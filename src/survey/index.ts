/**
 * `cxmetrics/survey`: what customers (and employees) say — NPS, eNPS, CSAT and CES with confidence
 * intervals, as array functions and mergeable accumulators, and the comparison of two groups' NPS.
 * The survey-response schema and parsers live in `cxmetrics/schemas` (`parseSurveyResponses`), so
 * that the metrics stay free of zod for small bundles.
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
