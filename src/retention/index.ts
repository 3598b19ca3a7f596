/**
 * `cxmetrics/retention`: retention and churn, revenue retention (MRR movements, GRR, NRR), cohort
 * tables, survival curves of subscription lifetimes, and repeat purchase from order logs.
 *
 * @module retention
 */
export * from "./kaplan-meier.js";
export * from "./subscription-lifetimes.js";
export * from "./repeat-purchase.js";
export * from "./customer-retention.js";
export * from "./mrr-movements.js";
export * from "./cohort-retention.js";
