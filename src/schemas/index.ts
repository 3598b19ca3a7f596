/**
 * `cxmetrics/schemas`: zod schemas and inferred types for every input record, with
 * `parseX` / `safeParseX` functions that report every issue with its record index and path.
 *
 * @module schemas
 */
export * from "./parse.js";
export * from "./survey.js";
export * from "./subscription.js";
export * from "./order.js";
export * from "./activity.js";
export * from "./transaction.js";
export * from "./ticket.js";
export * from "./scorecard.js";
