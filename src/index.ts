/**
 * cxmetrics: customer-metric calculations. Each domain is also a subpath export
 * (`cxmetrics/survey`, `cxmetrics/retention`, …) for smaller bundles.
 *
 * @module cxmetrics
 */
export * from "./core/index.js";
export * from "./schemas/index.js";
export * from "./survey/index.js";
export * from "./drivers/index.js";
export * from "./clv/index.js";
export * from "./retention/index.js";
export * from "./acquisition/index.js";
export * from "./service/index.js";
export * from "./scorecard/index.js";
export * from "./charts/index.js";
