/**
 * `cxmetrics/core`: errors, the accumulator model, grouping and calendar periods, numerics
 * (compensated sums, moments, special functions, distributions, intervals), money and seeded randomness.
 *
 * @module core
 */
export * from "./errors.js";
export * from "./accumulator.js";
export * from "./async.js";
export { type ByPeriodOptions, type PeriodResult, byPeriod, byPeriodState } from "./by-period.js";
export { StreamingPeriods } from "./streaming-periods.js";
export * from "./time.js";
export * from "./sum.js";
export * from "./moments.js";
export * from "./random.js";
export * from "./values.js";
export * from "./money.js";
export * from "./interval.js";
export {
  type BetaQuantilePair,
  type BetaTails,
  type GammaTails,
  digamma,
  erf,
  erfc,
  hypergeometric2F1,
  incompleteBetaTails,
  incompleteGammaTails,
  inverseBetaTails,
  inverseRegularizedGammaP,
  inverseRegularizedIncompleteBeta,
  log1pmx,
  logBeta,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
} from "./special.js";
export * from "./distributions.js";
export * from "./proportion.js";
