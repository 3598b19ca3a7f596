/**
 * `cxmetrics/core`: errors, the accumulator model, grouping and calendar periods, numerics
 * (compensated sums, moments, special functions, distributions, intervals), money and seeded randomness.
 *
 * @module core
 */
export * from "./errors.js";
export * from "./accumulator.js";
export * from "./async.js";
export * from "./by-period.js";
export * from "./time.js";
export * from "./sum.js";
export * from "./moments.js";
export * from "./random.js";
export * from "./values.js";
export * from "./money.js";
export * from "./interval.js";
export * from "./special.js";
export * from "./distributions.js";
export * from "./proportion.js";
