/**
 * `cxmetrics/scorecard`: the balanced scorecard's model (perspectives → objectives in the customer's
 * voice → measures with baseline, target, thresholds and a binding to a library metric; cause-and-effect
 * links), its evaluation (status, progress, change, benchmark gaps, weighted roll-up with coverage),
 * a metric registry to compute measures from data, and Markdown / terminal renderers.
 *
 * @module scorecard
 */
export {
  MEASURE_DIRECTIONS,
  MEASURE_KINDS,
  MEASURE_TIMINGS,
  benchmarkSchema,
  causeEffectLinkSchema,
  measureBindingSchema,
  measureSchema,
  measureThresholdsSchema,
  objectiveSchema,
  parseScorecard,
  perspectiveSchema,
  safeParseScorecard,
  scorecardSchema,
  targetRangeSchema,
} from "../schemas/scorecard.js";
export type {
  Benchmark,
  CauseEffectLink,
  Measure,
  MeasureBinding,
  MeasureDirection,
  MeasureKind,
  MeasureThresholds,
  MeasureTiming,
  Objective,
  Perspective,
  Scorecard,
  ScorecardInput,
  ScorecardParseResult,
  TargetRange,
} from "../schemas/scorecard.js";
export * from "./status.js";
export * from "./rollup.js";
export * from "./registry.js";
export { LIBRARY_METRICS, defaultMetricRegistry } from "./library-metrics.js";
export * from "./evaluate.js";
export { scorecardToMarkdown } from "./markdown.js";
export { type ScorecardTextOptions, scorecardToText } from "./text.js";
