/**
 * `cxmetrics/acquisition`: new customers and what they cost (CAC in three definitions, average new
 * MRR, CAC payback) per period and channel; LTV:CAC; market share; brand awareness.
 *
 * @module acquisition
 */
export * from "./acquisition.js";
export * from "./ltv-to-cac.js";
export * from "./market-share.js";
export * from "./brand-awareness.js";
