/**
 * `cxmetrics/charts`: Vega-Lite specs for the library's results — score trends with confidence
 * bands, answer distributions, cohort heat maps, survival curves, MRR waterfalls and scorecard
 * status. Pure data in, spec out: no rendering and no Vega dependency here.
 *
 * @module charts
 */
export * from "./spec.js";
export * from "./trend.js";
export * from "./distribution.js";
export * from "./cohort.js";
export * from "./survival.js";
export * from "./waterfall.js";
export * from "./scorecard.js";
export * from "./quadrant.js";
export * from "./bar.js";
