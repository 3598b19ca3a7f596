/**
 * The service metrics pushed down to DuckDB and PostgreSQL: first-contact resolution per ticket and
 * per issue, SLA adherence (targets per priority, `asOf`), the on-time rate of appointments, and
 * response and resolution times with exact quantiles. Each classifies rows in the engine exactly as
 * its in-memory accumulator does, counts (or picks the order statistics a quantile needs), and is
 * finalised by that accumulator's own result code (see each function; docs/scale.md).
 *
 * Not pushed down (in memory only): t-digest quantiles (`quantileMethod: "tdigest"`), `by` as a
 * function of a ticket (use a column), and `where` predicates other than equality (use `trustedSql`
 * for a filtered view).
 *
 * @module
 */
export type { TicketColumns, TicketSqlOptions } from "./_tickets.js";
export {
  type IssueFcrGrouped,
  type IssueFcrOutput,
  type IssueFcrQueryOptions,
  issueFcrSql,
  ticketFcrSql,
} from "./first-contact-resolution.js";
export { onTimeRateSql } from "./on-time-rate.js";
export { slaAdherenceSql } from "./sla-adherence.js";
export { type ResponseTimesSqlState, responseTimesSql } from "./response-times.js";
