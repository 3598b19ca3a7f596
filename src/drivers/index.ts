/**
 * Key-driver analysis (`cxmetrics/drivers`): correlations with tests, correlation matrices, OLS,
 * exact LMG / Shapley values of R² with dominance weights, sampled Shapley values, Johnson's relative
 * weights, importance–performance grids, and a mergeable co-moment accumulator.
 *
 * @module cxmetrics/drivers
 */
export {
  type CoMomentOptions,
  type CoMomentState,
  coMomentAccumulator,
  coMomentsFromColumns,
  correlationFromState,
  mergeCoMoments,
} from "./co-moments.js";
export type { Column } from "./columns.js";
export {
  type CorrelationInterval,
  type CorrelationMethod,
  type CorrelationOptions,
  type CorrelationResult,
  correlation,
} from "./correlation.js";
export {
  type CorrelationMatrixOptions,
  type CorrelationMatrixResult,
  correlationMatrix,
} from "./correlation-matrix.js";
export {
  type ImportancePerformanceOptions,
  type ImportancePerformanceResult,
  type IpaDriver,
  type IpaQuadrant,
  IPA_VEGA_LITE_SCHEMA,
  importancePerformance,
  ipaQuadrant,
} from "./importance-performance.js";
export {
  type CoefficientTest,
  DEFAULT_MAX_EXACT_DRIVERS,
  type KeyDriver,
  type KeyDriversAccessors,
  type KeyDriversData,
  type KeyDriversOptions,
  type KeyDriversResult,
  MAX_EXACT_DRIVERS_LIMIT,
  keyDrivers,
  keyDriversFromState,
} from "./key-drivers.js";
