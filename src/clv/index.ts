/**
 * `cxmetrics/clv`: customer lifetime value — RFM summaries of transaction logs, the BG/NBD purchase
 * model, the Gamma-Gamma spend model, the shifted-beta-geometric retention model, model-based,
 * formula and historical CLV, and customer profitability (the whale curve).
 *
 * Fitted models compute in float64 and say so; money in formula and historical results is `Decimal`.
 *
 * @module clv
 */
export * from "./rfm-summary.js";
export type { RfmCustomer, RfmColumns, RfmInput } from "./rfm-data.js";
export * from "./bg-nbd.js";
export * from "./gamma-gamma.js";
export * from "./shifted-beta-geometric.js";
export * from "./customer-lifetime-value.js";
export * from "./clv-formula.js";
export * from "./historical-clv.js";
export * from "./customer-profitability.js";
export { simulateBgNbd, type SimulateBgNbdOptions, type SimulatedRfm } from "./simulate-bg-nbd.js";
export type { FitOptions as ClvFitOptions } from "./mle.js";
